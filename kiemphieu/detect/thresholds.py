"""Every threshold detect/ measures or decides with, in one place, each with its unit and its reason.

Between "clearly struck" and "clearly standing" lies a doubt band: a reading there is UNCLEAR and the
ballot goes to a person. Widen the band to flag more, never narrow it to the point of guessing.

Units, one suffix each (a count is named by what it counts: ``MIN_INLIERS``, ``ORB_FEATURES``):

- ``_TH``     text heights: th is the median height of a printed name on the blank (template px), so a
              length in th holds for any font size. ``_TH2``: text heights squared (an area).
- ``_XH``     x-heights of one printed name: from its x-line to its baseline, found on the blank's print
              (``layout.letter_cores``); strokes are placed against the name's own letters in these.
- ``_PX``     pixels of the template frame (the blank resampled to ``records.WORK_LONG_SIDE_PX`` on its
              long side; every page is registered into it). ``_ORB_PX`` / ``_OCR_PX``: pixels of the
              reduced copy registration / OCR works on; ``*_LONG_SIDE_PX`` sets such a copy's size.
- ``_SHARE``  a fraction 0..1 of the quantity named in the comment.
- ``_RATIO``  one quantity over another of the same kind (may exceed 1).
- ``_INK``    ink darkness 0..1 over the paper (``ink.py``: 0 paper, 1 black).
- ``_GREY``   grey levels 0..255 (or a difference of them).
- ``_FILL``   pen pixels in a printed box over min(its inside, th²) (``box_marks.box_evidence``).
- ``_DEG``    degrees.  ``_RADII``: radii of the seal.  ``_CELLS``: cells of the double-feed signature.
- ``_SCORE``  fuzzy-match score 0..100.  ``_CORR``: normalised cross-correlation −1..1.
- ``_VOTES``  Hough accumulator votes.  ``_PROB``: a probability.  ``_PERCENTILE``: 0..100.

Floors that only keep a window from vanishing (``max(1, …)``) and pure geometry (a half, a centre)
stay inline.
"""
from fractions import Fraction

# --- ink maps (ink.py) ------------------------------------------------------------------------------
PAPER_CELL_PX = 8             # the paper level is estimated on a grid of this pitch ...
PAPER_WINDOW_PX = 56          # ... as the brightest grid value within this window (7 cells: text never fills it)
PAPER_BLUR_PX = 16            # ... smoothed with a Gaussian of this sigma (2 cells: no steps between cells)

# --- the blank: names by OCR (ocr.py, names.py, layout.py) ---------------------------------------
OCR_LONG_SIDE_PX = 2339       # OCR at about 200 dpi A4; larger blanks are reduced
OCR_DENOISE_OCR_PX = 3        # median filter before Otsu: restores names on noisy scans (FACTS.md)
OCR_RULE_MIN_SHARE = 0.035    # of page width: dark runs this long are table rules, not letters ...
OCR_RULE_MIN_OCR_PX = 15      # ... and at least this long on a small blank
OCR_RULE_WIDEN_OCR_PX = 1     # rules are erased this much wider than found (their anti-aliased edges)
MIN_NAME_SCORE = 80.0         # below this a printed run of words is not taken for the candidate
SPAN_KEEP_SHARE = 0.75        # runs scoring this share of MIN_NAME_SCORE are kept as a line's best option
SPAN_SLACK_WORDS = 1          # a run may hold this many words more or fewer than the name
SAME_PLACE_OVERLAP_SHARE = 0.3   # of the smaller box: two matches overlapping more claim the same print
COLUMN_GAP_TH = 3.0           # two names on one OCR line are two columns when this far apart
SAME_LINE_OVERLAP_SHARE = 0.5  # of the shorter name's height: two names overlapping more sit on one line
ROW_MARGIN_TH = 0.7           # a row reaches this far above/below a lone name
ROW_OVERSHOOT_TH = 2.0        # ... and this far beyond each end of the name
LETTER_INK_SHARE = 0.5        # of a name's own print darkness: its blank pixels this dark are letters (the x-line
#                               and baseline are found on them); a light typeface's stems reach ink 0.5-0.66 only
#                               (DejaVu Sans light, stress seed 1796217731 count 4): a fixed 0.5 cut them apart
LETTER_PRINT_PERCENTILE = 99  # a name's print darkness: this percentile of its crop's ink (the stems' cores)
LETTER_MIN_PRINT_INK = 0.2    # a crop whose print is lighter than this holds no letters (paper grain, dust)
STEM_MIN_SHARE = 0.2          # of a name's box height: a vertical ink run this tall is a letter's stem (shorter:
#                               a serif, a dot, an accent, a bowl's bottom); the most common end of stems is
#                               the baseline
STANDING_STEM_MIN_SHARE = 0.3  # of the baseline's depth in the box: stems standing on the baseline this tall ...
XLINE_PEAK_SHARE = 0.3        # ... start at the x-line: the lowest start shared by this share of the commonest one's
#                               stems (capitals, ascenders and digits start higher). Measured on 24 generated blanks
#                               (7 faces, 10-16 pt, duplicate names with years): median error ≤ 0.15 x-height
CORE_MARGIN_PX = 2            # a name's box is searched this much taller (OCR boxes may clip a stem's end)
SKEW_MAX_DEG = 5.0            # blanks are straightened when scanned up to this far off
SKEW_STEP_DEG = 0.1           # ... in steps of this
SKEW_PROBE_LONG_SIDE_PX = 900  # the skew is measured on a reduced copy this large
PAPER_GREY_PERCENTILE = 90    # the straightened blank's corners are filled with this percentile (paper)

# --- the blank: printed boxes (printed_boxes.py) ---------------------------------------------------
BOX_MIN_SIDE_TH = 0.6         # a mark box is at least this tall and wide
BOX_MAX_SIDE_TH = 6.0         # ... and at most this tall (table cells of yes/no ballots are wide)
BOX_MAX_ASPECT_RATIO = 8.0    # width over height of a box or table cell at most
BOX_ROW_SLACK_SHARE = 0.75    # of the taller of a name and a box: a box whose middle lies this close to the name's is
#                               on its line when the name's middle misses the box (a name with descenders and dots
#                               below, 10.5 pt: 13.5 px off a 23 px box beside a 24 px name)
BOX_SQUARE_MAX_RATIO = 1.5    # a mark box is square-ish: its longer side at most this times its shorter
BOX_MIN_HOLE_SHARE = 0.7      # of its bounding box: a closed cell's paper fills at least this (not an L-shaped gap)
BOX_RULE_MIN_SHARE = 0.02     # of page width: straight runs this long count as box edges ...
BOX_RULE_MIN_PX = 9           # ... and at least this long
BOX_RULE_WIDEN_PX = 1         # rules are widened this much so a cell's border closes
BOX_INK_BLOCK_PX = 31         # rules are told from paper by a local mean over this window ...
BOX_INK_OFFSET_GREY = 12      # ... a pixel this much darker than it is ink

