"""relu_lecture.pptx from a one-stage kit with sound, read back by the programs a lecturer
uses: python-pptx for the slides, their media and notes; ffprobe and ffmpeg for the clips
and the previews; LibreOffice Impress, which must open the deck (to PDF, a page a slide)
and read each beat's clip as one that starts by itself (to ODP, its own animation XML)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Pt

from reluviz.studio.publishing.deck import DECK_NAME, deck_kind

SOFFICE = shutil.which("soffice")
STAGE = "bias"


@pytest.fixture(scope="module")
def sound_kit(tmp_path_factory, run_render):
    """(out folder, kit folder, manifest) of one stage rendered with the default (festival) voice."""
    out = tmp_path_factory.mktemp("deck")
    result = run_render(out, "--stages", STAGE)
    assert result.returncode == 0, result.stderr
    clips = out / "relu" / "low"
    return out, clips, json.loads((clips / "manifest.json").read_text())


def make_deck(out: Path, *args: str) -> Presentation:
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "deck", "--quality", "low", "--stages", STAGE, "--out", str(out), *args],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return Presentation(str(out / "relu" / "low" / DECK_NAME))


def videos(slide) -> list:
    return [r.target_part for r in slide.part.rels.values() if r.reltype.endswith("/video")]


def movie_shape(slide):
    (movie,) = [s for s in slide.shapes if type(s).__name__ == "Movie"]
    return movie


def pixels(path: Path) -> np.ndarray:
    """The first picture of an image or a video, as RGB bytes decoded by ffmpeg."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8)


