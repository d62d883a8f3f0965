"""The demo team: who signs in to the demo and who appears as assignee and author."""

from __future__ import annotations

from dataclasses import dataclass

from operator_app.domain.enums import Role


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    name: str
    role: Role
    name_en: str  # how the name is written in English

    def first_name(self, language: str) -> str:
        return (self.name_en if language == "en" else self.name).split(" ")[0]


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("operator", "Анна Смирнова", Role.OPERATOR, "Anna Smirnova"),
    DemoUser("supervisor", "Олег Кузнецов", Role.SUPERVISOR, "Oleg Kuznetsov"),
    DemoUser("admin", "Мария Волкова", Role.ADMIN, "Maria Volkova"),
    # More operators, so per-operator dashboards and worklists have something to compare.
    DemoUser("d.orlov", "Дмитрий Орлов", Role.OPERATOR, "Dmitry Orlov"),
    DemoUser("e.belova", "Екатерина Белова", Role.OPERATOR, "Ekaterina Belova"),
    DemoUser("i.sokolov", "Игорь Соколов", Role.OPERATOR, "Igor Sokolov"),
    DemoUser("j.miller", "Julia Miller", Role.OPERATOR, "Julia Miller"),
)
"""``operator``, ``supervisor`` and ``admin`` are the accounts a demo is opened with."""

OPERATORS: tuple[DemoUser, ...] = tuple(u for u in DEMO_USERS if u.role is Role.OPERATOR)
SUPERVISOR: DemoUser = DEMO_USERS[1]