# --- the seal, on the blank (seal.find_seal) and on every ballot (seal.find_page_seal) --------------
# A seal is a ring of 30-45 mm (A4: radius 0.05-0.076 of the long side; A5: up to 0.09).
SEAL_MIN_RADIUS_SHARE = 0.04   # of the page's long side: the smallest seal's radius ...
SEAL_MAX_RADIUS_SHARE = 0.1    # ... and the largest (without a sure seal on the blank)
SEAL_SAME_STAMP_SHARE = 0.2    # one stamp per count: a ballot's seal has the blank's radius within this share (its
#                               impressions, pressed harder or lighter, ink spread, the scan's scale left by
#                               registration: 0.95-1.12 of the blank's on a scanned set of 40; another stamp, 1.5)
RING_SEARCH_REDUCTION_RATIO = 6  # rings are searched for on a copy reduced this many times ...
RING_KERNEL_WIDTH_SHARE = 0.12   # ... with ring filters each covering ± this share of their radius ...
RING_KERNEL_OUTER_RATIO = 1.3    # ... against the band out to this many radii (paper outside a seal)
RING_MIN_RESPONSE_INK = 0.004    # ... a place must hold this much more ink on the ring than outside it
RING_CLIP_INK = 0.2            # ... on ink clipped here (a faint seal weighs as much as a dark one)
RING_CANDIDATES = 6            # this many of the strongest places (at least this far apart, or of other sizes)
RING_CANDIDATE_SPACING_RADII = 0.5  # are judged on the full-size ink, strongest first ...
RING_PLAIN_SEEN_SHARE = 0.6    # ... until one carries its ring over this share of the whole circle ...
RING_PLAIN_COVER_SHARE = 0.85  # ... or over this share of its visible part
BLANK_RING_CANDIDATES = 40     # on the blank, this many (once per count: its print makes many round-ish places)
RING_POINTS = 180              # a ring is judged at this many angles
RING_HALF_WIDTH_PX = 2         # a ring's line is looked for within this distance of the circle ...
RING_HALF_WIDTH_RADII = 0.035  # ... or this many radii (its own stroke: 0.9-1.5 mm of a 17 mm radius)
RING_LINE_EDGE_SHARE = 0.5     # of its darkest ink: the line runs out to where the ink falls under this ...
RING_MAX_WIDTH_RADII = 0.1     # ... and is at most this thick (a ring of 1.5 mm on a 15 mm radius, blurred) ...
RING_MAX_WIDTH_PX = 4          # ... or this
RING_GAP_PX = 1                # paper is looked for this far beyond the line's half width ...
RING_INNER_SIDE_RADII = 0.05   # ... over a band this wide inside (the lettering starts ~0.1 radii in) ...
RING_OUTER_SIDE_RADII = 0.15   # ... and this wide outside: a seal's outer ring has paper around it (a circle
#                               inside the seal, through its lettering, does not)
RING_SIDE_MIN_PX = 3           # ... each at least this wide
RING_SIDE_SHARE = 0.5          # of the line's ink: each side's mean ink at most this (printed text crossed by
#                               a circle has ink on its sides: no ring there)
RING_MIN_INK = 0.06            # the line's ink at least this (paper grain and JPEG noise stay below 0.05)
RING_FIT_PX = 1.5              # on a fitted circle, a ring's line lies within this of it ...
RING_FIT_RADII = 0.015         # ... or this many radii (a straight rule touching the circle strays 3 px in 35 degrees)
RING_STEP_PX = 2               # a ring's line moves at most this much between neighbouring angles ...
RING_MIN_ARC_RADII = 0.15      # ... over visible arcs at least this long (a letter's stroke is shorter: lettering
#                               and text crossed by a circle are not a ring) ...
RING_HIDDEN_GAP_RADII = 0.25   # ... which may pass under print this long (a ring runs on beyond a word it crosses)
RING_MIN_VISIBLE_SHARE = 0.3   # of the circle: less on the page and out from under print, no verdict (a seal 30 %
#                               of its diameter off a corner keeps 38 % of its ring on the page)
RING_CANDIDATE_SLACK_PX = (7, 14)  # around a candidate centre (the reduced search's pixel, a bias off the page)
#                               the ring's points are taken within these distances for the first fit (the nearer
#                               keeps lettering out) ...
RING_REFINE_STEPS = 3          # ... then the circle is re-fitted on its ring's points this many times ...
RING_FIT_MIN_POINTS = 12       # ... when at least this many angles carry the ring, until it moves less than
RING_SETTLED_PX = 0.5          # ... this; points farther than this many times their median distance from a
RING_OUTLIER_RATIO = 2.5       # fit are left out of the next (letters, a second impression beside the ring) ...
RING_ROBUST_FITS = 3           # ... refitting at most this many times
SEAL_RING_COVER_SHARE = 0.45   # of the visible circle: a ring over this much is a seal, surely ...
SEAL_DOUBT_COVER_SHARE = 0.3   # ... over this, a seal-like mark (a person looks); under it, no seal
BLANK_SEAL_COVER_SHARE = 0.45  # on the blank (its print not subtracted) a ring over this much is its seal: 24 blanks
#                               (stress and public): seals 0.48-1.0, the best other circle 0.21 (0.38 inside the seal)
OUTER_RING_MIN_RADII = 1.2     # a second ring around the same centre is looked for from this many radii ...
OUTER_RING_MAX_RADII = 2.0     # ... up to this many ...
OUTER_RING_MAX_RADIUS_RATIO = 1.5  # ... and at most this times the largest seal radius
OUTER_RING_STEP_PX = 2.0       # ... in steps of this
OUTER_RING_COVER_SHARE = 0.3   # ... and taken when its ring is carried over this share of it: around a sure ring's
#                               centre less is needed than for a seal alone (an outer ring crossing the header's
#                               text: 0.44, under the 0.45 of a seal alone, so the blank's seal was its inner ring
#                               and every ballot's outer ring, 1.57 times larger, was not this count's stamp; the
#                               best circle on blanks that is no seal: 0.21)
SEAL_IGNORE_RADII = 1.25       # added ink within this many radii of a sure seal is the seal's (a doubled
#                               impression lies up to 3 mm, ~0.2 radii, off the first); on a thresholded 1-bit
#                               page, of a seal-like ring too (capture.on_seal_like_ring: the threshold breaks
#                               a colourless seal's ring, 0.36-0.45 of it carried on stress seeds 1796264519
#                               and 1796270213)
SEAL_NEAR_RADII = 1.6          # ink within this many radii of a seal (sure or not) is never taken for writing

# --- registration (register.py) ---------------------------------------------------------------------
ORB_LONG_SIDE_PX = 1000       # images are matched on a copy this large
ORB_FEATURES = 4000           # fewer (1500) leave the pose less sure where no anchor corrects it: more needless
#                               flags (4 more in 280 pages, measured), for 15 ms a page
ORB_FAST_GREY = 10            # FAST corner threshold of ORB's keypoints
MATCH_RATIO = 0.8             # Lowe's ratio test: best over second-best Hamming distance
RANSAC_REPROJ_ORB_PX = 4.0    # a match farther than this from the fitted pose is an outlier
RANSAC_ITERATIONS = 4000      # RANSAC tries at most this many poses ...
RANSAC_CONFIDENCE_PROB = 0.999  # ... and stops when this sure it has seen an all-inlier sample
MIN_INLIERS = 60              # fewer inliers than this: the page does not match the blank
MIN_INLIER_SHARE = 0.15       # of ratio-test matches: fewer inliers, the page does not match the blank
MAX_SCALE_CHANGE_SHARE = 0.35  # the page may be at most this much larger or smaller than expected
MAX_ASPECT_CHANGE_SHARE = 0.15  # its x and y scales may differ by less than this share
MAX_SHEAR_COS = 0.08          # |cos| of the angle between the mapped axes at most (perspective sanity)
MIN_ANTI_ALIAS_REDUCTION_RATIO = 1.05  # a page resampled smaller than this factor is not low-passed first
ANCHOR_GRID = (6, 9)          # columns × rows: the fine alignment looks for one textured patch per cell (4 × 6
#                               left the pose loose between anchors: 3 more needless flags in 280 pages)
ANCHOR_SIZE_PX = (96, 48)     # patch width, height
ANCHOR_MIN_STD_GREY = 25.0    # standard deviation of a usable (textured) patch
ANCHOR_SEARCH_PX = 12         # patches are searched within ± this much of where ORB put them
ANCHOR_MARGIN_PX = 2          # ... and taken at least this much farther from the page's edge
ANCHOR_MIN_CORR = 0.5         # a patch found less alike than this is not used
ANCHOR_RANSAC_PX = 1.5        # a patch farther than this from the corrected pose is an outlier
MIN_ANCHORS = 6               # fewer patches found (or agreeing): the ORB pose is kept
BORDER_SAMPLE_STEP = 16       # outside the page is filled with the median grey of every this-many-th pixel

