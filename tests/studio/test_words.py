"""A words file end to end: make script writes one, a changed caption and title reach every file a
render makes of one stage, and a bad file stops the render before anything is drawn."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import replace

import pytest
from conftest import typesets_into

from reluviz.files.paths import ASSETS
from reluviz.studio.media import captions
from reluviz.studio.publishing.kit import plan_kit
from reluviz.studio.publishing.script import _catalogs, _header
from reluviz.studio.publishing.story import load_story
from reluviz.studio.settings import settings_from_options
from reluviz.words.kit import KIT, KIT_KEY
from reluviz.words.templates import BeatWords
from reluviz.words.words_file import Wording, read_wording

NEW_CAPTION = "Now the output node adds {bias} to every single point of it."
NEW_TITLE = "The bias moves it"
SPANISH = ASSETS / "words" / "es.toml"


def reluviz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def scripted(tmp_path_factory, shared_tex):
    """``make script`` once (about a minute: every scene built without drawing): its out/ folder,
    whose cache then holds every clip's catalog, and the words file it wrote."""
    out = typesets_into(tmp_path_factory.mktemp("words") / "out", shared_tex)
    result = reluviz("script", "--out", str(out), "--voice", "none")
    assert result.returncode == 0, result.stderr
    return out, out / "relu" / "words.toml"


def edited(scripted, tmp_path, edit) -> str:
    _, words = scripted
    path = tmp_path / "mine.toml"
    path.write_text(edit(words.read_text(encoding="utf-8")), encoding="utf-8")
    return str(path)


def test_the_scenes_words_read_back_as_no_change(scripted):
    out, words = scripted
    text = words.read_text(encoding="utf-8")
    assert "units = 2" in text and "plane_units = 3" in text
    assert '[part_2]\ntitle = "Part II: ReLU in action"' in text
    assert "# {bias} = −16\n" in text  # the bias beat's placeholder, with its value for relu
    settings = settings_from_options(out=str(out))
    story = load_story(settings)
    units, named, _ = _header(story)
    wording, missing = read_wording(words, _catalogs(settings, story), units, named, {KIT_KEY: KIT})
    assert (wording.titles, wording.beats, wording.labels, wording.tables, missing) == ({}, {}, {}, {"kit": {}}, [])
    assert '\n[kit]\ntitle = "The ReLU activation function"\n' in text  # the kit's words, written whole
    assert '\ndosage = "dosage"\n' in text and '\nmean_squared_error = "mean squared error"\n' in text
    entries = json.loads((out / "relu" / "script.json").read_text())
    assert "The output node adds its bias, −16, to every point." in [e["caption"] for e in entries]


def spanish_coverage(settings) -> list[str]:
    """The shipped Spanish words read against ``settings``' clips: the beats they leave in the
    scenes' English (only a part's heading, "{title}.", which is the same in Spanish)."""
    story = load_story(settings)
    units, named, _ = _header(story)
    catalogs = _catalogs(settings, story)
    wording, missing = read_wording(SPANISH, catalogs, units, named, {KIT_KEY: KIT})
    assert missing == [] and wording.language == "es"
    assert set(wording.titles) == set(catalogs)  # every title in Spanish
    return [
        f"{clip.key}.{beat.words.name}"
        for clip in catalogs.values()
        for beat in clip.beats
        if beat.words.name not in wording.beats.get(clip.key, {})
    ]


def test_the_shipped_spanish_words_cover_every_clip_and_beat(scripted):
    out, _ = scripted
    assert spanish_coverage(settings_from_options(out=str(out), words="es")) == [
        "part_1.heading",
        "part_2.heading",
        "part_3.heading",
    ]


@pytest.mark.heavy  # every clip's beats read for each network (about a minute each)
@pytest.mark.parametrize(
    "options", [{"weights": "wide"}, {"weights": "leaky_relu"}, {"weights": "softplus"}, {"plane_weights": "cone"}]
)
def test_the_shipped_spanish_words_cover_the_other_networks(tmp_path, options):
    settings = settings_from_options(out=str(tmp_path / "out"), words="es", **options)
    assert spanish_coverage(settings) == ["part_1.heading", "part_2.heading", "part_3.heading"]


def test_the_spanish_kit_reaches_the_clip_the_page_the_presenter_and_the_deck(scripted):
    """One small render with WORDS=es (stage 11 at low quality, its deck), beside make script's
    (whose catalogs it checks the file against). No voice is named, so none speaks: there is no
    Spanish one."""
    out, _ = scripted
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


def test_changing_one_beat_changes_only_its_clips_key(scripted):
    out, _ = scripted
    settings = settings_from_options(out=str(out), voice="none")
    story = load_story(settings)
    before = plan_kit(settings, story)
    changed = Wording(beats={"bias": {"bias": BeatWords("bias", NEW_CAPTION)}})
    after = plan_kit(settings, replace(story, wording=changed))
    differ = [name for name in before.jobs if before.jobs[name].key != after.jobs[name].key]
    assert differ == ["bias"]
    assert [c.key for c in before.cards.values()] == [c.key for c in after.cards.values()]
    retitled = plan_kit(settings, replace(story, wording=Wording(titles={"bias": NEW_TITLE})))
    assert [name for name in before.jobs if before.jobs[name].key != retitled.jobs[name].key] == ["bias"]
    assert [p for p in before.cards if before.cards[p].key != retitled.cards[p].key] == [2]  # its card lists it


