"""relu_lecture.pptx: the story as slides that step the way present.html does.

The default deck (``beats``): the opening title slide, then, in story order, each part's
title card beats, and for every stage a title slide followed by one slide per beat. A
beat's slide holds the beat's own clip (``beats/<stem>.<beat>.mp4``, with its sound) as
large as fits below the stage's title in small type, its first frame as the preview, and
its narration as the speaker notes. The clip starts by itself when the slide is shown:
the slide's timing is PowerPoint's "Start: Automatically" (see ``autoplay_timing``), so
one click (or Right, or a clicker) moves to the next beat, which plays at once.

``clips`` keeps the older deck: one slide per stage clip, its closing frame as the
preview and its captions as the notes (playing by itself as well)."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches, Pt

from reluviz.studio.media import ffmpeg
from reluviz.studio.publishing.present import story_steps
from reluviz.words.kit import KitWords

DECK_NAME = "relu_lecture.pptx"
DECK_KINDS = ("beats", "clips")
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, like the clips
TITLE_AND_CONTENT_BLANK = 6  # the default template's blank layout
#: The band above a beat's video: the stage's title in small type.
BAND_TOP, BAND_HEIGHT, BAND_SIZE = Inches(0.08), Inches(0.44), 16
#: Written into the deck's core properties, so a deck rebuilt with its kit stays the kind it was.
KIND_MARK = "reluviz deck: "
TEXT_HEIGHT = Inches(1.0)


def autoplay_timing(shape_id: int, milliseconds: int) -> str:
    """A slide's ``p:timing`` that plays the video ``shape_id`` from its start as soon as the
    slide is shown, the way PowerPoint saves a video set to "Start: Automatically".

    The main sequence's first (and only) step begins with the sequence itself
    (``<p:cond evt="onBegin"><p:tn val="2"/>``, 2 being the main sequence's node), not on a
    click (``delay="indefinite"`` alone); in it a ``mediacall`` effect, "after previous",
    calls ``playFrom(0.0)`` on the video for its length. The ``p:video`` node beside the
    sequence is the one python-pptx writes for every movie: it ties the media to the shape."""
    target = f'<p:tgtEl><p:spTgt spid="{shape_id}"/></p:tgtEl>'
    on_slide = "<p:tgtEl><p:sldTgt/></p:tgtEl>"
    return (
        f"<p:timing {nsdecls('p')}><p:tnLst><p:par>"
        '<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>'
        '<p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>'
        '<p:par><p:cTn id="3" fill="hold"><p:stCondLst><p:cond delay="indefinite"/>'
        '<p:cond evt="onBegin" delay="0"><p:tn val="2"/></p:cond></p:stCondLst><p:childTnLst>'
        '<p:par><p:cTn id="4" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>'
        '<p:par><p:cTn id="5" presetID="1" presetClass="mediacall" presetSubtype="0" fill="hold" '
        'nodeType="afterEffect"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>'
        '<p:cmd type="call" cmd="playFrom(0.0)"><p:cBhvr>'
        f'<p:cTn id="6" dur="{milliseconds}" fill="hold"/>{target}</p:cBhvr></p:cmd>'
        "</p:childTnLst></p:cTn></p:par>"
        "</p:childTnLst></p:cTn></p:par>"
        "</p:childTnLst></p:cTn></p:par>"
        "</p:childTnLst></p:cTn>"
        f'<p:prevCondLst><p:cond evt="onPrev" delay="0">{on_slide}</p:cond></p:prevCondLst>'
        f'<p:nextCondLst><p:cond evt="onNext" delay="0">{on_slide}</p:cond></p:nextCondLst></p:seq>'
        '<p:video><p:cMediaNode vol="80000"><p:cTn id="7" fill="hold" display="0">'
        f'<p:stCondLst><p:cond delay="indefinite"/></p:stCondLst></p:cTn>{target}</p:cMediaNode></p:video>'
        "</p:childTnLst></p:cTn></p:par></p:tnLst></p:timing>"
    )


class _Style:
    def __init__(self, manifest: dict):
        dark = manifest["render"]["theme"] == "dark"
        self.background = RGBColor(0x11, 0x15, 0x1C) if dark else RGBColor(0xFF, 0xFF, 0xFF)
        self.ink = RGBColor(0xEC, 0xEF, 0xF4) if dark else RGBColor(0x1B, 0x1F, 0x24)
        self.muted = RGBColor(0x9A, 0xA4, 0xB2) if dark else RGBColor(0x5B, 0x64, 0x72)


def _slide(deck, style: _Style):
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_AND_CONTENT_BLANK])
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = style.background
    return slide


def _text(slide, text: str, top, size: int, colour: RGBColor, bold=False, height=TEXT_HEIGHT, align=PP_ALIGN.LEFT):
    """A text box across the slide; its text wraps inside it and keeps the box's size, so
    PowerPoint and Impress both align it within the box's full width."""
    box = slide.shapes.add_textbox(Inches(0.6), top, SLIDE_WIDTH - Inches(1.2), height)
    frame = box.text_frame
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    font = paragraph.add_run().font  # on the run (a:rPr): PowerPoint lets one edit it as usual
    font.size, font.bold, font.color.rgb = Pt(size), bold, colour
    paragraph.runs[0].text = text
    return box


def _movie(slide, video: Path, poster: Path, box: tuple, milliseconds: int) -> None:
    """The video in ``box`` (left, top, width, height), playing as the slide is shown."""
    movie = slide.shapes.add_movie(str(video), *box, poster_frame_image=str(poster), mime_type="video/mp4")
    timing = slide.element.find(qn("p:timing"))  # python-pptx's: the video plays only when clicked
    timing.getparent().replace(timing, parse_xml(autoplay_timing(movie.shape_id, milliseconds)))


def _fit(manifest: dict, width, height) -> tuple[Emu, Emu]:
    """The largest size of the clips' shape inside ``width`` by ``height``."""
    aspect = manifest["render"]["width"] / manifest["render"]["height"]
    if width / height > aspect:
        return Emu(int(height * aspect)), Emu(int(height))
    return Emu(int(width)), Emu(int(width / aspect))


def _save(deck, folder: Path) -> Path:
    target = folder / DECK_NAME
    temporary = folder / f".{DECK_NAME}.{os.getpid()}.tmp"
    try:
        deck.save(str(temporary))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def deck_kind(path: Path) -> str:
    """Which kind of deck ``path`` is (read from its core properties without loading its media);
    ``beats`` when it does not say."""
    try:
        with zipfile.ZipFile(path) as package:
            core = package.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return DECK_KINDS[0]
    found = re.search(r"<cp:category>" + re.escape(KIND_MARK) + r"(\w+)</cp:category>", core)
    return found.group(1) if found and found.group(1) in DECK_KINDS else DECK_KINDS[0]


def build_deck(manifest: dict, folder: Path, kind: str = "beats") -> Path:
    """Write the deck beside the clips (under a temporary name, then renamed); returns its path."""
    if kind not in DECK_KINDS:
        raise ValueError(f"DECK={kind}: expected one of {', '.join(DECK_KINDS)}")
    style = _Style(manifest)
    kit = KitWords.from_dict(manifest.get("kit_words"))
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    deck.core_properties.title = manifest["title"]
    deck.core_properties.category = KIND_MARK + kind

    title = _slide(deck, style)
    _text(title, manifest["title"], Inches(2.6), 44, style.ink, bold=True, align=PP_ALIGN.CENTER)
    weights = manifest["render"]["weights"]
    count = len(manifest["clips"])
    stages = kit("deck_one_stage" if count == 1 else "deck_stages", count=count)
    if kind == "beats":
        steps = story_steps(manifest)
        shown = kit("deck_beats", stages=stages, beats=len(steps), weights=weights["name"])
    else:
        shown = kit("deck_clips", stages=stages, weights=weights["name"])
    _text(title, shown, Inches(3.6), 24, style.muted, align=PP_ALIGN.CENTER)
    title.notes_slide.notes_text_frame.text = kit(f"deck_{kind}_notes")

    if kind == "beats":
        _beat_slides(deck, style, manifest, folder, steps, kit)
    else:
        _clip_slides(deck, style, manifest, folder)
    return _save(deck, folder)


def _beat_slides(deck, style: _Style, manifest: dict, folder: Path, steps: list[dict], kit: KitWords) -> None:
    width, height = _fit(manifest, SLIDE_WIDTH, SLIDE_HEIGHT - BAND_TOP - BAND_HEIGHT)
    box = ((SLIDE_WIDTH - width) // 2, SLIDE_HEIGHT - height, width, height)
    clips = {clip["stage"]: clip for clip in manifest["clips"]}
    with tempfile.TemporaryDirectory(prefix="reluviz-deck-") as scratch:
        posters = [Path(scratch) / f"{number:03d}.png" for number in range(len(steps))]
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # each an ffmpeg of its own
            list(pool.map(lambda s, p: ffmpeg.first_frame(folder / s["file"], p), steps, posters))
        previous = None
        for step, poster in zip(steps, posters):
            if step["stage"] is not None and step["stage"] != previous:
                clip = clips[step["stage"]]
                heading = _slide(deck, style)
                _text(heading, step["title"], Inches(2.8), 40, style.ink, bold=True, align=PP_ALIGN.CENTER)
                _text(heading, clip["summary"], Inches(3.8), 24, style.muted, height=Inches(1.5), align=PP_ALIGN.CENTER)
                heading.notes_slide.notes_text_frame.text = kit(
                    "deck_stage_notes", stage=kit("where_stage", stage=step["stage"]), summary=clip["summary"]
                )
            previous = step["stage"]
            slide = _slide(deck, style)
            _text(slide, step["title"], BAND_TOP, BAND_SIZE, style.ink, bold=True, height=BAND_HEIGHT)
            _text(slide, step["where"], BAND_TOP, BAND_SIZE - 4, style.muted, height=BAND_HEIGHT, align=PP_ALIGN.RIGHT)
            _movie(slide, folder / step["file"], poster, box, round(step["duration"] * 1000))
            slide.notes_slide.notes_text_frame.text = step["caption"]  # the words as written: "ReLU", "-0.85"


def _clip_slides(deck, style: _Style, manifest: dict, folder: Path) -> None:
    width, height = _fit(manifest, SLIDE_WIDTH - Inches(1.2), SLIDE_HEIGHT - Inches(1.5))
    box = ((SLIDE_WIDTH - width) // 2, Inches(1.2), width, height)
    for clip in manifest["clips"]:
        slide = _slide(deck, style)
        _text(slide, f"{clip['stage']}. {clip['title']}", Inches(0.2), 28, style.ink, bold=True)
        poster = folder / clip["files"]["poster"]
        _movie(slide, folder / clip["files"]["video"], poster, box, round(clip["duration"] * 1000))
        slide.notes_slide.notes_text_frame.text = "\n".join(clip["captions"])
