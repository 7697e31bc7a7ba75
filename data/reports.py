"""The report archive and report schedules (storage only; rendering lives in the API layer)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentgap.errors import TalentgapError
from talentgap.i18n import Message, msg

from .schema import Report, Schedule
from .store import Store


class UnknownReport(TalentgapError, LookupError):
    code = "report.unknown"
    status = 404


class UnknownSchedule(TalentgapError, LookupError):
    code = "schedule.unknown"
    status = 404


class ScheduleError(TalentgapError, ValueError):
    code = "schedule.bad_input"


def _changed(session: Session, statement: Any) -> int:
    """How many rows an UPDATE changed."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _utc(dt: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything here is UTC."""
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


#: This process, as the ``worker`` of the report jobs it queues and runs.
WORKER = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"
LIVE = ("queued", "running")
#: Every status a report can have: live ones, then how it ended.
STATUSES = (*LIVE, "done", "failed", "cancelled")


def add_report(store: Store, *, report_id: str, params: dict, status: str = "queued", schedule: str = "",
               requested_by: str = "") -> None:
    """Archive a report job, owned by this process (which keeps its heartbeat while it is live);
    ``requested_by`` names the key that asked for it."""
    now = datetime.now(UTC)
    with Session(store.engine) as s, s.begin():
        s.add(Report(id=report_id, created_at=now, status=status, params=json.dumps(params), schedule=schedule,
                     worker=WORKER, heartbeat_at=now, requested_by=requested_by[:120]))
    Heartbeat.start(store)


def live_reports(store: Store, requested_by: str) -> int:
    """How many reports a key has queued or running."""
    with Session(store.engine) as s:
        return s.scalar(select(func.count()).select_from(Report).where(
            Report.requested_by == requested_by, Report.status.in_(LIVE))) or 0


def claim_report(store: Store, report_id: str) -> bool:
    """Mark a queued report running for this process; ``False`` when it is no longer queued (cancelled)."""
    now = datetime.now(UTC)
    with Session(store.engine) as s, s.begin():
        return _changed(s, update(Report).where(Report.id == report_id, Report.status == "queued").values(
            status="running", worker=WORKER, heartbeat_at=now)) == 1


def cancel_report(store: Store, report_id: str) -> bool:
    """Cancel a queued report (it will not be written); ``False`` when it is not queued any more."""
    with Session(store.engine) as s, s.begin():
        return _changed(s, update(Report).where(Report.id == report_id, Report.status == "queued").values(
            status="cancelled", finished_at=datetime.now(UTC))) == 1


def beat(store: Store, *, worker: str = WORKER, now: datetime | None = None) -> int:
    """Mark this process's live jobs as still alive; returns how many there are."""
    with Session(store.engine) as s, s.begin():
        return _changed(s, update(Report).where(Report.worker == worker, Report.status.in_(LIVE))
                         .values(heartbeat_at=now or datetime.now(UTC)))


def fail_abandoned(store: Store, *, stale_after: timedelta, report_dir: Path | None = None,
                   now: datetime | None = None) -> list[str]:
    """Fail the queued or running jobs whose process has shown no sign of life for ``stale_after``
    (it died: a crash, a kill, a power cut), and remove their half-written ``.<id>.part`` folders.
    Returns the ids failed. Safe to run from any number of processes at once."""
    now = now or datetime.now(UTC)
    cutoff = now - stale_after
    with Session(store.engine) as s, s.begin():
        stale = s.scalars(select(Report.id).where(Report.status.in_(LIVE), or_(
            Report.heartbeat_at.is_(None), Report.heartbeat_at < cutoff))).all()
        if stale:
            seconds = format(stale_after.total_seconds(), "g")
            s.execute(update(Report).where(Report.id.in_(stale), Report.status.in_(LIVE)).values(
                status="failed", finished_at=now, **failure(msg("report.interrupted", seconds=seconds))))
    if report_dir is not None:
        for report_id in stale:
            shutil.rmtree(report_dir / f".{report_id}.part", ignore_errors=True)
    return list(stale)


class Heartbeat:
    """One daemon thread per process that keeps the heartbeat of its live jobs (started on demand)."""

    _lock = threading.Lock()
    _stores: dict[str, Store] = {}

    @classmethod
    def start(cls, store: Store) -> None:
        from .settings import get_settings

        with cls._lock:
            first = not cls._stores
            cls._stores.setdefault(store.url, store)
        if first:
            every = max(get_settings().job_stale_seconds / 6, 0.2)
            threading.Thread(target=cls._run, args=(every,), daemon=True, name="talentgap-heartbeat").start()

    @classmethod
    def _run(cls, every: float) -> None:
        while True:
            time.sleep(every)
            for store in list(cls._stores.values()):
                try:
                    beat(store)
                except Exception:  # noqa: BLE001, S110 - a missed beat is retried at the next one
                    pass


def failure(error: BaseException | str) -> dict[str, str]:
    """The ``error`` and ``error_id`` fields of a failed report: a coded error's message (with its id,
    so the reports page can show it in the reader's language), else the exception's type and text."""
    first = error.args[0] if isinstance(error, BaseException) and error.args else error
    if isinstance(first, Message):
        return {"error": str(first)[:4000], "error_id": json.dumps(first.as_dict(), ensure_ascii=False)}
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    return {"error": text[:4000], "error_id": ""}