# --- photos: the sheet in a frame, the camera undone (sheet.py) -------------------------------------
CAMERA_MIN_INLIERS = 30       # inside a photographed sheet's outline, a pose with this many inliers is tried: a
#                               photo too blurred to read still gives 40-50 (another election's ballot ~25, which
#                               the print check then turns away; a blank sheet none). In the whole image, a camera's
#                               pose on this many places a sheet no outline shows (sheet.located_by_print; 175 phone
#                               photos, 2026-12-02: blank sheets ≤ 12, this election's ballots 21-715, another
#                               election's 8-453: the reader, not the count of features, turns those away)
CAMERA_MIN_INLIER_SHARE = 0.08  # ... and this share of the matches inside the outline
FEEDER_FILL_SHARE = 0.8       # a page covering less of its image than this was photographed (a scan fills it)
CAMERA_MAX_CORNER_DEG = 40.0  # a sheet's corners in a photo are within this of a right angle (a 25° tilt
#                               of a wide-angle phone camera bends them by up to ~20°)
CAMERA_MAX_SIDE_RATIO = 1.6   # opposite sides of a sheet in a photo differ at most this much in length
CAMERA_MIN_SHEET_PX = 200     # a sheet's sides are at least this long in the image (image px)
OUTLINE_LONG_SIDE_PX = 400    # a sheet's outline is looked for on a copy this large ...
OUTLINE_CLOSE_PX = 9          # ... its print filled in by a closing this wide
OUTLINE_MIN_SHARE = 0.03      # of the image: a bright region smaller than this is no sheet
SHEET_MIN_CONTRAST_SHARE = 0.15  # of its grey: a bright region standing out less from the rest is no sheet on a
#                               background (scanned pages: ≤ 0.07; paper on a table: 0.3 and more)
SHEET_PAPER_SHARE = 0.75      # of the blank's paper grey: an image of one surface this light is a page filling it
OUTLINE_GROW_SHARE = 0.15     # the sheet's outline is grown by this share of its size before matching inside it
SHEET_MAX_OVERLAP_SHARE = 0.2  # of the smaller: two sheets found overlapping more are one
SHEET_MATCH_GROW_SHARE = 0.03  # matches within a found sheet grown by this share of its size are its own
POSE_PATCHES = (64, (96, 64), 32)   # a photo's pose is corrected on patches (matched at half size): grid step px,
#                               patch (w, h) px, search ± px
POSE_RANSAC_PX = 3.0          # ... a patch farther than this from the corrected pose is not used for it
DEWARP_LEVELS = ((64, (96, 64), 12, 60.0, 40),   # then coarse to fine: grid step px, patch (w, h) px, search ± px,
                 (48, (64, 48), 5, 30.0, 10))    # the field's smoothing sigma px, outline search ± px
DEWARP_COARSE_LEVEL = (64, (96, 64), 32, 90.0, 60)  # a level (same fields) measured before them when the refined
DEWARP_COARSE_RESIDUAL_SHARE = 0.5  # pose leaves its patches (90th percentile) farther than this share of the first
#                               level's search: a curl no pose explains, beyond the fine levels' reach (stress seed
#                               1796214517: 127 of 131 photos ≤ 3.5 px, the other 4 6.3-23 px; the 23 px one, curled
#                               38 px at its folds and edge, kept its table's right rule 40 px off without it)
FIELD_CELL_PX = 16            # the displacement field and the camera's mapping are computed on this grid
DEWARP_WIDE_RATIO = 4.0       # where patches are sparse the field leans on one this many times smoother ...
DEWARP_PRIOR_WEIGHT = 0.1     # ... with the weight of this many patches (one patch weighs 1)
DEWARP_PEAK_EXCLUDE_PX = 3    # a patch's second-best match is looked for this far from its best ...
DEWARP_PEAK_MARGIN_CORR = 0.1  # ... and must be this much less alike (else the patch is ambiguous: a rule, a row)
EDGE_STEP_PX = 24             # the sheet's outline is looked for every this many px along each side ...
EDGE_CORNER_SHARE = 0.01      # ... away from the corners by this share of the side
EDGE_SMOOTH_PX = 1.5          # profiles across the outline are smoothed with this sigma ...
EDGE_SIDE_PX = 5              # ... and a step compares the means over this many px on either side
EDGE_MIN_STEP_SHARE = 0.08    # of the paper side's grey: a step this large is the sheet's edge (paper on wood,
#                               cloth, a desk; white on white shows none and is left to the print)
EDGE_BLANK_PRINT_SHARE = 0.75  # of the blank's paper grey: print darker than this within the band hides the edge
EDGE_BLANK_BAND_PX = 40       # the blank's own paper edge is looked for this far inside its frame
EDGE_MIN_POINTS = 5           # a side with fewer edge points found is left to the print
EDGE_FILL_MARGIN_PX = 3       # beyond the sheet's paper edge less this, a photographed page is painted paper
EDGE_WEIGHT = 0.2             # an outline point weighs this much against a patch of print: the print rules where
#                               there is any (a lifted edge moves the outline, not the print), the outline elsewhere
EDGE_AGREE_PX = 4.0           # an edge point this far from its neighbours' median is not the outline
LIGHT_CLOSE_PX = 41           # a photo's light is measured after a grey closing this wide (fills pen strokes and
#                               a seal's star: about 7 mm) ...
LIGHT_PAPER_SHARE = 0.85      # ... on pixels where the blank is this share of its paper grey or lighter ...
LIGHT_CELL_PX = 16            # ... averaged over cells this wide ...
LIGHT_SMOOTH_CELLS = 1.0      # ... and smoothed with this sigma (cells): a soft shadow's edge is followed
LIGHT_PRIOR_SHARE = 0.05      # where there is little paper, the light leans on a 4 times smoother one this much
MEDIAN_SAMPLE_STEP = 2        # a photo's paper and print levels are medians over every this-many-th pixel
NOISE_PROBE_PX = 2.0          # a photo's grain: what a Gaussian this wide takes from the paper ...
NOISE_MAX_SHARE = 0.015       # ... over its print's contrast; more, and the page is smoothed down to this (scanned
#                               pages: ≤ 0.008; phone photos 0.001-0.07)
NOISE_SMOOTH_PX = (0.5, 1.5)  # ... by a Gaussian of at least, at most this sigma
DEWARP_OUTLIER_PX = 3.0       # a patch farther than this from the field of the others is dropped ...
DEWARP_OUTLIER_SEARCH_SHARE = 0.25  # ... or than this share of its level's search, when more

