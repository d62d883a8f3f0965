# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'unknown_caller.ui'
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
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_UnknownCaller(object):
    def setupUi(self, UnknownCaller):
        if not UnknownCaller.objectName():
            UnknownCaller.setObjectName(u"UnknownCaller")
        UnknownCaller.resize(640, 600)
        self.unknownLayout = QVBoxLayout(UnknownCaller)
        self.unknownLayout.setSpacing(10)
        self.unknownLayout.setObjectName(u"unknownLayout")
        self.unknownLayout.setContentsMargins(32, 32, 32, 32)
        self.topSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.unknownLayout.addItem(self.topSpacer)

        self.iconLabel = QLabel(UnknownCaller)
        self.iconLabel.setObjectName(u"iconLabel")
        self.iconLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.iconLabel.setMinimumSize(QSize(0, 72))

        self.unknownLayout.addWidget(self.iconLabel)

        self.titleLabel = QLabel(UnknownCaller)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"cssClass", u"pageTitle")
        self.titleLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.unknownLayout.addWidget(self.titleLabel)

        self.numberLabel = QLabel(UnknownCaller)
        self.numberLabel.setObjectName(u"numberLabel")
        self.numberLabel.setProperty(u"cssClass", u"bigNumber")
        self.numberLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.numberLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.unknownLayout.addWidget(self.numberLabel)

        self.hintLabel = QLabel(UnknownCaller)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setProperty(u"cssClass", u"muted")
        self.hintLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hintLabel.setWordWrap(True)

        self.unknownLayout.addWidget(self.hintLabel)

        self.buttonsRow = QHBoxLayout()
        self.buttonsRow.setSpacing(10)
        self.buttonsRow.setObjectName(u"buttonsRow")
        self.leftButtonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonsRow.addItem(self.leftButtonSpacer)

        self.createButton = QPushButton(UnknownCaller)
        self.createButton.setObjectName(u"createButton")
        self.createButton.setProperty(u"cssClass", u"primary")

        self.buttonsRow.addWidget(self.createButton)

        self.searchButton = QPushButton(UnknownCaller)
        self.searchButton.setObjectName(u"searchButton")

        self.buttonsRow.addWidget(self.searchButton)

        self.rightButtonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonsRow.addItem(self.rightButtonSpacer)


        self.unknownLayout.addLayout(self.buttonsRow)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.unknownLayout.addItem(self.bottomSpacer)


        self.retranslateUi(UnknownCaller)

        QMetaObject.connectSlotsByName(UnknownCaller)
    # setupUi

    def retranslateUi(self, UnknownCaller):
#if QT_CONFIG(accessibility)
        UnknownCaller.setAccessibleName(QCoreApplication.translate("UnknownCaller", u"Unknown caller", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.iconLabel.setAccessibleName(QCoreApplication.translate("UnknownCaller", u"Unknown caller icon", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("UnknownCaller", u"Unknown caller", None))
        self.numberLabel.setText("")
#if QT_CONFIG(accessibility)
        self.numberLabel.setAccessibleName(QCoreApplication.translate("UnknownCaller", u"Caller's number", None))
#endif // QT_CONFIG(accessibility)
        self.hintLabel.setText(QCoreApplication.translate("UnknownCaller", u"No customer in the local cache has this number.", None))
        self.createButton.setText(QCoreApplication.translate("UnknownCaller", u"Create customer\u2026", None))
#if QT_CONFIG(accessibility)
        self.createButton.setAccessibleName(QCoreApplication.translate("UnknownCaller", u"Create customer", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.createButton.setToolTip(QCoreApplication.translate("UnknownCaller", u"Start a new customer card with this number (Ctrl+N)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.createButton.setShortcut(QCoreApplication.translate("UnknownCaller", u"Ctrl+N", None))
#endif // QT_CONFIG(shortcut)
        self.searchButton.setText(QCoreApplication.translate("UnknownCaller", u"Search by name", None))
#if QT_CONFIG(accessibility)
        self.searchButton.setAccessibleName(QCoreApplication.translate("UnknownCaller", u"Search by name", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.searchButton.setToolTip(QCoreApplication.translate("UnknownCaller", u"The caller may be on file under another number (Ctrl+F)", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

