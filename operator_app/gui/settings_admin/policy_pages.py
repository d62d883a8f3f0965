"""Survey policy and channel SLAs: two pages over the one policy document on the server.

Both pages read the document once (through :class:`PolicyHolder`); each Save sends the
whole document with that page's fields changed, so one PUT stores all of it or nothing.
"""

from __future__ import annotations

import asyncio
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QWidget,
)

from operator_app.api.admin import AdminApi, PolicyDocument
from operator_app.domain.enums import Channel
from operator_app.gui.i18n import translate
from operator_app.gui.settings_admin.base import AdminPage, error_label
from operator_app.gui.settings_admin.channel_picker import ChannelPicker, channel_names

SURVEY_KINDS = ("csat", "nps", "ces")


def kind_names() -> dict[str, str]:
    return {
        "csat": translate("PolicyPages", "CSAT — satisfaction, 1–5"),
        "nps": translate("PolicyPages", "NPS — would recommend, 0–10"),
        "ces": translate("PolicyPages", "CES — effort, 1–7"),
    }


UNITS = (("seconds", 1), ("minutes", 60), ("hours", 3600))


def unit_names() -> dict[str, str]:
    return {
        "seconds": translate("PolicyPages", "seconds"),
        "minutes": translate("PolicyPages", "minutes"),
        "hours": translate("PolicyPages", "hours"),
    }


def best_unit(seconds: int) -> tuple[int, str]:
    """The largest unit that shows ``seconds`` as a whole number."""
    for unit, size in reversed(UNITS):
        if seconds % size == 0 and seconds >= size:
            return seconds // size, unit
    return seconds, "seconds"


class PolicyHolder:
    """The policy as last read or saved; shared by the two pages (one load, one lock)."""

    def __init__(self, admin: AdminApi) -> None:
        self.admin = admin
        self.current: PolicyDocument | None = None
        self._lock = asyncio.Lock()

    async def get(self, *, fresh: bool = False) -> PolicyDocument:
        async with self._lock:
            if self.current is None or fresh:
                self.current = await self.admin.policy()
            return self.current

    async def save(self, changes: dict[str, Any]) -> PolicyDocument:
        async with self._lock:
            base = self.current or await self.admin.policy()
            # If-Match: another admin's save in between is refused, not overwritten.
            saved = await self.admin.save_policy(
                {**base.document, **changes}, base_version=base.version
            )
            self.current = saved
            return saved


class PolicyPage(AdminPage):
    """Shared by both: a Save button and the load/save cycle through the holder."""

    def __init__(self, admin: AdminApi, holder: PolicyHolder, parent: QWidget | None = None):
        super().__init__(admin, parent)
        self.holder = holder
        self.save_button = QPushButton(translate("PolicyPages", "Save to server"), self)
        self.save_button.setProperty("cssClass", "primary")
        self.save_button.clicked.connect(self.save)

    async def load(self) -> None:
        # The first showing may reuse what the sibling page read; Reload asks again.
        self.fill((await self.holder.get(fresh=self.loaded)).document)

    def fill(self, document: dict[str, Any]) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def changes(self) -> dict[str, Any] | None:  # pragma: no cover - overridden
        """This page's part of the document, or None after showing a local problem."""
        raise NotImplementedError

    def save(self) -> None:
        self.clear_field_errors()
        changes = self.changes()
        if changes is None:
            self.say(
                translate("PolicyPages", "Nothing was saved: correct the marked fields."), "error"
            )
            return

        async def work() -> None:
            saved = await self.holder.save(changes)
            self.fill(saved.document)
            self.say(
                translate("PolicyPages", "Saved on the server (version {version}).").format(
                    version=saved.version
                ),
                "ok",
            )

        self.say(translate("PolicyPages", "Saving…"), "busy")
        self.run(work, on_error=self.save_failed)

    def set_busy(self, busy: bool) -> None:
        self.save_button.setDisabled(busy or not self.loaded)