# --- judging a capture (capture.py) --------------------------------------------------------------
SHARP_FINE_PX = 1.0           # sharpness: gradient energy through a Gaussian this fine ...
SHARP_COARSE_PX = 3.0         # ... over that through one this coarse
BLUR_LADDER_PX = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)   # the blank blurred by these sigmas: the scale a page's
#                               sharpness is read on
MAX_BLUR_TH = 0.1             # added blur (Gaussian sigma) over this many text heights: a photo too blurred to read
#                               (phone photos in the stress matrix: sharp, defocused, shaken ≤ 0.06; too blurred
#                               for a person to read the names ≥ 0.17)
MIN_TEXT_HEIGHT_IMAGE_PX = 14.0  # names fewer image px tall than this: a photo taken from too far (a 150 dpi scan
#                               of 10 pt names gives ~15)
CUT_OFF_MAX_SHARE = 0.005     # of the sheet within its edge band: more lying outside the photo, it is cut off
SHEET_CENTRE_SHARE = 0.6      # a sheet that matched nothing is judged on this central share of its sides ...
SHEET_BAND_PX = (2.0, 8.0)    # ... its print by the energy between Gaussians of these sigmas (template px) ...
SHEET_MIN_PRINT_RATIO = 0.15  # ... at least this share of the blank's: it carries print (a blank sheet: < 0.05)
GLARE_PRINT_SHARE = 0.5       # a name's print this much fainter than the names' as a whole ...
GLARE_BRIGHT_SHARE = 0.3      # ... with this share of the paper around it saturated: glare over the name
GLARE_BRIGHT_GREY = 250       # ... saturated: this bright or brighter before the light is evened
GLARE_MIN_PRINT_PX = 20       # a name with fewer printed pixels is not judged
BILEVEL_SAMPLE_STEP = 4       # a page is 1-bit when every this-many-th pixel is black or white
PRINT_KEPT_SPREAD_PX = 2      # a 1-bit page's black is counted within the blank's print widened this much ...
MIN_PRINT_KEPT_SHARE = 0.9    # ... and under this share of the blank's printed pixels (thinned by a tenth: the
#                               threshold lies darker than the print's mid-grey, so a mark lighter than half the
#                               print's contrast, a pencil stroke, is gone), the scan was set too light
GREY_LADDER_PX = (0.0, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # a 1-bit page is read low-passed by the first of these
#                               Gaussian sigmas (template px) ...
DITHER_MAX_NOISE = 0.015      # ... that leaves its paper no grainier than this (standard deviation, of white): the
#                               ink map takes the paper as the brightest grey near each pixel, ~3 deviations above
#                               the mean, so a grainier paper reads as ink near PEN_MIN_INK (a thresholded page's
#                               paper: 0; dithered pages: 0.005-0.04 at 0.75 px, under 0.01 at 1.5 px)
DITHER_CELL_PX = 32           # ... measured as the lower quartile over cells this wide (the page's px) ...
DITHER_TILES = 12             # ... of this many cells a side, spread evenly over the page
GRAIN_CELL_PX = 32            # ... and on the greyed page the grain left is measured in cells this wide (template px)
#                               lying wholly on paper ...
GRAIN_MAX_CELLS = 400         # ... at most this many of them, spread evenly ...
GRAIN_PAPER_MAX_INK = 0.1     # ... paper: where the blank, low-passed as the page, holds less ink than this (as
#                               PEN_MIN_INK)
GRAIN_GATE_PERCENTILE = 90    # ... as the median over those cells of this percentile of the ink over the paper's mean:
#                               ink up to it is paper, over twice it is kept as it is. Not 2 standard deviations of
#                               the cleanest quarter of the page: the dots left after the low-pass line up into
#                               faint traces across empty boxes (stress seed 1796203580: 6 clear ballots flagged
#                               faint). Dithered pages of seeds 1796203580 and 1796251713 (74 clear): 2 deviations
#                               flagged 27, this 17; the 95th and 99th (13) took a voter's faint mark, as faint as
#                               the grain, off a page whose dots do not line up
HIDDEN_NAME_PRINT_RATIO = 0.3  # a thresholded 1-bit page keeping a name's print under this share of what it keeps of
#                               the whole page's: something white lies over that name (a sticky note over names,
#                               stress seed 1796219808 count 8 page 11: 0 of three names' print kept, the page 1.09;
#                               the names' pooled missing print 0.09 raised no doubt). 94 thresholded pages with
#                               their print kept, seeds 1796270213 and 1796264519: notes over names 0, 0 and 0.51
#                               (half a name hidden); the least-kept name of the others 0.56 (uneven print)
DITHER_MIN_MARK_DOTS = 0.25   # a box mark on a dithered page whose core holds fewer dots over the paper's (share of
#                               its px) is faint: ballotgen's dithered mark is faded under 0.2 (what a person sees),
#                               and the count (``capture.mark_dots``) runs within 0.035 (sd) of ballotgen's own: 0.25
#                               leaves 1.5 of it (stress seed 1796203580, 376 dithered marks; the greyed page's ink
#                               had been used instead: a light pen's thin stroke read 0.55 of its dots, a wide one all)
DOT_CORE_SHARE = 0.6          # ... its core: where its dots low-passed reach this share of their densest
BROKEN_MARK_MAX_PIECE_SHARE = 0.5  # a box mark on a thresholded 1-bit page whose largest piece of black holds less
#                               of it is broken by the threshold, the page a light scan: a lighter mark may be gone
#                               (stress seed 1796203580: a pencil ballot's marks 0.26-0.37 and one mark wholly gone;
#                               solid marks 1, an X drawn in two strokes 0.57-0.9)

# --- is it this ballot? (blank.py) ------------------------------------------------------------------
PRINTED_INK = 0.5             # blank pixels darker than this are clearly printed
SOLID_AREA_PX = 15            # dark areas this wide and more (scanner-bed strips, shadows) are not print ...
SOLID_MEAN_INK = 0.5          # ... judged by their mean ink over that width
PAGE_EDGE_SHARE = 0.025       # of the page's long side: the edge band ignored (scanner bed, shadows)
PRINT_PRESENT_SHARE = 0.35    # of the blank's ink there: a printed pixel is present on the scan with this much
PRINT_MISSING_REJECT_SHARE = 0.30   # of the blank's print (page or names): more missing, not this ballot
NAMES_PRINT_MISSING_DOUBT_SHARE = 0.12  # of the names' print: more missing, a person should look
PAGE_PRINT_MISSING_DOUBT_SHARE = 0.22   # of the whole page's print: more missing, a person should look
OBSTRUCTION_CELL_TH = 2.0     # where print is missing is judged in cells this wide ...
OBSTRUCTION_CELL_MIN_PX = 20  # ... holding at least this many printed pixels ...
OBSTRUCTION_CELL_HIDDEN_SHARE = 0.5  # ... of which this share missing: print hidden there
OBSTRUCTION_REST_MISSING_SHARE = 0.1  # something lies on the ballot when, outside that region, the page misses at
#                               most this of the print (it is this ballot: notes 0-0.04); more missing there is
#                               another sheet (other elections' ballots that register: 0.16-1) ...
OTHER_SHEET_MIN_REST_SHARE = 0.2  # ... and another sheet only when more than this is missing there (rejecting a
#                               sheet takes its votes away: between the two a person looks; a light scan with a
#                               note over the names missed 0.113 of the print around the note)
OBSTRUCTION_MAX_MOVED_SHARE = 0.3  # ... and at most this share of the print missing in it lies a few px off (found
OBSTRUCTION_MOVED_PX = 6      # within this): print the registration left off there is not hidden (notes over the
#                               names: 0.01-0.08; ballots with print a few px off, no note: 0.56-1)
OBSTRUCTION_MAX_HELD_SHARE = 0.7  # ... and the region holds at most this share of the blank's print (notes over the
#                               names: 0.12-0.55)
GAIN_SPREAD_PX = 1            # the page's print is widened this much before its darkness is measured
NO_PRINT_INK = 0.05           # print this faint (median) on a page leaves nothing to scale the contrast to
MAX_CONTRAST_GAIN_RATIO = 3.0  # a light scan's ink is scaled up at most this much to match the blank's print

# --- the pen (pen.py) -------------------------------------------------------------------------------
BLANK_SPREAD_PX = 1           # blank ink is widened this much before subtraction (aligned names)
PAGE_SPREAD_PX = 2            # ... and this much elsewhere on the page (global registration only)
MAX_PRINT_GROWTH_PX = 3       # a scan's print may be up to this much bolder than the blank's ...
PRINT_GROWTH_INK = 0.3        # ... judged by the median ink just outside the blank's print around the names
HIDDEN_INK = 0.3              # where the (widened) blank is this dark, print would hide a stroke
PRINT_BLUR_LADDER_PX = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)  # a page's print blurrier than the blank's
#                               is matched by the blank blurred by the one of these Gaussians (sigma, template px)
#                               that leaves the least difference over the names (ink.print_blur) ...
PRINT_BLUR_MIN_GAIN_SHARE = 0.1  # ... when it leaves this much less than the blank as it is (stress seed
#                               1796202918 count 13 page 5, 175 dpi colour JPEG: 0.117 → 0.065 at 1.5 px, its three
#                               standing names read struck, ink 0.17-0.19 of the letters' halo; sharp pages: 0 fits)
ALIGN_SEARCH_PX = 6           # each name is re-aligned within ± this much after registration ...
NAME_ALIGN_MARGIN_SHARE = 0.5  # ... on its box grown by this share of its height (the letters' surroundings)
NAME_PIECE_TH = 2.5           # a name is re-aligned in pieces this wide ...
MIN_PIECE_PX = 8              # ... at least this wide (tiny fonts) ...
PIECE_SEARCH_PX = 2           # ... each within ± this much of the whole name's shift
BOX_ALIGN_MARGIN_SHARE = 0.25  # of the box side: a mark box is aligned on itself grown by this much
STROKE_SMOOTH_TH = 0.3        # added ink is averaged over this length along x before thresholding ...
STROKE_MIN_SEEN_SHARE = 0.25  # ... where print hides less than this share of the window (else: no stroke ink)
MIN_KERNEL_PX = 3             # smallest averaging, joining or eroding window (tiny fonts)
PEN_MIN_INK = 0.10            # stroke ink for a pixel to count as pen
SPECK_MAX_AREA_TH2 = 0.02     # pen blobs smaller than this are scanner noise
GAP_BRIDGE_TH = 0.6           # gaps in a stroke up to this long (letters it passes under) are bridged
BLOB_JOIN_HEIGHT_PX = 3       # ... pieces are joined across this height too (a stroke wavers)
RESIDUE_TILE_TH = 4.0         # a blob is re-aligned on its own in tiles this wide ...
MIN_RESIDUE_TILE_PX = 16      # ... at least this wide
RESIDUE_KEEP_SHARE = 0.5      # ink that keeps less than this share after local re-alignment was a ghost of print
RESIDUE_STROKE_MIN_TH = 0.5   # ... unless what it keeps off the widened print holds one piece this long: a stroke of
#                               the voter's joined to a ghost (a "?" written on a table rule whose ghost is most of the
#                               blob: stress seed 1796234379 count 4 page 0); a ghost sits on print's edge, never this
#                               far off it ...
RESIDUE_GHOST_REACH_TH = 0.1  # ... beyond this much around the widened print (a blurred photo's ghost of a table
#                               rule, re-aligned tile by tile, is left a pixel or two beside it: public
#                               phone-party-table ballot_0003, a 2 px line along a row's rule)
SOLID_STROKE_TH = 0.35        # pen strokes are thinner than this; a blob with a thicker core ...
SOLID_CORE_SHARE = 0.2        # ... over this share of its pixels is a filled area (bed, shadow, blot), not writing
LINE_SEARCH_REDUCTION_RATIO = 4  # creases and streaks are searched on a copy reduced this many times
LINE_TRACE_INK = 0.04         # added ink that may belong to a crease or a streak ...
LINE_TRACE_MIN_PX = 0.5       # ... a reduced pixel is on the trace when it holds more than this thickness of it
LINE_TRACE_RUN_PX = 20        # ... in runs at least this long along the line
LINE_ARTIFACT_SHARE = 0.45    # of the page's width (height): a thin straight line longer is a crease or a streak
LINE_HOUGH_VOTES_SHARE = 0.35  # of that length: trace pixels a line needs in the Hough search
LINE_PIECE_SHARE = 0.4        # ... found in pieces at least this share of that length, put together on one line
LINE_HOUGH_STEP_DEG = 0.5     # angle step of the Hough search
LINE_MAX_GAP_TH = 2.0         # a line's trace may break for this long (a name's print over it) ...
LINE_MIN_GAP_PX = 8           # ... and at least this long
LINE_ARTIFACT_MAX_SLOPE_RATIO = 0.1  # rise over run: creases run along the page's edges, streaks along the scanner's:
#                               once the page is registered, as far off as the page was skewed on the glass (5
#                               degrees, 0.087; at 0.06 the streaks of pages scanned 4.3 degrees off were pen)
LINE_ARTIFACT_MAX_TH = 0.25   # a line is erased over this thickness (its faint pixels only)
LINE_ARTIFACT_KEEP_INK = 0.25  # on a crease or streak, only pixels this dark stay (a pen stroke on it; if a
#                               fainter stroke is erased there, the name reads partial and goes to review)

