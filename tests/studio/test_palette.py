"""The pages around the clips take their colours from the videos' theme: one palette."""

from __future__ import annotations

import re
from pathlib import Path

from reluviz.scenes.framework.style import DARK, LIGHT
from reluviz.studio.publishing import batch, page, palette, present


def test_the_pages_colours_are_the_videos_own():
    assert f"--bg: {DARK.background};" in page.STYLE and f"--bg: {DARK.background};" in batch.STYLE
    assert f"--blue: {DARK.paths[0]};" in page.STYLE and f"--green: {DARK.total};" in page.STYLE
    light = palette.css_palette(LIGHT)
    assert "color-scheme: light;" in light and f"--text: {LIGHT.text};" in light


def test_no_page_writes_a_theme_colour_of_its_own():
    """A colour of the theme written out in a page module would drift from the videos' one."""
    # (white and black are everybody's: the light background, the missing-beat notice's text)
    theme_colours = {c.lower() for c in (DARK.background, DARK.text, DARK.muted, *DARK.paths[:2], DARK.total)}
    theme_colours |= {c.lower() for c in (LIGHT.text, LIGHT.muted)}
    for module in (page, batch, present):
        written = {c.lower() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", Path(module.__file__).read_text())}
        assert written & theme_colours == set(), module.__name__
