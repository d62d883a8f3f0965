"""What the server is: the API version a client checks before anything else."""

from __future__ import annotations

from fastapi import APIRouter

from operator_app import __version__
from operator_app.server.schemas import VersionInfo
from operator_app.server.settings import API_VERSION

router = APIRouter(tags=["meta"])


@router.get("/version", response_model=VersionInfo, summary="API and server versions (public)")
def version() -> VersionInfo:
    return VersionInfo(api_version=API_VERSION, server_version=__version__)
