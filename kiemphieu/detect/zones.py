"""The areas of the template frame that each judgement looks at, from the layout and the text height.

Pure geometry: boxes in, boxes out, in template-frame px. Shared by the pen (where to align and
compare), strike reading, box reading and the page reader (which ink belongs to which name).
"""
from __future__ import annotations

import math

import numpy as np

from ..records import Box, Slot
from . import thresholds as T


def name_zone(slot: Slot, text_h: int) -> Box:
    """The printed name with the margin (``NEAR_NAME_TH``) within which ink touches it."""
    near = int(T.NEAR_NAME_TH * text_h)
    return slot.name.grow(near, near)


def x_height(slot: Slot) -> int:
    """The name's x-height, px: from its x-line to its baseline (``layout.letter_cores``), at least 1."""
    return max(1, slot.core_y1 - slot.core_y0)


def through_band(slot: Slot) -> tuple[float, float]:
    """Rows (top, bottom; template px) between which a stroke's middle runs through the name's letters:
    its letters' bodies with ``STRIKE_BAND_XH`` x-heights to spare above and below."""
    xh = x_height(slot)
    return slot.core_y0 - T.STRIKE_BAND_XH * xh, slot.core_y1 - 1 + T.STRIKE_BAND_XH * xh


def strike_zone(slot: Slot) -> Box:
    """Where the pen over a name is looked at: from ``STRIKE_SEARCH_ABOVE_XH`` above its x-line (its
    capitals and accents) to ``STRIKE_SEARCH_BELOW_XH`` below its baseline (its descenders, an underline),
    over the name's width, within its row."""
    xh = x_height(slot)
    top = max(slot.row.y0, int(slot.core_y0 - T.STRIKE_SEARCH_ABOVE_XH * xh))
    bottom = min(slot.row.y1, int(np.ceil(slot.core_y1 + T.STRIKE_SEARCH_BELOW_XH * xh)))
    return Box(slot.name.x0, top, slot.name.x1, max(top, bottom))


def box_ring(box: Box) -> Box:
    """A printed box with the ring around it where a mark may spill (``BOX_SURROUND_SHARE``)."""
    side = min(box.w, box.h)
    return box.grow(int(T.BOX_SURROUND_SHARE * side), int(T.BOX_SURROUND_SHARE * side))


def box_core(box: Box) -> Box:
    """A printed box less ``BOX_CORE_INSET_SHARE`` of its side on each side: ink reaching in there is in it."""
    return box.grow(-math.ceil(box.w * T.BOX_CORE_INSET_SHARE), -math.ceil(box.h * T.BOX_CORE_INSET_SHARE))


def contains(outer: Box, inner: Box) -> bool:
    """True when ``inner`` lies wholly inside ``outer``."""
    return outer.x0 <= inner.x0 and outer.y0 <= inner.y0 and inner.x1 <= outer.x1 and inner.y1 <= outer.y1


def box_inside(box: Box, w: int, h: int) -> Box:
    """A printed box without its border (``BOX_INSET_SHARE`` of its side), clipped to the page."""
    m = max(T.MIN_BOX_INSET_PX, int(T.BOX_INSET_SHARE * min(box.w, box.h)))
    return Box(box.x0 + m, box.y0 + m, box.x1 - m, box.y1 - m).clip(w, h)
