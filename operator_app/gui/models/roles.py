"""Item data roles shared by the models and the delegates that paint them."""

from __future__ import annotations

from PySide6.QtCore import Qt

_BASE = Qt.ItemDataRole.UserRole.value

ID_ROLE = _BASE + 1
"""The row's entity id (``uuid.UUID``) or ``None`` while the row is not loaded."""
ITEM_ROLE = _BASE + 2
"""The whole domain object behind the row (summary, timeline item, worklist item)."""
IS_OPEN_ROLE = _BASE + 3
"""True for rows that stand for an open contact; views highlight them."""
CUSTOMER_ID_ROLE = _BASE + 4
"""The customer a row leads to (for worklists the row itself is a conversation)."""
DETAIL_ROLE = _BASE + 5
"""Second, muted line of a two-line row."""
AUX_ROLE = _BASE + 6
"""Short right-aligned text of a two-line row (time, tier)."""
ACCENT_ROLE = _BASE + 7
"""How a two-line row is marked: ``"open"``, ``"overdue"``, ``"warning"`` or ``None``."""
ICON_ROLE = _BASE + 8
"""Name of the icon in ``resources/icons`` (without ``.svg``) drawn at the row's left."""
