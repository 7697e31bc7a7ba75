"""Background work: the report job queue of a running service, the scheduler of report jobs
(the ``talentgap schedule daemon`` process and ``serve --scheduler``; ``schedule run NAME`` runs one now),
and the work a dataset version's activation queues (:class:`Precompute`: its backtests).

Report jobs run one at a time on a daemon thread, so a stopping service is not held up by queued work.
Each scheduler tick claims the due schedules (a lease in the database, so a schedule already running is not
started twice, even by two schedulers), writes their reports into the archive and records the result;
a failed run keeps its error and is retried at the next cron time.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from talentgap.data.reports import claim_due, claim_report, fail_abandoned, finish_run
from talentgap.data.settings import get_settings
from talentgap.data.store import Store
from talentgap.models.backtest import BacktestStopped

from .render.report import write_report
from .service import backtest_pending, compute_backtest

log = logging.getLogger("talentgap.jobs")


def sweep(store: Store) -> list[str]:
    """Fail the report jobs whose process died and remove their ``.part`` folders (any process may)."""
    settings = get_settings()
    failed = fail_abandoned(store, stale_after=timedelta(seconds=settings.job_stale_seconds),
                            report_dir=settings.report_dir())
    for report_id in failed:
        log.warning("report %s was interrupted (its process stopped); marked failed", report_id)
    return failed


class ReportJobs:
    """Queued report jobs of one service process, written into the archive one at a time. On start and
    every half stale period, jobs left behind by a process that died are failed (:func:`sweep`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.Queue[tuple[str, dict]] = queue.Queue()
        threading.Thread(target=self._work, daemon=True, name="talentgap-report").start()
        threading.Thread(target=self._sweep, daemon=True, name="talentgap-sweeper").start()

    def _sweep(self) -> None:
        while True:
            try:
                sweep(self.store)
            except Exception:  # noqa: BLE001 - retried at the next round
                log.warning("sweeping interrupted report jobs failed", exc_info=True)
            time.sleep(max(get_settings().job_stale_seconds / 2, 0.5))

    def submit(self, report_id: str, params: dict) -> None:
        """Queue an archived report (status ``queued``) to be written."""
        self._queue.put((report_id, params))

    def _work(self) -> None:
        while True:
            report_id, params = self._queue.get()
            try:
                if not claim_report(self.store, report_id):  # cancelled while it waited
                    continue
                write_report(store=self.store, out_dir=get_settings().report_dir(), report_id=report_id, **params)
            except Exception:  # noqa: BLE001 - write_report records the failure in the archive
                log.warning("report %s failed", report_id, exc_info=True)


class Precompute:
    """The job an activation queues (an import, an upload, the seed, ``data activate``): while the active
    dataset version has no stored backtests, compute and store them, so that no request computes one
    (requests serve the previous version's, labelled, until then). The queue is the store itself: a
    version without its stored backtests is pending, so an activation by another process (a CLI import)
    is picked up within ``poll`` seconds, and work cut short by a stop or a crash is done again later.
    Stops between series when :meth:`stop` is called or another version becomes active."""

    #: One backtest computation at a time in a process (the service's worker and a scheduler thread).
    _running = threading.Lock()

    def __init__(self, store: Store, *, poll: float = 2.0) -> None:
        self.store, self.poll = store, poll
        self._stop = threading.Event()
        self._failed: set[int] = set()

    def start(self) -> threading.Thread:
        t = threading.Thread(target=self._loop, daemon=True, name="talentgap-precompute")
        t.start()
        return t

    def stop(self) -> None:
        self._stop.set()

    def run_once(self) -> int | None:
        """Compute the active version's backtests if they are pending; returns that version, or None when
        nothing was pending, another thread is computing, or the work was stopped part-way."""
        version = backtest_pending(self.store)
        if version is None or version in self._failed or not self._running.acquire(blocking=False):
            return None
        try:
            if backtest_pending(self.store) != version:  # done meanwhile (another thread or process)
                return None
            log.info("computing the backtests of dataset version %s", version)
            compute_backtest(store=self.store, version=version, stop=self._stopping(version))
        except BacktestStopped:
            log.info("backtests of dataset version %s stopped part-way", version)
            return None
        except Exception:
            self._failed.add(version)  # not retried in this process: the log says why
            log.error("computing the backtests of dataset version %s failed", version, exc_info=True)
            return None
        finally:
            self._running.release()
        return version

    def _stopping(self, version: int) -> Callable[[], bool]:
        """Asked between series: stop when told to, or when another version is active (at most one store
        read a second)."""
        checked = [time.monotonic()]

        def stop() -> bool:
            if self._stop.is_set():
                return True
            if time.monotonic() - checked[0] >= 1.0:
                checked[0] = time.monotonic()
                return self.store.active_version() != version
            return False

        return stop

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - the database may be away; asked again at the next poll
                log.warning("checking for pending backtests failed", exc_info=True)
            self._stop.wait(self.poll)


class Scheduler:
    """Runs due schedules; ``tick`` once, or ``run_forever`` / ``start_thread``."""

    def __init__(self, store: Store, *, log: Callable[[str], None] = print,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.store, self.log, self.clock = store, log, clock
        self._stop = threading.Event()

    def tick(self) -> list[dict]:
        """Run every due schedule once (after the active version's pending backtests, so that its reports
        show them); returns what happened to each."""
        sweep(self.store)
        Precompute(self.store).run_once()
        return [self._run(sched, scheduled=True) for sched in claim_due(self.store, now=self.clock())]

    def run_now(self, name: str) -> dict | None:
        """Run the schedule ``name`` now, whether due or not, leaving its next scheduled time; ``None``
        when it is running already (elsewhere). :class:`UnknownSchedule` for a name that is none."""
        claimed = claim_due(self.store, now=self.clock(), name=name)
        return self._run(claimed[0], scheduled=False) if claimed else None

    def _run(self, sched: dict, *, scheduled: bool) -> dict:
        """Write one claimed schedule's report and record how it went."""
        p = dict(sched["params"])
        out = Path(p.pop("out", None) or get_settings().report_dir())
        name = sched["name"]
        self.log(f"schedule {name}: writing report into {out}")

        def progress(message: str) -> None:
            self.log(f"  {name}: {message}")

        try:
            info = write_report(store=self.store, out_dir=out, schedule=name, progress=progress, **p)
        except Exception as exc:  # noqa: BLE001 - recorded, retried at the next tick
            finish_run(self.store, sched["name"], now=self.clock(), status="failed",
                       error=f"{type(exc).__name__}: {exc}", scheduled=scheduled)
            self.log(f"schedule {sched['name']}: failed: {exc}")
            return {"schedule": sched["name"], "status": "failed", "error": str(exc)}
        finish_run(self.store, sched["name"], now=self.clock(), status="done", report_id=info["id"],
                   scheduled=scheduled)
        self.log(f"schedule {sched['name']}: report {info['id']} done")
        return {"schedule": sched["name"], "status": "done", "report_id": info["id"]}

    def run_forever(self, *, tick: float = 30.0) -> None:
        self.log(f"scheduler: checking every {tick:g} s (Ctrl-C to stop)")
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception as exc:  # noqa: BLE001 - keep the scheduler alive
                self.log(f"scheduler: tick failed: {exc}")
            self._stop.wait(tick)

    def start_thread(self, *, tick: float = 30.0) -> threading.Thread:
        t = threading.Thread(target=self.run_forever, kwargs={"tick": tick}, daemon=True, name="talentgap-scheduler")
        t.start()
        return t

    def stop(self) -> None:
        self._stop.set()

