"""The demo team: who signs in to the demo and who appears as assignee and author."""

from __future__ import annotations

from dataclasses import dataclass

from operator_app.domain.enums import Role


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    name: str
    role: Role


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("operator", "Анна Смирнова", Role.OPERATOR),
    DemoUser("supervisor", "Олег Кузнецов", Role.SUPERVISOR),
    DemoUser("admin", "Мария Волкова", Role.ADMIN),
    # More operators, so per-operator dashboards and worklists have something to compare.
    DemoUser("d.orlov", "Дмитрий Орлов", Role.OPERATOR),
    DemoUser("e.belova", "Екатерина Белова", Role.OPERATOR),
    DemoUser("i.sokolov", "Игорь Соколов", Role.OPERATOR),
    DemoUser("j.miller", "Julia Miller", Role.OPERATOR),
)
"""``operator``, ``supervisor`` and ``admin`` are the accounts a demo is opened with."""

OPERATORS: tuple[DemoUser, ...] = tuple(u for u in DEMO_USERS if u.role is Role.OPERATOR)
SUPERVISOR: DemoUser = DEMO_USERS[1]
