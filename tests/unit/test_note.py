"""A note lying on the ballot is found by its paper: another colour than the ballot's own paper (colour files)
or another grey level with a step at its edge (grey files); seals, pen strokes, the ballot's own coloured
paper and uneven light are not notes."""
import cv2
import numpy as np

from kiemphieu.detect import note as N
from kiemphieu.detect import thresholds as T
from kiemphieu.records import Box
from kiemphieu.scan.load import COLOUR_MIN_SIDE_PX, PageTask, page_colour

TH = 25                        # text height, template px: map cells of 4 px
W, H = 800, 1100               # template frame, px
PINK = (228, 221, 250)         # BGR: the ballot's paper ...
YELLOW = (120, 236, 250)       # ... a sticky note ...
LIGHT_YELLOW = (200, 245, 252)
SLIP = (242, 246, 246)
RED = (40, 40, 210)
BLUE = (200, 80, 30)


def paper(colour=PINK, seed=0) -> np.ndarray:
    """A colour page (BGR uint8, template frame) of one paper with rows of black print and a little noise."""
    rng = np.random.default_rng(seed)
    img = np.empty((H, W, 3), np.uint8)
    img[:] = colour
    for y in range(150, 900, 50):               # printed names: black strokes
        cv2.putText(img, "Nguyen Van A", (120, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 20), 2)
        cv2.line(img, (100, y + 15), (700, y + 15), (20, 20, 20), 2)
    return np.clip(img + rng.normal(0, 2.0, img.shape), 0, 255).astype(np.uint8)


def lay(img: np.ndarray, colour, centre, size, angle=8.0) -> np.ndarray:
    """``img`` with a rotated filled rectangle of ``colour`` (a note) and a line of writing on it."""
    out = img.copy()
    pts = cv2.boxPoints((centre, size, angle)).astype(np.int32)
    cv2.fillPoly(out, [pts], colour)
    cx, cy = centre
    cv2.line(out, (int(cx - size[0] / 3), int(cy)), (int(cx + size[0] / 3), int(cy + 6)), (120, 60, 60), 3)
    return out


