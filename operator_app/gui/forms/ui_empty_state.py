# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'empty_state.ui'
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
from PySide6.QtWidgets import (QApplication, QLabel, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_EmptyState(object):
    def setupUi(self, EmptyState):
        if not EmptyState.objectName():
            EmptyState.setObjectName(u"EmptyState")
        EmptyState.resize(640, 600)
        self.emptyLayout = QVBoxLayout(EmptyState)
        self.emptyLayout.setSpacing(10)
        self.emptyLayout.setObjectName(u"emptyLayout")
        self.emptyLayout.setContentsMargins(32, 32, 32, 32)
        self.emptyTopSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.emptyLayout.addItem(self.emptyTopSpacer)

        self.iconLabel = QLabel(EmptyState)
        self.iconLabel.setObjectName(u"iconLabel")
        self.iconLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.iconLabel.setMinimumSize(QSize(0, 72))

        self.emptyLayout.addWidget(self.iconLabel)

        self.titleLabel = QLabel(EmptyState)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"cssClass", u"pageTitle")
        self.titleLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.emptyLayout.addWidget(self.titleLabel)

        self.hintLabel = QLabel(EmptyState)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setProperty(u"cssClass", u"muted")
        self.hintLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hintLabel.setWordWrap(True)

        self.emptyLayout.addWidget(self.hintLabel)

        self.shortcutsLabel = QLabel(EmptyState)
        self.shortcutsLabel.setObjectName(u"shortcutsLabel")
        self.shortcutsLabel.setProperty(u"cssClass", u"shortcuts")
        self.shortcutsLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shortcutsLabel.setTextFormat(Qt.TextFormat.RichText)

        self.emptyLayout.addWidget(self.shortcutsLabel)

        self.emptyBottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.emptyLayout.addItem(self.emptyBottomSpacer)


        self.retranslateUi(EmptyState)

        QMetaObject.connectSlotsByName(EmptyState)
    # setupUi

    def retranslateUi(self, EmptyState):
#if QT_CONFIG(accessibility)
        EmptyState.setAccessibleName(QCoreApplication.translate("EmptyState", u"No customer open", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("EmptyState", u"Find a customer", None))
        self.hintLabel.setText(QCoreApplication.translate("EmptyState", u"Type a name, a phone number in any format, an e-mail, an order or contract number.", None))
        self.shortcutsLabel.setText("")
#if QT_CONFIG(accessibility)
        self.shortcutsLabel.setAccessibleName(QCoreApplication.translate("EmptyState", u"Keyboard shortcuts", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

