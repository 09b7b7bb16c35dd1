"""Numbers, formulas and words on screen, built so a test can read back what they show.

Every number a scene shows is a ``Number`` (a value from reluviz, written the way
``reluviz.numbers`` writes it) or an axis ``TickLabel``. Formulas are assembled from
fixed TeX pieces and ``Number``s: the pieces compile once, whatever the weights, and
each number stays a readable object.

Everything here that typesets TeX does it inside ``typesetting()``: TeX compiled in a folder of
this process's own, its SVGs shared with other processes. Render workers typeset the same
formulas (a digit, "ReLU(x)"), so what one compiles the others should find. They cannot compile
in one folder: manim's compile deletes every non-SVG file in its folder when it finishes
(another worker's half-made .dvi too), and reading an SVG writes and deletes a scratch copy
beside it (``<name>_.svg``). Taking turns on a lock made a worker wait for the other's
typesetting and reading (a cold preview: 5.8 s of the two workers' time). So each process
compiles and reads in its own folder (manim's ``tex_dir``), and ``typesetting()`` links what
the shared folder has into it before, and what it made into the shared folder after: a formula
compiles once, unless two processes want it at the same moment (each then compiles its own, the
same). Without a shared folder (plain manim, one process) it does nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    MathTex,
    Mobject,
    SingleStringMathTex,
    Text,
    TexTemplate,
    VGroup,
    VMobject,
    config,
)

from reluviz.scenes.framework import style
from reluviz.scenes.framework.manim_internals import DigitCachedDecimal, without_glyph_sources
from reluviz.words.numbers import decimals, format_number, magnitude, rounded

_shared: Path | None = None
_depth = 0


@contextmanager
def svgs_shared_through(folder: Path | None) -> Iterator[None]:
    """Within: typesetting shares its SVGs with other processes through ``folder`` (None: no one)."""
    global _shared
    before, _shared = _shared, folder
    try:
        yield
    finally:
        _shared = before


def _svgs(folder: Path) -> set[str]:
    """The SVGs in ``folder`` by name, not manim's scratch copies (names only: asking each file's
    size as well, on every ``typesetting()``, cost 2.3 ms with 200 SVGs)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return set()
    return {name for name in names if name.endswith(".svg") and not name.endswith("_.svg")}


def _link_missing(source: Path, target: Path) -> None:
    """Every finished SVG of ``source`` that ``target`` lacks, put there whole: linked, or copied
    and renamed where a link cannot be made (another disk). An empty one is not finished: on a
    full disk dvisvgm leaves an empty SVG."""
    for name in _svgs(source) - _svgs(target):
        try:
            if (source / name).stat().st_size == 0:
                continue
            os.link(source / name, target / name)
        except FileExistsError:  # another process put it there meanwhile
            pass
        except OSError:
            scratch = target / f".{name}.{os.getpid()}"
            try:
                shutil.copyfile(source / name, scratch)
                os.replace(scratch, target / name)
            except OSError:  # not shared (a full disk, the folder gone): compiled again where needed
                scratch.unlink(missing_ok=True)


@contextmanager
def typesetting() -> Iterator[None]:
    """Around anything that compiles TeX or reads its SVGs: the shared folder's SVGs are found
    in manim's ``tex_dir`` within, and the ones made within are in the shared folder after.
    Nested uses (a ``Formula`` making ``Number``s) share once."""
    global _depth
    if _depth or _shared is None:
        yield
        return
    own = config.get_dir("tex_dir")
    own.mkdir(parents=True, exist_ok=True)
    _shared.mkdir(parents=True, exist_ok=True)
    _link_missing(_shared, own)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        _link_missing(own, _shared)


#: The story's TeX: Helvetica for letters and digits, matching ``style.FONT``.
TEMPLATE = TexTemplate()
TEMPLATE.add_to_preamble(style.TEX_PREAMBLE)


def tex_points(cap_height: float) -> float:
    """manim's font_size for TeX whose capitals stand ``cap_height`` px tall at 1080p."""
    return cap_height / style.TEX_CAP_PER_POINT


def text_points(cap_height: float) -> float:
    """manim's font_size for Text whose capitals stand ``cap_height`` px tall at 1080p."""
    return cap_height / style.TEXT_CAP_PER_POINT


class StoryTex(SingleStringMathTex):
    """A digit or sign of a number, in the story's TeX."""

    def __init__(self, source: str, **kwargs) -> None:
        super().__init__(source, tex_template=TEMPLATE, **kwargs)


