# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'customer_card.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QGridLayout,
    QHBoxLayout, QHeaderView, QLabel, QScrollArea,
    QSizePolicy, QSpacerItem, QSplitter, QTableView,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from operator_app.gui.widgets.elided_label import ElidedLabel

class Ui_CustomerCard(object):
    def setupUi(self, CustomerCard):
        if not CustomerCard.objectName():
            CustomerCard.setObjectName(u"CustomerCard")
        CustomerCard.resize(720, 760)
        self.cardLayout = QVBoxLayout(CustomerCard)
        self.cardLayout.setSpacing(10)
        self.cardLayout.setObjectName(u"cardLayout")
        self.cardLayout.setContentsMargins(14, 12, 14, 10)
        self.headerFrame = QFrame(CustomerCard)
        self.headerFrame.setObjectName(u"headerFrame")
        self.headerFrame.setProperty(u"cssClass", u"card")
        self.headerLayout = QHBoxLayout(self.headerFrame)
        self.headerLayout.setSpacing(14)
        self.headerLayout.setObjectName(u"headerLayout")
        self.headerLayout.setContentsMargins(14, 12, 14, 12)
        self.avatarLabel = QLabel(self.headerFrame)
        self.avatarLabel.setObjectName(u"avatarLabel")
        self.avatarLabel.setMinimumSize(QSize(64, 64))
        self.avatarLabel.setMaximumSize(QSize(64, 64))
        self.avatarLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.headerLayout.addWidget(self.avatarLabel)

        self.identityLayout = QVBoxLayout()
        self.identityLayout.setSpacing(4)
        self.identityLayout.setObjectName(u"identityLayout")
        self.nameRow = QHBoxLayout()
        self.nameRow.setSpacing(8)
        self.nameRow.setObjectName(u"nameRow")
        self.nameLabel = ElidedLabel(self.headerFrame)
        self.nameLabel.setObjectName(u"nameLabel")
        self.nameLabel.setProperty(u"cssClass", u"customerName")

        self.nameRow.addWidget(self.nameLabel)

        self.tierBadge = QLabel(self.headerFrame)
        self.tierBadge.setObjectName(u"tierBadge")
        self.tierBadge.setProperty(u"cssClass", u"badge")

        self.nameRow.addWidget(self.tierBadge)

        self.nameSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.nameRow.addItem(self.nameSpacer)


        self.identityLayout.addLayout(self.nameRow)

        self.contactLabel = QLabel(self.headerFrame)
        self.contactLabel.setObjectName(u"contactLabel")
        self.contactLabel.setProperty(u"cssClass", u"muted")
        self.contactLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contactLabel.setWordWrap(True)

        self.identityLayout.addWidget(self.contactLabel)

        self.detailsLabel = QLabel(self.headerFrame)
        self.detailsLabel.setObjectName(u"detailsLabel")
        self.detailsLabel.setProperty(u"cssClass", u"muted")
        self.detailsLabel.setWordWrap(True)

        self.identityLayout.addWidget(self.detailsLabel)

        self.consentLabel = QLabel(self.headerFrame)
        self.consentLabel.setObjectName(u"consentLabel")
        self.consentLabel.setProperty(u"cssClass", u"muted")
        self.consentLabel.setWordWrap(True)

        self.identityLayout.addWidget(self.consentLabel)

        self.tagsHost = QWidget(self.headerFrame)
        self.tagsHost.setObjectName(u"tagsHost")
        self.valueSegmentBadge = QLabel(self.tagsHost)
        self.valueSegmentBadge.setObjectName(u"valueSegmentBadge")
        self.valueSegmentBadge.setProperty(u"cssClass", u"segmentBadge")
        self.segmentBadge = QLabel(self.tagsHost)
        self.segmentBadge.setObjectName(u"segmentBadge")
        self.segmentBadge.setProperty(u"cssClass", u"badge")

        self.identityLayout.addWidget(self.tagsHost)


        self.headerLayout.addLayout(self.identityLayout)


        self.cardLayout.addWidget(self.headerFrame)

        self.valueStrip = QFrame(CustomerCard)
        self.valueStrip.setObjectName(u"valueStrip")
        self.valueStrip.setProperty(u"cssClass", u"card")
        self.valueStripLayout = QHBoxLayout(self.valueStrip)
        self.valueStripLayout.setSpacing(0)
        self.valueStripLayout.setObjectName(u"valueStripLayout")
        self.valueStripLayout.setContentsMargins(0, 0, 0, 0)
        self.clvTile = QFrame(self.valueStrip)
        self.clvTile.setObjectName(u"clvTile")
        self.clvTile.setProperty(u"cssClass", u"tile")
        self.clvTileLayout = QVBoxLayout(self.clvTile)
        self.clvTileLayout.setSpacing(2)
        self.clvTileLayout.setObjectName(u"clvTileLayout")
        self.clvTileLayout.setContentsMargins(14, 10, 14, 10)
        self.clvCaption = QLabel(self.clvTile)
        self.clvCaption.setObjectName(u"clvCaption")
        self.clvCaption.setProperty(u"cssClass", u"caption")
        self.clvCaption.setWordWrap(True)

        self.clvTileLayout.addWidget(self.clvCaption)

        self.clvValue = QLabel(self.clvTile)
        self.clvValue.setObjectName(u"clvValue")
        self.clvValue.setProperty(u"cssClass", u"metric")
        self.clvValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.clvTileLayout.addWidget(self.clvValue)


        self.valueStripLayout.addWidget(self.clvTile)

        self.predictedTile = QFrame(self.valueStrip)
        self.predictedTile.setObjectName(u"predictedTile")
        self.predictedTile.setProperty(u"cssClass", u"tile")
        self.predictedTileLayout = QVBoxLayout(self.predictedTile)
        self.predictedTileLayout.setSpacing(2)
        self.predictedTileLayout.setObjectName(u"predictedTileLayout")
        self.predictedTileLayout.setContentsMargins(14, 10, 14, 10)
        self.predictedCaption = QLabel(self.predictedTile)
        self.predictedCaption.setObjectName(u"predictedCaption")
        self.predictedCaption.setProperty(u"cssClass", u"caption")
        self.predictedCaption.setWordWrap(True)

        self.predictedTileLayout.addWidget(self.predictedCaption)

        self.predictedValue = QLabel(self.predictedTile)
        self.predictedValue.setObjectName(u"predictedValue")
        self.predictedValue.setProperty(u"cssClass", u"metric")
        self.predictedValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.predictedTileLayout.addWidget(self.predictedValue)


        self.valueStripLayout.addWidget(self.predictedTile)

        self.aliveTile = QFrame(self.valueStrip)
        self.aliveTile.setObjectName(u"aliveTile")
        self.aliveTile.setProperty(u"cssClass", u"tile")
        self.aliveTileLayout = QVBoxLayout(self.aliveTile)
        self.aliveTileLayout.setSpacing(2)
        self.aliveTileLayout.setObjectName(u"aliveTileLayout")
        self.aliveTileLayout.setContentsMargins(14, 10, 14, 10)
        self.aliveCaption = QLabel(self.aliveTile)
        self.aliveCaption.setObjectName(u"aliveCaption")
        self.aliveCaption.setProperty(u"cssClass", u"caption")
        self.aliveCaption.setWordWrap(True)

        self.aliveTileLayout.addWidget(self.aliveCaption)

        self.aliveValue = QLabel(self.aliveTile)
        self.aliveValue.setObjectName(u"aliveValue")
        self.aliveValue.setProperty(u"cssClass", u"metric")
        self.aliveValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.aliveTileLayout.addWidget(self.aliveValue)


        self.valueStripLayout.addWidget(self.aliveTile)

        self.surveyTile = QFrame(self.valueStrip)
        self.surveyTile.setObjectName(u"surveyTile")
        self.surveyTile.setProperty(u"cssClass", u"tile")
        self.surveyTileLayout = QVBoxLayout(self.surveyTile)
        self.surveyTileLayout.setSpacing(2)
        self.surveyTileLayout.setObjectName(u"surveyTileLayout")
        self.surveyTileLayout.setContentsMargins(14, 10, 14, 10)
        self.surveyCaption = QLabel(self.surveyTile)
        self.surveyCaption.setObjectName(u"surveyCaption")
        self.surveyCaption.setProperty(u"cssClass", u"caption")
        self.surveyCaption.setWordWrap(True)

        self.surveyTileLayout.addWidget(self.surveyCaption)

        self.surveyValue = QLabel(self.surveyTile)
        self.surveyValue.setObjectName(u"surveyValue")
        self.surveyValue.setProperty(u"cssClass", u"metric")
        self.surveyValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.surveyTileLayout.addWidget(self.surveyValue)


        self.valueStripLayout.addWidget(self.surveyTile)

        self.complaintsTile = QFrame(self.valueStrip)
        self.complaintsTile.setObjectName(u"complaintsTile")
        self.complaintsTile.setProperty(u"cssClass", u"tile")
        self.complaintsTileLayout = QVBoxLayout(self.complaintsTile)
        self.complaintsTileLayout.setSpacing(2)
        self.complaintsTileLayout.setObjectName(u"complaintsTileLayout")
        self.complaintsTileLayout.setContentsMargins(14, 10, 14, 10)
        self.complaintsCaption = QLabel(self.complaintsTile)
        self.complaintsCaption.setObjectName(u"complaintsCaption")
        self.complaintsCaption.setProperty(u"cssClass", u"caption")
        self.complaintsCaption.setWordWrap(True)

        self.complaintsTileLayout.addWidget(self.complaintsCaption)

        self.complaintsValue = QLabel(self.complaintsTile)
        self.complaintsValue.setObjectName(u"complaintsValue")
        self.complaintsValue.setProperty(u"cssClass", u"metric")
        self.complaintsValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.complaintsTileLayout.addWidget(self.complaintsValue)


        self.valueStripLayout.addWidget(self.complaintsTile)


        self.cardLayout.addWidget(self.valueStrip)

        self.cardSplitter = QSplitter(CustomerCard)
        self.cardSplitter.setObjectName(u"cardSplitter")
        self.cardSplitter.setOrientation(Qt.Orientation.Vertical)
        self.cardSplitter.setHandleWidth(8)
        self.cardSplitter.setChildrenCollapsible(False)
        self.detailsScroll = QScrollArea(self.cardSplitter)
        self.detailsScroll.setObjectName(u"detailsScroll")
        self.detailsScroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detailsScroll.setWidgetResizable(True)
        self.detailsScroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detailsWidget = QWidget()
        self.detailsWidget.setObjectName(u"detailsWidget")
        self.detailsWidget.setProperty(u"cssClass", u"transparent")
        self.detailsGrid = QGridLayout(self.detailsWidget)
        self.detailsGrid.setSpacing(12)
        self.detailsGrid.setObjectName(u"detailsGrid")
        self.detailsGrid.setContentsMargins(0, 0, 0, 0)
        self.purchasesFrame = QFrame(self.detailsWidget)
        self.purchasesFrame.setObjectName(u"purchasesFrame")
        self.purchasesFrame.setProperty(u"cssClass", u"card")
        self.purchasesLayout = QVBoxLayout(self.purchasesFrame)
        self.purchasesLayout.setSpacing(6)
        self.purchasesLayout.setObjectName(u"purchasesLayout")
        self.purchasesLayout.setContentsMargins(14, 12, 14, 12)
        self.purchasesTitle = QLabel(self.purchasesFrame)
        self.purchasesTitle.setObjectName(u"purchasesTitle")
        self.purchasesTitle.setProperty(u"cssClass", u"sectionTitle")

        self.purchasesLayout.addWidget(self.purchasesTitle)

        self.purchasesTree = QTreeWidget(self.purchasesFrame)
        self.purchasesTree.setObjectName(u"purchasesTree")
        self.purchasesTree.setFrameShape(QFrame.Shape.NoFrame)
        self.purchasesTree.setRootIsDecorated(False)
        self.purchasesTree.setUniformRowHeights(True)
        self.purchasesTree.setItemsExpandable(False)
        self.purchasesTree.setAllColumnsShowFocus(True)
        self.purchasesTree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.purchasesTree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.purchasesTree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.purchasesTree.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.purchasesLayout.addWidget(self.purchasesTree)


        self.detailsGrid.addWidget(self.purchasesFrame, 0, 0, 2, 1)

        self.coverageFrame = QFrame(self.detailsWidget)
        self.coverageFrame.setObjectName(u"coverageFrame")
        self.coverageFrame.setProperty(u"cssClass", u"card")
        self.coverageLayout = QVBoxLayout(self.coverageFrame)
        self.coverageLayout.setSpacing(6)
        self.coverageLayout.setObjectName(u"coverageLayout")
        self.coverageLayout.setContentsMargins(14, 12, 14, 12)
        self.coverageTitle = QLabel(self.coverageFrame)
        self.coverageTitle.setObjectName(u"coverageTitle")
        self.coverageTitle.setProperty(u"cssClass", u"sectionTitle")

        self.coverageLayout.addWidget(self.coverageTitle)

        self.coverageTree = QTreeWidget(self.coverageFrame)
        self.coverageTree.setObjectName(u"coverageTree")
        self.coverageTree.setFrameShape(QFrame.Shape.NoFrame)
        self.coverageTree.setRootIsDecorated(False)
        self.coverageTree.setUniformRowHeights(True)
        self.coverageTree.setItemsExpandable(False)
        self.coverageTree.setAllColumnsShowFocus(True)
        self.coverageTree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.coverageTree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.coverageTree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.coverageTree.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.coverageLayout.addWidget(self.coverageTree)


        self.detailsGrid.addWidget(self.coverageFrame, 0, 1, 1, 1)

        self.interestsFrame = QFrame(self.detailsWidget)
        self.interestsFrame.setObjectName(u"interestsFrame")
        self.interestsFrame.setProperty(u"cssClass", u"card")
        self.interestsLayout = QVBoxLayout(self.interestsFrame)
        self.interestsLayout.setSpacing(6)
        self.interestsLayout.setObjectName(u"interestsLayout")
        self.interestsLayout.setContentsMargins(14, 12, 14, 12)
        self.interestsTitle = QLabel(self.interestsFrame)
        self.interestsTitle.setObjectName(u"interestsTitle")
        self.interestsTitle.setProperty(u"cssClass", u"sectionTitle")

        self.interestsLayout.addWidget(self.interestsTitle)

        self.interestsTree = QTreeWidget(self.interestsFrame)
        self.interestsTree.setObjectName(u"interestsTree")
        self.interestsTree.setFrameShape(QFrame.Shape.NoFrame)
        self.interestsTree.setRootIsDecorated(False)
        self.interestsTree.setUniformRowHeights(True)
        self.interestsTree.setItemsExpandable(False)
        self.interestsTree.setAllColumnsShowFocus(True)
        self.interestsTree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.interestsTree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.interestsTree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.interestsTree.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.interestsLayout.addWidget(self.interestsTree)


        self.detailsGrid.addWidget(self.interestsFrame, 1, 1, 1, 1)

        self.detailsScroll.setWidget(self.detailsWidget)
        self.cardSplitter.addWidget(self.detailsScroll)
        self.timelineFrame = QFrame(self.cardSplitter)
        self.timelineFrame.setObjectName(u"timelineFrame")
        self.timelineFrame.setProperty(u"cssClass", u"card")
        self.timelineLayout = QVBoxLayout(self.timelineFrame)
        self.timelineLayout.setSpacing(6)
        self.timelineLayout.setObjectName(u"timelineLayout")
        self.timelineLayout.setContentsMargins(0, 12, 0, 0)
        self.timelineHeader = QHBoxLayout()
        self.timelineHeader.setSpacing(8)
        self.timelineHeader.setObjectName(u"timelineHeader")
        self.timelineHeader.setContentsMargins(14, 0, 14, 0)
        self.timelineTitle = QLabel(self.timelineFrame)
        self.timelineTitle.setObjectName(u"timelineTitle")
        self.timelineTitle.setProperty(u"cssClass", u"sectionTitle")

        self.timelineHeader.addWidget(self.timelineTitle)

        self.timelineCount = QLabel(self.timelineFrame)
        self.timelineCount.setObjectName(u"timelineCount")
        self.timelineCount.setProperty(u"cssClass", u"muted")

        self.timelineHeader.addWidget(self.timelineCount)

        self.timelineSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.timelineHeader.addItem(self.timelineSpacer)


        self.timelineLayout.addLayout(self.timelineHeader)

        self.timelineView = QTableView(self.timelineFrame)
        self.timelineView.setObjectName(u"timelineView")
        self.timelineView.setFrameShape(QFrame.Shape.NoFrame)
        self.timelineView.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timelineView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timelineView.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.timelineView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timelineView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timelineView.setShowGrid(False)
        self.timelineView.setWordWrap(False)
        self.timelineView.setCornerButtonEnabled(False)
        self.timelineView.setProperty(u"cssClass", u"timeline")
        self.timelineView.horizontalHeader().setVisible(False)
        self.timelineView.horizontalHeader().setStretchLastSection(True)
        self.timelineView.verticalHeader().setVisible(False)

        self.timelineLayout.addWidget(self.timelineView)

        self.cardSplitter.addWidget(self.timelineFrame)

        self.cardLayout.addWidget(self.cardSplitter)


        self.retranslateUi(CustomerCard)

        QMetaObject.connectSlotsByName(CustomerCard)
    # setupUi

    def retranslateUi(self, CustomerCard):
