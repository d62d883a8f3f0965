"""One review case: what the customer said, the supervisor's actions, the case's history.

Actions go to ``POST /review-cases/{id}/actions`` on the qasync loop (never blocking the
window) with the case's ``base_version``, so an action that did reach the server is
never done twice. Refusals (over the approval limit, a resolved case) are shown next to
the field they are about; offline, the panel says so and keeps everything typed.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from operator_app.api import ApiClient, ApiError
from operator_app.api.errors import NetworkError
from operator_app.cache.review_queue import ReviewQueueItem
from operator_app.domain.enums import ReviewStatus
from operator_app.domain.review_rules import CompensationType, ReviewOutcome
from operator_app.gui.i18n import translate
from operator_app.gui.supervisor.queue_model import score_text, status_name
from operator_app.gui.widgets.formatting import MomentFormatter, channel_name, display_locale
from operator_app.gui.widgets.styling import set_style_property

ApiProvider = Callable[[], ApiClient | None]


def compensation_name(kind: str) -> str:
    names = {
        CompensationType.DISCOUNT: translate("ReviewCase", "Discount"),
        CompensationType.REFUND: translate("ReviewCase", "Refund"),
        CompensationType.GIFT: translate("ReviewCase", "Gift"),
        CompensationType.BONUS_POINTS: translate("ReviewCase", "Bonus points"),
    }
    known = {k.value: k for k in CompensationType}
    return names[known[kind]] if kind in known else kind


def outcome_name(outcome: str) -> str:
    names = {
        ReviewOutcome.RECOVERED: translate("ReviewCase", "Recovered: the customer is happy again"),
        ReviewOutcome.NOT_RECOVERED: translate("ReviewCase", "Not recovered"),
        ReviewOutcome.UNREACHABLE: translate("ReviewCase", "Customer unreachable"),
        ReviewOutcome.NO_ACTION_NEEDED: translate("ReviewCase", "No action needed"),
    }
    known = {o.value: o for o in ReviewOutcome}
    return names[known[outcome]] if outcome in known else outcome


def action_words(entry: dict[str, Any]) -> str:
    """One history line's "what happened", in words."""
    action = str(entry.get("action", ""))
    if action == "opened":
        return translate("ReviewCase", "Opened by a low score ({score})").format(
            score=score_text(str(entry.get("kind", "")), entry.get("score"))
        )
    if action == "assign":
        return translate("ReviewCase", "Assigned to {who}").format(who=entry.get("assignee", ""))
    if action == "plan_callback":
        return translate("ReviewCase", "Call back planned")
    if action == "compensate":
        given = entry.get("compensation") or {}
        amount = display_locale().toString(float(given.get("amount", 0) or 0), "f", 2)
        return translate("ReviewCase", "Compensation: {kind}, {amount} {currency}").format(
            kind=compensation_name(str(given.get("type", ""))),
            amount=amount,
            currency=given.get("currency", ""),
        )
    if action == "resolve":
        return translate("ReviewCase", "Resolved: {outcome}").format(
            outcome=outcome_name(str(entry.get("outcome", "")))
        )
    if action == "send_followup_survey":
        return translate("ReviewCase", "Follow-up survey sent")
    if action == "note":
        return translate("ReviewCase", "Note")
    return action.replace("_", " ")


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("cssClass", "sectionTitle")
    return label


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("cssClass", "fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class CaseDetailPanel(QFrame):
    open_customer_requested = Signal(object)  # customer id
    acted = Signal(object)  # case id, after the server accepted an action

    def __init__(self, api: ApiProvider, user: Callable[[], str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCasePanel")
        self.setProperty("cssClass", "card")
        self._api = api
        self._user = user
        self._item: ReviewQueueItem | None = None
        self._version = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)

        self.name_label = QLabel()
        self.name_label.setProperty("cssClass", "customerName")
        self.name_label.setObjectName("reviewCustomer")
        layout.addWidget(self.name_label)
        self.summary_label = QLabel()
        self.summary_label.setProperty("cssClass", "muted")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.comment_label = QLabel()
        self.comment_label.setObjectName("reviewComment")
        self.comment_label.setWordWrap(True)
        self.comment_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.comment_label)

        buttons = QHBoxLayout()
        self.assign_button = QPushButton()
        self.assign_button.setProperty("cssClass", "primary")
        self.open_button = QPushButton()
        self.call_button = QPushButton()
        for button in (self.assign_button, self.open_button, self.call_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.compensation_title = _section("")
        layout.addWidget(self.compensation_title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.compensation_type = QComboBox()
        self.compensation_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for kind in CompensationType:
            self.compensation_type.addItem("", kind.value)
        self.amount_edit = QDoubleSpinBox()
        self.amount_edit.setObjectName("compensationAmount")
        self.amount_edit.setRange(0, 10_000_000)
        self.amount_edit.setDecimals(2)
        self.amount_edit.setGroupSeparatorShown(True)
        self.amount_error = _error_label("compensationError")
        self.compensation_note = QLineEdit()
        self.grant_button = QPushButton()
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.compensation_type)
        amount_row.addWidget(self.amount_edit, 1)
        amount_row.addWidget(self.grant_button)
        amount_box = QVBoxLayout()
        amount_box.setSpacing(4)
        amount_box.addLayout(amount_row)
        amount_box.addWidget(self.amount_error)  # the server's refusal, beside the amount
        self.amount_caption = QLabel()
        self.note_caption = QLabel()
        form.addRow(self.amount_caption, amount_box)
        form.addRow(self.note_caption, self.compensation_note)
        layout.addLayout(form)

        self.resolve_title = _section("")
        layout.addWidget(self.resolve_title)
        self.outcome_combo = QComboBox()
        for outcome in ReviewOutcome:
            self.outcome_combo.addItem("", outcome.value)
        self.resolve_note = QPlainTextEdit()
        self.resolve_note.setObjectName("resolveNote")
        self.resolve_note.setTabChangesFocus(True)
        self.resolve_note.setFixedHeight(64)
        self.followup_check = QCheckBox()
        self.resolve_button = QPushButton()
        self.resolve_error = _error_label("resolveError")
        layout.addWidget(self.outcome_combo)
        layout.addWidget(self.resolve_note)
        resolve_row = QHBoxLayout()
        resolve_row.addWidget(self.followup_check, 1)
        resolve_row.addWidget(self.resolve_button)
        layout.addLayout(resolve_row)
        layout.addWidget(self.resolve_error)

        self.history_title = _section("")
        layout.addWidget(self.history_title)
        self.history = QListWidget()
        self.history.setObjectName("reviewHistory")
        self.history.setWordWrap(True)
        self.history.setSpacing(3)
        self.history.setMinimumHeight(90)
        layout.addWidget(self.history, 1)
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        self.assign_button.clicked.connect(self.assign_to_me)
        self.open_button.clicked.connect(self._open_customer)
        self.call_button.clicked.connect(self.call_back)
        self.grant_button.clicked.connect(self.grant)
        self.resolve_button.clicked.connect(self.resolve)
        self.retranslate()
        self.show_case(None)

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes); what
        was typed and chosen stays."""
        for button, text in (
            (self.assign_button, translate("ReviewCase", "Assign to me")),
            (self.open_button, translate("ReviewCase", "Open customer card")),
            (self.call_button, translate("ReviewCase", "Call back")),
            (self.resolve_button, translate("ReviewCase", "Resolve case")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
        self.open_button.setToolTip(
            translate("ReviewCase", "The customer's card and whole conversation in the timeline")
        )
        self.compensation_title.setText(translate("ReviewCase", "Compensation"))
        self.compensation_type.setAccessibleName(translate("ReviewCase", "Kind of compensation"))
        for index, kind in enumerate(CompensationType):
            self.compensation_type.setItemText(index, compensation_name(kind.value))
        self.amount_edit.setAccessibleName(translate("ReviewCase", "Compensation amount"))
        self.amount_edit.setLocale(display_locale())
        self.compensation_note.setAccessibleName(translate("ReviewCase", "Compensation note"))
        self.compensation_note.setPlaceholderText(translate("ReviewCase", "Why, for the record"))
        self.grant_button.setText(translate("ReviewCase", "Grant"))
        self.grant_button.setAccessibleName(translate("ReviewCase", "Grant compensation"))
        self.amount_caption.setText(translate("ReviewCase", "Amount"))
        self.note_caption.setText(translate("ReviewCase", "Note"))
        self.resolve_title.setText(translate("ReviewCase", "Resolve"))
        self.outcome_combo.setAccessibleName(translate("ReviewCase", "Outcome"))
        for index, outcome in enumerate(ReviewOutcome):
            self.outcome_combo.setItemText(index, outcome_name(outcome.value))
        self.resolve_note.setAccessibleName(translate("ReviewCase", "Resolution note"))
        self.resolve_note.setPlaceholderText(translate("ReviewCase", "What was done and agreed"))
        self.followup_check.setText(translate("ReviewCase", "Send a follow-up survey"))
        self.followup_check.setAccessibleName(self.followup_check.text())
        self.history_title.setText(translate("ReviewCase", "History"))
        self.history.setAccessibleName(translate("ReviewCase", "Case history"))
        self._show_texts(self._item)

    # -- showing a case ---------------------------------------------------------------

    @property
    def case(self) -> ReviewQueueItem | None:
        return self._item

    def show_case(self, item: ReviewQueueItem | None) -> None:
        current = self._item
        same = item is not None and current is not None and item.id == current.id
        if same and item is not None and current is not None and current.version > item.version:
            # The server answered our action before the cache caught up: keep the newer.
            item = current
        self._item = item
        if not same:
            self._clear_feedback()
        self._version = item.version if item is not None else 0
        for widget in self.findChildren(QWidget):
            widget.setEnabled(item is not None)
        self._show_texts(item)
        if item is None:
            return
        self.call_button.setEnabled(bool(item.phones))
        resolved = item.status.value == "resolved"
        for widget in (self.grant_button, self.resolve_button, self.assign_button):
            widget.setEnabled(not resolved)
        self.assign_button.setEnabled(not resolved and item.assignee != self._user())

    def _show_texts(self, item: ReviewQueueItem | None) -> None:
        """The case's own lines, in the interface language."""
        if item is None:
            self.name_label.setText(translate("ReviewCase", "No case chosen"))
            self.summary_label.setText(
                translate("ReviewCase", "Choose a case in the queue to work on it.")
            )
            self.comment_label.clear()
            self.history.clear()
            return
        self.name_label.setText(item.customer_name)
        parts = [
            score_text(item.kind, item.score),
            channel_name(item.channel) if item.channel else "",
            item.topic,
            translate("ReviewCase", "handled by {who}").format(who=item.operator)
            if item.operator
            else "",
            status_name(item.status.value),
        ]
        if item.assignee:
            parts.append(translate("ReviewCase", "assigned to {who}").format(who=item.assignee))
        self.summary_label.setText(" · ".join(p for p in parts if p))
        self.comment_label.setText(
            f"“{item.comment}”" if item.comment else translate("ReviewCase", "No comment.")
        )
        self.call_button.setToolTip(
            translate("ReviewCase", "Show the card and dial {phone}").format(phone=item.phones[0])
            if item.phones
            else translate("ReviewCase", "No phone number on the card")
        )
        self._show_history(item.actions)

    def _show_history(self, actions: tuple[dict[str, Any], ...] | list[Any]) -> None:
        self.history.clear()
        moments = MomentFormatter()
        for entry in reversed(list(actions)):
            when = str(entry.get("at", ""))
            try:
                stamp = moments.format(datetime.fromisoformat(when.replace("Z", "+00:00")))
            except ValueError:
                stamp = when
            line = f"{stamp} · {entry.get('actor', '')} · {action_words(entry)}"
            note = str(entry.get("note") or "")
            QListWidgetItem(f"{line}\n    {note}" if note else line, self.history)

    # -- actions ---------------------------------------------------------------------

    def assign_to_me(self) -> None:
        self._act({"action": "assign"}, self.resolve_error)

    def grant(self) -> None:
        amount = Decimal(str(round(self.amount_edit.value(), 2)))
        if amount <= 0:
            self._show_error(
                self.amount_error, translate("ReviewCase", "Enter an amount above zero.")
            )
            return
        body = {
            "action": "compensate",
            "type": self.compensation_type.currentData(),
            "amount": f"{amount:.2f}",
            "note": self.compensation_note.text().strip(),
        }
        self._act(body, self.amount_error, clear=(self.compensation_note,))

    def resolve(self) -> None:
        body = {
            "action": "resolve",
            "outcome": self.outcome_combo.currentData(),
            "note": self.resolve_note.toPlainText().strip(),
        }
        followup = self.followup_check.isChecked()
        self._act(body, self.resolve_error, clear=(self.resolve_note,), then_followup=followup)

    def call_back(self) -> None:
        item = self._item
        if item is None or not item.phones:
            return
        self.open_customer_requested.emit(item.customer_id)  # the screen pop
        QDesktopServices.openUrl(QUrl(f"tel:{item.phones[0]}"))

    def _open_customer(self) -> None:
        if self._item is not None:
            self.open_customer_requested.emit(self._item.customer_id)

    def _act(
        self,
        body: dict[str, Any],
        error_label: QLabel,
        *,
        clear: tuple[QLineEdit | QPlainTextEdit, ...] = (),
        then_followup: bool = False,
    ) -> None:
        item = self._item
        if item is None:
            return
        self._clear_feedback()
        api = self._api()
        if api is None:
            self._say(
                translate(
                    "ReviewCase",
                    "Not signed in to a server: review actions need the server. "
                    "Everything you typed is kept.",
                ),
                "offline",
            )
            return
        task = asyncio.ensure_future(
            self._send(api, item.id, body, error_label, clear, then_followup)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(
        self,
        api: ApiClient,
        case_id: uuid.UUID,
        body: dict[str, Any],
        error_label: QLabel,
        clear: tuple[QLineEdit | QPlainTextEdit, ...],
        then_followup: bool,
    ) -> None:
        self.setEnabled(False)
        try:
            result = await api.review_action(case_id, {**body, "base_version": self._version})
            self._accepted(case_id, result)
            if then_followup:
                result = await api.review_action(
                    case_id, {"action": "send_followup_survey", "base_version": self._version}
                )
                self._accepted(case_id, result)
        except NetworkError:
            self._say(
                translate(
                    "ReviewCase",
                    "The server cannot be reached, so the action was not done. Everything "
                    "you typed is kept; try again when the connection is back.",
                ),
                "offline",
            )
            return
        except ApiError as exc:
            self._show_error(error_label, exc.detail or str(exc))
            return
        finally:
            self.setEnabled(True)
            if self._item is not None:
                self.show_case(self._item)  # enabled states follow the case again
        for field in clear:
            field.clear()
        if body["action"] == "compensate":
            self.amount_edit.setValue(0)

    def _accepted(self, case_id: uuid.UUID, result: dict[str, Any]) -> None:
        case = result.get("case") or {}
        version = case.get("version")
        if isinstance(version, int):
            self._version = version
        item = self._item
        if item is not None and item.id == case_id:
            self._item = replace(
                item,
                status=ReviewStatus(case.get("status", item.status.value)),
                assignee=case.get("assignee", item.assignee),
                version=self._version,
                actions=tuple(case.get("actions") or item.actions),
            )
            self.show_case(self._item)
        self._say(
            translate("ReviewCase", "Done: {what}.").format(
                what=action_words(result.get("entry") or {})
            ),
            "online",
        )
        self.acted.emit(case_id)

    # -- feedback --------------------------------------------------------------------

    def _show_error(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()

    def _say(self, text: str, state: str) -> None:
        self.message.setText(text)
        set_style_property(self.message, "state", state)
        self.message.show()

    def _clear_feedback(self) -> None:
        for label in (self.amount_error, self.resolve_error, self.message):
            label.clear()
            label.hide()
