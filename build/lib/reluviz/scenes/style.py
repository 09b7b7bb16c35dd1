"""The one place for how the videos look: colours, fonts, sizes, layout, timing.

Colours carry meaning and never change between scenes (STORY.md): the top path is
blue, the bottom path orange, sums green.
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
    top: str  # the top hidden node's path: blue
    bottom: str  # the bottom hidden node's path: orange
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
    top="#4EA8FF",
    bottom="#FF9F1C",
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
    top="#1565C0",
    bottom="#D9640A",
    total="#2E8B3A",
    function="#B8860B",
    highlight="#000000",
    clipped="#C62828",
)

THEMES = {theme.name: theme for theme in (DARK, LIGHT)}

FONT = "DejaVu Sans"

# Font sizes (Manim units: 48 is Manim's default). Chosen to stay legible at 480p.
TITLE_SIZE = 40
EQUATION_SIZE = 36
BODY_SIZE = 30
LABEL_SIZE = 28
SMALL_SIZE = 24
TICK_SIZE = 24

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