#if QT_CONFIG(accessibility)
        CustomerCard.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Customer card", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.avatarLabel.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Customer initials", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.nameLabel.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Customer name", None))
#endif // QT_CONFIG(accessibility)
        self.tierBadge.setText("")
#if QT_CONFIG(accessibility)
        self.tierBadge.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Tier", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.tierBadge.setToolTip(QCoreApplication.translate("CustomerCard", u"Loyalty tier", None))
#endif // QT_CONFIG(tooltip)
        self.contactLabel.setText("")
#if QT_CONFIG(accessibility)
        self.contactLabel.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Phones and e-mails", None))
#endif // QT_CONFIG(accessibility)
        self.detailsLabel.setText("")
#if QT_CONFIG(accessibility)
        self.detailsLabel.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Origin, language and local time", None))
#endif // QT_CONFIG(accessibility)
        self.consentLabel.setText("")
#if QT_CONFIG(accessibility)
        self.consentLabel.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Consent", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.consentLabel.setToolTip(QCoreApplication.translate("CustomerCard", u"Channels the customer agreed to be contacted on", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.tagsHost.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Segment, milestones and tags", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.tagsHost.setToolTip(QCoreApplication.translate("CustomerCard", u"Segment, milestones and tags", None))
#endif // QT_CONFIG(tooltip)
        self.valueSegmentBadge.setText("")
