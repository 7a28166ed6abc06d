"""Printed boxes on the blank: which closed cells beside a name are its boxes."""
import cv2
import numpy as np

from kiemphieu.detect.printed_boxes import find_mark_boxes, letters_end, pick_boxes
from kiemphieu.records import Box


def test_two_columns_each_name_gets_the_box_of_its_own_column():
    names = [Box(20, 20, 120, 40), Box(320, 20, 420, 40)]           # one line, two columns
    cells = [Box(250, 18, 274, 42), Box(550, 18, 574, 42)]           # a box after each name
    assert pick_boxes(cells, names, "mark") == [(Box(250, 18, 274, 42),), (Box(550, 18, 574, 42),)]


def test_a_box_above_the_middle_of_a_name_with_descenders_is_its_box():
    # Stress seed 1796186804, count 3 (FreeSans 10.5 pt, a list): "Tạ Ngọc Hà" reaches down to its descenders
    # and dot, its box is centred on the row, 13.5 px above the name's middle, which misses it.
    names = [Box(206, 494, 356, 519), Box(206, 555, 320, 579), Box(206, 613, 368, 636)]
    cells = [Box(1066, 484, 1089, 507), Box(1067, 542, 1090, 565), Box(1068, 600, 1091, 623)]
    assert pick_boxes(cells, names, "mark") == [(c,) for c in cells]
    assert pick_boxes(cells[1:2], names[:1], "mark") == [()]       # 60 px off: the next row's box, not its own
    far = Box(1067, 536, 1090, 559)                                # 19.5 px off: over 0.75 of the name's 24 px
    assert pick_boxes([far], names[1:2], "mark") == [()]


def test_a_box_splitting_a_table_cell_is_the_box_not_the_cells_beside_it():
    name = Box(20, 20, 120, 40)
    left, box, right = Box(200, 16, 240, 44), Box(242, 16, 270, 44), Box(272, 16, 312, 44)
    assert pick_boxes([left, box, right], [name], "mark") == [(box,)]


def test_the_paper_around_a_box_is_not_a_box():
    name = Box(20, 20, 120, 40)
    around, box = Box(200, 10, 312, 50), Box(242, 18, 266, 42)      # the hole's bounding box holds the box
    assert pick_boxes([around, box], [name], "mark") == [(box,)]
    assert pick_boxes([around, box, Box(320, 18, 344, 42)], [name], "approve") == [(box, Box(320, 18, 344, 42))]


def test_yes_no_cells_are_the_two_rightmost_of_the_row():
    name = Box(20, 20, 120, 40)
    cells = [Box(300, 10, 360, 50), Box(200, 10, 260, 50), Box(400, 10, 460, 50)]
    assert pick_boxes(cells, [name], "approve") == [(Box(300, 10, 360, 50), Box(400, 10, 460, 50))]
    assert pick_boxes([], [name], "mark") == [()]


def test_find_mark_boxes_on_a_drawn_table_row():
    """A table row 40 px high, its last column 120 px wide, a 30 px box drawn in it touching the row's rules."""
    grey = np.full((120, 520), 255, np.uint8)
    cv2.rectangle(grey, (10, 40), (510, 80), 0, 2)                   # the row
    cv2.line(grey, (390, 40), (390, 80), 0, 2)                        # the mark column
    cv2.rectangle(grey, (435, 42), (465, 78), 0, 2)                   # the box, as tall as the row allows
    grey[52:68, 40:60] = 0                                            # "letters" of the name
    name = Box(40, 50, 200, 70)
    names, (boxes,) = find_mark_boxes(grey, [name], "mark")
    assert names == [name]                                    # the row's cell starts left of the name
    assert len(boxes) == 1
    b = boxes[0]
    assert 436 <= b.x0 <= 440 and 460 <= b.x1 <= 465          # the box's inside, not the cells beside it


def test_a_box_read_by_ocr_as_the_names_last_letter_is_cut_off_the_name():
    # Stress seed 1796195146, count 19 (DejaVu Sans Condensed 15.4 pt, two columns): the box printed close
    # after "Triệu Hồng Quyên (1966)" was read as "(1966)[L": the name's box held its own mark box, no cell
    # lay right of it, and the count could not be set up.
    grey = np.full((80, 800), 255, np.uint8)
    for x in range(20, 141, 15):
        grey[36:50, x:x + 8] = 0                      # "letters": 8 x 14 px, shorter than a rule (16 px)
    cv2.rectangle(grey, (156, 26), (183, 53), 0, 2)    # the box, 6 px after the last letter
    ocr = Box(20, 28, 186, 52)                         # OCR's name box, the box included
    names, boxes = find_mark_boxes(grey, [ocr], "mark")
    assert names == [Box(20, 28, 148, 52)]             # the name ends at its last letter
    assert len(boxes[0]) == 1 and 156 < boxes[0][0].x0 < boxes[0][0].x1 < 184


def test_letters_end_leaves_a_name_without_a_box_in_it_alone():
    name = Box(40, 50, 200, 70)
    ink = np.zeros((120, 520), np.uint8)
    cells = [Box(10, 42, 388, 78), Box(437, 44, 463, 76)]   # the table cell holding the name; a box after it
    assert letters_end(name, cells, ink, ink) == name
