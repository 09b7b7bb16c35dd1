"""Our uses of manim's internals (scenes/framework/manim_internals/: the faster renderer, digits typeset
once, still pictures drawn once) against stock manim: the same frames, and stock manim on a
manim version they were not checked against."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from instruments.video import frames, packets, psnr
from manim import tempconfig
from manim.renderer.cairo_renderer import CairoRenderer

from reluviz.files.plane_weights import load_any_weights
from reluviz.scenes.framework import manim_internals
from reluviz.scenes.framework.manim_internals import camera as internal_camera
from reluviz.scenes.framework.manim_internals import encoder, versions
from reluviz.studio.pipeline import worker
from reluviz.studio.settings import QUALITIES

#: The first four animations of a stage (manim's own ``upto_animation_number`` stops the
#: scene there): 4 to 6 s of video with a held picture (a wait) in both stages.
LAST_ANIMATION = 3
#: The first nine: 12 s of network's video, with waits longer than a held run (one second).
LAST_ANIMATION_WITH_LONG_HOLDS = 8
#: Where the two encodings may differ at all, they must stay this close (dB).
MIN_PSNR = 45.0


@pytest.fixture(scope="module")
def tex_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def render_start(scene: str, quality: str, out: Path, cache: Path, renderer_class, last: int = LAST_ANIMATION):
    """The first animations of ``scene``, rendered by the worker as a job; returns the scene."""
    task = worker.ClipTask(
        key=scene,
        clip=scene,
        scene=scene,
        weights=load_any_weights("plateau" if scene.startswith("plane_") else "relu"),
        data=None,
        quality=quality,
        theme="dark",
        transparent=False,
        voice="none",
        voice_command="",
        voice_timeout=60,
        unrecorded_voice="festival",
        code="",
        topic="",
    )
    out.mkdir(parents=True, exist_ok=True)
    place = worker.Workplace(out, cache / "latex", cache / "voice", out / "recordings")
    with tempconfig({"upto_animation_number": last}):
        return worker.render_scene(task, place, renderer_class)


@pytest.mark.parametrize(
    ("scene", "quality", "last"),
    [
        ("definition", "low", LAST_ANIMATION),  # Part I
        pytest.param("definition", "medium", LAST_ANIMATION, marks=pytest.mark.heavy),  # network-medium covers it
        ("network", "low", LAST_ANIMATION),  # Part II: curves that follow trackers, numbers
        ("network", "medium", LAST_ANIMATION_WITH_LONG_HOLDS),  # and held pictures copied
        ("training", "low", LAST_ANIMATION),  # readouts whose digits change every frame
        # Part III: the 3-D camera's paths (make test checks them pixel for pixel, below)
        pytest.param("plane_unit", "low", LAST_ANIMATION_WITH_LONG_HOLDS, marks=pytest.mark.heavy),
    ],
)
def test_frames_match_stock_manim(scene, quality, last, tmp_path, tex_cache, capsys, monkeypatch):
    holds = []  # (frames shown, frames x264 encoded) of each long hold
    held_packets = encoder.held_packets

    def counted(encode, *args):
        encoded = []
        written = held_packets(lambda: encoded.append(1) or encode(), *args)
        holds.append((len(written), len(encoded)))
        return written

    monkeypatch.setattr(encoder, "held_packets", counted)
    fast = render_start(scene, quality, tmp_path / "fast", tex_cache, manim_internals.fast_renderer_class(), last)
    assert isinstance(fast.renderer.file_writer, manim_internals.FastFileWriter)
    assert isinstance(fast.renderer.camera, manim_internals.FastPathCamera)
    # at low quality (854 px rows, padded in a video frame) the camera keeps its own memory,
    # at medium it draws into a video frame's; either way its picture is converted in place
    assert fast.renderer.reads_picture_in_place
    assert (fast.renderer._rgba is None) == (quality == "low")
    with monkeypatch.context() as stock_manim:
        stock_manim.setattr(versions, "checked", lambda: False)
        assert manim_internals.fast_renderer_class(io.StringIO()) is None
        stock = render_start(scene, quality, tmp_path / "stock", tex_cache, None, last)
    assert type(stock.renderer) is CairoRenderer
    assert not isinstance(stock.renderer.camera, manim_internals.FastPathCamera)

    q = QUALITIES[quality]
    ours = frames(tmp_path / "fast" / "clip.mp4", q.width, q.height)
    theirs = frames(tmp_path / "stock" / "clip.mp4", q.width, q.height)
    assert len(ours) == len(theirs) >= 4 * q.fps
    scores = [psnr(a, b) for a, b in zip(ours, theirs)]
    with capsys.disabled():
        equal = sum(s == float("inf") for s in scores)
        print(f"\n{scene} {quality}: {len(scores)} frames, {equal} equal, lowest PSNR {min(scores):.1f} dB")
    assert min(scores) > MIN_PSNR
    if last == LAST_ANIMATION_WITH_LONG_HOLDS:  # held pictures were encoded in part, then copied
        assert holds and all(encoded < q.fps < shown for shown, encoded in holds), holds
        fast_keys = [k for _, k, _ in packets(tmp_path / "fast" / "clip.mp4")].count(True)
        assert fast_keys == [k for _, k, _ in packets(tmp_path / "stock" / "clip.mp4")].count(True)
    if last == LAST_ANIMATION_WITH_LONG_HOLDS and quality != "low":
        # the bound where encodings differ (a held picture is the frame x264 settles on,
        # as stock's: network's 366 frames at medium measured equal to stock's, every one)
        assert min(scores) > 50


@pytest.mark.parametrize("folder", ["out", "o'brien's out"])
def test_animation_movies_leave_out_only_when_its_path_breaks_manims_list(folder, tmp_path, tex_cache, monkeypatch):
    """A folder of their own in the temporary folder only when out/'s path has a quote (a
    killed worker leaves that folder behind); it is gone when the clip is done."""
    made, temporary = [], worker.tempfile.TemporaryDirectory

    def recorded(*args, **kwargs):
        made.append(temporary(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(worker.tempfile, "TemporaryDirectory", recorded)
    render_start("definition", "low", tmp_path / folder, tex_cache, manim_internals.fast_renderer_class())
    assert len(frames(tmp_path / folder / "clip.mp4", 854, 480)) >= 4 * 15
    assert len(made) == (folder != "out") and not any(Path(m.name).exists() for m in made)


def mixed_paths():
    """Paths of every kind a frame draws: short and long, open and closed, several subpaths in
    one path, a curve, text, a fill in a gradient with a background stroke, and (last) a shaded
    surface (faces of four points)."""
    from manim import BLUE, DOWN, LEFT, ORIGIN, RED, RIGHT, UP, WHITE, Circle, Line, Square, Surface, Text, VMobject

    two_parts = VMobject(stroke_width=6).set_points_as_corners([LEFT * 3, LEFT * 2 + UP, LEFT])
    two_parts.start_new_path(RIGHT)
    two_parts.add_line_to(RIGHT * 2 + DOWN)
    two_parts.add_line_to(RIGHT)  # closed: the subpath ends where it started
    many = Circle(radius=1.5, stroke_width=3).insert_n_curves(40)  # past SHORT_PATH points
    surface = Surface(lambda u, v: np.array([u, v, 0.3 * np.sin(2 * u) * v]), u_range=[-2, 2], v_range=[-1, 1])
    surface.set_fill_by_checkerboard(BLUE, "#FF8800", opacity=0.8)
    return [
        Square(2, fill_opacity=0.5).shift(UP * 2),
        Line(ORIGIN, UP * 3 + RIGHT * 4),
        two_parts,
        many,
        Text("ReLU(x) = max(0, x)", font_size=40).to_edge(DOWN),
        Square(1.2, fill_opacity=1).set_fill([RED, BLUE]).set_stroke(WHITE, 10, background=True).shift(LEFT * 4),
        surface,
    ]


@pytest.mark.parametrize("three_d", [False, True])
def test_the_fast_paths_draw_the_same_pixels_as_manims_camera(three_d):
    from manim import DEGREES
    from manim.camera.camera import Camera
    from manim.camera.three_d_camera import ThreeDCamera

    camera_class = ThreeDCamera if three_d else Camera
    pictures = []
    with tempconfig({"pixel_width": 640, "pixel_height": 360}):
        for camera in (camera_class(), manim_internals.fast_camera(camera_class)()):
            if three_d:
                camera.set_phi(60 * DEGREES)
                camera.set_theta(-50 * DEGREES)
            camera.capture_mobjects(mixed_paths())
            pictures.append(camera.pixel_array.copy())
    stock, fast = pictures
    assert isinstance(camera, manim_internals.FastPathCamera)
    assert (stock[..., 3] > 0).mean() > 0.1  # the paths drew something
    assert np.array_equal(fast, stock)


def test_a_camera_that_fills_its_own_way_keeps_its_way():
    from manim import Square
    from manim.camera.camera import Camera

    class Outlined(Camera):
        filled = 0

        def apply_fill(self, ctx, vmobject):
            Outlined.filled += 1
            return self

    with tempconfig({"pixel_width": 320, "pixel_height": 180}):
        camera = manim_internals.fast_camera(Outlined)()
        camera.capture_mobjects([Square(2, fill_opacity=1)])
    assert Outlined.filled == 1
    assert (camera.pixel_array != camera.background).any(axis=2).mean() < 0.05  # only the outline was drawn


def sharp_strokes():
    """Strokes that reach furthest past their points: a thick zigzag with sharp miter joins
    (within cairo's miter limit), square caps, and a thick round dot."""
    from manim import DOWN, LEFT, RIGHT, UP, CapStyleType, Dot, LineJointType, VMobject

    zigzag = VMobject(stroke_width=30).set_points_as_corners(
        [LEFT * 3, LEFT * 2.8 + UP * 2, LEFT * 2.6, LEFT * 2.4 + UP * 2]
    )
    zigzag.joint_type = LineJointType.MITER
    capped = VMobject(stroke_width=40).set_points_as_corners([RIGHT, RIGHT * 2 + DOWN * 2.5])
    capped.cap_style = CapStyleType.SQUARE
    return [zigzag, capped, Dot(UP * 3.7, radius=0.2, stroke_width=25)]


@pytest.mark.parametrize("three_d", [False, True])
def test_the_boxes_a_camera_logs_hold_every_pixel_it_painted(three_d):
    """Each path alone on the background: every pixel it changed lies in a box logged for it,
    and the boxes are not the whole picture (they bound what was drawn)."""
    from manim import DEGREES, Mobject, PMobject
    from manim.camera.camera import Camera
    from manim.camera.three_d_camera import ThreeDCamera

    camera_class = manim_internals.fast_camera(ThreeDCamera if three_d else Camera)
    with tempconfig({"pixel_width": 640, "pixel_height": 360}):
        for mob in [*mixed_paths(), *sharp_strokes()]:
            camera = camera_class()
            if three_d:
                camera.set_phi(60 * DEGREES)
                camera.set_theta(-50 * DEGREES)
            camera.log_painted()
            camera.capture_mobjects([mob])
            logged = camera.painted_boxes()
            inked = (camera.pixel_array != camera.background).any(axis=2)
            assert inked.any(), mob
            inside = np.zeros((360, 640), bool)
            for top, bottom, left, right in logged:
                assert 0 <= top < bottom <= 360 and 0 <= left < right <= 640, (mob, logged)
                inside[top:bottom, left:right] = True
            assert inside[inked].all(), (mob, logged, np.argwhere(inked & ~inside)[:3])
            assert inside.sum() < 0.9 * inside.size or inked.sum() > 0.5 * inked.size, (mob, logged)
            assert camera.painted_boxes() is None  # the log ended: nothing more is noted
            camera.capture_mobjects([mob])
            assert camera._painted is None
        camera.log_painted()  # a kind of mobject the log cannot place
        dots = PMobject()
        dots.add_points([[0.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
        camera.capture_mobjects([Mobject(), dots])
        assert camera.painted_boxes() is None


def test_a_small_fill_drawn_again_over_the_same_pixels_is_pasted_as_cairo_drew_it(monkeypatch):
    """Dots redrawn on every frame over a square moving under some of them (plane_training's
    data points over its moving map): a dot over the pixels it was drawn over before is pasted,
    not drawn, and every frame is pixel for pixel manim's own camera's; so are the boxes logged."""
    from manim import BLUE, DOWN, GREEN, LEFT, RED, RIGHT, Dot, Square
    from manim.camera.camera import Camera

    pasted = []
    paste = internal_camera.Repaints.pasted

    def counted(*args):
        box = paste(*args)
        if box is not None:
            pasted.append(box)
        return box

    monkeypatch.setattr(internal_camera.Repaints, "pasted", counted)
    with tempconfig({"pixel_width": 640, "pixel_height": 360}):
        ours, manims = manim_internals.fast_camera(Camera)(), Camera()
        square = Square(1.5, fill_color=BLUE, fill_opacity=0.6, stroke_width=0)
        # in a row, two overlapping, one half off the picture
        dots = [Dot(LEFT * 3 + RIGHT * k * 0.5, radius=0.1, color=[RED, GREEN][k % 2]) for k in range(12)]
        dots += [Dot(DOWN * 2 + RIGHT * 0.05, radius=0.2), Dot(LEFT * 7.1, radius=0.2, color=GREEN)]
        for frame in range(8):
            square.move_to(LEFT * 3 + RIGHT * frame * 0.4)
            pasted.clear()
            ours.reset()
            ours.log_painted()
            ours.capture_mobjects([square, *dots])
            manims.reset()
            manims.capture_mobjects([square, *dots])
            assert np.array_equal(ours.pixel_array, manims.pixel_array), frame
            inked = (ours.pixel_array != ours.background).any(axis=2)
            inside = np.zeros(inked.shape, bool)
            for top, bottom, left, right in ours.painted_boxes():
                inside[top:bottom, left:right] = True
            assert inside[inked].all()
            if frame:  # the dots the square left alone, pasted; those it moved under, drawn
                assert 0 < len(pasted) < len(dots), (frame, len(pasted))


def test_a_point_too_thin_to_draw_leaves_the_log_whole():
    """A 3-D camera's frame centre is a point of stroke width 0, moved (so drawn) by every
    camera move: it draws no pixel, and the boxes logged beside it stay known."""
    from manim import DOWN, UP, Dot, Point
    from manim.camera.three_d_camera import ThreeDCamera

    with tempconfig({"pixel_width": 640, "pixel_height": 360}):
        camera = manim_internals.fast_camera(ThreeDCamera)()
        camera.log_painted()
        camera.capture_mobjects([Point(UP, stroke_width=0)])
        assert (camera.pixel_array == camera.background).all()
        camera.capture_mobjects([Dot(DOWN)])
        assert len(camera.painted_boxes()) == 1
        camera.log_painted()
        camera.capture_mobjects([Point(UP, stroke_width=4)])  # this one is drawn: where, the log cannot say
        assert (camera.pixel_array != camera.background).any()
        assert camera.painted_boxes() is None


#: plane_unit's animations up to the one whose camera move carries the x2 axis's name across
#: the formula in the words' column (its 15th).
PLANE_UNIT_TILTS = 15


def test_words_drawn_once_beside_the_3d_parts_make_the_frames_redrawing_them_makes(tmp_path, tex_cache, monkeypatch):
    """While Part III's camera or surfaces move, the words' column stays in the frame: drawn
    once underneath, not on every frame, the same packets byte for byte as redrawing everything,
    including the frames where a 3-D part reaches the words (drawn whole, in order: the camera
    draws the words over the 3-D parts)."""
    from reluviz.scenes.framework.manim_internals import renderer as internal_renderer

    flat, whole = [], []  # paths drawn that stay in the frame; frames drawn whole, in order
    display = internal_camera.FastPathCamera.display_vectorized
    drawn_whole = internal_renderer.FastCairoRenderer._drawn_whole_in_order

    def counted(self, vmobject, ctx):
        flat.append(not getattr(vmobject, "in_space", False) and vmobject not in self.fixed_orientation_mobjects)
        return display(self, vmobject, ctx)

    monkeypatch.setattr(internal_camera.FastPathCamera, "display_vectorized", counted)
    monkeypatch.setattr(
        internal_renderer.FastCairoRenderer,
        "_drawn_whole_in_order",
        lambda *args: whole.append(1) or drawn_whole(*args),
    )
    fast = manim_internals.fast_renderer_class()
    render_start("plane_unit", "low", tmp_path / "once", tex_cache, fast, PLANE_UNIT_TILTS)
    once, whole_frames = sum(flat), len(whole)
    flat.clear()
    monkeypatch.setattr(internal_renderer.FastCairoRenderer, "redraws_where_stills_over_moving_meet", False)
    render_start("plane_unit", "low", tmp_path / "every_frame", tex_cache, fast, PLANE_UNIT_TILTS)
    assert packets(tmp_path / "once" / "clip.mp4") == packets(tmp_path / "every_frame" / "clip.mp4")
    assert 0 < whole_frames < 10  # (the x2 axis's name crossing the formula)
    assert once < 0.5 * sum(flat), (once, sum(flat))


@pytest.mark.parametrize(("scene", "quality"), [("network", "medium"), ("plane_unit", "medium"), ("network", "low")])
def test_frames_converted_by_rows_are_the_frames_converted_whole(scene, quality, tmp_path, tex_cache, monkeypatch):
    """The same packets, byte for byte, whether each frame is converted whole or only the boxes
    that changed (a 2-D stage and a 3-D one, and at low quality, whose rows a video frame pads);
    most frames were converted by boxes, narrower than their rows."""
    from reluviz.scenes.framework import yuv_rows

    converted, rows = [], []  # of each frame converted by boxes: the share of its area, of its rows
    by_rows = yuv_rows.RowConverter.rows

    def counted(self, pixels, bands):
        area = sum((bottom - top) * (right - left) for top, bottom, left, right in bands)
        converted.append(area / (pixels.shape[0] * pixels.shape[1]))
        rows.append(sum(bottom - top for top, bottom, _, _ in bands) / pixels.shape[0])
        return by_rows(self, pixels, bands)

    monkeypatch.setattr(yuv_rows.RowConverter, "rows", counted)
    fast = render_start(scene, quality, tmp_path / "rows", tex_cache, manim_internals.fast_renderer_class())
    assert fast.renderer.reads_picture_in_place
    monkeypatch.setattr(yuv_rows, "BY_ROWS", frozenset())
    render_start(scene, quality, tmp_path / "whole", tex_cache, manim_internals.fast_renderer_class())
    ours, whole = packets(tmp_path / "rows" / "clip.mp4"), packets(tmp_path / "whole" / "clip.mp4")
    assert len(ours) == len(whole) > 60
    assert ours == whole
    q = QUALITIES[quality]
    moving = len(frames(tmp_path / "whole" / "clip.mp4", q.width, q.height))
    assert len(converted) > moving / 2, (len(converted), moving)
    # the boxes leave out much of their rows' width (measured: network 14% of the picture
    # against 28% of its rows, plane_unit 18% against 41%)
    assert np.mean(converted) < 0.7 * np.mean(rows) < 0.7


def test_depth_reference_points_are_manims_own_numbers(monkeypatch):
    from manim import DOWN, UP, Dot, Line, Mobject, Surface, VGroup, VMobject
    from manim.mobject.three_d.three_dimensions import Cube

    faces = list(mixed_paths()[-1])  # a shaded surface's faces
    grouped = VGroup(Line(UP, DOWN), Dot([1, 2, 3]))
    inner = Line([0, 0, 1], [2, 1, -3])
    inner.z_index_group = grouped  # ordered with its group, as manim's shaded VMobjects are
    one_point, not_vectorized = VMobject(), Mobject()  # not a VMobject: manim's way
    one_point.points = np.array([[0.5, -1.0, 2.0]])
    not_vectorized.points = np.array([[1.0, 2, 3], [4, -5, 6]])
    pieces = [*faces, *mixed_paths()[:-1], grouped, inner, one_point, VMobject(), Dot(), Cube(), not_vectorized]
    pieces.append(Surface(lambda u, v: np.array([u, v, u * v]), resolution=(3, 3)))
    ours = [manim_internals.depth_reference_point(piece) for piece in pieces]
    theirs = [piece.get_z_index_reference_point() for piece in pieces]
    assert len({tuple(point) for point in ours}) > 10  # the pieces stand in different places
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))
    assert internal_camera._centred_like_vmobject(type(faces[0]))  # the faces are found our way
    # manim's own way for classes that find their centre otherwise, and on an unchecked manim
    monkeypatch.setattr(versions, "checked", lambda: False)
    calls = []
    monkeypatch.setattr(Line, "get_z_index_reference_point", lambda self: calls.append(self) or np.zeros(3))
    manim_internals.depth_reference_point(inner)
    assert calls == [inner]


@pytest.mark.parametrize("on_checked_manim", [True, False])
def test_digits_are_typeset_once_per_process_only_on_a_checked_manim(on_checked_manim, tex_cache, monkeypatch):
    from reluviz.scenes.framework.widgets import Number

    monkeypatch.setattr(manim_internals.DigitCachedDecimal, "_typeset", {})
    monkeypatch.setattr(versions, "checked", lambda: on_checked_manim)
    with tempconfig({"tex_dir": str(tex_cache / "latex")}):
        shown = Number(-1.25, "#FFFFFF")
        assert shown.shows_digits_of(-1.25) == on_checked_manim
        again = Number(5.21, "#FFFFFF")
    typeset = manim_internals.DigitCachedDecimal._typeset
    assert set(typeset) == ({"-", "1", ".", "2", "5"} if on_checked_manim else set()), typeset
    assert len(again.submobjects) == 4  # the same glyphs either way


@pytest.mark.parametrize("on_checked_manim", [True, False])
def test_typeset_glyphs_drop_their_svg_source_only_on_a_checked_manim(on_checked_manim, tex_cache, monkeypatch):
    from manim import FadeIn, Text, VMobjectFromSVGPath

    from reluviz.scenes.framework import widgets
    from reluviz.scenes.framework.widgets import Formula, words

    monkeypatch.setattr(versions, "checked", lambda: on_checked_manim)
    monkeypatch.setattr(manim_internals.DigitCachedDecimal, "_typeset", {})
    widgets._typeset.cache_clear()  # pieces typeset once per process: made here as this manim would
    with tempconfig({"tex_dir": str(tex_cache / "latex"), "text_dir": str(tex_cache / "texts")}):
        made = [words("dosage 1.5", "#FFFFFF"), Formula([r"\max(0,", 2.5, ")"], "#FFFFFF")]
        plain = Text("dosage 1.5", font=made[0].font, font_size=made[0].font_size, color="#FFFFFF")
    for piece in made:
        glyphs = [part for part in piece.get_family() if isinstance(part, VMobjectFromSVGPath)]
        assert len(glyphs) >= 5
        assert all((glyph.path_obj is None) == on_checked_manim for glyph in glyphs)
        start = FadeIn(piece)
        start.begin()  # an animation copies the piece: its glyphs, without their sources
        copies = [part for part in start.starting_mobject.get_family() if isinstance(part, VMobjectFromSVGPath)]
        assert [len(c.points) for c in copies] == [len(g.points) for g in glyphs]
        assert all((copy.path_obj is None) == on_checked_manim for copy in copies)
    # the same points as manim's own Text, which keeps its sources
    assert all(g.path_obj is not None for g in plain.submobjects)
    assert np.array_equal(made[0].get_all_points(), plain.get_all_points())


def worker_renderer() -> tuple[type | None, str]:
    """The renderer a worker process chooses once, and the warning its clips' logs carry."""
    worker._renderer_class.cache_clear()
    try:
        return worker._renderer_class()
    finally:
        worker._renderer_class.cache_clear()  # the next test chooses again, unpatched


def test_the_checked_manim_renders_through_the_fast_renderer():
    assert versions.version("manim") in manim_internals.CHECKED_MANIM_VERSIONS  # else this test says nothing
    chosen, warning = worker_renderer()
    assert chosen is manim_internals.FastCairoRenderer
    assert warning == ""


def test_an_unchecked_manim_renders_stock_with_one_warning(monkeypatch):
    monkeypatch.setattr(versions, "version", lambda name: "0.22.99")
    versions.checked.cache_clear()
    try:
        assert not versions.checked()
        chosen, warning = worker_renderer()
    finally:
        versions.checked.cache_clear()  # the next test asks the real version again
    assert chosen is None  # the scene makes manim's own renderer, file writer and encoder
    assert warning.count("\n") == 1
    assert "manim 0.22.99" in warning and "stock manim" in warning


def scene_state(scene) -> tuple:
    """Everything a build leaves besides the picture: each mobject's class, points and colours, and
    a 3-D camera's rotation matrix (which the test's frame check projects with)."""
    parts = [
        (type(part).__name__, part.points.tobytes(), getattr(part, "fill_rgbas", np.zeros(0)).tobytes())
        for mob in scene.mobjects
        for part in mob.get_family()
    ]
    rotation = getattr(scene.renderer.camera, "rotation_matrix", None)
    return tuple(parts), None if rotation is None else rotation.tobytes()


@pytest.mark.parametrize("stage", ["network", "gradient_step", "plane_unit"])
def test_a_scene_built_without_pictures_is_the_scene_manim_builds(stage, tex_cache):
    from reluviz.scenes import scene_class
    from reluviz.scenes.framework.inputs import StoryInputs

    builds = []
    options = {"format": "none", "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR"}
    with tempconfig({**options, "media_dir": str(tex_cache), "tex_dir": str(tex_cache / "latex")}):
        for renderer in (None, manim_internals.building_renderer()):
            scene = scene_class(stage)(inputs=StoryInputs(), renderer=renderer, skip_animations=True)
            steps = []
            scene.on_step = lambda s, steps=steps: steps.append(scene_state(s))
            scene.render()
            builds.append((steps, [beat.as_dict() for beat in scene.beats], type(scene.renderer)))
    (stock, stock_beats, stock_class), (ours, our_beats, our_class) = builds
    assert (stock_class, our_class) == (CairoRenderer, manim_internals.BuildingRenderer)
    assert len(ours) == len(stock) > 10
    assert our_beats == stock_beats
    assert ours == stock
    if stage.startswith("plane_"):  # the camera tilted: its matrix followed without drawing
        assert len({rotation for _, rotation in ours}) > 1


def test_the_kind_a_camera_draws_each_mobject_as_is_manims_answer():
    from manim import Circle, ImageMobject, Mobject, PMobject, Square, VGroup
    from manim.camera.camera import Camera

    with tempconfig({"pixel_width": 64, "pixel_height": 36}):
        ours, stock = manim_internals.fast_camera(Camera)(), Camera()
        picture = ImageMobject(np.zeros((4, 4, 4), np.uint8))
        for mob in [Square(), Circle(), VGroup(), PMobject(), picture, Mobject(), Square(), picture]:
            assert ours.type_or_raise(mob) is stock.type_or_raise(mob), mob
        with pytest.raises(TypeError):
            ours.type_or_raise("not a mobject")
        ours.capture_mobjects([Square(), PMobject(), Circle()])  # its table of drawing functions is there


class _OwnUpdate:
    """A mobject that updates its own way (manim calls its ``update``, so must we)."""

    def update(self, dt=0, recursive=True):
        self.log.append(("own update", self.name, dt))
        return self


def _updated_tree(log: list):
    """Groups within groups with updaters in several places: with and without dt, one that
    replaces its group's parts, one suspended, one of a class with its own ``update``."""
    from manim import Group, Mobject

    def named(mob, name):
        mob.name, mob.log = name, log
        return mob

    def note(name):
        return lambda mob: log.append((name, mob.name))

    leaves = [named(Mobject(), f"leaf {k}") for k in range(4)]
    inner = named(Group(*leaves[:2]), "inner")
    inner.add_updater(note("inner"))
    leaves[0].add_updater(note("leaf 0 first"))
    leaves[0].add_updater(lambda mob, dt: log.append(("leaf 0 dt", mob.name, dt)))
    leaves[1].add_updater(note("leaf 1"))
    replaced = named(Group(leaves[2]), "replaced")
    fresh = named(Mobject(), "fresh")
    fresh.add_updater(note("fresh"))

    def replace(mob):
        log.append(("replace", mob.name))
        mob.submobjects = [fresh]

    replaced.add_updater(replace)
    leaves[2].add_updater(note("leaf 2: replaced before its turn"))
    quiet = named(Group(leaves[3]), "quiet")
    leaves[3].add_updater(note("leaf 3"))
    quiet.suspend_updating()
    own = named(type("OwnUpdateMobject", (_OwnUpdate, Mobject), {})(), "own")
    outer = named(Group(inner, replaced, quiet), "outer")
    return [outer, own, named(Mobject(), "bare")]


def test_updaters_run_in_manims_order_with_manims_arguments():
    from manim import Scene

    from reluviz.scenes.framework.manim_internals.scene import StillAwareScene

    logs = {}
    for name, update in (("stock", Scene.update_mobjects), ("ours", StillAwareScene.update_mobjects)):
        log = logs[name] = []
        scene = StillAwareScene.__new__(StillAwareScene)
        scene.mobjects = _updated_tree(log)
        for dt in (1 / 60, 1 / 30):
            update(scene, dt)
    assert logs["ours"] == logs["stock"]
    assert ("fresh", "fresh") in logs["ours"] and ("own update", "own", 1 / 30) in logs["ours"]
    assert not any(entry[0] == "leaf 3" for entry in logs["ours"])


def test_a_shaded_piece_is_lit_once_for_its_fill_and_its_stroke(monkeypatch):
    """The fast 3-D camera finds a shaded piece's corner normals once for its fill and stroke
    (manim: once for each); the pixels are manim's (test_the_fast_paths_draw_the_same_pixels...)."""
    from manim import DEGREES, Surface
    from manim.camera.three_d_camera import ThreeDCamera

    found = []
    normal = internal_camera.get_3d_vmob_start_corner_unit_normal
    monkeypatch.setattr(
        internal_camera, "get_3d_vmob_start_corner_unit_normal", lambda vmob: found.append(vmob) or normal(vmob)
    )
    surface = Surface(lambda u, v: np.array([u, v, u * v]), u_range=[-1, 1], v_range=[-1, 1], resolution=(4, 3))
    faces = [face for face in surface.family_members_with_points() if face.shade_in_3d]
    assert len(faces) == 12 and all(face.get_stroke_width() > 0 for face in faces)
    with tempconfig({"pixel_width": 320, "pixel_height": 180}):
        camera = manim_internals.fast_camera(ThreeDCamera)()
        camera.set_phi(60 * DEGREES)
        camera.capture_mobjects([surface])
    assert sorted(map(id, found)) == sorted(map(id, faces))


def test_the_fast_projection_gives_manims_numbers():
    """Points projected by the fast 3-D camera (its perspective factor found once) equal manim's
    bit for bit: turned, zoomed, off centre, and behind the viewer (manim's factor of 10**6)."""
    from manim import DEGREES
    from manim.camera.three_d_camera import ThreeDCamera

    points = np.random.default_rng(27).normal(scale=4.0, size=(500, 3))
    points[:20, 2] = 60.0  # past the focal distance (20 by default): behind the viewer
    with tempconfig({"pixel_width": 320, "pixel_height": 180}):
        stock, fast = ThreeDCamera(), manim_internals.fast_camera(ThreeDCamera)()
        for camera in (stock, fast):
            camera.set_phi(62 * DEGREES)
            camera.set_theta(-62 * DEGREES)
            camera.set_zoom(0.85)
            camera.frame_center = np.array([0.5, -0.25, 0.1])
            camera.reset_rotation_matrix()
        assert isinstance(fast, internal_camera.FastProjectionCamera)
        projected = fast.project_points(points.copy())
        assert np.array_equal(projected, stock.project_points(points.copy()))
    assert (projected[:20, :2] != points[:20, :2]).all() and np.abs(projected[:20, :2]).max() > 1e6


def test_points_drawn_flat_are_manims_own_answer():
    """A flat camera's points as drawn (``flat_points``: asked more cheaply) are manim's answer:
    as they are, or one point at the origin if any is not finite; a 3-D camera still projects."""
    from manim import DEGREES, Dot
    from manim.camera.camera import Camera
    from manim.camera.three_d_camera import ThreeDCamera

    dot = Dot()
    finite = np.random.default_rng(3).normal(size=(12, 3))
    broken = finite.copy()
    broken[5, 1] = np.nan
    with tempconfig({"pixel_width": 320, "pixel_height": 180}):
        flat, three_d = manim_internals.fast_camera(Camera)(), manim_internals.fast_camera(ThreeDCamera)()
        three_d.set_phi(60 * DEGREES)
        three_d.reset_rotation_matrix()
        for points in (finite, broken, np.zeros((0, 3))):
            ours = flat.transform_points_pre_display(dot, points)
            assert np.array_equal(ours, Camera.transform_points_pre_display(flat, dot, points))
        assert np.array_equal(flat.transform_points_pre_display(dot, broken), np.zeros((1, 3)))
        projected = three_d.transform_points_pre_display(dot, finite.copy())
        stock = ThreeDCamera(phi=60 * DEGREES)
        assert np.array_equal(projected, stock.transform_points_pre_display(dot, finite.copy()))
        assert not np.array_equal(projected, finite)
