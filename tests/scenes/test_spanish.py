"""The shipped Spanish words (``assets/words/es.toml``, ``WORDS=es``) on screen: every stage and
title card built with them passes the picture checks the English words pass (inside the frame,
no words over words or under a line, every glyph at a readable size, contrast), and every
character they draw is in the font that draws it."""

from __future__ import annotations

import subprocess
import tomllib
from functools import cache

import numpy as np
import pytest
from manim import Text, tempconfig

from reluviz.files.paths import ASSETS
from reluviz.scenes.framework import style
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.words.stages import PARTS, STAGES
from reluviz.words.templates import BeatWords, ClipWords

SPANISH = ASSETS / "words" / "es.toml"
#: The stages whose Spanish labels are longest beside their plots and tables: make test builds
#: these; make test-heavy builds every stage and title card, with the two-input cone too.
CROWDED = ("kink_derivative", "gradient_step")


@cache
def _document() -> dict:
    return tomllib.loads(SPANISH.read_text(encoding="utf-8"))


def spanish_words(clip: str, titles_shown: tuple[str, ...] = ()) -> ClipWords:
    """The clip's words from the Spanish file, as a render with WORDS=es gives them to it."""
    document = _document()
    titles = tuple((name, document[name]["title"]) for name in (clip, *titles_shown) if name in document)
    table = document.get(clip, {})
    beats = tuple(
        sorted(
            (name, BeatWords(name, beat["caption"], beat.get("spoken")))
            for name, beat in table.items()
            if isinstance(beat, dict)
        )
    )
    return ClipWords(titles, beats, tuple(document["labels"].items()), document["language"])


def _built(construct, scene: str, plane: str | None = None, **args):
    if scene == "title_card":
        part = args["part"]
        words = spanish_words(f"part_{part}", tuple(s.name for s in STAGES if s.part == part))
    else:
        words = spanish_words(scene)
    inputs = StoryInputs(words=words, **({"plane": plane} if plane else {}))
    return construct(scene, inputs, **args)


def _assert_reads(run, what: str) -> None:
    assert run.steps, what
    for step in run.steps:
        assert step.problems == [], f"{what} at {step.time:.1f} s: {step.problems}"


@pytest.mark.parametrize("stage", CROWDED)
def test_the_crowded_stages_read_in_spanish(construct, stage):
    run = _built(construct, stage)
    _assert_reads(run, stage)
    assert run.scene.title().text.replace(" ", "") == _document()[stage]["title"].replace(" ", "")


@pytest.mark.heavy
@pytest.mark.parametrize("stage", [s.name for s in STAGES if s.name not in CROWDED])
def test_every_stage_reads_in_spanish(construct, stage):
    _assert_reads(_built(construct, stage), stage)


@pytest.mark.heavy
@pytest.mark.parametrize("part", list(PARTS))
def test_every_title_card_reads_in_spanish(construct, part):
    _assert_reads(_built(construct, "title_card", part=part), f"part {part}")


@pytest.mark.heavy
@pytest.mark.parametrize("stage", [s.name for s in STAGES if "plane" in s.uses])
def test_part_three_reads_in_spanish_for_the_cone(construct, stage):
    """The cone's Part III has picture problems of its own in English (a number past the frame
    edge in plane_unit, x1 and x2 just under the smallest size in plane_regions, a crease over x1
    in plane_sum): the Spanish words add none."""
    english = {problem for step in construct(stage, StoryInputs(plane="cone")).steps for problem in step.problems}
    spanish = _built(construct, stage, plane="cone")
    added = [(step.time, p) for step in spanish.steps for p in step.problems if p not in english]
    assert spanish.steps and added == []


def _drawn_characters() -> set[str]:
    """Every character the Spanish file gives to be drawn: titles and labels (captions are a
    subtitle track, drawn by the player)."""
    document = _document()
    drawn = [table["title"] for table in document.values() if isinstance(table, dict) and "title" in table]
    drawn += list(document["labels"].values())
    return {c for text in drawn for c in text if not c.isspace()}


def _outline(character: str) -> np.ndarray:
    """The character's outline as drawn in the story's font, from its own lower left corner."""
    points = Text(character, font=style.FONT).get_all_points()
    return points - points.min(axis=0) if len(points) else points


def test_every_character_drawn_is_in_the_font_and_drawn_as_itself(tmp_path):
    """Each character outside ASCII (á, é, ñ, ¿ ...) is in Nimbus Sans, so Pango never borrows
    another font's glyph or draws the missing-glyph box; and drawn, it is an outline of its own,
    unlike the box a character no font has gets."""
    accented = sorted(c for c in _drawn_characters() if not c.isascii())
    assert {"á", "é", "í", "ó", "ñ"} <= set(accented)  # the file does use Spanish letters
    missing = [
        c
        for c in accented
        if not subprocess.run(
            ["fc-list", f":family={style.FONT}:charset={ord(c):x}", "family"], capture_output=True, text=True
        ).stdout.strip()
    ]
    assert missing == []
    assert (
        subprocess.run(
            ["fc-list", f":family={style.FONT}:charset=e000", "family"], capture_output=True, text=True
        ).stdout.strip()
        == ""
    )  # the query does find a character the font lacks
    with tempconfig({"text_dir": str(tmp_path)}):
        box = _outline("\ue000")
        for c in accented:
            glyph = _outline(c)
            assert len(glyph) and (glyph.shape != box.shape or not np.allclose(glyph, box, atol=0.01)), c
        # an accent stands above its letter: the accented glyph is taller
        assert Text("é", font=style.FONT).height > Text("e", font=style.FONT).height * 1.1


def test_a_spanish_clip_joins_superior_e_inferior(tex_dir):
    from reluviz.scenes import scene_class

    with tempconfig({"format": "none", "media_dir": str(tex_dir), "tex_dir": str(tex_dir / "Tex")}):
        spanish = scene_class("gradient_step")(inputs=StoryInputs(words=spanish_words("gradient_step")))
        english = scene_class("gradient_step")(inputs=StoryInputs())
    assert spanish.joined(["superior", "inferior"]) == "superior e inferior"
    assert spanish.joined(["inferior", "superior"]) == "inferior y superior"
    assert english.joined(["top", "inner"]) == "top and inner"
