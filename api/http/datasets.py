"""``/datasets``: upload survey figures as a new version, list versions, activate one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile

from talentgap.i18n import msg

from .. import service
from ..errors import TooLarge
from .deps import SettingsDep, StoreDep, require
from .public import DatasetActivatePublic, DatasetUploadPublic, DatasetVersionPublic

router = APIRouter(prefix="/datasets", tags=["data"])


@router.post("", status_code=201, dependencies=[require("write")], response_model=DatasetUploadPublic)
def upload(file: Annotated[UploadFile, File(description="CSV or XLSX in the long format")], store: StoreDep,
           settings: SettingsDep, response: Response,
           allow_implausible: Annotated[bool, Query(description="import values that the plausibility checks "
                                                    "refuse (a jump of 100× against the series' nearest year, "
                                                    "10× for a stock); the version's origin says so")] = False):
    """Import a CSV/XLSX as a new dataset version (the active one plus the file's rows) and activate it;
    an upload whose every row is already there makes no version (200, ``unchanged``)."""
    content = file.file.read(settings.max_upload_bytes + 1)
    if len(content) > settings.max_upload_bytes:
        raise TooLarge(msg("upload.file_too_large", limit=settings.max_upload_bytes))
    result = service.import_upload(store=store, content=content, filename=file.filename or "upload",
                                   allow_implausible=allow_implausible)
    if result.unchanged:
        response.status_code = 200
    return {"version": result.version, "active": True, "row_count": result.row_count,
            "added_rows": result.added_rows, "replaced_rows": result.replaced_rows, "unchanged": result.unchanged}


@router.get("", dependencies=[require("read")], response_model=list[DatasetVersionPublic])
def datasets(store: StoreDep):
    """Every dataset version, newest last; ``active`` marks the one in use."""
    return [v.__dict__ for v in service.data.versions(store=store)]


@router.post("/{version}/activate", dependencies=[require("write")], response_model=DatasetActivatePublic)
def activate(version: int, store: StoreDep):
    """Make a dataset version the active one."""
    service.data.activate(store=store, version=version)
    return {"version": version, "active": True}
