"""The kit's words end to end: a words file's ``[kit]`` words and ``language`` reach the lecture
page, the presenter and the deck, and re-render no clip."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from dataclasses import replace

from reluviz.studio.media.narration import synthesized_voice
from reluviz.studio.pipeline.jobs import voice_fingerprint
from reluviz.studio.publishing.kit import plan_kit
from reluviz.studio.publishing.story import load_story
from reluviz.studio.settings import settings_from_options
from reluviz.words.words_file import Wording


def test_a_kit_word_changes_no_clips_key(tmp_path):
    settings = settings_from_options(out=str(tmp_path / "out"), voice="none")
    story = load_story(settings)
    before = plan_kit(settings, story)
    after = plan_kit(settings, replace(story, wording=Wording(tables={"kit": {"page_stages": "Etapa por etapa"}})))
    assert {name: job.key for name, job in before.jobs.items()} == {name: job.key for name, job in after.jobs.items()}
    assert [card.key for card in before.cards.values()] == [card.key for card in after.cards.values()]


def test_the_spanish_kit_reaches_the_clip_the_page_the_presenter_and_the_deck(tmp_path):
    """One small render with WORDS=es (stage 11 at low quality, its deck): it reads every clip's
    beats first (about a minute). No voice is named, so none speaks: there is no Spanish one."""
    out = tmp_path / "out"
    options = ["--out", str(out), "--quality", "low", "--stages", "bias", "--words", "es"]
    result = subprocess.run([sys.executable, "-m", "reluviz", "deck", *options], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    kit = out / "relu" / "low"
    manifest = json.loads((kit / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["render"]["voice"]["choice"] == "none"
    clip = manifest["clips"][0]
    assert clip["title"] == "Sumar el sesgo de salida"
    assert clip["summary"] == "El sesgo de salida mueve la cuña verde hacia arriba o hacia abajo."
    srt = (kit / "11_bias.srt").read_text(encoding="utf-8")
    assert "El nodo de salida suma su sesgo, −16, a cada punto." in srt.replace("\n", " ")
    streams = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", str(kit / "11_bias.mp4")],
        capture_output=True,
        text=True,
    ).stdout.split()
    assert streams == ["video", "subtitle"]  # silent, its captions a track in Spanish

    page = (kit / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "<h2>Etapa por etapa</h2>" in page
    assert 'srclang="es" label="Español"' in page and "English" not in page
    assert "el nodo superior recibe" in page and "<th>entrada del nodo superior</th>" in page
    assert "<th>camino azul, escalado</th>" in page
    assert "Stage by stage" not in page and "top node" not in page

    presenter = (kit / "present.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in presenter and '<div class="label">decir ahora</div>' in presenter
    said = json.loads(re.search(r'<script type="application/json" id="words">(.*?)</script>', presenter).group(1))
    assert said["present_the_end"] == "(fin)"
    steps = json.loads(re.search(r'<script type="application/json" id="steps">(.*?)</script>', presenter).group(1))
    assert steps[0]["where"] == "Etapa 11 · punto 1/3"

    with zipfile.ZipFile(kit / "relu_lecture.pptx") as deck:
        notes = " ".join(deck.read(name).decode("utf-8") for name in deck.namelist() if "notesSlide" in name)
        slides = " ".join(deck.read(name).decode("utf-8") for name in deck.namelist() if "slides/slide" in name)
    assert "Cada diapositiva siguiente reproduce un punto" in notes and "Each following slide" not in notes
    assert "Etapa 11: El sesgo de salida mueve la cuña verde" in notes  # the stage's title slide notes
    assert "Etapa 11 · punto 1/3" in slides


def test_spanish_words_choose_no_voice_unless_one_is_named():
    assert settings_from_options(words="es").voice == "none"
    assert settings_from_options(words="es", voice="festival").voice == "festival"
    assert settings_from_options(words="es", voice_command="say --out {wav}").voice == "command"
    assert settings_from_options().voice == "festival"


def test_beats_nobody_recorded_in_spanish_are_silent_not_read_in_english():
    spanish, english = settings_from_options(words="es", voice="recorded"), settings_from_options(voice="recorded")
    assert synthesized_voice("recorded", unrecorded=spanish.unrecorded_voice).name == "none"
    assert synthesized_voice("recorded", unrecorded=english.unrecorded_voice).name == "festival"
    # and the clip's sound is keyed by who speaks the rest
    assert voice_fingerprint(spanish, "relu", "11_bias") != voice_fingerprint(english, "relu", "11_bias")
