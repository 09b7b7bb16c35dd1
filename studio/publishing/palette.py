"""The pages' colours (index.html, present.html, a batch's page) as CSS custom properties,
from the videos' own theme (scenes/framework/style.py): the clips and the pages around them
share one palette."""

from __future__ import annotations

from reluviz.scenes.framework.style import DARK, Theme

#: Shades only a page needs, beside the theme's: the panel behind a clip, the rule under a
#: heading or a table row.
PAGE_SHADES = {"dark": {"panel": "#1A202A", "rule": "#2A3240"}, "light": {"panel": "#F1F3F6", "rule": "#D5DAE1"}}


def css_palette(theme: Theme = DARK) -> str:
    """``:root`` with --bg, --text, --muted, --panel, --rule and the story's --blue, --orange
    (the first two paths) and --green (sums)."""
    shades = PAGE_SHADES[theme.name]
    return (
        f":root {{ color-scheme: {theme.name}; --bg: {theme.background}; --text: {theme.text}; "
        f"--muted: {theme.muted}; --panel: {shades['panel']}; --rule: {shades['rule']}; "
        f"--blue: {theme.paths[0]}; --orange: {theme.paths[1]}; --green: {theme.total}; }}\n"
    )
