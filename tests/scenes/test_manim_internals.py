"""Our uses of manim's internals (scenes/framework/manim_internals.py: the faster renderer, digits typeset
once, still pictures drawn once) against stock manim: the same frames, and stock manim on a
manim version they were not checked against."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from manim import tempconfig
from manim.renderer.cairo_renderer import CairoRenderer

from reluviz.files.weights import load_weights
from reluviz.scenes.framework import manim_internals
from reluviz.studio.pipeline import worker
from reluviz.studio.settings import QUALITIES

#: The first four animations of a stage (manim's own ``upto_animation_number`` stops the
#: scene there): 4 to 6 s of video with a held picture (a wait) in both stages.
LAST_ANIMATION = 3
#: Where the two encodings may differ at all, they must stay this close (dB).
MIN_PSNR = 45.0


def frames(video: Path, width: int, height: int) -> np.ndarray:
    """Every frame of ``video``, decoded by ffmpeg to RGB."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, height, width, 3)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.fixture(scope="module")
def tex_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def render_start(scene: str, quality: str, out: Path, cache: Path, renderer_class):
    """The first animations of ``scene``, rendered by the worker as a job; returns the scene."""
    task = worker.ClipTask(
        key=scene,
        clip=scene,
        scene=scene,
        weights=load_weights("relu"),
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
    with tempconfig({"upto_animation_number": LAST_ANIMATION}):
        return worker.render_scene(task, place, renderer_class)


@pytest.mark.parametrize(
    ("scene", "quality"),
    [
        ("definition", "low"),  # Part I
        pytest.param("definition", "medium", marks=pytest.mark.heavy),  # network-medium covers it here
        ("network", "low"),  # Part II: curves that follow trackers, numbers
        ("network", "medium"),
        ("training", "low"),  # readouts whose digits change every frame
    ],
)
def test_frames_match_stock_manim(scene, quality, tmp_path, tex_cache, capsys, monkeypatch):
    fast = render_start(scene, quality, tmp_path / "fast", tex_cache, manim_internals.fast_renderer_class())
    assert isinstance(fast.renderer.file_writer, manim_internals.FastFileWriter)
    # 854 px rows are padded in a video frame: at low quality every picture reaches the
    # encoder as an array; at medium the camera draws into the frame's memory
    assert fast.renderer.draws_into_video_frame == (quality != "low")
    with monkeypatch.context() as stock_manim:
        stock_manim.setattr(manim_internals, "checked", lambda: False)
        assert manim_internals.fast_renderer_class(io.StringIO()) is None
        stock = render_start(scene, quality, tmp_path / "stock", tex_cache, None)
    assert type(stock.renderer) is CairoRenderer

    q = QUALITIES[quality]
    ours = frames(tmp_path / "fast" / "clip.mp4", q.width, q.height)
    theirs = frames(tmp_path / "stock" / "clip.mp4", q.width, q.height)
    assert len(ours) == len(theirs) >= 4 * q.fps
    scores = [psnr(a, b) for a, b in zip(ours, theirs)]
    with capsys.disabled():
        equal = sum(s == float("inf") for s in scores)
        print(f"\n{scene} {quality}: {len(scores)} frames, {equal} equal, lowest PSNR {min(scores):.1f} dB")
    assert min(scores) > MIN_PSNR


@pytest.mark.parametrize("on_checked_manim", [True, False])
def test_digits_are_typeset_once_per_process_only_on_a_checked_manim(on_checked_manim, tex_cache, monkeypatch):
    from reluviz.scenes.framework.widgets import Number

    monkeypatch.setattr(manim_internals.DigitCachedDecimal, "_typeset", {})
    monkeypatch.setattr(manim_internals, "checked", lambda: on_checked_manim)
    with tempconfig({"tex_dir": str(tex_cache / "latex")}):
        shown = Number(-1.25, "#FFFFFF")
        assert shown.shows_digits_of(-1.25) == on_checked_manim
        again = Number(5.21, "#FFFFFF")
    typeset = manim_internals.DigitCachedDecimal._typeset
    assert set(typeset) == ({"-", "1", ".", "2", "5"} if on_checked_manim else set()), typeset
    assert len(again.submobjects) == 4  # the same glyphs either way


def worker_renderer() -> tuple[type | None, str]:
    """The renderer a worker process chooses once, and the warning its clips' logs carry."""
    worker._renderer_class.cache_clear()
    try:
        return worker._renderer_class()
    finally:
        worker._renderer_class.cache_clear()  # the next test chooses again, unpatched


def test_the_checked_manim_renders_through_the_fast_renderer():
    assert manim_internals.version("manim") in manim_internals.CHECKED_MANIM_VERSIONS  # else this test says nothing
    chosen, warning = worker_renderer()
    assert chosen is manim_internals.FastCairoRenderer
    assert warning == ""


def test_an_unchecked_manim_renders_stock_with_one_warning(monkeypatch):
    monkeypatch.setattr(manim_internals, "version", lambda name: "0.22.99")
    manim_internals.checked.cache_clear()
    try:
        assert not manim_internals.checked()
        chosen, warning = worker_renderer()
    finally:
        manim_internals.checked.cache_clear()  # the next test asks the real version again
    assert chosen is None  # the scene makes manim's own renderer, file writer and encoder
    assert warning.count("\n") == 1
    assert "manim 0.22.99" in warning and "stock manim" in warning
