"""Upsell rules: the list, an editor (create, edit, disable), and a preview of whom it reaches.

The server checks a rule exactly as the offer engine reads it; "Check and preview" sends
the draft without storing it, so an admin sees the faults and the audience before saving.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
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

from operator_app.api.admin import AdminApi, RuleInfo
from operator_app.domain.enums import Tier
from operator_app.gui.i18n import translate
from operator_app.gui.settings_admin.base import AdminPage, error_label
from operator_app.gui.settings_admin.channel_picker import ChannelPicker
from operator_app.services.catalog import ProductChoice

ProductLoader = Callable[[Callable[[list[ProductChoice]], None]], None]
UUID_TEXT = re.compile(r"^[0-9a-fA-F-]{36}$")


def _words(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class RulesPage(AdminPage):
    def __init__(
        self,
        admin: AdminApi,
        load_products: ProductLoader | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(admin, parent)
        self.setObjectName("upsellRulesPage")
        self.rules: list[RuleInfo] = []
        self.editing: RuleInfo | None = None
        self.load_products = load_products
        self.layout_.addWidget(self.status)
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.list = QListWidget(self)
        self.list.setObjectName("upsellRulesList")
        self.list.setAccessibleName(translate("RulesPage", "Upsell rules"))
        self.list.currentRowChanged.connect(self._on_current)
        self.new_button = QPushButton(translate("RulesPage", "New rule"), self)
        self.new_button.setObjectName("newRuleButton")
        self.new_button.setAccessibleName(translate("RulesPage", "Start a new rule"))
        self.new_button.clicked.connect(self.start_new)
        self.empty_hint = QLabel(
            translate("RulesPage", "No rules yet. Fill in the form on the right and save it."),
            self,
        )
        self.empty_hint.setObjectName("noRulesHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setProperty("cssClass", "muted")
        left.addWidget(self.empty_hint)
        left.addWidget(self.list, 1)
        left.addWidget(self.new_button)
        body.addLayout(left, 2)
        body.addWidget(self._editor(), 5)
        self.layout_.addLayout(body, 1)
        self.start_new()

    def page_title(self) -> str:
        return translate("RulesPage", "Upsell rules")

    def page_intro(self) -> str:
        return translate(
            "RulesPage",
            "Which product operators are prompted to offer, to whom, and why. Rules reach "
            "every operator's app with the next sync. Disabled rules stay in the list so "
            "past offers keep their meaning.",
        )

    # -- building --------------------------------------------------------------------------

    def _editor(self) -> QGroupBox:
        box = QGroupBox(translate("RulesPage", "Rule"), self)
        self.editor_box = box
        form = QFormLayout(box)

        def add(label: str, widget: Any, key: str, accessible: str) -> None:
            form.addRow(label, widget)
            error = error_label(box, f"rule_{key}_error", accessible)
            form.addRow("", error)
            self.field_errors[key] = error

        self.name_edit = QLineEdit(box)
        self.name_edit.setObjectName("ruleNameEdit")
        self.name_edit.setAccessibleName(translate("RulesPage", "Rule name"))
        add(
            translate("RulesPage", "Name"),
            self.name_edit,
            "name",
            translate("RulesPage", "Problem with the name"),
        )
        self.enabled_check = QCheckBox(translate("RulesPage", "In use"), box)
        self.enabled_check.setObjectName("ruleEnabledCheck")
        self.enabled_check.setAccessibleName(translate("RulesPage", "Rule in use"))
        form.addRow("", self.enabled_check)
        self.product_combo = QComboBox(box)
        self.product_combo.setObjectName("ruleProductCombo")
        self.product_combo.setAccessibleName(translate("RulesPage", "Product to offer"))
        self.product_combo.setEditable(True)
        self.product_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.product_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(translate("RulesPage", "Choose a product"))
        add(
            translate("RulesPage", "Offer"),
            self.product_combo,
            "offer_product_id",
            translate("RulesPage", "Problem with the product"),
        )
        self.reason_edit = QLineEdit(box)
        self.reason_edit.setObjectName("ruleReasonEdit")
        self.reason_edit.setAccessibleName(translate("RulesPage", "Reason shown to the operator"))
        self.reason_edit.setPlaceholderText(
            translate("RulesPage", "One line, e.g. “Router owners: mesh extender”")
        )
        add(
            translate("RulesPage", "Reason"),
            self.reason_edit,
            "reason",
            translate("RulesPage", "Problem with the reason"),
        )
        self.script_edit = QPlainTextEdit(box)
        self.script_edit.setObjectName("ruleScriptEdit")
        self.script_edit.setAccessibleName(translate("RulesPage", "What the operator may say"))
        self.script_edit.setTabChangesFocus(True)
        self.script_edit.setMaximumHeight(64)
        add(
            translate("RulesPage", "Script"),
            self.script_edit,
            "script",
            translate("RulesPage", "Problem with the script"),
        )
        self.tier_checks: dict[str, QCheckBox] = {}
        tiers = QHBoxLayout()
        for tier in Tier:
            check = QCheckBox(tier.value.capitalize(), box)
            check.setObjectName(f"ruleTier_{tier.value}")
            check.setAccessibleName(
                translate("RulesPage", "Customers of tier {tier}").format(tier=tier.value)
            )
            self.tier_checks[tier.value] = check
            tiers.addWidget(check)
        tiers.addStretch(1)
        add(
            translate("RulesPage", "Tiers (none: all)"),
            tiers,
            "tiers",
            translate("RulesPage", "Problem with the tiers"),
        )
        self.channels_picker = ChannelPicker(box)
        self.channels_picker.setObjectName("ruleChannelsPicker")
        self.channels_picker.setAccessibleName(translate("RulesPage", "Channels of the contact"))
        add(
            translate("RulesPage", "Channels"),
            self.channels_picker,
            "channels",
            translate("RulesPage", "Problem with the channels"),
        )
        self.categories_edit = QLineEdit(box)
        self.categories_edit.setObjectName("ruleCategoriesEdit")
        self.categories_edit.setAccessibleName(
            translate("RulesPage", "Customer owns a product of these categories")
        )
        self.categories_edit.setPlaceholderText(translate("RulesPage", "e.g. routers, plans"))
        add(
            translate("RulesPage", "Owns a product in"),
            self.categories_edit,
            "owns_categories",
            translate("RulesPage", "Problem with the categories"),
        )
        self.segments_edit = QLineEdit(box)
        self.segments_edit.setObjectName("ruleSegmentsEdit")
        self.segments_edit.setAccessibleName(translate("RulesPage", "Customer segments"))
        self.segments_edit.setPlaceholderText(translate("RulesPage", "all segments"))
        add(
            translate("RulesPage", "Segments"),
            self.segments_edit,
            "segments",
            translate("RulesPage", "Problem with the segments"),
        )
        self.field_errors["definition"] = self.field_errors["name"]
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(translate("RulesPage", "Check and preview"), box)
        self.preview_button.setObjectName("previewRuleButton")
        self.preview_button.setAccessibleName(
            translate("RulesPage", "Check the rule and preview whom it reaches")
        )
        self.preview_button.clicked.connect(self.preview)
        self.disable_button = QPushButton(translate("RulesPage", "Disable"), box)
        self.disable_button.setObjectName("disableRuleButton")
        self.disable_button.setAccessibleName(translate("RulesPage", "Disable this rule"))
        self.disable_button.clicked.connect(self.disable)
        self.save_button = QPushButton(translate("RulesPage", "Save to server"), box)
        self.save_button.setObjectName("saveRuleButton")
        self.save_button.setAccessibleName(translate("RulesPage", "Save the rule to the server"))
        self.save_button.setProperty("cssClass", "primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.disable_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.preview_label = QLabel(box)
        self.preview_label.setObjectName("rulePreviewLabel")
        self.preview_label.setAccessibleName(translate("RulesPage", "Preview result"))
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.preview_label)
        return box

    # -- loading ---------------------------------------------------------------------------

    async def load(self) -> None:
        if self.load_products is not None and self.product_combo.count() == 0:
            self.load_products(self.set_products)
        self.show_rules(await self.admin.rules())

    def set_products(self, products: list[ProductChoice]) -> None:
        keep = self.product_id()
        self.product_combo.clear()
        for product in products:
            self.product_combo.addItem(f"{product.name} · {product.category}", str(product.id))
        self.set_product(keep)

    def show_rules(self, rules: list[RuleInfo], select: RuleInfo | None = None) -> None:
        self.rules = rules
        self.list.blockSignals(True)
        self.list.clear()
        for rule in rules:
            text = (
                rule.name
                if rule.enabled
                else translate("RulesPage", "{name} (disabled)").format(name=rule.name)
            )
            item = QListWidgetItem(text)
            if not rule.enabled:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.empty_hint.setVisible(not rules)
        if select is not None:
            index = next((i for i, r in enumerate(rules) if r.id == select.id), -1)
            self.list.setCurrentRow(index)

    def _on_current(self, row: int) -> None:
        if 0 <= row < len(self.rules):
            self.edit(self.rules[row])

    # -- editor values ---------------------------------------------------------------------

    def product_id(self) -> str:
        data = self.product_combo.currentData()
        text = self.product_combo.currentText().strip()
        if data and self.product_combo.itemText(self.product_combo.currentIndex()) == text:
            return str(data)
        return text  # typed: an id, or a name the server will refuse with a message

    def set_product(self, product_id: str) -> None:
        index = self.product_combo.findData(product_id)
        if index >= 0:
            self.product_combo.setCurrentIndex(index)
        else:
            self.product_combo.setEditText(product_id)

    def start_new(self) -> None:
        self.editing = None
        self.list.clearSelection()
        self.editor_box.setTitle(translate("RulesPage", "New rule"))
        self._fill("", True, {})
        self.disable_button.setEnabled(False)

    def edit(self, rule: RuleInfo) -> None:
        self.editing = rule
        self.editor_box.setTitle(translate("RulesPage", "Rule: {name}").format(name=rule.name))
        self._fill(rule.name, rule.enabled, rule.definition)
        self.disable_button.setEnabled(rule.enabled)

    def _fill(self, name: str, enabled: bool, definition: dict[str, Any]) -> None:
        self.clear_field_errors()
        self.preview_label.clear()
        self.name_edit.setText(name)
        self.enabled_check.setChecked(enabled)
        self.set_product(str(definition.get("offer_product_id") or ""))
        self.reason_edit.setText(str(definition.get("reason") or ""))
        self.script_edit.setPlainText(str(definition.get("script") or ""))
        tiers = definition.get("tiers") or []
        for tier, check in self.tier_checks.items():
            check.setChecked(tier in tiers)
        self.channels_picker.set_channels(list(definition.get("channels") or []))
        self.categories_edit.setText(", ".join(definition.get("owns_categories") or []))
        self.segments_edit.setText(", ".join(definition.get("segments") or []))

    def definition(self) -> dict[str, Any]:
        """The draft as the server reads it; keys the editor does not show are kept."""
        base = dict(self.editing.definition) if self.editing else {}
        base.update(
            {
                "offer_product_id": self.product_id(),
                "reason": self.reason_edit.text().strip(),
                "script": self.script_edit.toPlainText(),
                "tiers": [t for t, check in self.tier_checks.items() if check.isChecked()],
                "channels": self.channels_picker.channels(),
                "owns_categories": _words(self.categories_edit.text()),
                "segments": _words(self.segments_edit.text()),
            }
        )
        return base

    def field_key(self, field: str) -> str:
        return field.removeprefix("definition.")

    def _local_problems(self) -> bool:
        problems = []
        if not self.name_edit.text().strip():
            problems.append(("name", translate("RulesPage", "Give the rule a name.")))
        product = self.product_id()
        if not product:
            problems.append(
                ("offer_product_id", translate("RulesPage", "Choose the product to offer."))
            )
        elif not UUID_TEXT.match(product):
            problems.append(
                ("offer_product_id", translate("RulesPage", "Choose a product from the list."))
            )
        if problems:
            self.show_field_errors(problems)
            self.say(
                translate("RulesPage", "Nothing was saved: correct the marked fields."), "error"
            )
        return bool(problems)

    # -- actions ---------------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.save_button, self.new_button):
            button.setDisabled(busy)
        self.disable_button.setDisabled(busy or self.editing is None or not self.editing.enabled)

    def save(self) -> None:
        self.clear_field_errors()
        if self._local_problems():
            return
        name, enabled, definition = (
            self.name_edit.text().strip(),
            self.enabled_check.isChecked(),
            self.definition(),
        )

        async def work() -> None:
            saved = await self.admin.save_rule(
                rule=self.editing, name=name, enabled=enabled, definition=definition
            )
            others = [r for r in self.rules if r.id != saved.id]
            self.show_rules(sorted([*others, saved], key=lambda r: r.name.casefold()), select=saved)
            self.edit(saved)
            self.say(translate("RulesPage", "Rule “{name}” saved.").format(name=saved.name), "ok")

        self.say(translate("RulesPage", "Saving…"), "busy")
        self.run(work, on_error=self.save_failed)

    def disable(self) -> None:
        rule = self.editing
        if rule is None:
            return

        async def work() -> None:
            saved = await self.admin.disable_rule(rule.id)
            self.show_rules([saved if r.id == saved.id else r for r in self.rules], select=saved)
            self.edit(saved)
            self.say(
                translate(
                    "RulesPage", "Rule “{name}” is disabled; operators no longer see it."
                ).format(name=saved.name),
                "ok",
            )

        self.run(work)

    def preview(self) -> None:
        self.clear_field_errors()
        if self._local_problems():
            return
        name, definition = self.name_edit.text().strip(), self.definition()

        async def work() -> None:
            found = await self.admin.preview_rule(name=name, definition=definition)
            names = ", ".join(str(c.get("name", "")) for c in found.customers[:8])
            text = translate(
                "RulesPage",
                "{matching} customers meet the conditions; {reachable} of them may get offers "
                "(marketing consent, no open complaint).",
            ).format(
                matching=QLocale().toString(found.matching),
                reachable=QLocale().toString(found.reachable),
            )
            if names:
                text += " " + translate("RulesPage", "For example: {names}.").format(names=names)
            self.preview_label.setText(text)
            self.say(translate("RulesPage", "The rule is valid. Nothing was saved yet."), "ok")

        self.preview_label.clear()
        self.say(translate("RulesPage", "Checking…"), "busy")
        self.run(work, on_error=self.save_failed)