class SlaPage(PolicyPage):
    def __init__(self, admin: AdminApi, holder: PolicyHolder, parent: QWidget | None = None):
        super().__init__(admin, holder, parent)
        self.setObjectName("slaPage")
        self.save_button.setObjectName("saveSlaButton")
        self.save_button.setAccessibleName(translate("PolicyPages", "Save the SLAs to the server"))
        form = QFormLayout()
        self.amounts: dict[str, QLineEdit] = {}
        self.units: dict[str, QComboBox] = {}
        names = channel_names()
        for channel in Channel:
            amount = QLineEdit(self)
            amount.setObjectName(f"sla_{channel.value}")
            amount.setAccessibleName(
                translate("PolicyPages", "First reply time for {channel}").format(
                    channel=names[channel.value]
                )
            )
            amount.setMaximumWidth(120)
            unit = QComboBox(self)
            unit.setObjectName(f"sla_{channel.value}_unit")
            unit.setAccessibleName(
                translate("PolicyPages", "Unit for {channel}").format(channel=names[channel.value])
            )
            for value, text in unit_names().items():
                unit.addItem(text, value)
            row = QHBoxLayout()
            row.addWidget(amount)
            row.addWidget(unit)
            row.addStretch(1)
            form.addRow(names[channel.value], row)
            error = error_label(
                self,
                f"sla_{channel.value}_error",
                translate("PolicyPages", "Problem with the time for {channel}").format(
                    channel=names[channel.value]
                ),
            )
            form.addRow("", error)
            self.amounts[channel.value] = amount
            self.units[channel.value] = unit
            self.field_errors[channel.value] = error
        self.layout_.addWidget(self.status)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.layout_.addLayout(buttons)
        self.save_button.setEnabled(False)

    def page_title(self) -> str:
        return translate("PolicyPages", "Channel SLAs")

    def page_intro(self) -> str:
        return translate(
            "PolicyPages",
            "How soon a customer must get the first reply on each channel. Conversations "
            "waiting longer appear under “Waiting for our reply” and count against the "
            "team's first-response figures.",
        )

    def field_key(self, field: str) -> str:
        # first_response_sla_seconds.phone → phone
        return field.rsplit(".", 1)[-1] if field.startswith("first_response_sla") else field

    def fill(self, document: dict[str, Any]) -> None:
        slas = document.get("first_response_sla_seconds") or {}
        for channel, amount in self.amounts.items():
            value, unit = best_unit(int(slas.get(channel, 0) or 0))
            amount.setText(str(value))
            self.units[channel].setCurrentIndex(self.units[channel].findData(unit))
        self.save_button.setEnabled(True)

    def changes(self) -> dict[str, Any] | None:
        sizes = dict(UNITS)
        slas: dict[str, int] = {}
        problems: list[tuple[str, str]] = []
        for channel, amount in self.amounts.items():
            text = amount.text().strip()
            if not text:
                problems.append((channel, translate("PolicyPages", "Enter a time.")))
            elif not re.fullmatch(r"\d{1,9}", text):
                problems.append(
                    (channel, translate("PolicyPages", "Enter a whole number, such as 30."))
                )
            else:
                slas[channel] = int(text) * sizes[str(self.units[channel].currentData())]
        if problems:
            self.show_field_errors(problems)
            return None
        return {"first_response_sla_seconds": slas}


