"""``reluviz.render`` for notebooks and scripts: a render as the command line makes it (same
cache, locks and progress lines), returned as a ``Kit`` whose clips show themselves in Jupyter."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from reluviz.studio.publishing.kit import render_story
from reluviz.studio.publishing.present import PRESENT_PAGE
from reluviz.studio.settings import settings_from_options

MANIFEST = "manifest.json"
PAGE = "index.html"
#: Clips up to this size are embedded in a notebook as they are shown (a low or medium clip is
#: a few hundred kilobytes); a larger one is linked by its path, which a notebook served from
#: the same folder can play.
EMBEDDED_BYTES = 20_000_000


@dataclass(frozen=True)
class Clip:
    """One published video of a kit: a stage clip or the whole film."""

    title: str
    path: Path
    poster: Path | None
    captions: Path | None

    def _repr_html_(self) -> str:
        size = self.path.stat().st_size
        if size <= EMBEDDED_BYTES:
            source = "data:video/mp4;base64," + base64.b64encode(self.path.read_bytes()).decode("ascii")
        else:
            source = escape(str(self.path))
        return (
            f"<figure><video controls preload='metadata' style='max-width:100%' src='{source}'></video>"
            f"<figcaption>{escape(self.title)}</figcaption></figure>"
        )


@dataclass(frozen=True)
class Kit:
    """What a render published in one folder: its clips in story order, the film (once every
    stage is there), the lecture page, the presenter and the manifest."""

    folder: Path
    manifest: dict
    clips: tuple[Clip, ...]
    film: Clip | None

    @property
    def page(self) -> Path:
        return self.folder / PAGE

    @property
    def presenter(self) -> Path:
        return self.folder / PRESENT_PAGE

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def clip(self, stage: str) -> Clip:
        """The clip of the stage named ``stage`` (as ``make list`` names it)."""
        for entry, clip in zip(self.manifest["clips"], self.clips):
            if entry["name"] == stage:
                return clip
        raise KeyError(f"no clip of stage {stage!r} in {self.folder}")

    def _repr_html_(self) -> str:
        shown = self.film or (self.clips[-1] if self.clips else None)
        listing = "".join(f"<li>{escape(clip.title)}: {escape(clip.path.name)}</li>" for clip in self.clips)
        return (shown._repr_html_() if shown else "") + f"<p>{escape(str(self.folder))}</p><ul>{listing}</ul>"


def _published(folder: Path, entry: dict, title: str) -> Clip:
    files = entry["files"]
    optional = {kind: folder / files[kind] if kind in files else None for kind in ("poster", "vtt")}
    return Clip(title, folder / files["video"], optional["poster"], optional["vtt"])


def read_kit(folder: Path) -> Kit:
    """The kit published in ``folder``, as its manifest lists it."""
    manifest = json.loads((folder / MANIFEST).read_text())
    clips = tuple(_published(folder, entry, f"{entry['stage']}. {entry['title']}") for entry in manifest["clips"])
    film = manifest.get("film")
    return Kit(folder, manifest, clips, _published(folder, film, film["title"]) if film else None)


def render_kit(**options: str) -> Kit:
    """Render and publish a kit with the command line's options (as strings, by the names of
    its flags: ``weights``, ``quality``, ``stages`` space-separated, ...); returns the Kit."""
    return read_kit(render_story(settings_from_options(**options)))