#if QT_CONFIG(accessibility)
        self.valueSegmentBadge.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Value segment", None))
#endif // QT_CONFIG(accessibility)
        self.segmentBadge.setText("")
#if QT_CONFIG(accessibility)
        self.segmentBadge.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Segment", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.segmentBadge.setToolTip(QCoreApplication.translate("CustomerCard", u"Customer segment", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.valueStrip.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Customer value", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.clvTile.setToolTip(QCoreApplication.translate("CustomerCard", u"Paid orders minus refunds", None))
#endif // QT_CONFIG(tooltip)
        self.clvCaption.setText(QCoreApplication.translate("CustomerCard", u"Historical CLV", None))
        self.clvValue.setText(QCoreApplication.translate("CustomerCard", u"\u2014", None))
#if QT_CONFIG(accessibility)
        self.clvValue.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Historical CLV", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.predictedTile.setToolTip("")
#endif // QT_CONFIG(tooltip)
        self.predictedCaption.setText(QCoreApplication.translate("CustomerCard", u"Predicted CLV, 12 months", None))
        self.predictedValue.setText(QCoreApplication.translate("CustomerCard", u"\u2014", None))
#if QT_CONFIG(accessibility)
        self.predictedValue.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Predicted CLV", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.aliveTile.setToolTip("")
