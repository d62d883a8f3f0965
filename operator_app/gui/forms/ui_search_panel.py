# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'search_panel.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QHBoxLayout,
    QLabel, QLineEdit, QListView, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_SearchPanel(object):
    def setupUi(self, SearchPanel):
        if not SearchPanel.objectName():
            SearchPanel.setObjectName(u"SearchPanel")
        SearchPanel.resize(320, 760)
        self.panelLayout = QVBoxLayout(SearchPanel)
        self.panelLayout.setSpacing(8)
        self.panelLayout.setObjectName(u"panelLayout")
        self.panelLayout.setContentsMargins(12, 12, 12, 12)
        self.searchEdit = QLineEdit(SearchPanel)
        self.searchEdit.setObjectName(u"searchEdit")
        self.searchEdit.setClearButtonEnabled(True)

        self.panelLayout.addWidget(self.searchEdit)

        self.resultsHeader = QLabel(SearchPanel)
        self.resultsHeader.setObjectName(u"resultsHeader")
        self.resultsHeader.setProperty(u"cssClass", u"sectionTitle")

        self.panelLayout.addWidget(self.resultsHeader)

        self.resultsView = QListView(SearchPanel)
        self.resultsView.setObjectName(u"resultsView")
        self.resultsView.setFrameShape(QFrame.Shape.NoFrame)
        self.resultsView.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.resultsView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.resultsView.setUniformItemSizes(True)
        self.resultsView.setProperty(u"cssClass", u"sideList")

        self.panelLayout.addWidget(self.resultsView)

        self.worklists = QWidget(SearchPanel)
        self.worklists.setObjectName(u"worklists")
        self.worklistsLayout = QVBoxLayout(self.worklists)
        self.worklistsLayout.setSpacing(4)
        self.worklistsLayout.setObjectName(u"worklistsLayout")
        self.worklistsLayout.setContentsMargins(0, 0, 0, 0)
        self.mineHeaderRow = QWidget(self.worklists)
        self.mineHeaderRow.setObjectName(u"mineHeaderRow")
        self.mineHeaderLayout = QHBoxLayout(self.mineHeaderRow)
        self.mineHeaderLayout.setSpacing(8)
        self.mineHeaderLayout.setObjectName(u"mineHeaderLayout")
        self.mineHeaderLayout.setContentsMargins(0, 4, 4, 0)
        self.mineHeader = QLabel(self.mineHeaderRow)
        self.mineHeader.setObjectName(u"mineHeader")
        self.mineHeader.setProperty(u"cssClass", u"sectionTitle")

        self.mineHeaderLayout.addWidget(self.mineHeader)

        self.mineCount = QLabel(self.mineHeaderRow)
        self.mineCount.setObjectName(u"mineCount")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.mineCount.sizePolicy().hasHeightForWidth())
        self.mineCount.setSizePolicy(sizePolicy)
        self.mineCount.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.mineCount.setProperty(u"cssClass", u"sectionCount")

        self.mineHeaderLayout.addWidget(self.mineCount)


        self.worklistsLayout.addWidget(self.mineHeaderRow)

        self.mineView = QListView(self.worklists)
        self.mineView.setObjectName(u"mineView")
        self.mineView.setFrameShape(QFrame.Shape.NoFrame)
        self.mineView.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.mineView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mineView.setUniformItemSizes(True)
        self.mineView.setProperty(u"cssClass", u"sideList")

        self.worklistsLayout.addWidget(self.mineView)

        self.followUpsHeaderRow = QWidget(self.worklists)
        self.followUpsHeaderRow.setObjectName(u"followUpsHeaderRow")
        self.followUpsHeaderLayout = QHBoxLayout(self.followUpsHeaderRow)
        self.followUpsHeaderLayout.setSpacing(8)
        self.followUpsHeaderLayout.setObjectName(u"followUpsHeaderLayout")
        self.followUpsHeaderLayout.setContentsMargins(0, 4, 4, 0)
        self.followUpsHeader = QLabel(self.followUpsHeaderRow)
        self.followUpsHeader.setObjectName(u"followUpsHeader")
        self.followUpsHeader.setProperty(u"cssClass", u"sectionTitle")

        self.followUpsHeaderLayout.addWidget(self.followUpsHeader)

        self.followUpsCount = QLabel(self.followUpsHeaderRow)
        self.followUpsCount.setObjectName(u"followUpsCount")
        sizePolicy.setHeightForWidth(self.followUpsCount.sizePolicy().hasHeightForWidth())
        self.followUpsCount.setSizePolicy(sizePolicy)
        self.followUpsCount.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.followUpsCount.setProperty(u"cssClass", u"sectionCount")

        self.followUpsHeaderLayout.addWidget(self.followUpsCount)


        self.worklistsLayout.addWidget(self.followUpsHeaderRow)

        self.followUpsView = QListView(self.worklists)
        self.followUpsView.setObjectName(u"followUpsView")
        self.followUpsView.setFrameShape(QFrame.Shape.NoFrame)
        self.followUpsView.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.followUpsView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.followUpsView.setUniformItemSizes(True)
        self.followUpsView.setProperty(u"cssClass", u"sideList")

        self.worklistsLayout.addWidget(self.followUpsView)

        self.waitingHeaderRow = QWidget(self.worklists)
        self.waitingHeaderRow.setObjectName(u"waitingHeaderRow")
        self.waitingHeaderLayout = QHBoxLayout(self.waitingHeaderRow)
        self.waitingHeaderLayout.setSpacing(8)
        self.waitingHeaderLayout.setObjectName(u"waitingHeaderLayout")
        self.waitingHeaderLayout.setContentsMargins(0, 4, 4, 0)
        self.waitingHeader = QLabel(self.waitingHeaderRow)
        self.waitingHeader.setObjectName(u"waitingHeader")
        self.waitingHeader.setProperty(u"cssClass", u"sectionTitle")

        self.waitingHeaderLayout.addWidget(self.waitingHeader)

        self.waitingCount = QLabel(self.waitingHeaderRow)
        self.waitingCount.setObjectName(u"waitingCount")
        sizePolicy.setHeightForWidth(self.waitingCount.sizePolicy().hasHeightForWidth())
        self.waitingCount.setSizePolicy(sizePolicy)
        self.waitingCount.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.waitingCount.setProperty(u"cssClass", u"sectionCount")

        self.waitingHeaderLayout.addWidget(self.waitingCount)


        self.worklistsLayout.addWidget(self.waitingHeaderRow)

        self.waitingView = QListView(self.worklists)
        self.waitingView.setObjectName(u"waitingView")
        self.waitingView.setFrameShape(QFrame.Shape.NoFrame)
        self.waitingView.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.waitingView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.waitingView.setUniformItemSizes(True)
        self.waitingView.setProperty(u"cssClass", u"sideList")

        self.worklistsLayout.addWidget(self.waitingView)


        self.panelLayout.addWidget(self.worklists)


        self.retranslateUi(SearchPanel)

        QMetaObject.connectSlotsByName(SearchPanel)
    # setupUi

    def retranslateUi(self, SearchPanel):
