"""The kit's words end to end: a words file's ``[kit]`` words and ``language`` reach the lecture
page, the presenter and the deck, and re-render no clip."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from dataclasses import replace

from reluviz.studio.publishing.kit import plan_kit
from reluviz.studio.publishing.story import load_story
from reluviz.studio.settings import settings_from_options
from reluviz.words.words_file import Wording

WORDS = """\
units = 2
plane_units = 3
language = "es"

[kit]
page_stages = "Etapa por etapa"
present_say_now = "decir ahora"
present_the_end = "(fin)"
where_stage = "Etapa {stage}"
deck_beats_notes = "Cada diapositiva reproduce un punto."
"""


def test_a_kit_word_changes_no_clips_key(tmp_path):
    settings = settings_from_options(out=str(tmp_path / "out"), voice="none")
    story = load_story(settings)
    before = plan_kit(settings, story)
    after = plan_kit(settings, replace(story, wording=Wording(tables={"kit": {"page_stages": "Etapa por etapa"}})))
    assert {name: job.key for name, job in before.jobs.items()} == {name: job.key for name, job in after.jobs.items()}
    assert [card.key for card in before.cards.values()] == [card.key for card in after.cards.values()]


def test_kit_words_and_the_language_reach_the_page_the_presenter_and_the_deck(tmp_path):
    """One small render (stage 11, silent, low quality) and its deck, with a Spanish words file that
    changes a few of the kit's words: it reads every clip's beats first (about a minute)."""
    words = tmp_path / "es.toml"
    words.write_text(WORDS, encoding="utf-8")
    out = tmp_path / "out"
    options = ["--out", str(out), "--quality", "low", "--voice", "none", "--stages", "bias", "--words", str(words)]
    result = subprocess.run([sys.executable, "-m", "reluviz", "deck", *options], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    kit = out / "relu" / "low"

    page = (kit / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "<h2>Etapa por etapa</h2>" in page
    assert 'srclang="es" label="Español"' in page and "English" not in page
    assert "Stage by stage" not in page

    presenter = (kit / "present.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in presenter and '<div class="label">decir ahora</div>' in presenter
    said = json.loads(re.search(r'<script type="application/json" id="words">(.*?)</script>', presenter).group(1))
    assert said["present_the_end"] == "(fin)"
    steps = json.loads(re.search(r'<script type="application/json" id="steps">(.*?)</script>', presenter).group(1))
    assert steps[0]["where"] == "Etapa 11 · beat 1/3"  # "beat" is left in English by this file

    with zipfile.ZipFile(kit / "relu_lecture.pptx") as deck:
        notes = " ".join(deck.read(name).decode("utf-8") for name in deck.namelist() if "notesSlide" in name)
        slides = " ".join(deck.read(name).decode("utf-8") for name in deck.namelist() if "slides/slide" in name)
    assert "Cada diapositiva reproduce un punto." in notes and "Each following slide" not in notes
    assert "Etapa 11:" in notes  # the stage's title slide notes
    assert "Etapa 11 · beat 1/3" in slides
