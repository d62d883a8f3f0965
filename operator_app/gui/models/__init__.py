"""Lazy, id-backed Qt item models over the local cache (rows arrive from the DB thread)."""
