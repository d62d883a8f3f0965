"""Who the demo customers are: names, phones, e-mails, time zones.

Faker's name lists are read once into pools; after that every pick is an index
drawn from the generator's own ``random.Random``, which keeps a million customers
fast and the output a pure function of the seed. Common names are drawn far more
often than Faker's rare ones, as in life.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

from faker.providers.internet.ru_RU import Provider as RuInternet
from faker.providers.person.en_US import Provider as EnPerson
from faker.providers.person.ru_RU import Provider as RuPerson

from operator_app.domain.text import name_key

RU_MALE_COMMON = (
    "Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья",
    "Кирилл", "Михаил", "Никита", "Матвей", "Роман", "Егор", "Арсений", "Иван", "Денис",
    "Евгений", "Даниил", "Тимофей", "Владислав", "Игорь", "Владимир", "Павел", "Руслан",
    "Марк", "Константин", "Николай", "Олег", "Виктор", "Антон", "Юрий", "Григорий",
    "Василий", "Пётр", "Степан", "Фёдор", "Леонид", "Вадим", "Станислав",
)  # fmt: skip
RU_FEMALE_COMMON = (
    "Анна", "Мария", "Елена", "Ольга", "Наталья", "Екатерина", "Татьяна", "Светлана",
    "Ирина", "Юлия", "Анастасия", "Дарья", "Виктория", "Полина", "Ксения", "Алиса", "Софья",
    "Валерия", "Марина", "Людмила", "Галина", "Вера", "Надежда", "Алёна", "Кристина",
    "Евгения", "Александра", "Елизавета", "Вероника", "Любовь",
)  # fmt: skip
# (son, daughter) forms of the father's name
RU_PATRONYMICS = (
    ("Александрович", "Александровна"), ("Дмитриевич", "Дмитриевна"), ("Сергеевич", "Сергеевна"),
    ("Андреевич", "Андреевна"), ("Алексеевич", "Алексеевна"), ("Владимирович", "Владимировна"),
    ("Николаевич", "Николаевна"), ("Михайлович", "Михайловна"), ("Иванович", "Ивановна"),
    ("Викторович", "Викторовна"), ("Евгеньевич", "Евгеньевна"), ("Юрьевич", "Юрьевна"),
    ("Петрович", "Петровна"), ("Олегович", "Олеговна"), ("Игоревич", "Игоревна"),
    ("Анатольевич", "Анатольевна"), ("Васильевич", "Васильевна"), ("Геннадьевич", "Геннадьевна"),
    ("Борисович", "Борисовна"), ("Павлович", "Павловна"), ("Валерьевич", "Валерьевна"),
    ("Вячеславович", "Вячеславовна"), ("Романович", "Романовна"),
    ("Константинович", "Константиновна"), ("Григорьевич", "Григорьевна"),
)  # fmt: skip

# Time zones across Russia with a rough share of population, and a landline area code each.
RU_ZONES: tuple[tuple[str, int, str], ...] = (
    ("Europe/Moscow", 50, "495"),
    ("Europe/Kaliningrad", 2, "4012"),
    ("Europe/Samara", 4, "846"),
    ("Europe/Volgograd", 3, "8442"),
    ("Asia/Yekaterinburg", 10, "343"),
    ("Asia/Omsk", 3, "3812"),
    ("Asia/Novosibirsk", 7, "383"),
    ("Asia/Krasnoyarsk", 6, "391"),
    ("Asia/Irkutsk", 4, "3952"),
    ("Asia/Yakutsk", 2, "4112"),
    ("Asia/Vladivostok", 5, "423"),
    ("Asia/Magadan", 1, "4132"),
    ("Asia/Kamchatka", 1, "4152"),
)
# English-speaking customers abroad: zone, weight, (mobile prefix, digits after it)
ABROAD_ZONES: tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...] = (
    ("America/New_York", 4, (("+1212", 7), ("+1646", 7), ("+1718", 7), ("+1917", 7))),
    ("America/Chicago", 2, (("+1312", 7), ("+1773", 7))),
    ("America/Los_Angeles", 2, (("+1213", 7), ("+1415", 7), ("+1650", 7))),
    ("Europe/London", 4, (("+447400", 6), ("+447833", 6), ("+447583", 6))),
    ("Europe/Berlin", 2, (("+49151", 8), ("+49176", 8))),
)
RU_MOBILE_CODES = tuple(
    str(c)
    for c in itertools.chain(range(900, 930), range(950, 954), range(960, 970), range(977, 1000))
)

# Addresses under the reserved ``.example`` top-level domain: they look real in the demo
# and can never reach a real mailbox, whatever a demo server is told to send.
RU_MAIL_DOMAINS = (
    "mail.example", "yandex.example", "inbox.example", "gmail.example", "bk.example",
    "list.example", "rambler.example",
)  # fmt: skip
EN_MAIL_DOMAINS = (
    "gmail.example", "outlook.example", "yahoo.example", "icloud.example", "proton.example",
)  # fmt: skip
WORK_MAIL_DOMAINS = ("corp.example", "company.example", "office.example", "business.example")

_TRANSLIT = dict(RuInternet.replacements)


def translit(text: str) -> str:
    """Latin letters for a Russian name, as people write it in their e-mail address."""
    out = []
    for ch in text:
        upper = ch.upper()
        latin = _TRANSLIT.get(upper, ch)
        out.append(latin if ch == upper else latin.lower())
    return "".join(out).replace("'", "").replace("ʹ", "")


class WeightedPool:
    """Draw from ``items`` with weights, by one uniform number: O(log n), no allocations."""

    def __init__(self, items: Sequence[str], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rnd: float) -> str:
        return self.items[bisect.bisect(self.cumulative, rnd * self.total)]


def _common_then_rare(
    common: Sequence[str], rare: Sequence[str], rare_share: float
) -> WeightedPool:
    rare_only = [name for name in rare if name not in common]
    common_weight = (1 - rare_share) / len(common)
    rare_weight = rare_share / len(rare_only)
    return WeightedPool(
        [*common, *rare_only], [common_weight] * len(common) + [rare_weight] * len(rare_only)
    )


@dataclass(frozen=True, slots=True)
class Person:
    first_name: str
    last_name: str
    middle_name: str
    female: bool
    language: str
    timezone: str
    name_key: str
    # The Latin spelling used in e-mail addresses.
    first_latin: str
    last_latin: str
    landline_code: str | None  # area code for a Russian home phone
    mobile_prefix: tuple[str, int] | None  # abroad: ("+1212", 7 more digits); None: Russian

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formal_name(self) -> str:
        """How an agent addresses the customer: «Иван Петрович», or the first name."""
        if self.language == "ru" and self.middle_name:
            return f"{self.first_name} {self.middle_name}"
        return self.first_name


class PeoplePools:
    """Name and place pools, read from Faker once."""

    def __init__(self) -> None:
        self.ru_male = _common_then_rare(RU_MALE_COMMON, RuPerson.first_names_male, 0.12)
        self.ru_female = _common_then_rare(RU_FEMALE_COMMON, RuPerson.first_names_female, 0.12)
        last_weights = [1.0 / (rank + 15) for rank in range(len(RuPerson.last_names_male))]
        self.ru_last_index = WeightedPool([str(i) for i in range(len(last_weights))], last_weights)
        self.ru_last = (tuple(RuPerson.last_names_male), tuple(RuPerson.last_names_female))
        self.en_male = WeightedPool(
            list(EnPerson.first_names_male), list(EnPerson.first_names_male.values())
        )
        self.en_female = WeightedPool(
            list(EnPerson.first_names_female), list(EnPerson.first_names_female.values())
        )
        self.en_last = WeightedPool(list(EnPerson.last_names), list(EnPerson.last_names.values()))
        self.ru_zones = WeightedPool([z for z, _, _ in RU_ZONES], [w for _, w, _ in RU_ZONES])
        self.ru_area_code = {zone: code for zone, _, code in RU_ZONES}
        self.abroad_zones = WeightedPool(
            [z for z, _, _ in ABROAD_ZONES], [w for _, w, _ in ABROAD_ZONES]
        )
        self.abroad_prefixes = {zone: prefixes for zone, _, prefixes in ABROAD_ZONES}
        self._latin: dict[str, str] = {}

    def latin(self, name: str) -> str:
        cached = self._latin.get(name)
        if cached is None:
            cached = self._latin[name] = translit(name).lower()
        return cached

    def person(self, rng: random.Random, russian: bool) -> Person:
        rnd = rng.random
        female = rnd() < 0.52
        if russian:
            first = (self.ru_female if female else self.ru_male).pick(rnd())
            last = self.ru_last[female][int(self.ru_last_index.pick(rnd()))]
            middle = ""
            if rnd() < 0.93:
                pair = RU_PATRONYMICS[int(rnd() * len(RU_PATRONYMICS))]
                middle = pair[female]
            zone = self.ru_zones.pick(rnd())
            return Person(
                first, last, middle, female, "ru", zone, name_key(last, first, middle),
                self.latin(first), self.latin(last), self.ru_area_code[zone], None,
            )  # fmt: skip
        first = (self.en_female if female else self.en_male).pick(rnd())
        last = self.en_last.pick(rnd())
        if rnd() < 0.55:  # expats living in Russia
            zone = self.ru_zones.pick(rnd())
            area, prefix = self.ru_area_code[zone], None
        else:
            zone = self.abroad_zones.pick(rnd())
            prefixes = self.abroad_prefixes[zone]
            area, prefix = None, prefixes[int(rnd() * len(prefixes))]
        return Person(
            first, last, "", female, "en", zone, name_key(last, first),
            first.lower(), last.lower(), area, prefix,
        )  # fmt: skip


class PhoneBook:
    """Hands out E.164 numbers that never repeat, scrambled so they look random.

    Number *n* is an affine bijection of *n* over the whole number space (a multiplier
    coprime to the size of the space), so numbers are unique without remembering them.
    """

    _MULTIPLIER = 2_654_435_761  # prime, so coprime to every space size used here

    def __init__(self, rng: random.Random) -> None:
        self._offset = rng.getrandbits(40)
        self._next = 0

    def _scrambled(self, space: int) -> int:
        serial = self._next
        self._next += 1
        return (serial * self._MULTIPLIER + self._offset) % space

    def mobile(self, person: Person) -> str:
        if person.mobile_prefix is None:
            value = self._scrambled(len(RU_MOBILE_CODES) * 10**7)
            return f"+7{RU_MOBILE_CODES[value // 10**7]}{value % 10**7:07d}"
        prefix, digits = person.mobile_prefix
        return prefix + self._subscriber(digits)

    def landline(self, person: Person) -> str | None:
        if person.landline_code is None:
            return None
        return f"+7{person.landline_code}{self._subscriber(10 - len(person.landline_code))}"

    def _subscriber(self, digits: int) -> str:
        # Subscriber numbers do not start with 0 or 1.
        return str(2 * 10 ** (digits - 1) + self._scrambled(8 * 10 ** (digits - 1)))
