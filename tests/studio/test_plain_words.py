"""The lecture page, the presentation and the deck write plain words and folded signs:
"dosage × 1.70 − 0.85", headings a lecturer would print, never code ("top*w", "+ -0.85")."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation

from reluviz.files.plane_weights import load_plane_weights
from reluviz.files.weights import load_weights
from reluviz.studio.publishing.deck import build_deck
from reluviz.studio.publishing.page import build_page
from reluviz.studio.publishing.story import Story

MINUS = "\u2212"
#: What reads as code or as an unfolded sign in text for viewers.
CODE_LIKE = re.compile(r"\*|\+ ?[-\u2212]")


class VisibleText(HTMLParser):
    """The text a browser shows: everything outside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def empty_kit_page() -> str:
    """The page of a kit with no clips yet: the weights paragraph and the stage table."""
    story = Story(load_weights("relu"), load_plane_weights("plateau"))
    weights, plane = story.weights, story.plane
    manifest = {
        "title": "ReLU",
        "clips": [],
        "render": {
            "weights": {"file": str(weights.path), "sha256": weights.digest},
            "plane_weights": {"file": str(plane.path), "sha256": plane.digest},
            "width": 854,
            "height": 480,
            "fps": 15,
            "theme": "dark",
            "versions": {"reluviz": "0", "manim": "0"},
        },
    }
    return build_page(manifest, story, Path("."))


def test_page_writes_the_weights_as_terms_with_signs_folded():
    text = visible_text(empty_kit_page())
    assert f"dosage × 1.70 {MINUS} 0.85" in text, "the top node as a lecturer writes it"
    assert "dosage × 12.6 + 0.00" in text, "the file's decimals kept"
    assert f"output bias {MINUS}16" in text
    assert not CODE_LIKE.search(text), CODE_LIKE.search(text)


def test_page_writes_part_threes_units_and_regions_with_true_minus_signs():
    text = visible_text(empty_kit_page())
    part_three = text[text.index("The regions (Part III)") :]
    # plateau.toml: the first unit is [0, -4] with bias 1; its output weight -1; 7 regions, 7 at most
    assert f"the first unit takes {MINUS}4 x2 + 1, output weight {MINUS}1" in part_three
    assert "cut the inputs into 7 regions (3 units can make at most 7)" in part_three
    # the region where only the third unit is on: -1 x (4 x1 + 2 x2 - 3.5) + 1
    assert f"third {MINUS}4 x1 {MINUS} 2 x2 + 4.5" in part_three
    assert not re.search(r"(^|\s)-(\s|\d)", part_three), "no hyphen for a minus sign"


def test_page_table_heads_its_columns_in_words():
    html = empty_kit_page()
    headings = re.findall(r"<th>(.*?)</th>", html)
    assert "blue path, scaled" in headings and "orange path, scaled" in headings
    assert all(re.fullmatch(r"[a-z ,]+", h) for h in headings), headings
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert f"{MINUS}0.85" in cells and "-0.85" not in cells, "a true minus sign in the table"


def test_kit_page_presentation_and_deck_write_no_code(low_render, tmp_path):
    """Everything these three write themselves; the captions they carry are the scenes' words."""
    _, clips, _ = low_render
    manifest = json.loads((clips / "manifest.json").read_text())
    page = visible_text((clips / "index.html").read_text())
    present_html = (clips / "present.html").read_text()
    steps = json.loads(re.search(r'<script type="application/json" id="steps">(.*?)</script>', present_html).group(1))
    present = [visible_text(present_html), *(f"{s['title']} {s['where']}" for s in steps)]
    deck_folder = tmp_path / "deck"
    deck_folder.mkdir()
    for item in manifest["clips"]:  # the clip deck embeds each clip and its poster
        for name in (item["files"]["video"], item["files"]["poster"]):
            (deck_folder / name).symlink_to(clips / name)
    deck = Presentation(str(build_deck(manifest, deck_folder, "clips")))
    slides = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert "1.70" in page and f"{MINUS} 0.85" in page
    for text in [page, *present, *slides]:
        assert not CODE_LIKE.search(text), f"{CODE_LIKE.search(text).group()!r} in {text[:200]!r}"


@pytest.mark.parametrize("text", ["top*w", "x1.7 + -0.85", f"sum + {MINUS}16"])
def test_code_like_catches_what_it_is_for(text):
    assert CODE_LIKE.search(text)
