"""How tall words stand on the picture, measured from the glyphs drawn (what the tests hold
every frame to, ``style.SMALLEST_READABLE``).

A size argument says what a piece of text was set at, and manim's ``font_size`` follows a
piece's whole height: neither sees glyphs shrunk inside a piece that keeps its tallest
one, a piece turned on its side, or what TeX sets smaller (an exponent, a subscript). So
each glyph on screen is recognised by its outline (its points, normalised
to its own height) among the story's fonts' letters and digits, set once for reference:
Pango's Nimbus Sans for words, and TeX's Helvetica in maths, in ``\\mathrm`` and in
``\\text``. The glyph's height on screen, divided by its reference's height per px of the
same font's capital H, is the cap height it is drawn at: for capitals, digits and
ascenders (b, d, f, h, k, l) that is their own height; a word with none of them ("x",
"max") is measured by its lowercase letters, in proportion. Signs, brackets and
punctuation are not measured.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache

import numpy as np
from manim import DecimalNumber, MathTex, Mobject, Text, VMobject

from reluviz.scenes.framework import style

#: Characters recognised, in every font of the story (plus Pango's ligatures below).
CHARACTERS = string.ascii_uppercase + string.ascii_lowercase + string.digits
LIGATURES = ("ff", "fi", "fl", "ffi", "ffl")
#: Two outlines are the same glyph when no normalised point is further apart than this (a
#: fraction of the glyph's height; Pango's outlines differ by 0.005 between sizes).
SAME_GLYPH = 0.02
#: What a readable glyph is set at for reference, in px of cap height at 1080p.
REFERENCE_SIZE = 40.0


@dataclass(frozen=True)
class Reference:
    character: str
    outline: np.ndarray  # points normalised: lower-left corner at 0, height 1
    per_cap: float  # the glyph's height per unit of its font's cap height (H's height)


def glyphs(piece: Mobject) -> list[VMobject]:
    """The glyphs a viewer sees of ``piece``: parts with points and some ink."""
    return [
        part
        for part in piece.family_members_with_points()
        if isinstance(part, VMobject) and part.get_fill_opacity() > 0.01 and len(part.points)
    ]


def _outline(glyph: VMobject) -> tuple[np.ndarray, float]:
    points = glyph.points[:, :2]
    low = points.min(axis=0)
    height = float(points[:, 1].max() - low[1])
    return (points - low) / (height or 1.0), height


def _references_of(pieces: list[tuple[str, VMobject]], capital: VMobject) -> list[Reference]:
    cap = _outline(capital)[1]
    found = []
    for character, glyph in pieces:
        outline, height = _outline(glyph)
        found.append(Reference(character, outline, height / cap))
    return found


@cache
def references() -> dict[int, list[Reference]]:
    """The story's letters and digits, by number of points: Pango's (single characters and
    ligatures) and TeX's (in maths, ``\\mathrm`` and ``\\text``), one TeX compile for all."""
    from reluviz.scenes.framework.widgets import TEMPLATE, text_points, typesetting

    size = text_points(REFERENCE_SIZE)
    found: list[Reference] = []
    letters = Text(CHARACTERS, font=style.FONT, font_size=size)
    assert len(letters.submobjects) == len(CHARACTERS), "Pango merged reference glyphs"
    capital = letters.submobjects[CHARACTERS.index("H")]
    found += _references_of(list(zip(CHARACTERS, letters.submobjects)), capital)
    for ligature in LIGATURES:
        drawn = Text(ligature, font=style.FONT, font_size=size)
        if len(drawn.submobjects) == 1:
            found += _references_of([(ligature, drawn.submobjects[0])], capital)
    sources = [
        *(c for c in CHARACTERS),
        *(r"\mathrm{" + c + "}" for c in CHARACTERS),
        *(r"\text{" + c + "}" for c in CHARACTERS),
        *(r"\text{" + ligature + "}" for ligature in LIGATURES),
    ]
    with typesetting():
        typeset = MathTex(*sources, tex_template=TEMPLATE)
    for start in (0, len(CHARACTERS), 2 * len(CHARACTERS)):  # maths, \mathrm, \text
        group = typeset.submobjects[start : start + len(CHARACTERS)]
        capital = group[CHARACTERS.index("H")].submobjects[0]
        found += _references_of([(c, g.submobjects[0]) for c, g in zip(CHARACTERS, group)], capital)
    for ligature, drawn in zip(LIGATURES, typeset.submobjects[3 * len(CHARACTERS) :]):
        if len(drawn.submobjects) == 1:  # measured against \text's H, the last capital above
            found += _references_of([(ligature, drawn.submobjects[0])], capital)
    by_points: dict[int, list[Reference]] = {}
    for reference in found:
        by_points.setdefault(len(reference.outline), []).append(reference)
    return by_points


