"""Centre panel: the customer card (header, value strip, purchases, coverage,
unfinished purchases, milestones) above the lazily paged timeline."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QTreeWidget, QTreeWidgetItem, QWidget

from operator_app.domain.entities import Customer, CustomerCard
from operator_app.domain.enums import Channel, InterestStage, OrderStatus
from operator_app.domain.phones import format_phone
from operator_app.gui import theme
from operator_app.gui.forms.ui_customer_card import Ui_CustomerCard
from operator_app.gui.i18n import translate
from operator_app.gui.models import card_facts
from operator_app.gui.models.timeline import TimelineModel
from operator_app.gui.widgets import formatting as fmt
from operator_app.gui.widgets.avatar import initials_pixmap
from operator_app.gui.widgets.flow_layout import FlowLayout
from operator_app.gui.widgets.styling import set_style_property
from operator_app.gui.widgets.timeline_delegate import fit_timeline_rows, setup_timeline_view
from operator_app.gui.widgets.value_strip import ValueStrip

MAX_TAGS = 5
KEPT_CHIPS = 2  # the value segment and the business segment badges
RECENT_ORDERS = 8
WIDE_CARD = 980  # centre width (px) from which the three sections sit side by side
NARROW_CARD = 600  # below this, one section under the other


class CustomerCardView(QWidget):
    def __init__(self, timeline: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_CustomerCard()
        self.ui.setupUi(self)
        self.setObjectName("customerCard")
        self.timeline = timeline
        self.card: CustomerCard | None = None
        self._today = date.today()
        view = self.ui.timelineView
        view.setModel(timeline)
        self.delegate = setup_timeline_view(view)
        view.verticalScrollBar().setSingleStep(24)
        self.ui.cardSplitter.setStretchFactor(0, 2)
        self.ui.cardSplitter.setStretchFactor(1, 3)
        for tree in (self.ui.purchasesTree, self.ui.coverageTree, self.ui.interestsTree):
            header = tree.header()
            header.setStretchLastSection(False)
            header.setSectionsMovable(False)
            header.setHighlightSections(False)
        self._size_columns(self.ui.purchasesTree, stretch=3)
        self._size_columns(self.ui.coverageTree, stretch=0)
        self._size_columns(self.ui.interestsTree, stretch=0)
        self._size_columns(self.ui.coverageTree, stretch=0)
        self.value_strip = ValueStrip(self.ui)
        self.tags_layout = FlowLayout(self.ui.tagsHost, spacing=6)
        self.tags_layout.addWidget(self.ui.valueSegmentBadge)
        self.tags_layout.addWidget(self.ui.segmentBadge)
        for layout in (self.ui.purchasesLayout, self.ui.coverageLayout, self.ui.interestsLayout):
            layout.addStretch(1)
        self._splitter_sized = False
        self._auto_split = False  # True while the split is ours, not the user's
        self.user_split = False  # the user dragged the handle in this session
        self.restored_split = False  # a split the user chose earlier was restored
        self._columns = 0
        self.ui.cardSplitter.splitterMoved.connect(self._on_user_split)
        timeline.page_loaded.connect(self._update_timeline_count)
        timeline.modelReset.connect(self._update_timeline_count)
        timeline.load_failed.connect(self._on_timeline_failed)
        theme.theme_changed().connect(self._on_theme_changed)

    @staticmethod
    def _size_columns(tree: QTreeWidget, stretch: int) -> None:
        header = tree.header()
        for column in range(tree.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)

    @property
    def timeline_view(self) -> QTableView:
        return self.ui.timelineView

    def show_card(self, card: CustomerCard, today: date | None = None) -> None:
        self.card = card
        self._today = today or date.today()
        c = card.customer
        self._fill_value_strip(card)  # first: the header's chips include its segment badge
        self._fill_header(c)
        self._fill_purchases(card)
        self._fill_coverage(card)
        self._fill_interests(card)
        self.ui.detailsScroll.verticalScrollBar().setValue(0)
        self._update_timeline_count()
        self._fit_splitter_once()

    def _fit_splitter_once(self) -> None:
        if self._splitter_sized or self.card is None or not self.isVisible():
            return
        self._splitter_sized = True
        self._auto_split = True
        self.size_splitter_to_content()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_details()
        self._fit_splitter_once()

    def _arrange_details(self) -> None:
        """Three sections side by side when the centre is wide; purchases beside
        subscriptions over unfinished purchases when it is medium; one column when narrow."""
        width = self.width()
        columns = 3 if width >= WIDE_CARD else 2 if width >= NARROW_CARD else 1
        if columns == self._columns:
            return
        self._columns = columns
        grid = self.ui.detailsGrid
        frames = (self.ui.purchasesFrame, self.ui.coverageFrame, self.ui.interestsFrame)
        for frame in frames:
            grid.removeWidget(frame)
        for column in range(3):
            grid.setColumnStretch(column, 0)
        if columns == 3:
            for column, frame in enumerate(frames):
                grid.addWidget(frame, 0, column)
                grid.setColumnStretch(column, 1)
        elif columns == 2:
            grid.addWidget(self.ui.purchasesFrame, 0, 0, 2, 1)
            grid.addWidget(self.ui.coverageFrame, 0, 1)
            grid.addWidget(self.ui.interestsFrame, 1, 1)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
        else:
            for row, frame in enumerate(frames):
                grid.addWidget(frame, row, 0)
            grid.setColumnStretch(0, 1)
        if self._auto_split and self.isVisible():
            self.size_splitter_to_content()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._arrange_details()
        self._fit_splitter_once()

    def _on_user_split(self, *_: object) -> None:
        self._auto_split = False
        self.user_split = True

    def keep_splitter_sizes(self) -> None:
        """The user's saved split wins over fitting the details to their content."""
        self._splitter_sized = True
        self.restored_split = True

    def size_splitter_to_content(self) -> None:
        """Give the details the room they need (at most 60 %), the rest to the
        timeline; the user's own split is saved and restored by the window."""
        splitter = self.ui.cardSplitter
        total = sum(splitter.sizes()) or splitter.height()
        wanted = self.ui.detailsWidget.sizeHint().height() + 8
        details = min(wanted, int(total * 0.6))
        splitter.setSizes([details, max(0, total - details)])

    # -- header ----------------------------------------------------------------------

    def _fill_header(self, c: Customer) -> None:
        dpr = self.devicePixelRatioF()
        self.ui.avatarLabel.setPixmap(initials_pixmap(c.initials, str(c.id), 64, dpr))
        self.ui.nameLabel.setText(c.display_name)
        self.ui.tierBadge.setText(fmt.tier_names().get(c.tier, str(c.tier)))
        set_style_property(self.ui.tierBadge, "tier", c.tier.value)
        segment = fmt.segment_name(c.segment)  # the value segment is in the value strip
        self.ui.segmentBadge.setText(segment)
        self.ui.segmentBadge.setVisible(bool(segment))
        contacts = [format_phone(p) for p in c.phones] + list(c.emails)
        self.ui.contactLabel.setText(
            "  ·  ".join(contacts) or translate("CustomerCard", "No phone or e-mail on file")
        )
        came_via = translate("CustomerCard", "Came via {channel}")
        details = [
            came_via.format(channel=fmt.channel_name(c.channel_of_origin)),
            fmt.language_name(c.language),
        ]
        local = fmt.customer_local_time(c.timezone)
        if local:
            details.append(translate("CustomerCard", "Local time {time}").format(time=local))
        self.ui.detailsLabel.setText("  ·  ".join(details))
        zone_tip = translate("CustomerCard", "Time zone: {zone}")
        self.ui.detailsLabel.setToolTip(zone_tip.format(zone=c.timezone))
        consent = ", ".join(fmt.channel_name(ch) for ch in Channel if c.consent.allows(ch))
        marketing = (
            translate("CustomerCard", "marketing allowed")
            if c.consent.marketing
            else translate("CustomerCard", "no marketing")
        )
        consent_text = translate("CustomerCard", "Contact consent: {channels}  ·  {marketing}")
        self.ui.consentLabel.setText(
            consent_text.format(
                channels=consent or translate("CustomerCard", "none"), marketing=marketing
            )
        )
        self._fill_tags(list(c.tags), card_facts.milestones(c, self._today))

    def _fill_tags(self, tags: list[str], milestones: list[card_facts.Milestone]) -> None:
        layout = self.tags_layout
        while layout.count() > KEPT_CHIPS:  # the segment badges are kept and reused
            item = layout.takeAt(KEPT_CHIPS)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for milestone in milestones:
            kind = "milestoneSoon" if milestone.soon else "milestone"
            what = translate("CustomerCard", "Milestone")
            layout.addWidget(self._chip(milestone.text, milestone.text, kind, what))
        for tag in tags[:MAX_TAGS]:
            layout.addWidget(self._chip(tag, tag, "chip", translate("CustomerCard", "Tag")))
        if len(tags) > MAX_TAGS:
            rest = tags[MAX_TAGS:]
            what = translate("CustomerCard", "More tags")
            layout.addWidget(self._chip(f"+{len(rest)}", ", ".join(rest), "chip", what))
        badges = self.ui.segmentBadge.text() or self.ui.valueSegmentBadge.text()
        self.ui.tagsHost.setVisible(bool(tags or milestones or badges))

    def _chip(self, text: str, tip: str, css_class: str, what: str) -> QLabel:
        chip = QLabel(text, self.ui.tagsHost)
        chip.setProperty("cssClass", css_class)
        chip.setToolTip(tip)
        chip.setAccessibleName(f"{what}: {tip}")
        return chip

    def milestone_texts(self) -> list[str]:
        layout = self.tags_layout
        items = (layout.itemAt(i) for i in range(layout.count()))
        chips = (item.widget() for item in items if item is not None)
        return [
            chip.text()
            for chip in chips
            if isinstance(chip, QLabel) and str(chip.property("cssClass")).startswith("milestone")
        ]

    # -- value strip -----------------------------------------------------------------

    def _fill_value_strip(self, card: CustomerCard) -> None:
        self.value_strip.show(card, self._today)

    # -- sections --------------------------------------------------------------------

    def _fill_purchases(self, card: CustomerCard) -> None:
        tree = self.ui.purchasesTree
        tree.clear()
        t = theme.tokens()
        for order in card.orders[:RECENT_ORDERS]:
            status = fmt.order_status_names().get(order.status, str(order.status))
            row = QTreeWidgetItem(
                [
                    order.number,
                    fmt.short_date(order.ordered_at),
                    fmt.money(order.amount, order.currency),
                    status,
                ]
            )
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setToolTip(3, status)
            lines = ", ".join(line.product_name for line in order.lines)
            row.setToolTip(0, lines or order.number)
            if order.status in (OrderStatus.REFUNDED, OrderStatus.CANCELLED):
                row.setForeground(3, QBrush(QColor(t.muted)))
            tree.addTopLevelItem(row)
        total = card.order_count or len(card.orders)
        shown = min(len(card.orders), RECENT_ORDERS)
        title = translate("CustomerCard", "Recent purchases")
        if total > shown:
            of_total = translate("CustomerCard", "{shown} of {total}")
            title += " · " + of_total.format(shown=shown, total=total)
        self.ui.purchasesTitle.setText(title)
        self._fit_tree(tree, translate("CustomerCard", "No orders yet"))

    def _fill_coverage(self, card: CustomerCard) -> None:
        tree = self.ui.coverageTree
        tree.clear()
        t = theme.tokens()
        for coverage in card_facts.active_coverages(card, self._today):
            days = coverage.days_left(self._today)
            row = QTreeWidgetItem(
                [
                    coverage.product_name,
                    fmt.coverage_names().get(coverage.kind, str(coverage.kind)),
                    fmt.short_date(coverage.ends),
                ]
            )
            renews = translate("CardFacts", "renews automatically")
            renew = f" · {renews}" if coverage.auto_renew else ""
            ends = translate("CustomerCard", "ends {when}").format(
                when=card_facts.days_phrase(days)
            )
            tip = f"{coverage.contract_number} · {ends}{renew}"
            for column in range(3):
                row.setToolTip(column, tip)
            if card_facts.is_expiring_soon(coverage, self._today):
                bold = QFont(tree.font())
                bold.setWeight(QFont.Weight.DemiBold)
                for column in range(3):
                    row.setForeground(column, QBrush(QColor(t.warning)))
                    row.setBackground(column, QBrush(QColor(t.warning_soft)))
                row.setFont(2, bold)
                row.setText(2, card_facts.days_phrase(days))
            row.setData(0, Qt.ItemDataRole.UserRole, str(coverage.id))
            tree.addTopLevelItem(row)
        self._fit_tree(tree, translate("CustomerCard", "Nothing active"))

    def _fill_interests(self, card: CustomerCard) -> None:
        tree = self.ui.interestsTree
        tree.clear()
        wanted = {InterestStage.CART, InterestStage.ABANDONED, InterestStage.VIEWED}
        interests = sorted(
            (i for i in card.interests if i.stage in wanted),
            key=lambda i: i.last_activity_at,
            reverse=True,
        )
        for interest in interests:
            stage = fmt.interest_names().get(interest.stage, str(interest.stage))
            row = QTreeWidgetItem(
                [interest.product_name, f"{stage} · {fmt.age(interest.last_activity_at)}"]
            )
            row.setToolTip(0, interest.product_name)
            if interest.stage in (InterestStage.CART, InterestStage.ABANDONED):
                row.setForeground(1, QBrush(QColor(theme.tokens().accent)))
            tree.addTopLevelItem(row)
        self._fit_tree(tree, translate("CustomerCard", "Nothing left unfinished"))

    def _fit_tree(self, tree: QTreeWidget, empty_text: str) -> None:
        rows = tree.topLevelItemCount()
        if rows == 0:
            placeholder = QTreeWidgetItem([empty_text])
            placeholder.setForeground(0, QBrush(QColor(theme.tokens().muted)))
            placeholder.setFirstColumnSpanned(True)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            tree.addTopLevelItem(placeholder)
            rows = 1
        row_height = tree.sizeHintForRow(0) or tree.fontMetrics().height() + 8
        header = tree.header().sizeHint().height() if not tree.isHeaderHidden() else 0
        tree.setFixedHeight(header + rows * row_height + 2 * tree.frameWidth() + 2)

    # -- timeline --------------------------------------------------------------------

    def _update_timeline_count(self, *_: object) -> None:
        rows = self.timeline.rowCount()
        if self.timeline.customer_id is None:
            text = ""
        elif rows == 0 and self.timeline.is_loading:
            text = translate("CustomerCard", "Loading…")
        elif rows == 0:
            text = translate("CustomerCard", "No contacts yet")
        elif self.timeline.is_complete:
            text = translate("CustomerCard", "%n item(s) · newest first", None, rows)
        else:
            text = translate("CustomerCard", "%n+ item(s) · newest first", None, rows)
        self.ui.timelineCount.setText(text)

    def _on_timeline_failed(self, message: str) -> None:
        self.ui.timelineCount.setText(message)

    def _on_theme_changed(self, _name: str) -> None:
        self.delegate.invalidate()
        fit_timeline_rows(self.ui.timelineView, self.delegate)
        if self.card is not None:
            self.show_card(self.card, self._today)
