"""The card's value strip: what the customer has brought, what they are expected to bring
over the next 12 months, how likely they are still active, their value segment, last
scores and open complaints — each with a tooltip that says what the number means in
plain words. Figures the server's refit has not estimated yet say so instead of a dash.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel, QWidget

from operator_app.domain.entities import CustomerCard, CustomerValue
from operator_app.gui.forms.ui_customer_card import Ui_CustomerCard
from operator_app.gui.i18n import translate
from operator_app.gui.widgets import formatting as fmt
from operator_app.gui.widgets.styling import set_style_property

SEGMENTS = ("new", "loyal", "high_value", "at_risk", "lost")


def segment_names() -> dict[str, str]:
    return {
        "new": translate("ValueStrip", "New"),
        "loyal": translate("ValueStrip", "Loyal"),
        "high_value": translate("ValueStrip", "High value"),
        "at_risk": translate("ValueStrip", "At risk"),
        "lost": translate("ValueStrip", "Lost"),
    }


def segment_meanings() -> dict[str, str]:
    return {
        "new": translate(
            "ValueStrip", "New: bought once, recently. Too early to judge how they will buy."
        ),
        "loyal": translate(
            "ValueStrip", "Loyal: came back and buys again; most likely still a customer."
        ),
        "high_value": translate(
            "ValueStrip",
            "High value: among the top fifth of customers by what they are expected to bring.",
        ),
        "at_risk": translate(
            "ValueStrip",
            "At risk: used to buy, but is slipping away. Treat this contact as a chance to "
            "keep them, not to sell.",
        ),
        "lost": translate(
            "ValueStrip",
            "Lost: has not bought for a long time and is very unlikely to come back on their own.",
        ),
    }


def not_estimated() -> str:
    return translate("ValueStrip", "not estimated yet")


def _not_estimated_tip() -> str:
    return translate(
        "ValueStrip",
        "The server estimates this from the customer's purchases every night. It has not "
        "done so for this customer yet (for example, no purchases, or a new server).",
    )


def _number(value: float, decimals: int) -> str:
    return fmt.display_locale().toString(value, "f", decimals)


def historical_tip(value: CustomerValue, card: CustomerCard) -> str:
    since = card.customer.customer_since
    orders = card.order_count or len(card.orders)
    text = translate(
        "ValueStrip",
        "What this customer has brought so far: the sum of paid orders minus refunds",
    )
    if since is not None:
        text += " " + translate("ValueStrip", "since {date}").format(date=fmt.short_date(since))
    text += "."
    if orders:
        text += " " + translate("ValueStrip", "%n order(s) in total.", None, orders)
    return text


def predicted_tip(value: CustomerValue) -> str:
    text = translate(
        "ValueStrip",
        "What this customer is expected to spend with us over the next 12 months, judged by "
        "how often and how much they have bought so far.",
    )
    if value.expected_purchases is not None:
        text += " " + translate("ValueStrip", "About {count} purchase(s) expected.").format(
            count=_number(value.expected_purchases, 1)
        )
    return text


def alive_tip(value: CustomerValue) -> str:
    text = translate(
        "ValueStrip",
        "How likely the customer still buys from us, judged by how regularly they bought "
        "and how long ago the last purchase was.",
    )
    if value.p_alive is not None:
        out_of_100 = round(value.p_alive * 100)
        text += " " + translate(
            "ValueStrip", "Of 100 customers who bought like this, about {n} are still active."
        ).format(n=out_of_100)
    return text


class ValueStrip:
    """Fills the value strip widgets of the card's form."""

    def __init__(self, ui: Ui_CustomerCard) -> None:
        self.ui = ui
        for layout in (
            ui.clvTileLayout,
            ui.predictedTileLayout,
            ui.aliveTileLayout,
            ui.surveyTileLayout,
            ui.complaintsTileLayout,
        ):
            # Captions on top, figures on one line at the bottom, however captions wrap.
            layout.insertStretch(1, 1)
        for label in (ui.predictedValue, ui.aliveValue):
            label.setWordWrap(True)

    def show(self, card: CustomerCard, today: date) -> None:
        del today  # milestones live in the header; kept for a stable call shape
        v = card.customer.value
        ui = self.ui
        ui.clvValue.setText(fmt.money(v.historical_clv, v.currency))
        self._tip(ui.clvTile, ui.clvValue, historical_tip(v, card))
        predicted = (
            fmt.money(v.predicted_clv.quantize(Decimal(1)), v.currency)
            if v.predicted_clv is not None
            else None
        )
        self._figure(ui.predictedTile, ui.predictedValue, predicted, predicted_tip(v))
        alive = fmt.percent(v.p_alive) if v.p_alive is not None else None
        self._figure(ui.aliveTile, ui.aliveValue, alive, alive_tip(v))
        if v.p_alive is not None:
            ui.aliveValue.setAccessibleName(
                translate("ValueStrip", "Likely still active: {percent}").format(percent=alive)
            )
        self._segment(v.segment)
        csat = str(v.last_csat) if v.last_csat is not None else fmt.EMPTY
        nps = str(v.last_nps) if v.last_nps is not None else fmt.EMPTY
        ui.surveyValue.setText(f"{csat} / {nps}")
        ui.surveyValue.setToolTip(
            translate("ValueStrip", "Last answers: CSAT on 1–5 (5 = very satisfied) / NPS on 0–10")
        )
        ui.complaintsValue.setText(QLocale().toString(v.open_complaints))
        set_style_property(ui.complaintsValue, "alert", v.open_complaints > 0)

    @staticmethod
    def _tip(tile: QWidget, label: QLabel, tip: str) -> None:
        tile.setToolTip(tip)
        label.setToolTip(tip)

    def _figure(self, tile: QWidget, label: QLabel, text: str | None, tip: str) -> None:
        if text is None:
            label.setText(not_estimated())
            set_style_property(label, "cssClass", "metricPending")
            self._tip(tile, label, f"{tip}\n\n{_not_estimated_tip()}")
        else:
            label.setText(text)
            set_style_property(label, "cssClass", "metric")
            self._tip(tile, label, tip)

    def _segment(self, code: str | None) -> None:
        badge = self.ui.valueSegmentBadge
        if code in SEGMENTS:
            badge.setText(segment_names()[code])
            set_style_property(badge, "segment", code)
            tip = segment_meanings()[code]
            badge.setAccessibleName(
                translate("ValueStrip", "Value segment: {name}").format(name=badge.text())
            )
        else:
            # Not refitted yet: the strip's tiles already say "not estimated yet"; an
            # empty badge would only crowd the header.
            badge.setText("")
            set_style_property(badge, "segment", "")
            tip = ""
        badge.setVisible(bool(badge.text()))
        badge.setToolTip(tip)
