"""The areas of the template frame that each judgement looks at, from the layout and the text height.

Pure geometry: boxes in, boxes out, in template-frame px. Shared by the pen (where to align and
compare), strike reading, box reading and the page reader (which ink belongs to which name).
"""
from __future__ import annotations

import math

from ..records import Box, Slot
from . import thresholds as T


def name_zone(slot: Slot, text_h: int) -> Box:
    """The printed name with the margin (``NEAR_NAME_TH``) within which ink touches it."""
    near = int(T.NEAR_NAME_TH * text_h)
    return slot.name.grow(near, near)


def strike_zone(slot: Slot, text_h: int) -> Box:
    """The band across a name where a stroke strikes it: from above the letters' bodies to just below
    the baseline (``STRIKE_ABOVE_CORE_TH``, ``STRIKE_BELOW_CORE_TH``), over the name's width."""
    top = int(slot.core_y0 - T.STRIKE_ABOVE_CORE_TH * text_h)
    bottom = int(slot.core_y1 + T.STRIKE_BELOW_CORE_TH * text_h) + 1
    return Box(slot.name.x0, top, slot.name.x1, bottom)


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
