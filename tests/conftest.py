"""Shared test helpers: seeded randomness, temporary weights files, and scenes constructed
without writing video, with the picture checked after every step."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from manim import DecimalNumber, MathTex, Mobject, Text, VMobject, Wait, config, tempconfig
from manim.camera.three_d_camera import ThreeDCamera

from reluviz.drawn_data import drawn_data
from reluviz.files.data import DEFAULT_DATA, load_dataset
from reluviz.files.weights import PRESETS
from reluviz.gradient import lesson_step
from reluviz.network import bends, parameter_vector, trace
from reluviz.scenes import scene_class
from reluviz.scenes.framework import style
from reluviz.scenes.framework.glyphs import cap_height, readable_characters
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.scenes.framework.manim_internals import building_renderer
from reluviz.scenes.framework.widgets import Number, TexPiece, svgs_shared_through
from reluviz.studio.pipeline.cache import TEX_FOLDER
from reluviz.words.numbers import rounded

SEED = 20261126

#: The test processes' group (``make test`` runs two, --dist loadgroup) of every test that uses the
#: one full low-quality render, so that the render is made once, by one process.
SHARED_RENDER_GROUP = "low_render"
#: Every costly fixture made once per module or session, and its group: make script's catalogs
#: (``scripted``, about a minute) are read by one process too; and the wheel built from the
#: checkout (``installed``): setuptools builds in the checkout's own build/, and two processes
#: building at once broke each other's wheel (a failed ``pip wheel`` in one run of make test).
SHARED_FIXTURE_GROUPS = {"low_render": SHARED_RENDER_GROUP, "scripted": "scripted", "installed": "wheel"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, group in SHARED_FIXTURE_GROUPS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(group))


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


#: Rows of the large data file the render and scene tests draw: a long measurement series.
LARGE_DATA_ROWS = 2_000_000


@pytest.fixture(scope="session")
def large_data_weights(tmp_path_factory) -> Path:
    """The relu preset drawing a data file of LARGE_DATA_ROWS rows (a noisy wedge, 37 MB), written once."""
    folder = tmp_path_factory.mktemp("large_data")
    rng = np.random.default_rng(SEED)
    dosage = rng.uniform(0.0, 1.0, LARGE_DATA_ROWS)
    effectiveness = np.clip(1 - 2 * np.abs(dosage - 0.5), 0, None) + rng.normal(0, 0.05, LARGE_DATA_ROWS)
    table = np.column_stack([dosage, effectiveness])
    np.savetxt(folder / "big.csv", table, fmt="%.6f", delimiter=",", header="dosage,effectiveness", comments="")
    text = (PRESETS / "relu.toml").read_text()
    assert '# data = "my_dosages.csv"' in text, "test setup: the preset's data line changed"
    (folder / "big.toml").write_text(text.replace('# data = "my_dosages.csv"', 'data = "big.csv"'))
    return folder / "big.toml"


#: Two words may touch (kerning, a brace against its label) by this much, in scene units.
OVERLAP_TOLERANCE = 0.02
TEXT_TYPES = (Text, MathTex, DecimalNumber, TexPiece)


#: A line may pass this close to words (scene units, 1.35 px at 1080p) before it touches them.
TOUCH_TOLERANCE = 0.01
#: Rounding allowance on the smallest readable size (px of cap height at 1080p, measured
#: from the glyphs drawn: ``glyphs.cap_height``).
SIZE_TOLERANCE = 0.5


@dataclass
class Step:
    time: float
    outside: list[str]  # visible mobjects reaching past the frame edge
    overlaps: list[str]  # pairs of words or formulas drawn over each other
    numbers: list[float]  # every Number shown, as a viewer reads it
    still: bool  # the step was a wait: nothing moved
    small: list[str] = field(default_factory=list)  # words whose glyphs stand below the smallest readable size
    unmeasured: list[str] = field(default_factory=list)  # words with letters or digits none of whose glyphs is known
    faint: list[str] = field(default_factory=list)  # words below their contrast ratio
    touches: list[str] = field(default_factory=list)  # words touched by a line, curve or dot
    folded: list[str] = field(default_factory=list)  # formulas that write "+ -"
    #: The smallest words or numbers shown: (cap height in px at 1080p, which), or None.
    smallest: tuple[float, str] | None = None

    @property
    def problems(self) -> list[str]:
        kinds = ("outside", "overlaps", "small", "unmeasured", "faint", "touches", "folded")
        return [f"{kind}: {found}" for kind in kinds for found in getattr(self, kind)]


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

    def smallest(self) -> tuple[float, str, float] | None:
        """The smallest words shown after any animation: (cap height px, which, at time)."""
        found = [(*step.smallest, step.time) for step in self.steps if step.smallest]
        return min(found) if found else None


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


@contextmanager
def seen_as_drawn(scene) -> Iterator[list[Mobject]]:
    """The scene's mobjects where the picture shows them: through a 3-D camera (Part III), with
    their points projected as the camera draws them (every part projected from the scene as it
    stands, then set, and put back after); else the mobjects themselves."""
    camera = getattr(scene, "camera", None)
    if not isinstance(camera, ThreeDCamera):
        yield scene.mobjects
        return
    parts = [part for mob in scene.mobjects for part in mob.get_family() if part.has_points()]
    projected = [camera.transform_points_pre_display(part, part.points) for part in parts]
    kept = [part.points for part in parts]
    try:
        for part, points in zip(parts, projected):
            part.points = points
        yield scene.mobjects
    finally:
        for part, points in zip(parts, kept):
            part.points = points


def check(scene) -> Step:
    with seen_as_drawn(scene) as mobjects:
        return _check(scene, mobjects)


def _check(scene, mobjects: list[Mobject]) -> Step:
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    pieces = text_pieces(mobjects)
    in_words = {id(part) for piece in pieces for part in piece.get_family()}
    shapes = [m for top in mobjects for m in top.family_members_with_points() if visible(m) and id(m) not in in_words]
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
    background = getattr(getattr(scene, "theme", None), "background", None)
    sizes = _sizes(pieces)
    return Step(
        scene.time,
        outside,
        overlaps,
        numbers,
        still,
        small=[f"{describe(p)} {size:.1f} px" for p, size in sizes if size < style.SMALLEST_READABLE - SIZE_TOLERANCE],
        unmeasured=[describe(p) for p in pieces if id(p) not in {id(m) for m, _ in sizes} and readable_characters(p)],
        faint=_faint(pieces, background) if background else [],
        touches=_touches(pieces, shapes),
        folded=_unfolded_signs(mobjects),
        smallest=min(((size, describe(p)) for p, size in sizes), default=None),
    )


def _sizes(pieces: list[Mobject]) -> list[tuple[Mobject, float]]:
    """Each piece showing letters or digits, with the cap height its smallest glyphs stand at
    on the picture (px at 1080p), measured from their outlines after every scaling."""
    measured = ((piece, cap_height(piece)) for piece in pieces)
    return [(piece, size) for piece, size in measured if size is not None]


def _faint(pieces: list[Mobject], background: str) -> list[str]:
    """Words below 4.5:1 in full colour, or below 3:1 when dimmed (WCAG ratios)."""
    found = []
    for piece in pieces:
        for part in piece.family_members_with_points():
            opacity = part.get_fill_opacity()
            if opacity <= 0.01:
                continue
            needed = style.FOCUS_CONTRAST if opacity >= 0.99 else style.CONTEXT_CONTRAST
            seen = style.blend(part.get_fill_color().to_hex(), background, opacity)
            ratio = style.contrast(seen, background)
            if ratio < needed - 0.05:
                found.append(f"{describe(piece)} {ratio:.2f}:1")
                break
    return found


def _polyline(mob: VMobject) -> np.ndarray:
    """The mobject's outline as (n, 2, 2) straight segments (each cubic sampled 8 times)."""
    points = mob.points[: len(mob.points) // 4 * 4].reshape(-1, 4, 3)[:, :, :2]
    t = np.linspace(0.0, 1.0, 9)[None, :, None]
    a, b, c, d = (points[:, i : i + 1] for i in range(4))
    curve = (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
    return np.stack([curve[:, :-1], curve[:, 1:]], axis=2).reshape(-1, 2, 2)


def _crosses_box(segments: np.ndarray, low: np.ndarray, high: np.ndarray) -> bool:
    """Whether any segment enters the box [low, high] (Liang-Barsky clipping, all at once)."""
    start, delta = segments[:, 0], segments[:, 1] - segments[:, 0]
    enter, leave = np.zeros(len(segments)), np.ones(len(segments))
    inside = np.ones(len(segments), dtype=bool)
    for axis in range(2):
        d, p = delta[:, axis], start[:, axis]
        flat = np.abs(d) < 1e-12
        inside &= ~flat | ((low[axis] <= p) & (p <= high[axis]))
        with np.errstate(divide="ignore", invalid="ignore"):
            ta, tb = (low[axis] - p) / d, (high[axis] - p) / d
        enter = np.where(flat, enter, np.maximum(enter, np.minimum(ta, tb)))
        leave = np.where(flat, leave, np.minimum(leave, np.maximum(ta, tb)))
    return bool(np.any(inside & (enter <= leave)))


def _touches(pieces: list[Mobject], shapes: list[VMobject]) -> list[str]:
    """Words that a visible line, curve or dot runs into (a box drawn around words is fine)."""
    found = []
    outlines = [(shape, _polyline(shape)) for shape in shapes if len(shape.points) >= 4]
    if not outlines:
        return found
    # each outline's box: a segment lies inside its outline's box, so an outline whose box is
    # clear of the words' box cannot enter it (most pairs; a surface has hundreds of faces)
    outline_lows = np.array([segments.min(axis=(0, 1)) for _, segments in outlines])
    outline_highs = np.array([segments.max(axis=(0, 1)) for _, segments in outlines])
    for piece in pieces:
        low = piece.get_corner(np.array([-1, -1, 0]))[:2] + TOUCH_TOLERANCE
        high = piece.get_corner(np.array([1, 1, 0]))[:2] - TOUCH_TOLERANCE
        # (a box narrower than the tolerance turns inside out: clipping then tests between its sides)
        near = np.all((outline_lows <= np.maximum(low, high)) & (outline_highs >= np.minimum(low, high)), axis=1)
        for index in np.flatnonzero(near):
            shape, segments = outlines[index]
            if _crosses_box(segments, low, high):
                found.append(f"{describe(piece)} touched by {type(shape).__name__}")
    return found


def _unfolded_signs(mobjects: list[Mobject]) -> list[str]:
    """Formulas that add a negative number ("+ -0.85", "+ (-0.85)") instead of subtracting."""
    found = []
    for mob in mobjects:
        for part in mob.get_family():
            reading = [r for r in getattr(part, "reading", []) if r != "("]
            for before, after in zip(reading, reading[1:]):
                if before == "+" and after.startswith("-"):
                    found.append(" ".join(part.reading))
            text = getattr(part, "text", "")
            if isinstance(part, Text) and ("+ -" in text or "+ \u2212" in text or "+-" in text):
                found.append(text)
    return found


@pytest.fixture(scope="session")
def tex_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tex")


@pytest.fixture(scope="session")
def shared_tex(tmp_path_factory) -> Path:
    """One TeX folder for this run's test processes and the renders they start: each formula
    compiles once per run, not once per process and render (LaTeX and dvisvgm took a seventh of
    make test's CPU). Each compiles in its own folder and shares the SVGs here, as render workers do."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "shared-tex"
    folder.mkdir(exist_ok=True)
    return folder


def typesets_into(out: Path, shared_tex: Path) -> Path:
    """``out``, made (when it is not there yet) so that a render into it typesets into
    ``shared_tex``: its cache's TeX folder is a link there."""
    if not out.exists() and not out.is_symlink():
        tex = out / ".cache" / TEX_FOLDER
        tex.parent.mkdir(parents=True)
        tex.symlink_to(shared_tex, target_is_directory=True)
    return out


@pytest.fixture(scope="session")
def construct(tex_dir, shared_tex):
    """construct(stage_name, inputs=None) -> Construction, checked after every animation."""

    def build(stage_name: str, inputs: StoryInputs | None = None, **scene_args) -> Construction:
        options = {
            "format": "none",
            "disable_caching": True,
            "progress_bar": "none",
            "verbosity": "ERROR",
            "media_dir": str(tex_dir),
            "tex_dir": str(tex_dir / "own-tex"),
            "text_dir": str(tex_dir / "texts"),
        }
        with tempconfig(options), svgs_shared_through(shared_tex):
            scene = scene_class(stage_name)(
                inputs=inputs or StoryInputs(), renderer=building_renderer(), skip_animations=True, **scene_args
            )
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
    dosages = [low, high, (low + high) / 2, *(x for x in (*b.hidden, *b.output) if x is not None)]
    columns = trace(weights, np.array(dosages)).columns()
    values = [*np.ravel(list(columns.values())), *dosages, *parameter_vector(weights)]
    return {rounded(float(v)) for v in values if math.isfinite(v)} | gradient_step_numbers(weights)


def gradient_step_numbers(weights) -> set[float]:
    """The gradient stage's numbers (its step at the point it picks from the drawn data): each
    true value rounded to any number of decimals up to six, since small gradients and stepped
    weights keep the decimals they need."""
    points = drawn_data(load_dataset(weights.data_path or DEFAULT_DATA), weights).points
    step = lesson_step(weights, points.dosage, points.effectiveness)
    values = [step.dosage, step.target, -step.target, step.rate, step.output, step.loss, step.error_slope]
    values += [
        step.output_gate,
        step.output_bias,
        step.new_output,
        step.new_loss,
        step.biased,
        step.output - step.target,
    ]
    values += [v for n in step.nodes for v in (n.x, n.output, n.gate, n.weight, n.bias, n.output_weight)]
    values += list(parameter_vector(step.stepped))
    return {round(float(v), places) + 0.0 for v in values if math.isfinite(v) for places in range(7)}


@pytest.fixture(scope="session")
def computed_numbers():
    return reluviz_numbers


def plane_numbers(weights) -> set[float]:
    """Every number a Part III scene may show, as a viewer reads it: the two-input file's numbers,
    each unit's plane at the rectangle's corners, where its crease meets the rectangle, each
    region's plane and corners, the network's values there, and the regions counted."""
    from reluviz.plane.network import trace as plane_trace
    from reluviz.plane.regions import regions
    from reluviz.plane.shape import shape

    net = weights.network
    values = [net.output_bias, net.hidden_activation.bend_at]
    values += [v for given in weights.inputs for v in (given.low, given.high)]
    values += [v for unit in net.hidden for v in (*unit.weight, unit.bias, unit.output_weight)]
    found = regions(weights)
    corners = [(float(x), float(y)) for region in found.regions for x, y in region.corners]
    for crease in found.creases:
        corners += [(float(x), float(y)) for x, y in crease.ends or ()]
    values += [v for point in corners for v in point]
    x1, x2 = np.array(corners).T
    at = plane_trace(weights, x1, x2)
    values += [*np.ravel([n.pre_activation for n in at.hidden]), *at.summed, *at.biased, *at.output]
    values += [float(c) for region in found.regions for c in (region.plane.x1, region.plane.x2, region.plane.constant)]
    n = len(net.hidden)
    values += [*range(1, max(found.count, found.largest) + 1), n * (n - 1) // 2]
    values += list(net.hidden_activation.parameters().values())
    top = shape(found)
    values += [top.top, float(net.output_activation.function(top.top)), float(top.below_share) * 100]
    return {rounded(float(v)) for v in values if math.isfinite(v)}


def plane_training_numbers(weights) -> set[float]:
    """Stage 20's readouts, for the network it trains (as many units as ``weights``, its hidden
    activation, on the file's data or the shipped two-input data): every epoch of the run, the
    error after each (four decimals) computed here with numpy from the run's parameters, and
    the regions counted (1 to the most n creases can make)."""
    from reluviz.files.plane_data import DEFAULT_PLANE_DATA, load_plane_dataset
    from reluviz.plane.regions import largest_count
    from reluviz.plane.train import train_plane
    from reluviz.train import TrainingSettings

    net = weights.network
    key = (str(weights.data_path or DEFAULT_PLANE_DATA), len(net.hidden), net.hidden_activation.name)
    if key not in _TRAINING_NUMBERS:
        data = load_plane_dataset(key[0])
        run = train_plane(data, TrainingSettings(nodes=key[1], activation=key[2]))
        slope = 0.01 if key[2] == "leaky_relu" else 0.0  # reluviz train's leaky ReLU
        n = key[1]
        units = run.path[:, : 3 * n].reshape(len(run.path), n, 3)  # w1, w2, b of each unit, every epoch
        pre = units[:, :, :1] * data.x1 + units[:, :, 1:2] * data.x2 + units[:, :, 2:]
        hidden = np.where(pre > 0, pre, slope * pre)
        out = np.maximum(np.einsum("eu,eur->er", run.path[:, 3 * n : 4 * n], hidden) + run.path[:, -1:], 0.0)
        errors = np.mean((out - data.target) ** 2, axis=1)
        _TRAINING_NUMBERS[key] = (
            {float(e) for e in range(len(run.path))}
            | {round(float(v), 4) + 0.0 for v in errors}
            | {float(k) for k in range(1, largest_count(n) + 1)}
        )
    return _TRAINING_NUMBERS[key]


_TRAINING_NUMBERS: dict[tuple, set[float]] = {}
