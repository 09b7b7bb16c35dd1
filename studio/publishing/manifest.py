"""manifest.json: everything a script needs to build a course page from a render."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

import reluviz
from reluviz.model import PlaneWeights
from reluviz.studio.media.narration import synthesized_voice
from reluviz.studio.publishing.story import Story
from reluviz.studio.settings import RenderSettings
from reluviz.words.kit import summary_key
from reluviz.words.stages import Stage


@dataclass(frozen=True)
class Published:
    """A clip (or the film) as it now stands in the output folder."""

    stem: str
    stage: Stage | None  # None for the film
    files: dict[str, str]  # kind -> file name in the output folder
    info: dict  # ffprobe's view of the MP4: duration, size, frame rate, codec
    captions: list[str]  # the caption cues' texts, in order
    beats: list[dict]  # each point of the clip: start, end, caption (what the voice says with it)


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
    voice = synthesized_voice(settings.voice, settings.voice_command, unrecorded=settings.unrecorded_voice)
    found = {"synthesized": voice.identity} if settings.voice != "none" else {}
    if settings.voice == "recorded":
        found["recordings"] = str(settings.recordings)
    return found


def _file(weights) -> dict:
    return {"name": weights.name, "file": str(weights.path), "sha256": weights.digest}


def build_manifest(
    settings: RenderSettings,
    story: Story,
    clips: list[Published],
    film: Published | None,
    title_cards: list[dict] | None = None,
) -> dict:
    quality = settings.resolution
    kit = story.kit
    manifest = {
        "title": kit("title"),
        "render": {
            "weights": _file(story.weights),
            # Part III's two-input network: the weights file itself when it has two inputs
            "plane_weights": _file(story.plane),
            "inputs": 2 if isinstance(story.weights, PlaneWeights) else 1,
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
                "summary": kit.given(summary_key(item.stage.name)) or item.stage.summary,
                **_video(item),
                "captions": item.captions,
                "beats": [_beat(b) for b in item.beats],
            }
            for item in clips
        ],
    }
    # the words the page, the presenter and the deck say around the clips (a deck is made from this file)
    manifest["kit_words"] = kit.as_dict()
    if title_cards:
        manifest["title_cards"] = [{**card, "beats": [_beat(b) for b in card["beats"]]} for card in title_cards]
    if film is not None:
        manifest["film"] = {
            "title": kit("title"),
            **_video(film),
            "chapters": [
                {"title": c["title"], "start": round(c["start"], 3), "end": round(c["end"], 3)}
                for c in film.info["chapters"]
            ],
        }
    return manifest