def found(img: np.ndarray) -> N.NoteRegion | None:
    """``find_note`` on a colour page given as the scan itself (identity homography), reduced 4 times."""
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(img, (W // 4, H // 4), interpolation=cv2.INTER_AREA)
    note, kind = N.find_note(grey, TH, small, np.eye(3), grey.shape)
    assert kind == "colour"
    return note


def test_a_yellow_note_on_pink_paper_is_found_where_it_lies():
    note = found(lay(paper(), YELLOW, (400, 980), (220, 180)))
    assert note is not None
    # the note's box (rotated 8°: 242 x 209 px) within a few cells of what was found
    assert abs(note.box.x0 - 279) <= 12 and abs(note.box.x1 - 521) <= 12
    assert abs(note.box.y0 - 876) <= 12 and abs(note.box.y1 - 1085) <= 16
    assert note.fill >= T.NOTE_MIN_FILL and note.ring <= T.NOTE_MAX_RING


def test_a_white_slip_on_light_yellow_paper_and_a_pink_note_on_pink_paper_are_found():
    assert found(lay(paper(LIGHT_YELLOW), SLIP, (200, 1000), (260, 110), -5.0)) is not None
    assert found(lay(paper(PINK), (210, 190, 250), (620, 500), (170, 170))) is not None


def test_the_ballots_own_coloured_paper_is_no_note():
    for colour in (PINK, LIGHT_YELLOW, (220, 244, 220), (250, 233, 217)):
        assert found(paper(colour)) is None


def test_a_seal_a_filled_disc_and_pen_strokes_are_no_notes():
    img = paper(PINK)
    cv2.circle(img, (600, 160), 90, RED, 6)                   # a seal: a ring ...
    cv2.circle(img, (600, 160), 60, RED, 3)
    cv2.drawMarker(img, (600, 160), RED, cv2.MARKER_STAR, 60, 8)   # ... a star
    cv2.circle(img, (300, 1000), 80, (170, 150, 245), -1)     # a smudged seal: a filled disc of a note's size
    for y in (300, 450, 600):                                  # blue strikes, thick
        cv2.line(img, (110, y), (560, y - 10), BLUE, 7)
    assert found(img) is None


def test_a_tint_across_the_page_is_no_note():
    img = paper(LIGHT_YELLOW).astype(np.float32)
    ramp = np.linspace(0.0, 1.0, W, dtype=np.float32)[None, :]
    img[..., 0] -= 30 * ramp              # less blue to the right: the light of a lamp, yellower
    assert found(np.clip(img, 0, 255).astype(np.uint8)) is None


def grey_page(note_level: float | None = None, disc: bool = False, seed: int = 1) -> np.ndarray:
    """A grey page (template frame) with light falling off across it by 5 %, print, and optionally a
    patch of paper ``note_level`` as light as the paper: a rectangle, or a disc of the same area."""
    rng = np.random.default_rng(seed)
    light = 225 * (1 - 0.05 * np.linspace(0, 1, W, dtype=np.float32))[None, :] * np.ones((H, 1), np.float32)
    mask = np.zeros((H, W), np.uint8)
    if note_level is not None:
        if disc:
            cv2.circle(mask, (260, 990), 95, 1, -1)
        else:
            cv2.fillPoly(mask, [cv2.boxPoints(((260, 990), (170, 160), 6.0)).astype(np.int32)], 1)
        light = np.where(mask > 0, light * note_level, light)
    img = np.clip(light + rng.normal(0, 2.0, light.shape), 0, 255).astype(np.uint8)
    for y in range(150, 900, 50):
        cv2.putText(img, "Nguyen Van A", (120, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 30, 2)
    return img


def test_grey_a_note_three_percent_darker_is_found_and_even_light_is_not():
    note, kind = N.find_note(grey_page(0.97), TH)
    assert kind == "grey" and note is not None
    assert note.box.intersects(Box(170, 900, 350, 1080))
    assert N.find_note(grey_page(None), TH) == (None, "grey")


def test_grey_a_disc_is_no_note():
    assert N.find_note(grey_page(0.97, disc=True), TH)[0] is None


def test_colour_of_a_colour_jpeg_is_decoded_reduced_and_grey_files_have_none():
    img = paper(PINK)
    big = cv2.resize(img, (W * 4, H * 4))
    ok, jpg = cv2.imencode(".jpg", big)
    colour = page_colour(PageTask("x.jpg", 1, "", "image", jpg.tobytes()))
    assert colour.shape == (H * 4 // 8, W * 4 // 8, 3)          # 4400 px tall: reduced 8 times (550 >= 400)
    assert H * 4 // 8 >= COLOUR_MIN_SIDE_PX
    ok, png = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))
    assert page_colour(PageTask("x.png", 1, "", "image", png.tobytes())) is None
    ok, png = cv2.imencode(".png", img)
    colour = page_colour(PageTask("x.png", 1, "", "image", png.tobytes()))
    assert colour.shape == (H // 2, W // 2, 3)                   # 1100 px: reduced 2 times
    assert page_colour(PageTask("x.pdf", 1, "", "pdf")) is None


def test_a_box_the_voter_filled_is_no_note_but_the_same_patch_away_from_the_boxes_is():
    img = paper(PINK)
    cv2.rectangle(img, (600, 480), (680, 560), (170, 150, 245), -1)     # a mark filled past its 60 px box
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(img, (W // 4, H // 4), interpolation=cv2.INTER_AREA)
    box = Box(610, 490, 670, 550)
    assert N.find_note(grey, TH, small, np.eye(3), grey.shape, (box,))[0] is None
    assert N.find_note(grey, TH, small, np.eye(3), grey.shape, (Box(610, 190, 670, 250),))[0] is not None


def test_grey_a_patch_lighter_than_the_paper_is_no_note():
    # on a grey scan a note's paper scans darker; a lighter patch is where print dimmed the white around it
    note, kind = N.find_note(grey_page(1.03), TH)
    assert kind == "grey" and note is None
    cell = N.cell_px(TH)
    diff, seen, level = N.grey_step(grey_page(1.03), cell, TH)
    regions = N.note_regions(diff, seen, np.zeros_like(seen), cell, TH, T.NOTE_GREY_FLOOR, level)
    assert any(N.is_note(r, (W / TH, H / TH)) and r.light > 1.0 for r in regions)   # found, then left out


# Stress seed 1796224205 count 7 page 15: a blank white slip (246, 246, 242) in the bottom margin of a white ballot,
# scanned in colour at 200 dpi: no colour of its own (chromaticity 0.002 from the paper's) and, grey, 2.4 % darker
# over a region the page's light estimate follows; read valid without review. Its four straight edges show.
WHITE = (250, 252, 252)
WHITE_SLIP = (242, 246, 246)


def slip_page(slip=WHITE_SLIP, shadow=True) -> np.ndarray:
    """A white colour page with print, a red seal and a slip (no writing on it) in its bottom margin, a thin
    shadow on two sides."""
    img = paper(WHITE)
    cv2.circle(img, (130, 90), 70, (150, 150, 235), -1)          # the seal: the file holds colour
    pts = cv2.boxPoints(((420, 990), (260, 120), 6.0)).astype(np.int32)
    if shadow:
        cv2.polylines(img, [pts + (3, 4)], True, (200, 200, 200), 2)
    cv2.fillPoly(img, [pts], slip)
    return img


def test_a_white_slip_on_white_paper_is_found_by_its_outline():
    img = slip_page()
    assert found_any(img) == "outline"
    assert found_any(slip_page(shadow=False)) == "outline"      # its step alone, no shadow
    assert found_any(slip_page(slip=WHITE)) is None              # the page without it


def found_any(img: np.ndarray) -> str | None:
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(img, (W // 4, H // 4), interpolation=cv2.INTER_AREA)
    note, kind = N.find_note(grey, TH, small, np.eye(3), grey.shape)
    return kind if note is not None else None


def _edges_of(grey: np.ndarray):
    cell = N.cell_px(TH)
    low = N.paper_white(grey, cell, TH)
    seen = N.inner(low.shape, cell, TH)
    level = low / float(np.median(low[seen]))
    dark = N.darkest(grey, cell) / float(np.median(low[seen]))
    return N.outlines(N.level_edges(level, seen), cell, TH, level, dark)


def test_creases_a_fold_cross_and_a_printed_table_are_no_outline():
    g = cv2.cvtColor(paper(WHITE), cv2.COLOR_BGR2GRAY)
    crease = g.copy()
    crease[600:603, :] = (crease[600:603, :] * 0.9).astype(np.uint8)      # a fold's dark line ...
    crease[603:606, :] = np.minimum(255, crease[603:606, :] * 1.05).astype(np.uint8)   # ... its light ridge
    cross = crease.copy()
    cross[:, 400:403] = (cross[:, 400:403] * 0.9).astype(np.uint8)        # a quarter fold: two creases crossing
    table = g.copy()
    table[930:1050, 200:640] = (table[930:1050, 200:640] * 0.97).astype(np.uint8)   # a shaded printed box ...
    cv2.rectangle(table, (200, 930), (640, 1050), 20, 3)                  # ... its printed rules
    for img in (crease, cross, table):
        assert not any(N.is_outline(o, (W / TH, H / TH)) for o in _edges_of(img))
    shaded = g.copy()
    shaded[930:1050, 200:640] = (shaded[930:1050, 200:640] * 0.97).astype(np.uint8)
    assert any(N.is_outline(o, (W / TH, H / TH)) for o in _edges_of(shaded))     # the same without its rules: found
