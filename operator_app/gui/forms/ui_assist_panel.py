# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'assist_panel.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QLabel,
    QListWidget, QListWidgetItem, QScrollArea, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_AssistPanel(object):
    def setupUi(self, AssistPanel):
        if not AssistPanel.objectName():
            AssistPanel.setObjectName(u"AssistPanel")
        AssistPanel.resize(300, 760)
        self.assistLayout = QVBoxLayout(AssistPanel)
        self.assistLayout.setSpacing(8)
        self.assistLayout.setObjectName(u"assistLayout")
        self.assistLayout.setContentsMargins(12, 12, 12, 12)
        self.titleLabel = QLabel(AssistPanel)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"cssClass", u"panelTitle")

        self.assistLayout.addWidget(self.titleLabel)

        self.assistScroll = QScrollArea(AssistPanel)
        self.assistScroll.setObjectName(u"assistScroll")
        self.assistScroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.assistScroll.setFrameShape(QFrame.Shape.NoFrame)
        self.assistScroll.setWidgetResizable(True)
        self.assistScroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.assistContent = QWidget()
        self.assistContent.setObjectName(u"assistContent")
        self.assistContent.setProperty(u"cssClass", u"transparent")
        self.assistContentLayout = QVBoxLayout(self.assistContent)
        self.assistContentLayout.setSpacing(8)
        self.assistContentLayout.setObjectName(u"assistContentLayout")
        self.assistContentLayout.setContentsMargins(0, 0, 8, 0)
        self.customerLabel = QLabel(self.assistContent)
        self.customerLabel.setObjectName(u"customerLabel")
        self.customerLabel.setProperty(u"cssClass", u"muted")
        self.customerLabel.setWordWrap(True)

        self.assistContentLayout.addWidget(self.customerLabel)

        self.warningsHeader = QLabel(self.assistContent)
        self.warningsHeader.setObjectName(u"warningsHeader")
        self.warningsHeader.setProperty(u"cssClass", u"sectionTitle")

        self.assistContentLayout.addWidget(self.warningsHeader)

        self.warningsList = QListWidget(self.assistContent)
        self.warningsList.setObjectName(u"warningsList")
        self.warningsList.setFrameShape(QFrame.Shape.NoFrame)
        self.warningsList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.warningsList.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.warningsList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.warningsList.setUniformItemSizes(True)
        self.warningsList.setProperty(u"cssClass", u"sideList")

        self.assistContentLayout.addWidget(self.warningsList)

        self.warningsEmpty = QLabel(self.assistContent)
        self.warningsEmpty.setObjectName(u"warningsEmpty")
        self.warningsEmpty.setProperty(u"cssClass", u"muted")
        self.warningsEmpty.setWordWrap(True)

        self.assistContentLayout.addWidget(self.warningsEmpty)

        self.offersHost = QWidget(self.assistContent)
        self.offersHost.setObjectName(u"offersHost")
        self.offersHostLayout = QVBoxLayout(self.offersHost)
        self.offersHostLayout.setObjectName(u"offersHostLayout")
        self.offersHostLayout.setContentsMargins(0, 4, 0, 4)

        self.assistContentLayout.addWidget(self.offersHost)

        self.conversationsHeader = QLabel(self.assistContent)
        self.conversationsHeader.setObjectName(u"conversationsHeader")
        self.conversationsHeader.setProperty(u"cssClass", u"sectionTitle")

        self.assistContentLayout.addWidget(self.conversationsHeader)

        self.conversationsList = QListWidget(self.assistContent)
        self.conversationsList.setObjectName(u"conversationsList")
        self.conversationsList.setFrameShape(QFrame.Shape.NoFrame)
        self.conversationsList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conversationsList.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.conversationsList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conversationsList.setUniformItemSizes(True)
        self.conversationsList.setProperty(u"cssClass", u"sideList")

        self.assistContentLayout.addWidget(self.conversationsList)

        self.conversationsEmpty = QLabel(self.assistContent)
        self.conversationsEmpty.setObjectName(u"conversationsEmpty")
        self.conversationsEmpty.setProperty(u"cssClass", u"muted")
        self.conversationsEmpty.setWordWrap(True)

        self.assistContentLayout.addWidget(self.conversationsEmpty)

        self.assistSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.assistContentLayout.addItem(self.assistSpacer)

        self.assistScroll.setWidget(self.assistContent)

        self.assistLayout.addWidget(self.assistScroll)


        self.retranslateUi(AssistPanel)

        QMetaObject.connectSlotsByName(AssistPanel)
    # setupUi

    def retranslateUi(self, AssistPanel):
#if QT_CONFIG(accessibility)
        AssistPanel.setAccessibleName(QCoreApplication.translate("AssistPanel", u"Assist panel", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("AssistPanel", u"Assist", None))
#if QT_CONFIG(accessibility)
        self.assistScroll.setAccessibleName(QCoreApplication.translate("AssistPanel", u"Assist panel content", None))
#endif // QT_CONFIG(accessibility)
        self.customerLabel.setText(QCoreApplication.translate("AssistPanel", u"Open a customer to see what needs attention.", None))
#if QT_CONFIG(accessibility)
        self.customerLabel.setAccessibleName(QCoreApplication.translate("AssistPanel", u"Assist panel status", None))
#endif // QT_CONFIG(accessibility)
        self.warningsHeader.setText(QCoreApplication.translate("AssistPanel", u"Heads-up", None))
#if QT_CONFIG(tooltip)
        self.warningsHeader.setToolTip(QCoreApplication.translate("AssistPanel", u"Subscriptions, warranties and support ending within 30 days", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.warningsList.setAccessibleName(QCoreApplication.translate("AssistPanel", u"Warnings", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.warningsList.setToolTip(QCoreApplication.translate("AssistPanel", u"Subscriptions, warranties and support ending within 30 days", None))
#endif // QT_CONFIG(tooltip)
        self.warningsEmpty.setText(QCoreApplication.translate("AssistPanel", u"Nothing ends in the next 30 days.", None))
#if QT_CONFIG(accessibility)
        self.offersHost.setAccessibleName(QCoreApplication.translate("AssistPanel", u"Offers", None))
#endif // QT_CONFIG(accessibility)
        self.conversationsHeader.setText(QCoreApplication.translate("AssistPanel", u"Open conversations", None))
#if QT_CONFIG(accessibility)
        self.conversationsList.setAccessibleName(QCoreApplication.translate("AssistPanel", u"Open conversations of this customer", None))
#endif // QT_CONFIG(accessibility)
        self.conversationsEmpty.setText(QCoreApplication.translate("AssistPanel", u"No open conversations.", None))
    # retranslateUi

