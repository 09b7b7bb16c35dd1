"""relu_lecture.pptx: a title slide, then one slide per stage with its clip embedded
(its poster as the preview), the stage's title, and its captions as speaker notes."""

from __future__ import annotations

import os
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

DECK_NAME = "relu_lecture.pptx"
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, like the clips
TITLE_AND_CONTENT_BLANK = 6  # the default template's blank layout


def _background(slide, colour: RGBColor) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = colour


def _text(slide, text: str, top, size: int, colour: RGBColor, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), top, SLIDE_WIDTH - Inches(1.2), Inches(1.0))
    paragraph = box.text_frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(size), bold, colour


def build_deck(manifest: dict, folder: Path) -> Path:
    """Write the deck beside the clips (under a temporary name, then renamed); returns its path."""
    dark = manifest["render"]["theme"] == "dark"
    background = RGBColor(0x11, 0x15, 0x1C) if dark else RGBColor(0xFF, 0xFF, 0xFF)
    ink = RGBColor(0xEC, 0xEF, 0xF4) if dark else RGBColor(0x1B, 0x1F, 0x24)
    muted = RGBColor(0x9A, 0xA4, 0xB2) if dark else RGBColor(0x5B, 0x64, 0x72)
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    layout = deck.slide_layouts[TITLE_AND_CONTENT_BLANK]

    title = deck.slides.add_slide(layout)
    _background(title, background)
    _text(title, manifest["title"], Inches(2.6), 44, ink, bold=True)
    weights = manifest["render"]["weights"]
    _text(title, f'{len(manifest["clips"])} animated stages, weights "{weights["name"]}"', Inches(3.6), 24, muted)
    title.notes_slide.notes_text_frame.text = "Each following slide plays one stage; its narration is in the notes."

    width = SLIDE_WIDTH - Inches(1.2)
    height = Emu(int(width * manifest["render"]["height"] / manifest["render"]["width"]))
    if height > SLIDE_HEIGHT - Inches(1.5):
        height = SLIDE_HEIGHT - Inches(1.5)
        width = Emu(int(height * manifest["render"]["width"] / manifest["render"]["height"]))
    for clip in manifest["clips"]:
        slide = deck.slides.add_slide(layout)
        _background(slide, background)
        _text(slide, f"{clip['stage']}. {clip['title']}", Inches(0.2), 28, ink, bold=True)
        slide.shapes.add_movie(
            str(folder / clip["files"]["video"]),
            (SLIDE_WIDTH - width) // 2,
            Inches(1.2),
            width,
            height,
            poster_frame_image=str(folder / clip["files"]["poster"]),
            mime_type="video/mp4",
        )
        slide.notes_slide.notes_text_frame.text = "\n".join(clip["captions"])

    target = folder / DECK_NAME
    temporary = folder / f".{DECK_NAME}.{os.getpid()}.tmp"
    try:
        deck.save(str(temporary))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