# --- strike ballots: per name (strike.py, zones.py) ------------------------------------------------
STRIKE_BAND_XH = 0.25         # a stroke whose middle runs between the x-line and the baseline, with this much to
#                               spare each side, goes through the letters; farther it runs above / below them
STRIKE_SEARCH_ABOVE_XH = 1.5  # the pen over a name is looked at from this far above its x-line (capitals, accents) ...
STRIKE_SEARCH_BELOW_XH = 1.0  # ... to this far below its baseline (descenders, an underline), within its row
STRIKE_MIN_COVER_SHARE = 0.60   # of name width: a stroke through at least this much strikes the name
STANDING_MAX_COVER_SHARE = 0.08  # of name width: at most this much touched and the name stands
HIDDEN_GAP_SHARE = 0.35       # of a longer gap's pixels: a gap in a stroke is bridged when print hides this much ...
STRIKE_MIN_SEEN_SHARE = 0.5   # ... but a strike is seen on at least this share of the columns along its course where
#                               print would not hide it (specks bridged across a bold name are no strike)
SEEN_MIN_OPEN_TH = 0.12       # of text height: ... columns of paper counted in runs this wide at least (a sliver in a
#                               letter's counter or between two letters of a word lies in the print's halo on both
#                               sides: a thin stroke there adds too little ink to be seen; stress seeds 1796269041
#                               and 1796215968, 25 of 46 clear strikes read partial were thin strikes through bold
#                               letters seen only between words)
SLANT_FIT_XH = 0.25           # pen runs over a name that lie this close (rms) to one straight line crossing its
#                               letters from above to below are one slanted strike, through the letters all along
NEAR_NAME_TH = 0.25           # ink this close to the name's box counts as touching it
MARK_BESIDE_MIN_TH = 0.5      # blobs this big (longest side) in a name's row that do not touch it are unclear
ROW_SPILL_XH = 0.5            # a stroke running this long through a name's letters and through another name's
#                               crosses two rows
FAINT_SMOOTH_PX = 3           # a light line is looked for on added ink averaged over this length along x ...
FAINT_MAX_INK = 0.2           # ... each pixel counted at most this dark ...
FAINT_RIDGE_XH = 0.3          # ... as a ridge across it: darker than the pixels this far above and below ...
FAINT_RIDGE_NEAR_XH = 0.15    # ... or, where print lies that far (a letter's counter, a narrow gap), this far
#                               (at least 2 px: a faint line is 1-2 px; stress seed 1796205754 count 3 page 11, a
#                               condensed serif: a faint line seen only in the counters of "Hồng" was never seen; seen
#                               so only where it shows a ridge of FAINT_RIDGE_INK: a thick light strike fills that near
#                               paper, and read as seen paper it broke the strike's line, seed 1796218452 count 3 page
#                               16). 570 strike pages of 3 stress runs, with a line's seen columns at least
#                               FAINT_TRACE_MIN_XH: faint names found 23 → 24 of 33, standing names with a trace 10 → 9
#                               of 2768; the 9 missed leave no ridge at any level, under print or on the baseline) ...
FAINT_INSET_XH = 0.25         # ... between the x-line and the baseline, within this of either only as far from
#                               print (ghosts lie along the letters' tops and bottoms; a faint dash on the x-line in a
#                               word gap was no trace, seed 1796202918 count 4 page 0); a line that strikes is looked
#                               for inside them only (reading pen there struck 2 of 4411 standing names) ...
FAINT_HALO_PERCENTILE = 75    # ... and where a bolder or blurred print leaves a halo around its letters (this
FAINT_HALO_INK = 0.01         #     percentile of the added ink next to print is this dark or more: halo pages
#                               0.03-0.4, others 0.0 on 60 names measured) ...
FAINT_CLEAR_PX = 2            # ... this far from print
FAINT_NOISE_PERCENTILE = 99   # the page's own noise for a name (pen.trace_noise): this percentile of the ridges of
#                               each other name without pen (seed 1796191009: median 0.005 ink, 90 % under 0.013,
#                               the noisiest 0.1 — grey JPEG at 150 dpi) ...
FAINT_NOISE_PEN_CLEAR_XH = 0.5  # ... on a page where every name holds pen, away from it by this much ...
FAINT_NOISE_NAMES_PERCENTILE = 25  # ... and this percentile of it over the other names (light strikes the pen
#                               mask missed are ridges of the names they strike: the median of a page struck in
#                               light pencil read its strokes as noise, 13 struck names standing, seed 1796191009)
FAINT_NOISE_RATIO = 3.0       # a light line's ridge is at least this many times the page's noise ...
FAINT_RIDGE_INK = 0.025       # ... and at least this (ink). Seed 1796191009, 431 strike pages, 2797 standing names:
#                               ratio × floor 2-3 × 0.025-0.03 left 3-5 standing names with a trace of 0.3 x-heights,
#                               1.5 × 0.02 14; every pair found the faint strokes (0.03-0.07 ink in the letters'
#                               gaps) but one no pair saw (0.02 ink under the print of a 150 dpi condensed face)
FAINT_MAX_RIDGE_INK = 0.05    # ... and a ridge this dark (half the pen's PEN_MIN_INK) is a line on any page
FAINT_GAP_PX = 2              # a line's ridge pixels join along a row across gaps this long, or where print hid it
FAINT_LINE_BEYOND_TH = 1.0    # a light line running this far beyond both ends of the name is a crease or a streak,
FAINT_CREASE_RUN_TH = 0.25    # ... and so are rows holding this much ridge there on both sides (a crease in pieces:
#                               0.29 th, seed 1796191009 count 16 page 27; a light zigzag strike overshooting the
#                               name leaves specks of 0.05-0.15 th there, and was taken for one: struck names standing)
FAINT_CREASE_REACH_TH = 4.0   # a trace whose course runs on from FAINT_LINE_BEYOND_TH to this far (th) beyond both ends
FAINT_CREASE_PIECE_TH = 0.5   # ... of the name, followed in pieces this long (th) ...
FAINT_CREASE_MAX_SLOPE = 0.03  # ... along a course through it at any slope up to this (rise over run; the folds
#                               measured ran at 0.005-0.014 once the page was registered) ...
FAINT_CREASE_DRIFT_PX = 2     # ... within this many px of that course ...
FAINT_CREASE_ALONG_SHARE = 0.75  # ... darker by half the trace's level than the paper FAINT_RIDGE_XH off it along this
#                               share of the pieces seen on each side, is a crease the page's line search missed (folds
#                               "half" and "letter" along a baseline, 0.02-0.04 ink across the page at a slope of
#                               0.005: scanner seed 1796269041 counts 1 and 19, 2 clear ballots flagged faint)
FAINT_TRACE_MIN_XH = 0.3      # a light line this long (not pen) through the letters of a name's row makes the name
#                               unclear (same pages: standing names p99 0.15, 5 of 2797 over it at 0.31-4.4 (a
#                               crease in pieces, marks); faint strokes 0.44-3.6 but for the one not seen; 0.15
#                               let 90 standing names' noise through at ratio 2)
LIGHT_STRIKE_MIN_COVER_SHARE = 0.7  # of name width: a line (pen and light ridges followed along its course) this
#                               long through the letters strikes the name (same pages: standing names at most 0.38,
#                               partial strikes 0.62, faint strokes 0.27, two-row strokes 0.17; 10 of 82 strikes
#                               the pen mask held under 0.6 of the name, light pencil, reach 0.71-0.93)
COURSE_MAX_SLOPE = 0.1        # rise over run: a strike's course carried beyond its pen runs at most this steep
#                               (slanted strikes: up to 4 degrees, 0.07)
COURSE_DRIFT_XH = 0.2         # a stroke along the pen's course is looked for within this of it (wider let the paper
#                               rows 0.5 x-height off land on a wavy stroke's own light arcs: fewer strikes found) ...
COURSE_CLEAR_PX = 1           # ... this far along the row from print (a letter's edge shows a stroke as paper) ...
COURSE_PIECE_XH = 0.5         # ... in pieces this long along the name ...
COURSE_LEVEL_SHARE = 1.0      # ... a piece on it when half its seen columns show this share of the name's light-line
#                               level (trace_level: 3 times the page's noise, 0.025-0.05 ink; noise is in specks)
COURSE_MIN_LIGHT_PIECES = 2   # ... the light line seen on its own (no pen) in this many of them at least (pen
#                               specks at both ends of a blurred photo's name, nothing seen between, were a strike)
COURSE_MIN_REACH_SHARE = 0.7  # of name width: a stroke's course seen this far (pen and light pieces, print hiding
#                               it between) strikes the name. Kept stress sets of 4971bfb (seeds 1796226570,
#                               1796224205, 1796225362, 1796220261, 1796224408, 1796224631, 1796225520; 672 strike
#                               pages with a light pen or an unclear name): truly unclear names at most 0.61 (scanner
#                               partial, drawn 0.25-0.45 of the name), 0.63 (1-bit), standing names 0.09; clear strikes
#                               of light pens read partial or faint: 46 of 245 names reach it. A light line with no
#                               pen is not followed (a fold along a standing name's row reached 0.72), nor read in a
#                               row with pen above or below the letters or a mark beside the name (a paper's shadowed
#                               edge over a standing name reached 0.87 and 1.0: fresh seeds 1796232837, 1796232838).
# --- mark and yes/no ballots: per box (box_marks.py, zones.py) ---------------------------------------
BOX_INSET_SHARE = 0.15        # of the box side: the printed border's width, left out of the inside ...
MIN_BOX_INSET_PX = 2          # ... and at least this
BOX_SURROUND_SHARE = 0.5      # of the box side: the ring around a box where a mark may spill
BOX_CORE_INSET_SHARE = Fraction(1, 5)  # of the box side (exact): a mark reaching this far into another
#                               name's box reaches into that row
BOX_BORDER_GHOST_SHARE = 0.8  # ink along a row or column of a box's inside within its border's width of the edge, over
#                               this share of its length, is the border's ghost (bolder print, a box a few px off)
BOX_LINE_PX = 5               # in a box, added ink is averaged along a line this long in the stroke's direction ...
BOX_PIXEL_INK = 0.1           # ... a pixel of this ink counts as pen
BOX_TRACE_INK = 0.025         # ... of this, it may be a faint mark ...
BOX_TRACE_MIN_SHARE = (
    0.15  # ... a piece of such pixels this long (of the inside's side) in an otherwise empty box: faint
)
BOX_THIN_SHARE = 0.25         # of a box's inside's shorter side: ink thinner than this is a stroke (thin_ink) ...
BOX_NOISE_PERCENTILE = 99     # ... a page's noise in its boxes: this percentile of its thin ink (along a line) in each
BOX_NOISE_MIN_BOXES = 2       #     box without pen, the median over at least this many of them (else: unknown) ...
BOX_TRACE_NOISE_RATIO = 2.0   # ... on a quiet page a stroke is seen from this many times it (BOX_TRACE_INK at most) ...
BOX_TRACE_MIN_INK = 0.01      # ... and no lighter than this ...
BOX_LIGHT_MIN_SHARE = 0.3     # ... a piece of it this long (of the inside's side) in an otherwise empty box: faint.
#                               Stress seed 1796205754 (263 mark and yes/no pages): three faint marks read empty
#                               (0.02-0.04 ink, BOX_TRACE_INK missed them) 0.36-0.53 long on pages whose noise was
#                               0.006-0.009; of 1100 empty boxes 3 more went to review (0.33-0.76: a crease's fringe, a
#                               fold's shade) and 3 a needless faint flag left (creases found at half this ink). At a
#                               ratio of 1.5: 7 more; 2.5: one faint mark missed.
BOX_FAINT_NOISE_RATIO = 2.0   # a page whose box noise is BOX_TRACE_INK / this or more is noisy: its empty boxes hold
#                               pieces of faint trace of themselves ...
BOX_NOISY_TRACE_MIN_SHARE = 0.3  # ... so there a faint trace is this long (of the inside's side) at least. Scanner seed
#                               1796269041 and phone seed 1796269677: on pages of noise 0.015-0.025 empty boxes held
#                               pieces 0.17-0.235 long (5 clear ballots flagged faint); the faint marks were 0.47-0.53
#                               long at noise 0.004-0.026 (fresh seed 1796220048 count 8 page 11: 0.5 at noise 0.026,
#                               lost when the trace's ink level was raised with the noise instead of its length)
BOX_AXIS_LINE_ACROSS_PX = 2   # a faint or thin piece this thin (px) along a row or a column ...
BOX_AXIS_LINE_RATIO = 2.5     # ... this many times as long as it is thin (a corner's ghost: 2 x 5 px, seed 1796269041
#                               count 0 page 7) ...
BOX_AXIS_LINE_MIN_PX = 3      # ... and this long at least, in a box, is the ringing of a JPEG or the ghost of the
#                               border's edge (parallel to it, 0.02-0.05 ink: 3 clear ballots flagged faint with trace
#                               0.33 / light 0.5-0.7, seed 1796269041 count 9; a border a few px off: 0.5-0.8) ...
BOX_AXIS_LINE_NEAR_SHARE = 0.25  # ... when it lies this near (of the inside's shorter side) the edge it runs along
#                               (those ghosts: 0-3 px of an 18 px inside; a dash across the middle stays a trace) ...
BOX_EDGE_LINE_SHARE = 0.5     # ... and so are the rows (columns) that near the edge which faint ink covers along this
#                               share of them (a border's ghost joined at a corner with the next one's: an L, no thin
#                               piece; phone seed 1796269677 count 4 page 21, 2 rows of 0.035-0.06 along the bottom)
BOX_CREASE_BEYOND_TH = 2.0    # a (nearly) level or upright line of added ink in a box that runs on this far beyond both
BOX_CREASE_RIDGE_TH = 0.25    # sides of it, darker than the lines this far off it, is a crease, a fold's shade or a
#                               streak too faint or broken to be found across the page: not the voter's (stress seed
#                               1796196278: 11 empty boxes read faint, 1 read marked on such lines; 1796196992: ~25
#                               empty yes/no cells read faint) ...
BOX_CLEAR_MARK_MIN_FILL = 0.12  # ... looked for unless a box is empty or holds a mark this full and darker than
#                               LINE_ARTIFACT_KEEP_INK (a crease read as a mark: fill 0.104, ink 0.122) ...
BOX_CREASE_ALONG_SHARE = 0.75  # ... dark along this share of what is seen of it each side (crosses in the boxes above
#                               and below, which an upright line runs through, are dark along 0.5-0.6 of it)
BOX_EMPTY_MAX_FILL = 0.02     # at most this much pen and the box is empty
BOX_MARK_MIN_FILL = 0.06      # at least this and it is marked (an X of 2 px strokes fills ~0.15) ...
BOX_THIN_MARK_MIN_TRACE = 0.8  # ... or less, down to BOX_EMPTY_MAX_FILL, in one piece this long (of the inside's side),
#                               as dark as BOX_MIN_INK and nothing around (stress seed 1796196992: thin faint-blue and
#                               pencil crosses 0.91-1.24; light or half-outside marks to review 0.22-0.59)
BOX_SPILL_DOUBT_RATIO = 0.6   # pen around the box over pen inside: above this the mark is half outside
BOX_FILLED_SHARE = 0.8        # of its inside: a box this full is filled in; the pen mask, bridged along x across print,
#                               runs over its printed border, which is no spill (filled boxes read half outside: spill
#                               0.61-0.65; elsewhere pen on the border counts: a box's print a few px off is caught so)
BOX_AROUND_EMPTY_MAX_FILL = 0.06  # pen strokes just around an empty box (fill units): more, a mark beside it is unclear
BOX_STRADDLE_MIN_FILL = 0.02  # one mark with this much pen in a second box of its row lies across both: unclear
BOX_MEET_MIN_SHARE = 0.5      # of the fewer rows: pen reaching the rule between two table cells from both sides over
#                               this many of them is one mark on the rule (stress seed 1796196992: crosses on the rule
#                               0.8-1, read "both"; two crosses, one in each cell, do not reach the rule: 0)
BOX_JOIN_MIN_ROWS = 1         # rows of paper seen between two boxes one above the other: one stroke of pen crossing
#                               any from inside one box into the other is one mark in two names' boxes (print hides
#                               the rest of the way; stress seed 1796205754: an X over two rows' boxes of a table
#                               crossed 2-5 seen rows between the borders and the rule)
BOX_INK_PERCENTILE = 90       # a mark's darkness: this percentile of the added ink on its pixels ...
BOX_MIN_INK = 0.12            # ... at least this dark, a mark is deliberate (lighter: unclear, faint)
NAME_INK_MAX_SHARE = 0.08     # of name width: more pen on a printed name of a box ballot, the row is unclear

