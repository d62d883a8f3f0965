"""Deterministic demo data shared by the client and the server."""
