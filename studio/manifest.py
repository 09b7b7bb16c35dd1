"""manifest.json: everything a script needs to build a course page from a render."""

from __future__ import annotations

from importlib.metadata import version
from typing import TYPE_CHECKING

import reluviz
from reluviz.weights import Weights

from .narration import synthesized_voice
from .settings import RenderSettings

if TYPE_CHECKING:
    from .kit import Published

TITLE = "The ReLU activation function"


def _video(item: Published) -> dict:
    info = item.info
    return {
        "files": item.files,
        "duration": round(info["duration"], 3),
        "width": info["width"],
        "height": info["height"],
        "fps": round(info["fps"], 3),
        "codec": info["codec"],
        "pixel_format": info["pixel_format"],
    }


def _beat(beat: dict) -> dict:
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in beat.items()}


def _speaker(settings: RenderSettings) -> dict:
    """Who speaks: the synthesized voice (also the fallback for missing recordings), and where
    recordings come from."""
    voice = synthesized_voice(settings.voice, settings.voice_command)
    found = {"synthesized": voice.identity} if settings.voice != "none" else {}
    if settings.voice == "recorded":
        found["recordings"] = str(settings.recordings)
    return found


def build_manifest(
    settings: RenderSettings,
    weights: Weights,
    clips: list[Published],
    film: Published | None,
    title_cards: list[dict] | None = None,
) -> dict:
    quality = settings.resolution
    manifest = {
        "title": TITLE,
        "render": {
            "weights": {"name": weights.name, "file": str(weights.path), "sha256": weights.digest},
            "quality": quality.name,
            "width": quality.width,
            "height": quality.height,
            "fps": quality.fps,
            "theme": settings.theme,
            "formats": ["mp4", *settings.formats, *(["alpha_webm"] if settings.transparent else [])],
            "voice": {"choice": settings.voice, **_speaker(settings)},
            "versions": {"reluviz": reluviz.__version__, "manim": version("manim")},
        },
        "clips": [
            {
                "stage": item.stage.number,
                "name": item.stage.name,
                "part": item.stage.part,
                "title": item.stage.title,
                "summary": item.stage.summary,
                **_video(item),
                "captions": item.captions,
                "beats": [_beat(b) for b in item.beats],
            }
            for item in clips
        ],
    }
    if title_cards:
        manifest["title_cards"] = [{**card, "beats": [_beat(b) for b in card["beats"]]} for card in title_cards]
    if film is not None:
        manifest["film"] = {
            "title": TITLE,
            **_video(film),
            "chapters": [
                {"title": c["title"], "start": round(c["start"], 3), "end": round(c["end"], 3)}
                for c in film.info["chapters"]
            ],
        }
    return manifest
