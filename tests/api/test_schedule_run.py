"""``talentgap schedule run NAME`` runs one schedule now and returns (its next cron time unchanged);
the loop has its own name, ``schedule daemon``; ``schedule run`` without a name is an error, not a
process that never returns."""

from __future__ import annotations

from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.data.reports import get_report, get_schedule
from talentgap.data.store import Store

runner = CliRunner()


def test_run_one_named_schedule_now(tmp_path, small_seed):
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store.open(url)
    out = tmp_path / "reports"
    r = runner.invoke(app, ["schedule", "add", "--cron", "0 6 1 1 *", "--name", "yearly", "--format", "html",
                            "--sector", "battery", "--out", str(out), "--db", url])
    assert r.exit_code == 0, r.output
    before = get_schedule(store, "yearly")["next_run_at"]
    r = runner.invoke(app, ["schedule", "run", "yearly", "--db", url])
    assert r.exit_code == 0, r.output
    report_id = r.stdout.strip().splitlines()[-1]
    assert get_report(store, report_id)["status"] == "done" and (out / report_id / "report.html").is_file()
    after = get_schedule(store, "yearly")
    assert after["next_run_at"] == before and after["last_status"] == "done" and not after["running"]


def test_run_needs_a_known_schedule_name(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    r = runner.invoke(app, ["schedule", "run", "--db", url])
    assert r.exit_code == 2 and "name" in r.output.lower()
    r = runner.invoke(app, ["schedule", "run", "nope", "--db", url])
    assert r.exit_code == 2 and "nope" in r.output


def test_the_daemon_runs_what_is_due_once(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    r = runner.invoke(app, ["schedule", "daemon", "--once", "--db", url])
    assert r.exit_code == 0, r.output
