"""Under the composer: "Resolve and ask" and, on calls, the score the customer said aloud.

One key (Ctrl+Shift+A) resolves the chosen conversation and queues the policy's survey
for its channel; the arrow beside the button picks the kind instead. On a phone call the
operator asks the question out loud and records the answer with one click on its score.
The widget only emits signals; the window queues them in the outbox (works offline).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from operator_app.domain.enums import Channel, SurveyKind
from operator_app.domain.metrics import SCORE_RANGES
from operator_app.gui.i18n import translate

RESOLVE_AND_ASK_KEYS = "Ctrl+Shift+A"
KIND_LABELS = {SurveyKind.CSAT: "CSAT", SurveyKind.NPS: "NPS", SurveyKind.CES: "CES"}
SPOKEN_CHANNELS = frozenset({Channel.PHONE.value})


def scale_hint(kind: SurveyKind) -> str:
    if kind is SurveyKind.CSAT:
        return translate("SurveyActions", "How satisfied were you? 1 = very bad, 5 = very good")
    if kind is SurveyKind.NPS:
        return translate("SurveyActions", "Would you recommend us? 0 = not at all, 10 = surely")
    return translate("SurveyActions", "How easy was it? 1 = very hard, 7 = very easy")


class SurveyActions(QWidget):
    ask_requested = Signal(object, object, bool)  # conversation id, kind|None, resolve
    score_said = Signal(object, str, int)  # conversation id, kind, score

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surveyActions")
        self._conversation: uuid.UUID | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)

        self.ask_button = QPushButton()
        self.ask_button.setObjectName("resolveAndAsk")
        self.ask_button.setProperty("cssClass", "primary")
        self.ask_button.clicked.connect(lambda: self.ask(None))
        self.kind_button = QToolButton()
        self.kind_button.setObjectName("surveyKindButton")
        self.kind_button.setText("▾")
        self.kind_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.kind_button)
        menu.setObjectName("surveyKindMenu")
        self.kind_actions: dict[SurveyKind, QAction] = {}
        for kind in KIND_LABELS:
            action = menu.addAction("")
            action.triggered.connect(lambda _c=False, k=kind: self.ask(k))
            self.kind_actions[kind] = action
        menu.addSeparator()
        self.ask_only_action = menu.addAction("")
        self.ask_only_action.triggered.connect(lambda: self.ask(None, resolve=False))
        self.kind_button.setMenu(menu)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.ask_button, 1)
        row.addWidget(self.kind_button)
        layout.addLayout(row)

        self.spoken = QWidget()
        self.spoken.setObjectName("spokenScore")
        spoken = QVBoxLayout(self.spoken)
        spoken.setContentsMargins(0, 0, 0, 0)
        spoken.setSpacing(4)
        head = QHBoxLayout()
        self.spoken_title = QLabel()
        self.spoken_title.setProperty("cssClass", "caption")
        head.addWidget(self.spoken_title, 1)
        self.kind_combo = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind.value)
        self.kind_combo.currentIndexChanged.connect(self._build_scores)
        head.addWidget(self.kind_combo)
        spoken.addLayout(head)
        self.hint = QLabel()
        self.hint.setProperty("cssClass", "caption")
        self.hint.setWordWrap(True)
        spoken.addWidget(self.hint)
        self.scores = QGridLayout()
        self.scores.setHorizontalSpacing(4)
        self.scores.setVerticalSpacing(4)
        spoken.addLayout(self.scores)
        self.score_buttons: list[QPushButton] = []
        layout.addWidget(self.spoken)
        self.retranslate()
        self.set_conversation(None, None)

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        self.ask_button.setText(translate("SurveyActions", "Resolve and ask"))
        self.ask_button.setToolTip(
            translate(
                "SurveyActions",
                "Resolve the conversation and send the customer the policy's quick survey "
                "in their channel ({keys})",
            ).format(keys=RESOLVE_AND_ASK_KEYS)
        )
        self.ask_button.setAccessibleName(translate("SurveyActions", "Resolve and ask"))
        self.kind_button.setAccessibleName(translate("SurveyActions", "Choose the survey kind"))
        self.kind_button.setToolTip(
            translate("SurveyActions", "Resolve and ask CSAT, NPS or CES, or ask only")
        )
        for kind, action in self.kind_actions.items():
            label = KIND_LABELS[kind]
            action.setText(translate("SurveyActions", "Resolve and ask {kind}").format(kind=label))
            action.setToolTip(scale_hint(kind))
        self.ask_only_action.setText(
            translate("SurveyActions", "Ask without resolving (policy's kind)")
        )
        self.spoken_title.setText(translate("SurveyActions", "Score said on the call"))
        self.kind_combo.setAccessibleName(translate("SurveyActions", "Kind of score said aloud"))
        self._build_scores()  # their names and the scale's hint

    # -- what the composer calls ------------------------------------------------------

    def set_conversation(self, conversation_id: uuid.UUID | None, channel: str | None) -> None:
        self._conversation = conversation_id
        self.ask_button.setEnabled(conversation_id is not None)
        self.kind_button.setEnabled(conversation_id is not None)
        self.spoken.setVisible(conversation_id is not None and channel in SPOKEN_CHANNELS)

    def ask(self, kind: SurveyKind | None, *, resolve: bool = True) -> None:
        if self._conversation is not None and self.isEnabled():
            self.ask_requested.emit(self._conversation, kind.value if kind else None, resolve)

    def current_kind(self) -> SurveyKind:
        return SurveyKind(self.kind_combo.currentData())

    # -- the score buttons ---------------------------------------------------------------

    def _build_scores(self) -> None:
        for button in self.score_buttons:
            self.scores.removeWidget(button)
            button.deleteLater()
        self.score_buttons = []
        kind = self.current_kind()
        self.hint.setText(scale_hint(kind))
        low, high = SCORE_RANGES[kind]
        per_row = 6 if high - low + 1 > 7 else high - low + 1
        for index, score in enumerate(range(low, high + 1)):
            button = QPushButton(str(score))
            button.setObjectName(f"spokenScore{score}")
            button.setProperty("cssClass", "scoreButton")
            button.setAccessibleName(
                translate("SurveyActions", "Record {kind} score {score}").format(
                    kind=KIND_LABELS[kind], score=score
                )
            )
            button.setToolTip(button.accessibleName())
            button.setMinimumWidth(28)
            button.clicked.connect(lambda _c=False, s=score: self._said(s))
            self.scores.addWidget(button, index // per_row, index % per_row)
            self.score_buttons.append(button)

    def _said(self, score: int) -> None:
        if self._conversation is not None and self.isEnabled():
            self.score_said.emit(self._conversation, self.current_kind().value, score)