#if QT_CONFIG(accessibility)
        SearchPanel.setAccessibleName(QCoreApplication.translate("SearchPanel", u"Worklist and search", None))
#endif // QT_CONFIG(accessibility)
        self.searchEdit.setPlaceholderText(QCoreApplication.translate("SearchPanel", u"Name, phone, e-mail, order", None))
#if QT_CONFIG(tooltip)
        self.searchEdit.setToolTip(QCoreApplication.translate("SearchPanel", u"Search as you type (Ctrl+F or F3). Down moves into the results, Enter opens a card.", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.searchEdit.setAccessibleName(QCoreApplication.translate("SearchPanel", u"Customer search", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.searchEdit.setAccessibleDescription(QCoreApplication.translate("SearchPanel", u"Type a name, phone in any format, e-mail, order or contract number", None))
#endif // QT_CONFIG(accessibility)
        self.resultsHeader.setText(QCoreApplication.translate("SearchPanel", u"Results", None))
#if QT_CONFIG(accessibility)
        self.resultsView.setAccessibleName(QCoreApplication.translate("SearchPanel", u"Search results", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.resultsView.setToolTip(QCoreApplication.translate("SearchPanel", u"Up/Down to move, Enter to open, Esc or Backspace to go back to the search box", None))
#endif // QT_CONFIG(tooltip)
        self.mineHeader.setText(QCoreApplication.translate("SearchPanel", u"My open contacts", None))
#if QT_CONFIG(tooltip)
        self.mineHeader.setToolTip(QCoreApplication.translate("SearchPanel", u"Conversations assigned to you that are not resolved (Ctrl+Shift+1)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.mineView.setAccessibleName(QCoreApplication.translate("SearchPanel", u"My open contacts", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.mineView.setToolTip(QCoreApplication.translate("SearchPanel", u"Up/Down to move, Enter to open the customer at this conversation, Esc to go back to the search box", None))
#endif // QT_CONFIG(tooltip)
        self.followUpsHeader.setText(QCoreApplication.translate("SearchPanel", u"Follow-ups due", None))
#if QT_CONFIG(tooltip)
        self.followUpsHeader.setToolTip(QCoreApplication.translate("SearchPanel", u"Promised call-backs and replies due by the end of today; overdue ones are marked red (Ctrl+Shift+2)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.followUpsView.setAccessibleName(QCoreApplication.translate("SearchPanel", u"Follow-ups due", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.followUpsView.setToolTip(QCoreApplication.translate("SearchPanel", u"Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze the follow-up", None))
#endif // QT_CONFIG(tooltip)
        self.waitingHeader.setText(QCoreApplication.translate("SearchPanel", u"Waiting for our reply", None))
#if QT_CONFIG(tooltip)
        self.waitingHeader.setToolTip(QCoreApplication.translate("SearchPanel", u"Customers who wrote last and have waited longer than the channel's reply target (Ctrl+Shift+3)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.waitingView.setAccessibleName(QCoreApplication.translate("SearchPanel", u"Waiting for our reply", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.waitingView.setToolTip(QCoreApplication.translate("SearchPanel", u"Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

