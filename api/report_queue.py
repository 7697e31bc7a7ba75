"""Bounds on the report queue: a key may have ``max_live_reports_per_key`` reports queued or running
at once (429 past it), and a queued report can be cancelled by its key or an admin key (it is then
never written: the worker claims a report before it runs it)."""

from __future__ import annotations

from talentgap.data.reports import cancel_report as cancel_queued
from talentgap.data.reports import get_report, live_reports
from talentgap.data.settings import get_settings
from talentgap.data.store import Store
from talentgap.errors import TalentgapError
from talentgap.i18n import msg


class ReportQueueFull(TalentgapError, ValueError):
    """A key with ``max_live_reports_per_key`` reports queued or running asks for another (429)."""

    code = "report.queue_full"
    status = 429


class ReportNotCancellable(TalentgapError, ValueError):
    """Only a queued report can be cancelled (409)."""

    code = "report.not_cancellable"
    status = 409


class ReportForbidden(TalentgapError, ValueError):
    """Another key's report (403)."""

    code = "report.not_yours"
    status = 403


def check_queue(store: Store, requested_by: str) -> None:
    """:class:`ReportQueueFull` when the key ``requested_by`` has its most reports queued or running."""
    limit = get_settings().max_live_reports_per_key
    if requested_by and live_reports(store, requested_by) >= limit:
        raise ReportQueueFull(msg("report.queue_full", limit=limit))


def cancel_report(*, store: Store, report_id: str, requested_by: str, role: str) -> dict:
    """Cancel a queued report: the key that asked for it may, and an admin key; returns the entry."""
    report = get_report(store, report_id)
    if role != "admin" and report["requested_by"] != requested_by:
        raise ReportForbidden(msg("report.not_yours", report=report_id))
    if not cancel_queued(store, report_id):
        raise ReportNotCancellable(msg("report.not_cancellable", report=report_id,
                                       status=get_report(store, report_id)["status"]))
    return get_report(store, report_id)
