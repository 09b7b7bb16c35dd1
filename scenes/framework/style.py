"""The one place for how the videos look: colours, fonts, sizes, layout, timing.

Colours carry meaning and never change between scenes (STORY.md): the top path is
blue, the bottom path orange, sums green; a network with more hidden nodes gives each
further path its own colour from ``Theme.paths`` (none of them green).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str  # titles, equations, labels
    muted: str  # axes, ticks, secondary words
    faint: str  # grid lines, guides
    #: One colour per hidden node's path, in order: blue (the top node), orange (the bottom
    #: node), then pink, brown and two more, chosen to stay apart for protanopes and
    #: deuteranopes as well (none green: green is the sum's). Each reads at 4.5:1.
    paths: tuple[str, ...]
    total: str  # sums and the output: green
    function: str  # ReLU itself in Part I, before it belongs to a path
    highlight: str  # the value being talked about right now
    clipped: str  # negative values that ReLU sends to 0


DARK = Theme(
    name="dark",
    background="#11151C",
    text="#ECEFF4",
    muted="#9AA4B2",
    faint="#3A4250",
    paths=("#4EA8FF", "#FF9F1C", "#F25CA2", "#B08040", "#E8D44D", "#66CCEE"),
    total="#5CCB6A",
    function="#F5D76E",
    highlight="#FFFFFF",
    clipped="#FF6B6B",
)

LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1B1F24",
    muted="#5B6472",
    faint="#D5DAE1",
    # darker than the dark theme's: 4.5:1 on white, as text in focus needs
    paths=("#1565C0", "#B45309", "#C2185B", "#5D4037", "#6A1B9A", "#00798C"),
    total="#237A30",
    function="#8A6508",
    highlight="#000000",
    clipped="#C62828",
)

THEMES = {theme.name: theme for theme in (DARK, LIGHT)}

# One type family for words and mathematics: Nimbus Sans (URW's Helvetica) for Text, and
# the same Helvetica in TeX (helvet + sfmath), so "x" on an axis and x in a formula match.
FONT = "Nimbus Sans"
TEX_PREAMBLE = "\n".join(
    (
        r"\usepackage[T1]{fontenc}",
        r"\usepackage{helvet}",
        r"\renewcommand{\familydefault}{\sfdefault}",
        r"\usepackage[helvet]{sfmath}",
    )
)

# The type scale, as cap heights in pixels of a 1080p frame (the frame is 8 units = 1080 px
# tall). Projected in a lecture hall, 26 px is the least a back row reads; every size below
# keeps to it at 1080p, and at 720p and 480p in proportion (the whole frame scales).
TITLE_SIZE = 46  # one per clip, the stage's name
EQUATION_SIZE = 42  # the formula a beat is about (at least 40)
BODY_SIZE = 36  # sentences and readouts on screen
LABEL_SIZE = 32  # axis names, the network's weights and biases, data labels
SMALL_SIZE = 30  # a line's name beside it, secondary readouts
TICK_SIZE = 28  # numbers on axes
#: Nothing a viewer must read is smaller: the tests hold every frame to it, measured on the
#: glyphs drawn (``glyphs.cap_height``: capitals, digits and ascenders, after every scaling).
SMALLEST_READABLE = 26

# Measured cap heights per point of manim's font_size (manim 0.22, these fonts): Pango's
# Text draws 1.365 px of cap height per point at 1080p, TeX 1.02 (digits and capitals alike).
TEXT_CAP_PER_POINT = 1.365
TEX_CAP_PER_POINT = 1.02
PIXELS_PER_UNIT = 1080 / 8

# Contrast (WCAG 2 ratios against the background): text in focus, and dimmed context.
FOCUS_CONTRAST = 4.5
CONTEXT_CONTRAST = 3.0
#: Opacity of the parts of the network not being talked about (lines and boxes; their
#: words stay at ``readable_opacity``).
DIMMED = 0.25


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _channels(color: str) -> tuple[int, int, int]:
    code = color.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


def blend(color: str, background: str, opacity: float) -> str:
    """``color`` drawn at ``opacity`` over ``background``, as the viewer sees it."""
    mixed = (round(opacity * f + (1 - opacity) * b) for f, b in zip(_channels(color), _channels(background)))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def luminance(color: str) -> float:
    r, g, b = (_linear(c) for c in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(color: str, background: str) -> float:
    """WCAG 2's contrast ratio, from 1 (none) to 21 (black on white)."""
    high, low = sorted((luminance(color), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_opacity(color: str, background: str, ratio: float = CONTEXT_CONTRAST + 0.2) -> float:
    """The least opacity at which ``color`` still reaches ``ratio`` against ``background``
    (a little above the limit, so rounding in the video stays on the right side)."""
    low, high = 0.0, 1.0
    for _ in range(20):
        middle = (low + high) / 2
        if contrast(blend(color, background, middle), background) >= ratio:
            high = middle
        else:
            low = middle
    return high


# Layout, in scene units (the frame is 14.22 x 8, centred on the origin).
MARGIN = 0.35  # nothing visible comes closer to the frame edge than this
TITLE_Y = 3.45  # centre line of a stage title
RIGHT_COLUMN = (0.9, 6.75, -3.5, 2.6)  # words beside a plot on the left (left, right, bottom, top)

# Line weights.
CURVE_WIDTH = 6
AXIS_WIDTH = 2.5
EDGE_WIDTH = 3

# Timing (seconds).
BEAT = 1.0  # a calm pause after a point is made
HOLD = 2.5  # the closing still a lecturer may pause on
SHORTEST_CLIP = 8.5  # a stage clip never ends sooner: long enough to follow
#: What a stage's clip should stay under, narrated at a comfortable pace (tests hold scenes to it).
LONGEST_CLIP = 75.0
