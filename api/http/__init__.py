"""The HTTP API under ``/api/v1``: one ``APIRouter`` module per resource, mounted by :mod:`.app`."""
