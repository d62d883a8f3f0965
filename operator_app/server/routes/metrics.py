"""Dashboards (supervisors and admins): survey scores, first response, first-contact resolution."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/metrics", tags=["metrics"])