class SurveyPolicyPage(PolicyPage):
    def __init__(self, admin: AdminApi, holder: PolicyHolder, parent: QWidget | None = None):
        super().__init__(admin, holder, parent)
        self.setObjectName("surveyPolicyPage")
        self.save_button.setObjectName("savePolicyButton")
        self.save_button.setAccessibleName(translate("PolicyPages", "Save the survey policy"))
        self.layout_.addWidget(self.status)
        self._build_rules()
        form = QFormLayout()
        self.min_days = self._spin("minDaysSpin", 0, 365, translate("PolicyPages", " days"))
        self.min_days.setAccessibleName(translate("PolicyPages", "Days between surveys"))
        self._row(
            form,
            translate("PolicyPages", "Ask a customer at most once in"),
            self.min_days,
            "min_days_between_surveys",
        )
        self.quiet_check = QCheckBox(translate("PolicyPages", "Do not send between"), self)
        self.quiet_check.setObjectName("quietHoursCheck")
        self.quiet_check.setAccessibleName(translate("PolicyPages", "Quiet hours on"))
        self.quiet_start, self.quiet_end = QTimeEdit(self), QTimeEdit(self)
        for edit, name, text in (
            (self.quiet_start, "quietStartEdit", translate("PolicyPages", "Quiet hours start")),
            (self.quiet_end, "quietEndEdit", translate("PolicyPages", "Quiet hours end")),
        ):
            edit.setObjectName(name)
            edit.setAccessibleName(text)
            edit.setDisplayFormat("HH:mm")
        quiet = QHBoxLayout()
        quiet.addWidget(self.quiet_check)
        quiet.addWidget(self.quiet_start)
        quiet.addWidget(QLabel(translate("PolicyPages", "and"), self))
        quiet.addWidget(self.quiet_end)
        quiet.addWidget(QLabel(translate("PolicyPages", "(customer's local time)"), self))
        quiet.addStretch(1)
        self._row(form, translate("PolicyPages", "Quiet hours"), quiet, "quiet_hours")
        self.language_checks: dict[str, QCheckBox] = {}
        languages = QHBoxLayout()
        for code, text in (("ru", "Русский"), ("en", "English")):
            check = QCheckBox(text, self)
            check.setObjectName(f"language_{code}")
            check.setAccessibleName(
                translate("PolicyPages", "Surveys in {language}").format(language=text)
            )
            self.language_checks[code] = check
            languages.addWidget(check)
        self.default_language = QComboBox(self)
        self.default_language.setObjectName("defaultLanguageCombo")
        self.default_language.setAccessibleName(translate("PolicyPages", "Default survey language"))
        self.default_language.addItem("Русский", "ru")
        self.default_language.addItem("English", "en")
        languages.addWidget(QLabel(translate("PolicyPages", "otherwise"), self))
        languages.addWidget(self.default_language)
        languages.addStretch(1)
        self._row(form, translate("PolicyPages", "Languages"), languages, "languages")
        self.field_errors["default_language"] = self.field_errors["languages"]
        self.link_days = self._spin("linkDaysSpin", 1, 90, translate("PolicyPages", " days"))
        self.link_days.setAccessibleName(translate("PolicyPages", "Survey link valid for"))
        self._row(
            form,
            translate("PolicyPages", "Survey link works for"),
            self.link_days,
            "link_valid_days",
        )
        self.reminder = self._spin("reminderSpin", 0, 14 * 24, translate("PolicyPages", " h"))
        self.reminder.setSpecialValueText(translate("PolicyPages", "No reminder"))
        self.reminder.setAccessibleName(translate("PolicyPages", "Reminder after hours"))
        self._row(
            form, translate("PolicyPages", "Remind after"), self.reminder, "reminder_after_hours"
        )
        thresholds = QHBoxLayout()
        self.low: dict[str, QSpinBox] = {}
        for kind, low, high in (("csat", 1, 5), ("nps", 0, 10), ("ces", 1, 7)):
            spin = self._spin(f"low_{kind}", low, high, "")
            spin.setMinimumWidth(64)
            spin.setAccessibleName(
                translate("PolicyPages", "Low {kind} score at or below").format(kind=kind.upper())
            )
            thresholds.addWidget(QLabel(kind.upper(), self))
            thresholds.addWidget(spin)
            self.low[kind] = spin
        thresholds.addStretch(1)
        self._row(
            form, translate("PolicyPages", "Review case when score ≤"), thresholds, "low_score"
        )
        limits = QHBoxLayout()
        self.limits: dict[str, QLineEdit] = {}
        for role, text in (
            ("supervisor", translate("PolicyPages", "Supervisor")),
            ("admin", translate("PolicyPages", "Admin")),
        ):
            amount = QLineEdit(self)
            amount.setObjectName(f"limit_{role}")
            amount.setAccessibleName(
                translate("PolicyPages", "Compensation limit for {role}").format(role=text)
            )
            amount.setMaximumWidth(110)
            limits.addWidget(QLabel(text, self))
            limits.addWidget(amount)
            self.limits[role] = amount
        limits.addStretch(1)
        self._row(
            form, translate("PolicyPages", "Compensation up to"), limits, "compensation_limits"
        )
        self.fcr_days = self._spin("fcrDaysSpin", 1, 90, translate("PolicyPages", " days"))
        self.fcr_days.setAccessibleName(translate("PolicyPages", "First-contact resolution window"))
        self._row(
            form,
            translate("PolicyPages", "Resolved at first contact if no new contact in"),
            self.fcr_days,
            "fcr_window_days",
        )
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.layout_.addLayout(buttons)
        self.save_button.setEnabled(False)

    def page_title(self) -> str:
        return translate("PolicyPages", "Survey policy")

    def page_intro(self) -> str:
        return translate(
            "PolicyPages",
            "When customers are asked how it went, how often, and which answers open a "
            "review case for a supervisor. The first rule that fits a conversation wins.",
        )

    # -- building --------------------------------------------------------------------------

    def _spin(self, name: str, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setMinimumWidth(110)
        spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return spin

    def _row(self, form: QFormLayout, label: str, field: Any, key: str) -> None:
        form.addRow(label, field)
        error = error_label(
            self,
            f"{key}_error",
            translate("PolicyPages", "Problem with {field}").format(field=label),
        )
        form.addRow("", error)
        self.field_errors[key] = error

    def _build_rules(self) -> None:
        self.rules = QTableWidget(0, 4, self)
        self.rules.setObjectName("surveyRulesTable")
        self.rules.setAccessibleName(translate("PolicyPages", "Survey rules"))
        self.rules.setHorizontalHeaderLabels(
            [
                translate("PolicyPages", "Survey"),
                translate("PolicyPages", "Channels"),
                translate("PolicyPages", "Topics containing (empty: all)"),
                translate("PolicyPages", "Delay, min"),
            ]
        )
        self.rules.verticalHeader().setVisible(False)
        self.rules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.rules.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.rules.setMaximumHeight(170)
        add = QPushButton(translate("PolicyPages", "Add rule"), self)
        add.setObjectName("addSurveyRuleButton")
        add.setAccessibleName(translate("PolicyPages", "Add a survey rule"))
        add.clicked.connect(lambda: self.add_rule({"kind": "csat"}))
        remove = QPushButton(translate("PolicyPages", "Remove rule"), self)
        remove.setObjectName("removeSurveyRuleButton")
        remove.setAccessibleName(translate("PolicyPages", "Remove the selected survey rule"))
        remove.clicked.connect(self.remove_rule)
        row = QHBoxLayout()
        row.addWidget(QLabel(translate("PolicyPages", "Rules"), self))
        row.addStretch(1)
        row.addWidget(add)
        row.addWidget(remove)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.rules)
        self.field_errors["rules"] = error_label(
            self, "rules_error", translate("PolicyPages", "Problem with the rules")
        )
        self.layout_.addWidget(self.field_errors["rules"])

    def add_rule(self, rule: dict[str, Any]) -> None:
        row = self.rules.rowCount()
        self.rules.insertRow(row)
        kind = QComboBox(self.rules)
        kind.setAccessibleName(
            translate("PolicyPages", "Survey kind of rule {n}").format(n=row + 1)
        )
        for value, text in kind_names().items():
            kind.addItem(text, value)
        kind.setCurrentIndex(max(0, kind.findData(rule.get("kind", "csat"))))
        channels = ChannelPicker(self.rules)
        channels.set_channels(list(rule.get("channels") or []))
        channels.setAccessibleName(
            translate("PolicyPages", "Channels of rule {n}").format(n=row + 1)
        )
        topics = QLineEdit(", ".join(rule.get("topics") or []), self.rules)
        topics.setAccessibleName(translate("PolicyPages", "Topics of rule {n}").format(n=row + 1))
        topics.setPlaceholderText(translate("PolicyPages", "any topic"))
        delay = QSpinBox(self.rules)
        delay.setRange(0, 7 * 24 * 60)
        delay.setValue(int(rule.get("delay_minutes", 0) or 0))
        delay.setAccessibleName(
            translate("PolicyPages", "Delay of rule {n} in minutes").format(n=row + 1)
        )
        for column, widget in enumerate((kind, channels, topics, delay)):
            self.rules.setCellWidget(row, column, widget)

    def remove_rule(self) -> None:
        rows = sorted({i.row() for i in self.rules.selectionModel().selectedRows()}, reverse=True)
        for row in rows or ([self.rules.rowCount() - 1] if self.rules.rowCount() else []):
            self.rules.removeRow(row)

    # -- values ----------------------------------------------------------------------------

    def field_key(self, field: str) -> str:
        head = field.split(".", 1)[0]
        return head if head in self.field_errors else field

    def show_field_errors(self, errors: list[tuple[str, str]]) -> list[tuple[str, str]]:
        # "rules.1.channels.0" → "Rule 2, channels: …" under the rules table.
        shaped = []
        for field, message in errors:
            parts = field.split(".")
            if parts[0] == "rules" and len(parts) > 2 and parts[1].isdigit():
                message = translate("PolicyPages", "Rule {n}, {what}: {message}").format(
                    n=int(parts[1]) + 1, what=parts[2], message=message
                )
            shaped.append((field, message))
        return super().show_field_errors(shaped)

    def fill(self, document: dict[str, Any]) -> None:
        self.rules.setRowCount(0)
        for rule in document.get("rules") or []:
            self.add_rule(rule)
        self.min_days.setValue(int(document.get("min_days_between_surveys", 30)))
        quiet = document.get("quiet_hours")
        self.quiet_check.setChecked(quiet is not None)
        quiet = quiet or {"start": "21:00", "end": "09:00"}
        self.quiet_start.setTime(QTime.fromString(str(quiet.get("start")), "HH:mm"))
        self.quiet_end.setTime(QTime.fromString(str(quiet.get("end")), "HH:mm"))
        languages = document.get("languages") or []
        for code, check in self.language_checks.items():
            check.setChecked(code in languages)
        self.default_language.setCurrentIndex(
            max(0, self.default_language.findData(document.get("default_language", "ru")))
        )
        self.link_days.setValue(int(document.get("link_valid_days", 7)))
        self.reminder.setValue(int(document.get("reminder_after_hours") or 0))
        low = document.get("low_score") or {}
        for kind, spin in self.low.items():
            spin.setValue(int(low.get(kind, spin.minimum())))
        limits = document.get("compensation_limits") or {}
        for role, edit in self.limits.items():
            edit.setText(str(limits.get(role, "")))
        self.fcr_days.setValue(int(document.get("fcr_window_days", 7)))
        self.save_button.setEnabled(True)

    def _rules(self) -> list[dict[str, Any]]:
        rules = []
        for row in range(self.rules.rowCount()):
            kind, channels, topics, delay = (self.rules.cellWidget(row, c) for c in range(4))
            assert isinstance(kind, QComboBox) and isinstance(delay, QSpinBox)
            assert isinstance(channels, ChannelPicker) and isinstance(topics, QLineEdit)
            rules.append(
                {
                    "kind": kind.currentData(),
                    "channels": channels.channels(),
                    "topics": [t.strip() for t in topics.text().split(",") if t.strip()],
                    "delay_minutes": delay.value(),
                }
            )
        return rules

    def changes(self) -> dict[str, Any] | None:
        problems: list[tuple[str, str]] = []
        limits: dict[str, str] = {}
        for role, edit in self.limits.items():
            text = edit.text().strip().replace(",", ".").replace(" ", "")
            try:
                Decimal(text)
            except InvalidOperation:
                problems.append(
                    (
                        "compensation_limits",
                        translate("PolicyPages", "Enter an amount, such as 1000.00."),
                    )
                )
            limits[role] = text
        if problems:
            self.show_field_errors(problems)
            return None
        quiet = (
            {
                "start": self.quiet_start.time().toString("HH:mm"),
                "end": self.quiet_end.time().toString("HH:mm"),
            }
            if self.quiet_check.isChecked()
            else None
        )
        return {
            "rules": self._rules(),
            "min_days_between_surveys": self.min_days.value(),
            "quiet_hours": quiet,
            "languages": [
                code for code, check in self.language_checks.items() if check.isChecked()
            ],
            "default_language": self.default_language.currentData(),
            "link_valid_days": self.link_days.value(),
            "reminder_after_hours": self.reminder.value() or None,
            "low_score": {kind: spin.value() for kind, spin in self.low.items()},
            "compensation_limits": limits,
            "fcr_window_days": self.fcr_days.value(),
        }
