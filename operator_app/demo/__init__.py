"""Deterministic demo data shared by the client and the server."""

from operator_app.demo.generator import ENTITY_ORDER, REFERENCE_NOW, generate
from operator_app.demo.users import DEMO_USERS, DemoUser

__all__ = ["DEMO_USERS", "ENTITY_ORDER", "REFERENCE_NOW", "DemoUser", "generate"]
