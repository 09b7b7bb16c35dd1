"""Shared test helpers: seeded randomness, temporary weights files, and scenes constructed
without writing video, with the picture checked after every step."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from manim import DecimalNumber, MathTex, Mobject, Text, VMobject, Wait, config, tempconfig

from reluviz.network import bends, parameter_vector, trace
from reluviz.numbers import rounded
from reluviz.scenes import scene_class
from reluviz.scenes.inputs import StoryInputs
from reluviz.scenes.widgets import Number, TexPiece
from reluviz.weights import PRESETS

SEED = 20261126


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(SEED)


@pytest.fixture
def relu_toml_text() -> str:
    return (PRESETS / "relu.toml").read_text()


@pytest.fixture
def write_weights(tmp_path: Path, relu_toml_text: str):
    """Write a weights file: the relu preset with some lines replaced (old -> new)."""

    def write(replacements: dict[str, str] | None = None, name: str = "custom", text: str | None = None) -> Path:
        body = relu_toml_text if text is None else text
        for old, new in (replacements or {}).items():
            assert old in body, f"test setup: {old!r} is not in the preset"
            body = body.replace(old, new)
        path = tmp_path / f"{name}.toml"
        path.write_text(body)
        return path

    return write


#: Two words may touch (kerning, a brace against its label) by this much, in scene units.
OVERLAP_TOLERANCE = 0.02
TEXT_TYPES = (Text, MathTex, DecimalNumber, TexPiece)


@dataclass
class Step:
    time: float
    outside: list[str]  # visible mobjects reaching past the frame edge
    overlaps: list[str]  # pairs of words or formulas drawn over each other
    numbers: list[float]  # every Number shown, as a viewer reads it
    still: bool  # the step was a wait: nothing moved


@dataclass
class Construction:
    scene: object
    steps: list[Step] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.scene.time

    @property
    def closing_still(self) -> float:
        """Seconds the clip ends on without anything moving (its trailing waits)."""
        start = self.duration
        for before, step in zip(reversed([Step(0.0, [], [], [], False), *self.steps[:-1]]), reversed(self.steps)):
            if not step.still:
                break
            start = before.time
        return self.duration - start

    def numbers_shown(self) -> set[float]:
        return {n for step in self.steps for n in step.numbers}


def visible(mob: Mobject) -> bool:
    """Drawn with some ink: a VMobject with points and a visible fill or stroke."""
    if not isinstance(mob, VMobject) or not mob.has_points():
        return False
    return mob.get_fill_opacity() > 0.01 or (mob.get_stroke_opacity() > 0.01 and mob.get_stroke_width() > 0)


def text_pieces(mobjects: list[Mobject]) -> list[Mobject]:
    """Top-level words and formulas (a formula's own glyphs are not compared with each other)."""
    found = []

    def walk(mob: Mobject) -> None:
        if isinstance(mob, TEXT_TYPES):
            if any(visible(m) for m in mob.family_members_with_points()):
                found.append(mob)
            return
        for sub in mob.submobjects:
            walk(sub)

    for mob in mobjects:
        walk(mob)
    return found


def describe(mob: Mobject) -> str:
    if isinstance(mob, DecimalNumber):
        return f"{type(mob).__name__}({mob.get_value():g})"
    text = getattr(mob, "text", None) or getattr(mob, "tex_string", None) or ""
    return f"{type(mob).__name__}({text[:30]!r})"


def check(scene) -> Step:
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    pieces = text_pieces(scene.mobjects)
    in_words = {id(part) for piece in pieces for part in piece.get_family()}
    shapes = [
        m for top in scene.mobjects for m in top.family_members_with_points() if visible(m) and id(m) not in in_words
    ]
    outside = []
    for unit in [*pieces, *shapes]:
        parts = [m for m in unit.family_members_with_points() if visible(m)]
        if not parts:
            continue
        points = np.concatenate([m.points[:, :2] for m in parts])
        if np.any(np.abs(points[:, 0]) > half_w + 1e-6) or np.any(np.abs(points[:, 1]) > half_h + 1e-6):
            outside.append(describe(unit))
    boxes = [(m, m.get_corner(np.array([-1, -1, 0]))[:2], m.get_corner(np.array([1, 1, 0]))[:2]) for m in pieces]
    overlaps = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            (a, a_lo, a_hi), (b, b_lo, b_hi) = boxes[i], boxes[j]
            overlap = np.minimum(a_hi, b_hi) - np.maximum(a_lo, b_lo)
            if np.all(overlap > OVERLAP_TOLERANCE):
                overlaps.append(f"{describe(a)} over {describe(b)}")
    numbers = [p.shown for p in pieces if isinstance(p, Number)]
    still = all(isinstance(animation, Wait) for animation in getattr(scene, "animations", None) or [])
    return Step(scene.time, outside, overlaps, numbers, still)


@pytest.fixture(scope="session")
def tex_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tex")


@pytest.fixture(scope="session")
def construct(tex_dir):
    """construct(stage_name, inputs=None) -> Construction, checked after every animation."""

    def build(stage_name: str, inputs: StoryInputs | None = None, **scene_args) -> Construction:
        options = {
            "format": "none",
            "disable_caching": True,
            "progress_bar": "none",
            "verbosity": "ERROR",
            "media_dir": str(tex_dir),
            "tex_dir": str(tex_dir / "Tex"),
            "text_dir": str(tex_dir / "texts"),
        }
        with tempconfig(options):
            scene = scene_class(stage_name)(inputs=inputs or StoryInputs(), skip_animations=True, **scene_args)
            result = Construction(scene)
            scene.on_step = lambda s: result.steps.append(check(s))
            scene.render()
        return result

    return build


@pytest.fixture(scope="session")
def frame_check():
    """The per-step picture check, for testing the checker itself."""
    return check


def reluviz_numbers(weights) -> set[float]:
    """Every number a Part II scene may show, as a viewer reads it: the weights, the dosage
    range, and every stage's value at the dosages the scenes talk about (the range's ends
    and middle, every bend)."""
    low, high = weights.dosage_range
    b = bends(weights)
    dosages = [low, high, (low + high) / 2, *(x for x in (b.top, b.bottom, *b.output) if x is not None)]
    columns = trace(weights, np.array(dosages)).columns()
    values = [*np.ravel(list(columns.values())), *dosages, *parameter_vector(weights)]
    return {rounded(float(v)) for v in values if math.isfinite(v)}


@pytest.fixture(scope="session")
def computed_numbers():
    return reluviz_numbers
