"""Qt layer: windows, widgets, models, controllers, theme, i18n."""

# Loaded here, before any module of this package imports Qt, on purpose: once PySide6
# is loaded it reads the source of every module imported after it (its ``__feature__``
# import hook), which makes the start's share of SQLAlchemy, phonenumbers and asyncio
# (a few hundred modules) cost about half as much again. None of these imports Qt.
import asyncio  # noqa: F401

import sqlalchemy.dialects.sqlite  # noqa: F401  (what opening the cache loads)

import operator_app.cache.db  # SQLAlchemy's core, phonenumbers
import operator_app.domain.entities
import operator_app.services.datadir  # platformdirs
import operator_app.services.offer_advice  # the assist panel's offers, no ORM
import operator_app.services.settings_schema  # noqa: F401
