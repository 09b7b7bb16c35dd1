"""The training clip tells the truth: its captions say the numbers its readouts show, its
plots show the run it narrates, and it claims a fit only when the picture shows one."""

from __future__ import annotations

import re

import numpy as np
import pytest

from reluviz.files.data import DEFAULT_DATA, load_dataset
from reluviz.network import trace
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.scenes.framework.plots import Curve, Plot, PlotDot
from reluviz.scenes.framework.widgets import Number
from reluviz.train import train
from reluviz.words.numbers import MINUS

#: A number as a caption writes it (true minus sign or ASCII minus, optional decimals).
CAPTION_NUMBER = re.compile(rf"[{MINUS}-]?\d+(?:\.\d+)?")
FIT_CLAIM = "passes through every data point"


@pytest.fixture(scope="module")
def lesson_run(construct):
    return construct("training")


def written(number: Number) -> str:
    """A Number as the viewer reads it on screen: its value with its decimals."""
    return f"{number.shown:.{number.num_decimal_places}f}"


def caption_numbers(caption: str) -> list[str]:
    return [n.replace(MINUS, "-") for n in CAPTION_NUMBER.findall(caption)]


def numbers_on_screen(scene) -> list[Number]:
    return [m for top in scene.mobjects for m in top.get_family() if isinstance(m, Number)]


def readouts(scene) -> dict[str, Number]:
    """The epoch and error readouts, told apart by their decimals (whole epochs)."""
    numbers = numbers_on_screen(scene)
    assert len(numbers) == 2, f"two readouts on the last frame, found {[written(n) for n in numbers]}"
    epoch, error = sorted(numbers, key=lambda n: n.num_decimal_places)
    assert epoch.num_decimal_places == 0 < error.num_decimal_places
    return {"epoch": epoch, "error": error}


def plots(scene) -> tuple[Plot, Plot]:
    """(fit plot, loss plot): the one with the data dots, and the other."""
    found = [m for m in scene.mobjects if isinstance(m, Plot)]
    dotted = {id(d.plot) for d in scene.mobjects if isinstance(d, PlotDot)}
    (fit,) = [p for p in found if id(p) in dotted]
    (loss,) = [p for p in found if id(p) not in dotted]
    return fit, loss


def misses_on_screen(scene) -> list[float]:
    """For every data dot on the last frame: how far (in scene units, vertically) the output
    curve runs from its centre, minus the dot's radius (positive: the curve misses the dot)."""
    fit, _ = plots(scene)
    (curve,) = [c for c in scene.mobjects if isinstance(c, Curve) and c.plot is fit]
    anchors = np.array(curve.get_anchors())
    xs, ys = anchors[:, 0], anchors[:, 1]
    dots = [d for d in scene.mobjects if isinstance(d, PlotDot) and d.plot is fit]
    assert dots, "the data is drawn"
    return [abs(np.interp(d.get_center()[0], xs, ys) - d.get_center()[1]) - d.radius for d in dots]


def test_captions_say_the_numbers_their_frame_shows(lesson_run):
    """Each beat's numbers, read at the end of the beat, are on screen then, written alike."""
    scene = lesson_run.scene
    for beat in scene.beats:
        at_end = [s for s in lesson_run.steps if s.time <= beat.end + 1e-9][-1]
        for text in caption_numbers(beat.caption):
            assert float(text) in at_end.numbers, f"{text} in {beat.caption!r} but the frame shows {at_end.numbers}"
    last = caption_numbers(scene.beats[-1].caption)
    shown = readouts(scene)
    assert last == [written(shown["epoch"]), written(shown["error"])], scene.beats[-1].caption


def test_last_frame_shows_the_run_at_the_epoch_it_names(lesson_run):
    """The readouts, the loss axis and the output curve all stand at the same epoch of the run."""
    scene = lesson_run.scene
    run = train(load_dataset(DEFAULT_DATA))
    shown = readouts(scene)
    epoch = int(shown["epoch"].shown)
    assert shown["error"].shown == round(float(run.loss[epoch]), shown["error"].num_decimal_places) + 0.0
    fit, loss = plots(scene)
    assert loss.x_range[1] == epoch, "the epoch axis ends where the run shown ends"
    (curve,) = [c for c in scene.mobjects if isinstance(c, Curve) and c.plot is fit]
    dosages, outputs = (np.array(v) for v in zip(*(fit.p2c(p) for p in curve.get_anchors())))
    expected = trace(run.weights_at(epoch), dosages).output
    assert np.allclose(outputs, expected, atol=1e-6), "the curve is the network at that epoch"


def test_the_lesson_fit_is_claimed_and_seen(lesson_run):
    caption = lesson_run.scene.beats[-1].caption
    assert FIT_CLAIM in caption
    assert max(misses_on_screen(lesson_run.scene)) < 0, "the curve runs through every dot"


def test_no_fit_is_claimed_where_the_network_cannot_fit(construct, write_weights, tmp_path):
    """Two rises and falls: two hidden ReLUs and an output ReLU draw at most one peak."""
    data = tmp_path / "two_peaks.csv"
    data.write_text("dosage,effectiveness\n0,0\n0.25,1\n0.5,0\n0.75,1\n1,0\n")
    weights = write_weights({'# data = "my_dosages.csv"': f'data = "{data.name}"'})
    run = construct("training", StoryInputs(weights=weights))
    caption = run.scene.beats[-1].caption
    assert FIT_CLAIM not in caption and "misses" in caption
    assert max(misses_on_screen(run.scene)) > 0, "some dot lies off the curve"