class _TypesetDecimal(DigitCachedDecimal):
    """A DecimalNumber in the story's TeX that typesets its digits inside ``typesetting()``: when it
    is made, and when its value changes (an updater or ``.animate.set_value`` may show a digit
    not seen yet). ``font_size`` is given as a cap height (``style``'s type scale)."""

    def __init__(self, number: float, font_size: float = style.BODY_SIZE, **kwargs) -> None:
        with typesetting():
            super().__init__(number, font_size=tex_points(font_size), mob_class=StoryTex, **kwargs)

    def glyphs(self, string: str, **kwargs) -> VMobject:
        return StoryTex(string, **kwargs)

    def set_value(self, number: float):
        # A readout's updater sets its value every frame, and mostly it shows the same digits:
        # those are kept, not copied from their glyphs and laid out again (a fifth of the
        # training clip's CPU went there).
        if self.shows_digits_of(number):
            self.number = number
            return self
        with typesetting():
            return super().set_value(number)


class Number(_TypesetDecimal):
    """A value computed by reluviz. ``shown`` is the value as a viewer reads it."""

    def __init__(
        self,
        value: float,
        color: str,
        font_size: float = style.BODY_SIZE,
        places: int | None = None,
        sign_before: bool = False,
        **kwargs,
    ) -> None:
        """``places`` fixes the decimals, for a readout whose value changes while it is shown.
        ``sign_before``: the sign is written before it, as an operator ("x - 2"), so only
        the magnitude is drawn; ``shown`` is still the signed value a viewer reads."""
        self.negated = sign_before and value < 0
        drawn = magnitude(value) if sign_before else value
        shown = rounded(drawn) if places is None else round(float(drawn), places) + 0.0
        places = decimals(drawn) if places is None else places
        super().__init__(
            shown,
            num_decimal_places=places,
            font_size=font_size,
            color=color,
            group_with_commas=False,
            **kwargs,
        )
        self.exact = float(value)

    @property
    def shown(self) -> float:
        value = round(self.get_value(), self.num_decimal_places) + 0.0
        return -value if self.negated else value


@dataclass(frozen=True)
class Term:
    """A number added to what comes before it in a ``Formula``: its sign becomes the operator
    ("x - 2", never "x + -2")."""

    value: float


class TickLabel(_TypesetDecimal):
    """A number on an axis: where a tick is, not a value the story computes."""

    def __init__(self, value: float, **kwargs) -> None:
        super().__init__(value, group_with_commas=False, **kwargs)


#: What TeX reads as commands in text, and how each is written as itself.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\^{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\~{}",
}


def text_tex(text: str) -> str:
    """Words (a label from a words file, say) as a piece of a formula: TeX's text mode, every
    character as itself, a line break as a space (a formula is one line)."""
    escaped = "".join(_TEX_SPECIALS.get(c, c) for c in text.replace("\n", " "))
    return r"\text{" + escaped + "}"


class Maths(str):
    """A name written as mathematics (TeX), e.g. an axis called ``Maths("x")``: set like
    the same variable in every formula, unlike a word such as "dosage"."""


def label(name: str, color: str, font_size: float = style.LABEL_SIZE) -> Mobject:
    """A name on screen: TeX for ``Maths``, words otherwise."""
    if isinstance(name, Maths):
        return Formula([str(name)], color, font_size)
    return words(name, color, font_size)


def words(text: str, color: str, font_size: float = style.BODY_SIZE, **kwargs) -> Text:
    """Words whose capitals stand ``font_size`` px tall at 1080p (``style``'s type scale)."""
    return without_glyph_sources(Text(text, font=style.FONT, font_size=text_points(font_size), color=color, **kwargs))


class TexPiece(VGroup):
    """A piece of TeX inside a ``Formula`` (its glyphs), knowing its source."""

    def __init__(self, *glyphs: VMobject, source: str = "") -> None:
        super().__init__(*glyphs)
        self.tex_string = source


@cache
def _typeset(source: str, font_size: float) -> tuple[TexPiece, float]:
    """``source`` typeset once, beside a digit that marks the baseline: (glyphs, baseline y).

    One TeX compile gives both the piece and where its baseline is; formulas copy from here.
    """
    with typesetting():
        probe = MathTex(source, "0", font_size=tex_points(font_size), tex_template=TEMPLATE)
    return TexPiece(*without_glyph_sources(probe[0]).submobjects, source=source), float(probe[1].get_bottom()[1])


def tex(source: str, color: str, font_size: float = style.BODY_SIZE) -> MathTex:
    with typesetting():
        typeset = MathTex(source, font_size=tex_points(font_size), color=color, tex_template=TEMPLATE)
    return without_glyph_sources(typeset)


#: TeX's \quad (one em) in manim's units per point of font size, measured (manim 0.22: 0.498 at 48).
QUAD_PER_POINT = 0.498 / 48


