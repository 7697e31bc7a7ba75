"""Runtime settings, read from ``TALENTGAP_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """An embedded SQLite file under the user's data directory."""
    path = Path(user_data_dir("talentgap", appauthor=False)) / "talentgap.db"
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    """Service settings; every field can be set as ``TALENTGAP_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="TALENTGAP_")

    database_url: str = ""
    #: Largest accepted upload, in bytes.
    max_upload_bytes: int = 20 * 1024 * 1024
    #: Largest accepted upload, in data rows.
    max_upload_rows: int = 200_000
    #: Largest unpacked size of an XLSX upload (all archive members), in bytes; a 200,000-row sheet
    #: written with inline strings unpacks to about 150 MB.
    max_upload_unpacked_bytes: int = 256 * 1024 * 1024
    #: Largest body of a web form other than an upload (the sign-in form gets 8 KiB whatever this says).
    max_form_bytes: int = 256 * 1024
    #: Largest JSON body of an API request (uploads and ``/series/forecast`` get the upload limit).
    max_json_bytes: int = 1024 * 1024
    #: A request body must arrive within this many seconds (uploads get more time in proportion to their
    #: size); one that stalls for ``body_idle_seconds`` is dropped sooner.
    body_timeout_seconds: float = 20.0
    body_idle_seconds: float = 10.0
    #: Failed sign-ins or key checks from one client address, or with one key prefix, within a minute
    #: before further attempts are refused (429) for ``auth_lockout_seconds``.
    auth_failures_per_minute: int = 10
    auth_lockout_seconds: float = 300.0

    #: Scratch results (forecasts with lever overrides, skill-gap profiles) kept in the store at most;
    #: past it the least recently served are deleted. A forecast's result is about 270 KB.
    max_scratch_results: int = 200

    #: Model computations (forecasts, sector simulations) running at once in a process; 0: the number of
    #: cores, at least 2. Requests past it wait their turn (api/compute.py).
    max_concurrent_computations: int = 0
    #: Reports one key may have queued or running at once; one more is refused (429).
    max_live_reports_per_key: int = 5

    #: Who issues the reports: the name on every report's cover.
    issuer: str = "talentgap"
    #: Where archived reports are written (default: ``reports/`` in the user data directory).
    reports_dir: str = ""
    #: A queued or running report job whose process has shown no sign of life for this many seconds
    #: is taken as interrupted (the process died) and marked failed; live processes beat 6× as often.
    job_stale_seconds: float = 120.0

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()

    def report_dir(self) -> Path:
        return Path(self.reports_dir) if self.reports_dir else Path(user_data_dir("talentgap", appauthor=False)) / "reports"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
