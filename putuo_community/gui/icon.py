"""The window icon, drawn in code (a house on a blue tile) so it needs no resource file or font."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

_TILE = QColor("#1f5fa8")
_HOUSE = QColor("#ffffff")
_DOOR = QColor("#f2b632")


def _draw(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    s = float(size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(_TILE))
    painter.drawRoundedRect(QRectF(0, 0, s, s), s * 0.18, s * 0.18)

    roof = QPainterPath(QPointF(s * 0.16, s * 0.50))
    roof.lineTo(QPointF(s * 0.50, s * 0.18))
    roof.lineTo(QPointF(s * 0.84, s * 0.50))
    pen = QPen(_HOUSE, max(1.0, s * 0.08))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(roof)

    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(_HOUSE))
    painter.drawRect(QRectF(s * 0.26, s * 0.48, s * 0.48, s * 0.34))
    painter.setBrush(QBrush(_DOOR))
    painter.drawRect(QRectF(s * 0.44, s * 0.60, s * 0.12, s * 0.22))
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_draw(size))
    return icon