#endif // QT_CONFIG(tooltip)
        self.aliveCaption.setText(QCoreApplication.translate("CustomerCard", u"Likely still active", None))
        self.aliveValue.setText(QCoreApplication.translate("CustomerCard", u"\u2014", None))
#if QT_CONFIG(accessibility)
        self.aliveValue.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Likely still active", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.surveyTile.setToolTip(QCoreApplication.translate("CustomerCard", u"Most recent survey answers", None))
#endif // QT_CONFIG(tooltip)
        self.surveyCaption.setText(QCoreApplication.translate("CustomerCard", u"Last CSAT / NPS", None))
        self.surveyValue.setText(QCoreApplication.translate("CustomerCard", u"\u2014", None))
#if QT_CONFIG(accessibility)
        self.surveyValue.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Last CSAT / NPS", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.complaintsTile.setToolTip(QCoreApplication.translate("CustomerCard", u"Complaints not resolved yet", None))
#endif // QT_CONFIG(tooltip)
        self.complaintsCaption.setText(QCoreApplication.translate("CustomerCard", u"Open complaints", None))
        self.complaintsValue.setText(QCoreApplication.translate("CustomerCard", u"\u2014", None))
#if QT_CONFIG(accessibility)
        self.complaintsValue.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Open complaints", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.detailsScroll.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Purchases and coverage", None))
