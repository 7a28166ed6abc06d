"""Every threshold the reader decides with, in one place, with its unit.

Lengths are in *text heights* (th: the median height of a printed name on the blank, px in the
template frame) or as a share of a name's width, so they hold for any font size and resolution.
Ink is 0..1 darkness over the paper (see ``ink.py``).

Between "clearly struck" and "clearly standing" lies a doubt band: a reading there is UNCLEAR and the
ballot goes to a person. Widen the band to flag more, never narrow it to the point of guessing.
"""
from fractions import Fraction


# --- ink -----------------------------------------------------------------------------------------
INK_ADDED_MIN = 0.10          # stroke ink (added ink averaged along the stroke) for a pixel to count as pen
STROKE_SMOOTH_TH = 0.3        # added ink is averaged over this many th along x before thresholding
HIDDEN_INK = 0.3              # where the (widened) blank is this dark, print would hide a stroke
INK_STRONG = 0.12             # stroke ink (median over the name of each column's darkest) of clearly deliberate pen
NAME_PIECE_TH = 2.5           # a name is re-aligned in pieces this many th wide ...
PIECE_SEARCH_PX = 2           # ... each within ± this many px of the whole name's shift
ALIGN_SEARCH_PX = 6           # each name is re-aligned within ± this many px after registration
MAX_PRINT_GROWTH_PX = 3       # a scan's print may be up to this many px bolder than the blank's ...
PRINT_GROWTH_INK = 0.3        # ... judged by the median ink just outside the blank's print around the names
BLANK_SPREAD_PX = 1           # blank ink is widened by this many px before subtraction (aligned names)
PAGE_SPREAD_PX = 2            # ... and by this many px elsewhere on the page (global registration only)
RESIDUE_TILE_TH = 4.0         # ... re-aligned in tiles this many th wide
RESIDUE_KEEP_SHARE = 0.5      # ink that keeps less than this share after local re-alignment was a ghost of print
SPECK_MAX_AREA_TH2 = 0.02     # added-ink blobs smaller than this (× th²) are scanner noise

MAX_CONTRAST_GAIN = 3.0       # a light scan's ink is scaled up at most this much to match the blank's print

# --- is it this ballot? --------------------------------------------------------------------------
PRINT_PRESENT_RATIO = 0.35    # a printed pixel is present on the scan if its ink is ≥ this share of the blank's
PRINT_MISSING_REJECT = 0.30   # share of the blank's printed ink missing from the scan above which it is not this ballot
PRINT_MISSING_DOUBT = 0.12    # ... of the names' print, above which a person should look
PAGE_PRINT_MISSING_DOUBT = 0.22  # ... of the whole page's print, above which a person should look
SOLID_AREA_PX = 15            # dark areas this wide and more (scanner-bed strips, shadows) are not print

# --- strike ballots: per name ----------------------------------------------------------------------
STRIKE_MIN_COVER = 0.60       # of name width: a stroke through at least this much strikes the name
STANDING_MAX_COVER = 0.08     # of name width: at most this much touched and the name stands
HIDDEN_GAP_SHARE = 0.35       # a longer gap in a stroke is bridged when print hides this share of it (per column)
GAP_BRIDGE_TH = 0.6           # gaps in a stroke up to this many th (letters it passes under) are bridged
STRIKE_ABOVE_CORE_TH = 0.35   # a strike may run this many th above the letters' bodies
STRIKE_BELOW_CORE_TH = 0.12   # ... and this many th below the baseline; lower is an underline
NEAR_NAME_TH = 0.25           # ink this close to the name's box counts as touching it
MARK_BESIDE_MIN_TH = 0.5      # ink blobs this big (longest side, th) in a name's row that do not strike it are unclear
ROW_SPILL_TH = 0.45           # a stroke reaching this many th into a neighbouring name's letters crosses two rows

# --- mark and yes/no ballots: per box --------------------------------------------------------------
BOX_INSET_SHARE = 0.15        # of the box side: the printed border's width, left out of the inside
BOX_TRACE_INK = 0.1           # added ink of a pixel inside a box that may be a faint mark
BOX_TRACE_MIN = 0.02          # ... that many such pixels (as fill) in an otherwise empty box: unclear, faint
BOX_PIXEL_INK = 0.2           # added ink of a single pixel inside a box that counts as pen
BOX_SURROUND_SHARE = 0.5      # of the box side: the ring around a box where a mark may spill
BOX_EMPTY_MAX_FILL = 0.02     # share of the inside carrying pen: at most this and the box is empty
BOX_MARK_MIN_FILL = 0.06      # ... at least this and it is marked (an X of 2 px strokes fills ~0.15)
BOX_SPILL_DOUBT = 0.6         # pen ink around the box, relative to the ink inside: above this the mark is half outside

# --- writing added outside the names ---------------------------------------------------------------
WRITING_MIN_SIDE_TH = 0.8     # a blob whose longest side is this many th or more is writing
STRAY_MIN_SIDE_TH = 0.35      # a blob between this and WRITING_MIN_SIDE_TH is a stray mark (review)
SOLID_STROKE_TH = 0.35        # pen strokes are thinner than this many th; a blob with a thicker core ...
SOLID_CORE_SHARE = 0.2        # ... over this share of its pixels is a filled area (bed, shadow, blot), not writing
PAGE_EDGE_SHARE = 0.025       # ignore this share of the page at each edge (scanner bed, shadows)
LINE_ARTIFACT_SHARE = 0.45    # a thin straight line longer than this share of the page is a crease or a streak
LINE_ARTIFACT_MAX_TH = 0.25   # ... and is erased over this many th of thickness (its faint pixels only)
LINE_ARTIFACT_MAX_SLOPE = 0.06  # rise over run: creases and streaks run along the page's edges
LINE_ARTIFACT_KEEP_INK = 0.25  # on a crease or streak, only pixels this dark stay (a pen stroke on it; if a
                              # fainter stroke is erased there, the name reads partial and goes to review)
LINE_SEARCH_REDUCTION = 4     # creases and streaks are searched on a copy reduced this many times
LINE_TRACE_INK = 0.04         # added ink that may belong to a crease or a streak
LINE_TRACE_RUN = 5            # ... in runs this long along the line on the reduced copy (px; 20 px of the frame)
IGNORE_MIN_SHARE = 0.6       # a blob lying this much in the seal or the page edges is not writing
SEAL_WANDER_SHARE = 0.6       # the seal may land this share of its radius away from where the blank has it

# --- (new names for numbers that sat inline in read.py; sorted into their sections below) ---------
SOLID_MEAN_INK = 0.5
PRINTED_INK = 0.5
NO_PRINT_INK = 0.05
GAIN_SPREAD_PX = 1
NAME_ALIGN_MARGIN_SHARE = 0.5
BOX_ALIGN_MARGIN_SHARE = 0.25
MIN_PIECE_PX = 8
MIN_KERNEL_PX = 3
STROKE_MIN_SEEN_SHARE = 0.25
LINE_TRACE_MIN_PX = 0.5
LINE_HOUGH_STEP_DEG = 0.5
LINE_HOUGH_VOTES_SHARE = 0.35
LINE_MIN_GAP_PX = 8
LINE_MAX_GAP_TH = 2
BLOB_JOIN_HEIGHT_PX = 3
MIN_RESIDUE_TILE_PX = 16
MIN_BOX_INSET_PX = 2
BOX_INK_PERCENTILE = 90
BOX_CORE_INSET_SHARE = Fraction(1, 5)
SEAL_IGNORE_RADII = 1.15
