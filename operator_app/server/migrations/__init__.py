"""Alembic migrations of the server schema (packaged; run by ``operator-app-server init``)."""