def recognise(glyph: VMobject) -> Reference | None:
    """The letter or digit ``glyph`` draws, or None (a sign, a bracket, a stroke)."""
    outline, height = _outline(glyph)
    if height <= 0:
        return None
    key = (outline.shape, np.round(outline, 3).tobytes())
    if key not in _seen:
        _seen[key] = _same_points(outline) or _same_shape(outline)
    return _seen[key]


_seen: dict[tuple, Reference | None] = {}


def _same_points(outline: np.ndarray) -> Reference | None:
    """The reference drawn with the same points (a glyph as typeset, at any size)."""
    best, distance = None, SAME_GLYPH
    for reference in references().get(len(outline), ()):
        apart = float(np.abs(reference.outline - outline).max())
        if apart < distance:
            best, distance = reference, apart
    return best


def _same_shape(outline: np.ndarray) -> Reference | None:
    """The reference with the same outline drawn with other points: a glyph that took part
    in a transform has its curves cut into more pieces, on the same shape."""
    samples = _along(outline)
    width, middle = float(outline[:, 0].max()), samples.mean(axis=0)
    best, distance = None, SAME_GLYPH
    for reference in (r for group in references().values() for r in group):
        if abs(float(reference.outline[:, 0].max()) - width) > SAME_GLYPH:
            continue
        theirs = _reference_samples(reference)
        if np.abs(theirs.mean(axis=0) - middle).max() > SAME_GLYPH:  # the outline's centre
            continue
        apart = _hausdorff(samples, theirs)
        if apart < distance:
            best, distance = reference, apart
    return best


_sampled: dict[int, np.ndarray] = {}


def _reference_samples(reference: Reference) -> np.ndarray:
    if id(reference) not in _sampled:  # references live as long as the process
        _sampled[id(reference)] = _along(reference.outline)
    return _sampled[id(reference)]


def _along(outline: np.ndarray, spacing: float = 0.01) -> np.ndarray:
    """Points every ``spacing`` along the outline's curves (cubic Béziers, four points each)."""
    curves = outline[: len(outline) // 4 * 4].reshape(-1, 4, 1, 2)
    t = np.linspace(0.0, 1.0, 17)[None, :, None]
    a, b, c, d = curves[:, 0], curves[:, 1], curves[:, 2], curves[:, 3]
    drawn = (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
    pieces = []
    for line in drawn:
        steps = np.linalg.norm(np.diff(line, axis=0), axis=1)
        along = np.concatenate([[0.0], np.cumsum(steps)])
        count = max(int(along[-1] / spacing), 1) + 1
        at = np.linspace(0.0, along[-1], count)
        pieces.append(np.column_stack([np.interp(at, along, line[:, 0]), np.interp(at, along, line[:, 1])]))
    return np.concatenate(pieces)


def _hausdorff(a: np.ndarray, b: np.ndarray) -> float:
    """The farthest any point of either set lies from the other set."""
    apart = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)
    return float(max(apart.min(axis=1).max(), apart.min(axis=0).max()))


def glyph_cap_heights(piece: Mobject) -> list[tuple[str, float]]:
    """Each letter and digit of ``piece`` a viewer sees, with the cap height it is drawn at
    (px of a 1080p frame): its height on screen over its reference's height per cap."""
    found = []
    for glyph in glyphs(piece):
        reference = recognise(glyph)
        if reference is not None:
            found.append((reference.character, glyph.height * style.PIXELS_PER_UNIT / reference.per_cap))
    return found


def cap_height(piece: Mobject) -> float | None:
    """How tall ``piece``'s smallest letters or digits stand, in px of cap height at 1080p,
    measured on the picture; None when it shows none (only signs or brackets)."""
    heights = [height for _, height in glyph_cap_heights(piece)]
    return min(heights) if heights else None


def readable_characters(piece: Mobject) -> str:
    """The letters and digits ``piece`` is meant to show, from its text (TeX commands such
    as ``\\frac`` or ``\\quad`` left out): a piece with some shows at least one glyph the
    measure knows."""
    if isinstance(piece, DecimalNumber):
        return "".join(c for c in f"{piece.get_value():.{piece.num_decimal_places}f}" if c.isdigit())
    if isinstance(piece, Text):
        source = piece.text
    else:  # MathTex or a TexPiece
        source = re.sub(r"\\[A-Za-z]+", "", getattr(piece, "tex_string", "") or "")
    return "".join(c for c in source if c in CHARACTERS)