class Formula(VGroup):
    """TeX pieces and numbers side by side on one baseline, e.g.
    ``Formula([r"\\max(0,", x, ")", "=", relu(x)], ...)``.

    Strings are TeX, floats become ``Number``s, a ``Term`` becomes its sign and its
    magnitude, mobjects are placed as they are. ``numbers`` lists the ``Number`` parts in
    order; ``reading`` is the formula as a viewer reads it, piece by piece ("+", "-2").
    """

    def __init__(
        self,
        parts: list,
        color: str,
        font_size: float = style.BODY_SIZE,
        buff: float = 0.12,
        number_colors: dict[int, str] | None = None,
    ) -> None:
        super().__init__()
        number_colors = number_colors or {}
        self.numbers: list[Number] = []
        self.reading: list[str] = []
        x = 0.0
        for index, part in enumerate(parts):
            if index > 0 and _hugs(parts[index - 1], part):
                x -= buff * 0.7  # brackets and commas sit close to what they enclose
            if isinstance(part, Term):
                operator, baseline = _typeset("-" if part.value < 0 else "+", font_size)
                operator = operator.copy().set_color(color)
                operator.shift(RIGHT * (x - operator.get_left()[0]) + UP * (0 - baseline))
                self.add(operator)
                self.reading.append("-" if part.value < 0 else "+")
                x = operator.get_right()[0] + buff
                part = Number(part.value, number_colors.get(index, color), font_size, sign_before=True)
            if isinstance(part, str) and part.lstrip().startswith(r"\quad"):
                x += QUAD_PER_POINT * font_size  # a piece is typeset alone, and TeX drops the space it starts with
            if isinstance(part, str):
                glyphs, baseline = _typeset(part, font_size)
                mob: Mobject = glyphs.copy().set_color(color)
            elif isinstance(part, (int, float)):
                mob = Number(part, number_colors.get(index, color), font_size)
                self.numbers.append(mob)
                baseline = mob.get_bottom()[1]
            else:
                mob = part
                baseline = mob.get_bottom()[1]
                if isinstance(mob, Number):
                    self.numbers.append(mob)
            mob.shift(RIGHT * (x - mob.get_left()[0]) + UP * (0 - baseline))
            x = mob.get_right()[0] + buff
            self.add(mob)
            self.reading.append(_reading(mob, part))
        self.center()


def _reading(mob: Mobject, part) -> str:
    if isinstance(mob, Number):
        return format_number(mob.shown if not mob.negated else -mob.shown)
    return part.strip() if isinstance(part, str) else type(part).__name__


def _hugs(before, after) -> bool:
    opens = isinstance(before, str) and before.rstrip().endswith(("(", r"(\,", "["))
    closes = isinstance(after, str) and after.lstrip().startswith((")", ",", "]"))
    return opens or closes


def stack(*mobjects: Mobject, buff: float = 0.35) -> VGroup:
    """Lines of text or formulas, one under the other, left-aligned."""
    return VGroup(*mobjects).arrange(DOWN, buff=buff, aligned_edge=LEFT)


def place(mob: Mobject, region: tuple[float, float, float, float], align: np.ndarray | None = None) -> Mobject:
    """Centre ``mob`` in a region (or align it to an edge: LEFT, UP...), shrinking it to fit if needed."""
    left, right, bottom, top = region
    if mob.width > right - left or mob.height > top - bottom:
        mob.scale(min((right - left) / mob.width, (top - bottom) / mob.height))
    centre = np.array([(left + right) / 2, (bottom + top) / 2, 0.0])
    mob.move_to(centre)
    align = np.zeros(3) if align is None else align
    if align[0]:
        mob.shift(RIGHT * ((left if align[0] < 0 else right) - mob.get_edge_center(RIGHT * align[0])[0]))
    if align[1]:
        mob.shift(UP * ((bottom if align[1] < 0 else top) - mob.get_edge_center(UP * align[1])[1]))
    return mob


class NumberMatrix(VGroup):
    """A matrix of ``Number``s between square brackets; ``entries[r][c]`` is one cell."""

    def __init__(
        self,
        values,
        color: str,
        font_size: float = style.LABEL_SIZE,
        cell_width: float = 0.95,
        cell_height: float = 0.6,
    ) -> None:
        super().__init__()
        values = np.asarray(values, dtype=float)
        rows, cols = values.shape
        self.entries = [[Number(values[r, c], color, font_size) for c in range(cols)] for r in range(rows)]
        for r in range(rows):
            for c in range(cols):
                self.entries[r][c].move_to(np.array([c * cell_width, -r * cell_height, 0.0]))
        cells = VGroup(*(cell for row in self.entries for cell in row))
        self.cells = cells
        height = rows * cell_height
        left = cells.get_left()[0] - 0.2
        right = cells.get_right()[0] + 0.2
        middle = cells.get_center()[1]
        self.brackets = VGroup(*(self._bracket(x, middle, height, side, color) for x, side in ((left, 1), (right, -1))))
        self.add(cells, self.brackets)

    @staticmethod
    def _bracket(x: float, middle: float, height: float, opens: int, color: str) -> VMobject:
        top, bottom, lip = middle + height / 2, middle - height / 2, 0.12 * opens
        bracket = VMobject(color=color, stroke_width=2.5)
        bracket.set_points_as_corners([[x + lip, top, 0], [x, top, 0], [x, bottom, 0], [x + lip, bottom, 0]])
        return bracket