def test_changing_a_label_changes_only_the_clips_that_draw_it(scripted):
    out, _ = scripted
    settings = settings_from_options(out=str(out), voice="none")
    story = load_story(settings)
    shown = {key: catalog.labels for key, catalog in _catalogs(settings, story).items()}
    before = plan_kit(settings, story)
    after = plan_kit(settings, replace(story, wording=Wording(labels={"epoch": "época"}, labels_shown=shown)))
    assert [name for name in before.jobs if before.jobs[name].key != after.jobs[name].key] == [
        "training",
        "plane_training",
    ]  # the two stages that plot the error by epoch
    assert [c.key for c in before.cards.values()] == [c.key for c in after.cards.values()]


def test_a_changed_caption_and_title_reach_every_file_of_the_clip(scripted, tmp_path):
    """One small render: stage 11, silent, at low quality."""
    out, _ = scripted

    def edit(text: str) -> str:
        text = text.replace(
            'caption = "The output node adds its bias, {bias}, to every point."', f'caption = "{NEW_CAPTION}"'
        ).replace('title = "Adding the output bias"', f'title = "{NEW_TITLE}"')
        return text[: text.index("[bias.green]")] + text[text.index("[bias.bias]") :]  # a beat left out

    words = edited(scripted, tmp_path, edit)
    result = reluviz(
        "render", "--out", str(out), "--quality", "low", "--voice", "none", "--stages", "bias", "--words", words
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if "warning" in line]
    assert warnings == [f"reluviz: warning: {words} leaves out 1 beat(s), which keep their own words: bias.green"]
    clips = out / "relu" / "low"
    said = "Now the output node adds −16 to every single point of it."
    cues = captions.read(clips / "11_bias.srt")
    for cue in cues:  # the new words keep the cue limits: 2 lines of 42 characters, 20 a second
        assert all(len(line) <= 42 for line in cue.content.split("\n")) and cue.content.count("\n") <= 1
        assert len(cue.content.replace("\n", " ")) / (cue.end - cue.start).total_seconds() <= 20.0 + 1e-6
    srt = [c.content.replace("\n", " ") for c in cues]
    assert said in srt and srt[0] == "The green wedge: the two paths added together."
    assert said in (clips / "11_bias.vtt").read_text(encoding="utf-8").replace("\n", " ")
    track = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clips / "11_bias.mp4"), "-map", "0:s:0", "-f", "srt", "-"],
        capture_output=True,
        text=True,
    )
    assert said in track.stdout.replace("\n", " ")  # the mov_text track inside the MP4
    page = (clips / "index.html").read_text(encoding="utf-8")
    vtt = base64.b64decode(re.search(r"data:text/vtt;base64,([A-Za-z0-9+/=]+)", page).group(1)).decode()
    assert said in vtt.replace("\n", " ") and f"11. {NEW_TITLE}" in page
    presenter = (clips / "present.html").read_text(encoding="utf-8")
    steps = json.loads(re.search(r'<script type="application/json" id="steps">(.*?)</script>', presenter).group(1))
    assert said in [s["caption"] for s in steps] and {s["title"] for s in steps} == {f"11. {NEW_TITLE}"}
    manifest = json.loads((clips / "manifest.json").read_text())
    (bias,) = manifest["clips"]
    assert bias["title"] == NEW_TITLE and bias["beats"][1]["caption"] == said
    assert bias["beats"][1]["spoken"].startswith("Now the output node adds minus sixteen")  # the voice follows


def test_an_unknown_placeholder_stops_the_render_before_anything_renders(scripted, tmp_path):
    out, _ = scripted
    words = edited(scripted, tmp_path, lambda text: text.replace("its bias, {bias}, to", "its bias, {biass}, to", 1))
    line = next(n for n, text in enumerate(open(words, encoding="utf-8"), 1) if "{biass}" in text)
    result = reluviz("render", "--out", str(out), "--quality", "medium", "--voice", "none", "--words", words)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"reluviz: {words}: line {line}: [bias.bias] caption: unknown placeholder {{biass}}; "
        "this beat's placeholders are {bias}"
    ]
    assert not (out / "relu" / "medium").exists()


def test_a_file_for_a_network_of_another_size_is_refused(scripted):
    out, words = scripted
    result = reluviz("render", "--out", str(out), "--weights", "wide", "--voice", "none", "--words", str(words))
    assert result.returncode == 2
    (message,) = result.stderr.splitlines()
    assert message.startswith(f"reluviz: {words}: line ") and "units = 2: this words file was written for a " in message
    assert "WEIGHTS=wide has 4" in message
    assert not (out / "wide").exists()


def test_an_unknown_words_name_stops_the_render_in_one_line(tmp_path):
    out = tmp_path / "out"
    result = reluviz("render", "--out", str(out), "--voice", "none", "--words", "klingon")
    assert result.returncode == 2
    (message,) = result.stderr.splitlines()
    assert message.startswith("reluviz: klingon: no such words file; shipped: ")
    assert message.endswith(" (or give a path to a .toml file)")
    assert not out.exists()