def update_report(store: Store, report_id: str, **fields) -> None:
    if fields.get("status") in ("done", "failed"):
        fields.setdefault("finished_at", datetime.now(UTC))
    with Session(store.engine) as s, s.begin():
        s.execute(update(Report).where(Report.id == report_id).values(**fields))


def get_report(store: Store, report_id: str) -> dict:
    with Session(store.engine) as s:
        r = s.get(Report, report_id)
        if r is None:
            raise UnknownReport(msg("report.unknown", report=repr(report_id)))
        return _report(r)


def list_reports(store: Store, *, status: str | None = None, limit: int = 200, offset: int = 0) -> list[dict]:
    """Reports newest first: ``limit`` of them after skipping ``offset``."""
    with Session(store.engine) as s:
        stmt = select(Report).order_by(Report.created_at.desc(), Report.id.desc()).limit(limit).offset(offset)
        if status:
            stmt = stmt.where(Report.status == status)
        return [_report(r) for r in s.scalars(stmt)]


def _report(r: Report) -> dict:
    return {"id": r.id, "created_at": _utc(r.created_at), "finished_at": _utc(r.finished_at), "status": r.status,
            "error": r.error, "error_id": json.loads(r.error_id) if r.error_id else None,
            "dataset_version": r.dataset_version, "model_version": r.model_version,
            "params": json.loads(r.params), "directory": r.directory, "schedule": r.schedule,
            "requested_by": r.requested_by}


# -- schedules ----------------------------------------------------------------------------------------------
def next_time(cron: str, after: datetime) -> datetime:
    """The first time after ``after`` matching a 5-field cron expression (UTC)."""
    from croniter import croniter

    try:
        return croniter(cron, after).get_next(datetime)
    except (ValueError, KeyError) as exc:
        raise ScheduleError(msg("schedule.bad_cron", cron=repr(cron), error=exc)) from None


def add_schedule(store: Store, *, name: str, cron: str, params: dict, now: datetime | None = None) -> dict:
    if not name.strip():
        raise ScheduleError(msg("schedule.blank_name"))
    if len(cron.split()) != 5:
        raise ScheduleError(msg("schedule.cron_fields", cron=repr(cron)))
    now = now or datetime.now(UTC)
    first = next_time(cron, now)
    try:
        with Session(store.engine) as s, s.begin():
            s.add(Schedule(name=name, cron=cron, params=json.dumps(params), created_at=now, next_run_at=first))
    except IntegrityError:
        raise ScheduleError(msg("schedule.exists", name=repr(name))) from None
    return get_schedule(store, name)


def get_schedule(store: Store, name: str) -> dict:
    with Session(store.engine) as s:
        r = s.scalar(select(Schedule).where(Schedule.name == name))
        if r is None:
            raise UnknownSchedule(msg("schedule.unknown", name=repr(name)))
        return _schedule(r)


def list_schedules(store: Store) -> list[dict]:
    with Session(store.engine) as s:
        return [_schedule(r) for r in s.scalars(select(Schedule).order_by(Schedule.id))]


def remove_schedule(store: Store, name: str) -> None:
    with Session(store.engine) as s, s.begin():
        r = s.scalar(select(Schedule).where(Schedule.name == name))
        if r is None:
            raise UnknownSchedule(msg("schedule.unknown", name=repr(name)))
        s.delete(r)


def claim_due(store: Store, *, now: datetime, stale_after: timedelta = timedelta(hours=6),
              name: str | None = None) -> list[dict]:
    """Take the lease on every schedule that is due and not already running (or whose run is stale);
    an atomic conditional update, so two schedulers never start the same run. With ``name``, that
    schedule alone, due or not (run now): :class:`UnknownSchedule` if there is none, ``[]`` while it runs."""
    claimed = []
    if name is not None:
        get_schedule(store, name)
    due_now = Schedule.next_run_at <= now if name is None else Schedule.name == name
    with Session(store.engine) as s:
        due = s.scalars(select(Schedule).where(due_now)).all()
        names = [(r.id, r.name) for r in due]
    for sid, name in names:
        with Session(store.engine) as s, s.begin():
            changed = _changed(s, update(Schedule).where(
                Schedule.id == sid, due_now,
                (Schedule.running_since.is_(None)) | (Schedule.running_since < now - stale_after),
            ).values(running_since=now))
        if changed == 1:
            claimed.append(get_schedule(store, name))
    return claimed


def finish_run(store: Store, name: str, *, now: datetime, status: str, error: str = "", report_id: str = "",
               scheduled: bool = True) -> None:
    """Release the lease and set the next run time; a failure is retried at the next cron tick. A run
    asked for by name (``scheduled=False``) leaves the next scheduled time as it was."""
    with Session(store.engine) as s, s.begin():
        r = s.scalar(select(Schedule).where(Schedule.name == name))
        if r is None:
            return
        r.running_since = None
        r.last_run_at, r.last_status, r.last_error, r.last_report_id = now, status, error[:4000], report_id
        if scheduled:
            r.next_run_at = next_time(r.cron, max(now, _utc(r.next_run_at) or now))


def _schedule(r: Schedule) -> dict:
    return {"name": r.name, "cron": r.cron, "params": json.loads(r.params), "created_at": _utc(r.created_at),
            "next_run_at": _utc(r.next_run_at), "running": r.running_since is not None,
            "last_run_at": _utc(r.last_run_at), "last_status": r.last_status, "last_error": r.last_error,
            "last_report_id": r.last_report_id}