def audio_codecs(path: Path) -> list[str]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a", "-show_entries", "stream=codec_name", "-of", "csv=p=0"]
        + [str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()


def xp(element, path: str) -> list:
    return etree.XPath(path, namespaces={"p": "http://schemas.openxmlformats.org/presentationml/2006/main"})(element)


def assert_plays_by_itself(slide, milliseconds: int) -> None:
    """PowerPoint's "Start: Automatically": the main sequence's one step begins with the
    sequence (not on a click) and plays the slide's movie from 0 for its length."""
    timing = slide.element.find(qn("p:timing"))
    assert timing is not None
    (main,) = xp(timing, ".//p:seq/p:cTn[@nodeType='mainSeq']")
    (step,) = xp(main, "./p:childTnLst/p:par/p:cTn")
    starts = xp(step, "./p:stCondLst/p:cond")
    assert [(c.get("evt"), xp(c, "./p:tn/@val")) for c in starts if c.get("evt")] == [("onBegin", [main.get("id")])]
    (effect,) = xp(timing, ".//p:cTn[@presetClass='mediacall']")
    assert effect.get("presetID") == "1" and effect.get("nodeType") in ("afterEffect", "withEffect")
    assert xp(effect, "./p:stCondLst/p:cond/@delay") == ["0"]
    (command,) = xp(effect, "./p:childTnLst/p:cmd")
    assert (command.get("type"), command.get("cmd")) == ("call", "playFrom(0.0)")
    spid = str(movie_shape(slide).shape_id)
    assert xp(command, "./p:cBhvr/p:tgtEl/p:spTgt/@spid") == [spid]
    assert xp(command, "./p:cBhvr/p:cTn/@dur") == [str(milliseconds)]
    assert xp(timing, "./p:tnLst/p:par/p:cTn/p:childTnLst/p:video/p:cMediaNode/p:tgtEl/p:spTgt/@spid") == [spid]
    assert not xp(timing, ".//p:cTn[@nodeType='clickEffect']")
    ids = xp(timing, ".//p:cTn/@id")
    assert len(ids) == len(set(ids))


def test_a_slide_per_beat_that_plays_as_it_is_shown(sound_kit, tmp_path):
    out, clips, manifest = sound_kit
    (clip,) = manifest["clips"]
    before = {p.relative_to(clips) for p in clips.rglob("*")}
    deck = make_deck(out)
    assert {p.relative_to(clips) for p in clips.rglob("*")} - before == {Path(DECK_NAME)}, "only the deck is new"
    assert deck_kind(clips / DECK_NAME) == "beats"

    slides = list(deck.slides)
    beats = clip["beats"]
    assert len(slides) == 1 + 1 + len(beats)  # the opening title, the stage's title, its beats
    title = f"{clip['stage']}. {clip['title']}"
    heading = slides[1]
    assert videos(heading) == []
    assert title in [s.text_frame.text for s in heading.shapes if s.has_text_frame]

    for number, (slide, beat) in enumerate(zip(slides[2:], beats), start=1):
        beat_file = clips / beat["file"]
        (video,) = videos(slide)
        assert video.content_type == "video/mp4"
        assert video.blob == beat_file.read_bytes()
        assert audio_codecs(beat_file) == ["aac"], "a kit with a voice: every beat has its sound"
        assert slide.notes_slide.notes_text_frame.text == beat["caption"]

        boxes = {s.text_frame.text: s for s in slide.shapes if s.has_text_frame}
        assert f"Stage {clip['stage']} \u00b7 beat {number}/{len(beats)}" in boxes
        small = boxes[title].text_frame.paragraphs[0].runs[0].font.size
        assert small <= Pt(18)

        movie = movie_shape(slide)
        assert movie.top + movie.height == deck.slide_height, "the video reaches the slide's foot"
        assert boxes[title].top + boxes[title].height <= movie.top < deck.slide_height * 0.1
        aspect = manifest["render"]["width"] / manifest["render"]["height"]
        assert movie.width / movie.height == pytest.approx(aspect, rel=1e-3) and movie.width <= deck.slide_width

        (poster,) = [r.target_part for r in slide.part.rels.values() if r.reltype.endswith("/image")]
        (tmp_path / "poster.png").write_bytes(poster.blob)
        assert np.array_equal(pixels(tmp_path / "poster.png"), pixels(beat_file)), "the preview is the first frame"

        assert_plays_by_itself(slide, round((beat["end"] - beat["start"]) * 1000))


def test_a_slide_per_clip_on_request_and_the_kind_kept_when_the_kit_changes(sound_kit, run_render):
    out, clips, manifest = sound_kit
    (clip,) = manifest["clips"]
    deck = make_deck(out, "--deck", "clips")
    slides = list(deck.slides)
    assert len(slides) == 1 + 1
    (video,) = videos(slides[1])
    assert video.blob == (clips / clip["files"]["video"]).read_bytes()
    assert slides[1].notes_slide.notes_text_frame.text == "\n".join(clip["captions"])
    assert_plays_by_itself(slides[1], round(clip["duration"] * 1000))

    # a render that changes the manifest rebuilds the deck, still a slide per clip
    (clips / "manifest.json").unlink()
    written = (clips / DECK_NAME).stat().st_mtime_ns
    result = run_render(out, "--stages", STAGE)
    assert result.returncode == 0, result.stderr
    assert (clips / DECK_NAME).stat().st_mtime_ns != written
    assert deck_kind(clips / DECK_NAME) == "clips"
    assert len(Presentation(str(clips / DECK_NAME)).slides) == 2


ODF = {
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "anim": "urn:oasis:names:tc:opendocument:xmlns:animation:1.0",
    "smil": "urn:oasis:names:tc:opendocument:xmlns:smil-compatible:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def soffice(deck: Path, fmt: str, folder: Path, profile: Path) -> Path:
    """LibreOffice converts the deck (its own profile, so it never waits on another soffice)."""
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt]
        + ["--outdir", str(folder), str(deck)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"error", result.stdout + result.stderr, re.IGNORECASE), result.stdout + result.stderr
    converted = folder / f"{deck.stem}.{fmt}"
    assert converted.is_file() and converted.stat().st_size > 0, result.stdout
    return converted


def attr(element, name: str) -> str | None:
    prefix, local = name.split(":")
    return element.get(f"{{{ODF[prefix]}}}{local}")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Impress is not installed (make test installs it)")
def test_impress_opens_the_deck_and_starts_each_beat_by_itself(sound_kit, tmp_path):
    out, clips, manifest = sound_kit
    slides = len(make_deck(out).slides)
    deck = clips / DECK_NAME

    pdf = soffice(deck, "pdf", tmp_path, tmp_path / "profile")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())) == slides

    odp = soffice(deck, "odp", tmp_path, tmp_path / "profile")
    with zipfile.ZipFile(odp) as package:
        content = ET.fromstring(package.read("content.xml"))
    pages = content.findall(".//draw:page", ODF)
    assert len(pages) == slides
    beats = manifest["clips"][0]["beats"]
    for page, beat in zip(pages[2:], beats):
        (plugin,) = page.findall(".//draw:plugin", ODF)
        (frame,) = [f for f in page.findall(".//draw:frame", ODF) if f.find("draw:plugin", ODF) is not None]
        (sequence,) = page.findall(".//anim:seq", ODF)
        assert attr(sequence, "presentation:node-type") == "main-sequence"
        (step,) = sequence.findall("anim:par", ODF)
        assert attr(step, "smil:begin") == "0s", "Impress starts it with the slide, not on a click ('next')"
        (effect,) = [e for e in sequence.iter() if attr(e, "presentation:preset-class") == "media-call"]
        assert attr(effect, "presentation:node-type") in ("after-previous", "with-previous")
        (command,) = effect.findall("anim:command", ODF)
        assert attr(command, "anim:command") == "play"
        assert attr(command, "smil:targetElement") == attr(frame, "xml:id")
        assert float(attr(command, "smil:dur").rstrip("s")) == pytest.approx(beat["end"] - beat["start"], abs=0.002)
        assert attr(plugin, "draw:mime-type") is not None