# --- writing added outside the names (writing.py) -------------------------------------------------
STRAY_MIN_SIDE_TH = 0.35      # a blob this big (longest side) or more is the voter's mark: at least a stray mark
IGNORE_MIN_SHARE = 0.6        # of its pen pixels: a blob lying this much on the seal or the page edges is not writing
OVERSHOOT_MAX_HEIGHT_TH = 0.6  # a flat stroke at most this tall, level with a strike and ...
OVERSHOOT_JOIN_TH = 0.6       # ... within this of its end, is that strike run on past its row (not writing) ...
OVERSHOOT_HIDDEN_JOIN_TH = 2.5  # ... or within this when print hides ...
OVERSHOOT_HIDDEN_SHARE = 0.5  # ... this share of the gap's columns (the stroke ran under a rule, a row number)
PATCH_MIN_SIDE_TH = 2.0       # a filled area at least this wide both ways is a paper lying on the ballot (a slip
#                               is 12 mm or more, ~2.5 th; a scanner-bed strip or a page-edge shadow is under 1 th)
CREASE_NEAR_TH = 0.4          # a flat blob within this of a crease or streak found, along it, is a piece of it;
CREASE_FLAT_TH = 0.15         # flat blobs (at most this thick) on one line spanning LINE_ARTIFACT_SHARE of the page
#                               are one (too broken to be found whole)
CREASE_PIECE_MAX_THICK_TH = 0.3  # a blob on such a line is a piece of it when its median run across the line is at
#                               most this (twice a flat piece: a crease's remnant wavers a little; a pen's short strokes
#                               across a rule's ghost run a letter's height)
# Handwriting, the only evidence that makes a ballot invalid for writing, is all of (measured on 300 + 300
# stress pages, see benchmarks/doubt_band_page.py; the margins are in the comments):
WRITING_MIN_LENGTH_TH = 3.0   # strokes this long in all: a few letters ...
WRITING_MIN_HEIGHT_TH = 0.4   # ... as tall as letters ...
WRITING_MAX_HEIGHT_TH = 3.0   # ... and no taller than a line of them (added names: 0.9-2.2 th; a note's edge: 6-16) ...
WRITING_MIN_WINDING_RATIO = 1.8  # ... winding this much: stroke length over the blob's longest side (a straight
#                               stroke, a dotted line, a paper's edge: about 1; words: 1.6-3.1) ...
WRITING_MAX_ON_PRINT_SHARE = 0.4  # ... with at most this share of it next to the blank's print (added names: 0-0.06;
GHOST_NEAR_TH = 0.25          #     within this: ghosts of print, where a scan came out darker, follow it) ...
WRITING_MAX_RULED_SHARE = 0.75  # ... and at most this share on level or upright runs (added names: 0-0.69, the
RULE_RUN_TH = 1.0             # pen's mask is smoothed along x) this long (ghosts of table corners: 0.79-1)
WRITING_JOIN_TH = 1.0         # marks this close to writing found are pieces of it (an accent, a letter set apart)
# Faint writing: strokes lighter than the pen (PEN_MIN_INK) outside the names, seen against the page's own noise
# (writing.faint_evidence measures, writing.is_faint_writing decides); a person looks, never invalid on that evidence
# alone. Stress seed 1796266333 count 6 page 9: a note "!!" in light pencil, added ink 0.28 but 0.096 along x,
# under PEN_MIN_INK: counted valid. Here its strokes stand 32 times out of the page's noise (0.089 ink).
FAINT_REDUCTION_RATIO = 2     # light strokes are looked for on the page reduced this many times
FAINT_PEN_SQUARE_TH = 0.15    # ... a light stroke is the mean added ink over a square this wide (pen.faint_ink) ...
FAINT_PEN_BACKGROUND_TH = 1.0  # ... over the mean over a square this wide around it (shading, tinted paper: 0)
FAINT_PEN_CELL_TH = 2.0       # the page's noise in it is measured on cells this wide ...
FAINT_PEN_PAPER_SHARE = 0.8   # ... lying this much on paper (off print, edges, the seal, the rows, pen) ...
#                               ... as the most ink of each one's paper, the median over the cells (806 kept
#                               scanner pages, seeds 1796266333 and 1796269041: median 0.001, p99 0.008, most 0.016)
FAINT_WRITING_NOISE_RATIO = 3.0  # light strokes are looked at from this many times the noise ...
FAINT_PEN_MIN_INK = 0.03      # ... and no lighter than this (ink; the level on most scans: their noise is lower).
#                               Light notes and write-ins the pen missed: 32-60 times the noise, 0.07-0.09 ink; what
#                               else stood out (edges of notes lying on the ballot, pieces of faint lines, JPEG
#                               blocks) 7-24 times, 0.03-0.05, and failed the shape below but on pages in review
FAINT_PEN_INK_PERCENTILE = 75  # a group of light strokes' ink: this percentile over its pixels
FAINT_PIECE_MIN_TH = 0.2      # a stroke this long (its box's longer side) counts among the group's strokes ...
FAINT_WRITING_MIN_PIECES = 2  # ... light writing is at least this many of them (one: a scratch, a hair, a line) ...
FAINT_WRITING_MIN_LENGTH_TH = 1.0  # ... this long in all (the "!!": 1.7), of letter height (WRITING_MIN/MAX_HEIGHT_TH)
#                               and as wide as WRITING_MIN_HEIGHT_TH (pieces of a faint line one above another: 0.2-0.4)