#endif // QT_CONFIG(accessibility)
        self.purchasesTitle.setText(QCoreApplication.translate("CustomerCard", u"Recent purchases", None))
        ___qtreewidgetitem = self.purchasesTree.headerItem()
        ___qtreewidgetitem.setText(3, QCoreApplication.translate("CustomerCard", u"Status", None))
        ___qtreewidgetitem.setText(2, QCoreApplication.translate("CustomerCard", u"Amount", None))
        ___qtreewidgetitem.setText(1, QCoreApplication.translate("CustomerCard", u"Date", None))
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("CustomerCard", u"Order", None))
#if QT_CONFIG(accessibility)
        self.purchasesTree.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Recent purchases", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.coverageFrame.setToolTip(QCoreApplication.translate("CustomerCard", u"Ending within 30 days is highlighted", None))
#endif // QT_CONFIG(tooltip)
        self.coverageTitle.setText(QCoreApplication.translate("CustomerCard", u"Subscriptions and warranties", None))
        ___qtreewidgetitem1 = self.coverageTree.headerItem()
        ___qtreewidgetitem1.setText(2, QCoreApplication.translate("CustomerCard", u"Ends", None))
        ___qtreewidgetitem1.setText(1, QCoreApplication.translate("CustomerCard", u"Type", None))
        ___qtreewidgetitem1.setText(0, QCoreApplication.translate("CustomerCard", u"Product", None))
