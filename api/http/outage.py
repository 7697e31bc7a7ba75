"""How the app answers when the database fails under a request: a lost or refused connection is the
service's outage (503 ``store.unavailable`` with ``Retry-After``), any other database error is ours
(500); either way the body carries an error id and never the database's own message (which names its
host, port and query). The full error goes to the log under the same id."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from talentgap.i18n import msg

from ..errors import internal

log = logging.getLogger("talentgap.api")
#: Database errors that mean "cannot reach the database now", not "this request is wrong".
OUTAGE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def install_outage_handler(app: FastAPI, answer: Callable[..., Response]) -> None:
    """Answer :class:`SQLAlchemyError` through ``answer(request, status, code, message, headers)``."""

    @app.exception_handler(SQLAlchemyError)
    def _store_error(request: Request, exc: SQLAlchemyError) -> Response:
        if isinstance(exc, OUTAGE):
            error_id = secrets.token_hex(4)
            log.error("database unavailable (error id %s)", error_id, exc_info=exc)
            return answer(request, 503, "store.unavailable", msg("store.unavailable_id", id=error_id),
                          headers={"Retry-After": "30"}, error_id=error_id)
        out = internal(exc, log, "internal database error")
        return answer(request, out.status, out.code, out.message, error_id=out.error_id)