# --- double feeds: a new scan of a counted sheet (doublefeed.py) ----------------------------------
CELL_PX = 12                  # one signature bit covers this many px a side
EDGE_CELLS = 4                # cells along the page's edges left out (scanner bed, shadows: ~2.5 % of the page)
CELL_INK_SHARE = 0.02         # of a cell's pixels: a cell is inked when this much of it is pen
MIN_CELLS = 10                # pages with fewer inked cells (unmarked ballots) cannot be told apart: not compared
CELLS_RATIO = 1.3             # only pages whose inked cells are within this ratio are compared (re-scans: ≤ 1.23)
CENTRE_CELLS = 6              # ... and whose inked cells are centred within this distance (re-scans: ≤ 4)
NEAR_CELLS = 1                # an inked cell matches an inked cell of the other page this close
SIMILAR_SHARE = 0.95          # of each page's inked cells near the other's: at least this much, a double feed
SEAL_MATCH_PX = 8             # a hand-applied seal lands within this distance of itself on a re-scan
STROKE_END_MATCH_PX = 10      # ... and so does each end of each stroke
MARK_MATCH_PX = 4             # ... and each side of the pen's extent in a box
MIN_STROKES = 2               # the fingerprint needs at least this many strokes or marked boxes

# --- a note lying on the ballot, found by its paper (note.py) ---------------------------------------
# A note's paper differs from the ballot's own paper (its colour on a colour file, its grey level on a grey
# one), measured on this page: the paper is the page's median, the noise the spread of the page's own cells.
NOTE_CELL_TH = 0.25           # map cells this many text heights a side (about 1 mm)
NOTE_COLOUR_MIN_SPREAD = 6.0  # levels of 255: a colour decode whose channels differ this much ...
NOTE_COLOUR_MIN_SHARE = 0.01  # ... on less than this share of the page is a grey scan
NOTE_MIN_BRIGHT_SHARE = 0.6   # of the paper's brightness: darker cells (ink) carry no hue of paper
NOTE_INK_CLOSE_TH = 0.5       # grey files: the page's white is its brightest pixel within this (print and pen gone)
NOTE_CHROMA_FLOOR = 0.012     # chromaticity distance: at least this far from the paper's ...
NOTE_GREY_FLOOR = 0.012       # ... or, grey, this share of the paper's level away from it ...
NOTE_NOISE_TIMES = 4.0        # ... and this many times the median distance of the page's cells (its own noise)
NOTE_OPEN_TH = 0.6            # an opening this wide removes pen strokes and a seal's ring
NOTE_RING_TH = 0.5            # the paper just outside a region: a band this wide around it
NOTE_MIN_SIDE_TH = 2.5        # a note's or slip's shorter side: at least this (slips: 12 mm and more, ~3 th)
NOTE_MAX_PAGE_SHARE = 0.6     # ... its longer side at most this share of the page's shorter side (a fold's band
#                               or an edge of light spans the page)
NOTE_MIN_FILL = 0.8           # of its minimum-area rectangle: a note fills it (a disc fills pi/4 = 0.785) ...
NOTE_CORNER_SHARE = 0.2       # ... and its corners, squares this share of its sides ...
NOTE_MIN_CORNERS = 0.45       # ... at least this much (the median corner; notes: 0.6-0.8, a disc: 0.15-0.2)
NOTE_MIN_STEP = 1.5           # its median distance from the paper, in thresholds: clearly another paper ...
NOTE_MIN_EVEN = 0.6           # ... even: this share of its cells within half that distance of its median ...
NOTE_MIN_LIGHT = 0.7          # ... as light as paper: at least this share of the paper's brightness (sticky notes
#                               0.77-0.86 of white paper; ink darker) ...
NOTE_MAX_RING = 0.6           # ... and paper again just outside it (at most this, in thresholds): a step at its
#                               edge, not a gradient of light
NOTE_EDGE_TH = 0.6            # cells this close to the page's edges are not measured (bed, table, edge shadow)
NOTE_LIGHT_SIGMA_TH = 4.0     # grey files: the page's own light is its paper's mean this wide (Gaussian sigma) ...
NOTE_LIGHT_ROUNDS = 4         # ... taken this many times, each without the cells ...
NOTE_LIGHT_OUT_TIMES = 2.0    # ... this many times its median distance away from it (a note, ink left over)
NOTE_EDGE_FLOOR = 0.008       # a white slip on white paper: the paper level's gradient (per map cell, of the paper's
#                               level) at least this (a step of 1.6 %: the slip of seed 1796224205 stepped 2.4 %;
#                               at 0.004 the contours of a quiet page's light, one grey level apart, closed around
#                               shaded areas on 2 of 196 clear ballots, stress seed 1796229209) ...
NOTE_EDGE_NOISE_TIMES = 5.0   # ... and this many times its median over the page (its grain): an edge of the level ...
NOTE_OUTLINE_NEAR_CELLS = 2   # ... on a straight side of its piece's rectangle within this many cells ...
NOTE_OUTLINE_MIN_ON_SIDES = 0.85  # ... for this share of the piece's cells (a seal's ring, a fold's cross: less) ...
NOTE_OUTLINE_MIN_COVER = 0.8  # ... running along this share of the rectangle's perimeter (four sides: a page's
#                               corner or two edges of a shade cover half): a piece of paper lying there (note.outlines)
NOTE_OUTLINE_MIN_STEP = 0.006  # ... darker inside than just outside by this share of the paper's level (half the grey
#                               floor) ...
NOTE_PRINT_SHARE = 0.5        # ... and no print along it: a cell whose darkest pixel is under this share of the paper's
NOTE_OUTLINE_MAX_PRINTED = 0.1  # level holds print; at most this share of its sides' cells (a table's rules: most)
NOTE_BOX_GROW_TH = 0.5        # a region at a printed mark box grown by this ...
NOTE_BOX_AREA_TIMES = 4.0     # ... and at most this many times its area is the voter's mark filling it (a sticky
#                               note is 35 mm and more a side: 20 times a box and more)