#if QT_CONFIG(accessibility)
        self.coverageTree.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Subscriptions and warranties", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.interestsFrame.setToolTip(QCoreApplication.translate("CustomerCard", u"Products left in a cart or abandoned at checkout", None))
#endif // QT_CONFIG(tooltip)
        self.interestsTitle.setText(QCoreApplication.translate("CustomerCard", u"Unfinished purchases", None))
        ___qtreewidgetitem2 = self.interestsTree.headerItem()
        ___qtreewidgetitem2.setText(1, QCoreApplication.translate("CustomerCard", u"Stage", None))
        ___qtreewidgetitem2.setText(0, QCoreApplication.translate("CustomerCard", u"Product", None))
#if QT_CONFIG(accessibility)
        self.interestsTree.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Unfinished purchases", None))
#endif // QT_CONFIG(accessibility)
        self.timelineTitle.setText(QCoreApplication.translate("CustomerCard", u"Timeline", None))
        self.timelineCount.setText("")
#if QT_CONFIG(accessibility)
        self.timelineCount.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Timeline status", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.timelineView.setAccessibleName(QCoreApplication.translate("CustomerCard", u"Timeline", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.timelineView.setToolTip(QCoreApplication.translate("CustomerCard", u"Every contact, newest first (Ctrl+T). PageDown scrolls; older items load as you go.", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

