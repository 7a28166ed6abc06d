"""A stroke of the voter's joined to a ghost of print is not print residue (stress seed 1796234379 count 4
page 0: a "?" written on a table rule, off by a pixel or two after registration; the rule's ghost was most of
the blob, which vanished "by share" once re-aligned, and the ballot was counted without the mark)."""
import numpy as np

from kiemphieu.detect.blank import prepare_blank
from kiemphieu.detect.ink import ink_map
from kiemphieu.detect.pen import is_print_residue, longest_piece
from kiemphieu.records import Box

from synthetic import TH, layout, printed, slot


def test_longest_piece():
    m = np.zeros((10, 12), bool)
    assert longest_piece(m) == 0
    m[2, 1:4] = True          # 3 wide
    m[4:9, 8] = True          # 5 tall
    assert longest_piece(m) == 5


def _rule_page(stem: bool):
    """A blank with a 2 px rule across the paper under the names; the page shows it 2 px lower (a ghost
    above and below it) and, when ``stem``, a 3 px wide stroke 0.8 text heights tall standing on the rule."""
    lay = layout((slot(0, y0=40, x0=40, width=120),))
    frame = printed(lay)
    frame[200:202, 40:360] = 0
    page = frame.copy()
    page[200:204, 40:360] = 255
    page[202:204, 40:360] = 0
    mask = np.zeros(frame.shape, np.uint8)
    mask[202:204, 40:360] = 1                 # the pen mask of the page-wide registration: the ghost
    if stem:
        n = int(0.8 * TH)
        page[202 - n:202, 150:153] = 30
        mask[202 - n:202, 150:153] = 1
    return lay, frame, page, mask


def test_a_rule_ghost_is_residue():
    lay, frame, page, mask = _rule_page(stem=False)
    ref = prepare_blank(frame, lay)
    assert is_print_residue(ref, ink_map(page), mask, Box(40, 202, 360, 204), TH)


def test_a_stroke_on_a_rule_ghost_is_not_residue():
    lay, frame, page, mask = _rule_page(stem=True)
    ref = prepare_blank(frame, lay)
    stem_share = mask[180:202].sum() / mask.sum()
    assert stem_share < 0.5                   # by share alone it would have vanished with the ghost
    assert not is_print_residue(ref, ink_map(page), mask, Box(40, 202 - int(0.8 * TH), 360, 204), TH)


def test_a_ghost_just_beside_the_print_stays_residue():
    """A blurred photo's rule ghost that re-alignment cannot remove lies a pixel or two beside the widened
    print (public phone-party-table ballot_0003): a long piece there is no stroke (RESIDUE_GHOST_REACH_TH)."""
    lay = layout((slot(0, y0=40, x0=40, width=120),))
    frame = printed(lay)
    frame[200:202, 40:360] = 0
    page = frame.copy()
    page[204:206, 40:360] = 60                # dark, 1 px beyond the print widened by PAGE_SPREAD_PX
    mask = np.zeros(frame.shape, np.uint8)
    mask[202:207, 40:360] = 1
    ref = prepare_blank(frame, lay)
    assert is_print_residue(ref, ink_map(page), mask, Box(40, 202, 360, 207), TH)
