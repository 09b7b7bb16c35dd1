"""The narration script for the weights in use: what every beat of every clip says, and the
file a lecturer records it into (``make script``), as Markdown to read and JSON for tools."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from reluviz.files.weights import Weights, load_weights
from reluviz.model import Network
from reluviz.studio.media.narration import recording_name
from reluviz.studio.pipeline.cache import tex_folder
from reluviz.studio.publishing.outputs import write_text
from reluviz.studio.settings import RenderSettings
from reluviz.words.stages import PARTS, STAGES


def _clips(network: Network) -> list[tuple[str, str, int | None, str, dict]]:
    """(clip file stem, scene, stage number, title, scene arguments) in the film's order, the
    stages named for ``network``."""
    clips = []
    for part in PARTS.values():
        clips.append((part.card_stem, "title_card", None, part.title, {"part": part.number}))
        clips += [(s.file_stem, s.name, s.number, s.worded(network).title, {}) for s in STAGES if s.part == part.number]
    return clips


def _beats(scene: str, weights: Weights, settings: RenderSettings, scene_args: dict) -> list:
    """Construct the scene without drawing a frame, and keep what its beats say."""
    from manim import tempconfig

    from reluviz.scenes import scene_class
    from reluviz.scenes.framework.inputs import StoryInputs

    with (
        tempfile.TemporaryDirectory() as scratch,
        tempconfig(
            {
                "format": "none",
                "disable_caching": True,
                "progress_bar": "none",
                "verbosity": "ERROR",
                "media_dir": scratch,
                "tex_dir": str(tex_folder(settings.cache)),
                "text_dir": scratch,
            }
        ),
    ):
        built = scene_class(scene)(
            inputs=StoryInputs(weights=weights, theme=settings.theme), skip_animations=True, **scene_args
        )
        built.render()
    return built.beats


def _shown(path: Path) -> str:
    """A recording's path as a lecturer types it: relative to the folder the command runs in."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_script(settings: RenderSettings) -> tuple[Path, Path]:
    """``out/<weights>/script.md`` and ``script.json``; returns their paths."""
    weights = load_weights(settings.weights)
    entries = script_entries(settings, weights)
    folder = settings.out / weights.name
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / "script.json", json.dumps(entries, indent=2) + "\n")
    write_text(folder / "script.md", _markdown(entries, weights))
    return folder / "script.md", folder / "script.json"


def script_entries(settings: RenderSettings, weights: Weights) -> list[dict]:
    """Every beat of the film in order: clip, stage, title, beat, caption, spoken, file."""
    recordings = settings.recordings_dir(weights.name)
    entries = []
    for clip, scene, number, title, scene_args in _clips(weights.network):
        print(f"  {clip.replace('_', ' '):<22} reading its beats", flush=True)
        for index, beat in enumerate(_beats(scene, weights, settings, scene_args), start=1):
            entries.append(
                {
                    "clip": clip,
                    "stage": number,
                    "title": title,
                    "beat": index,
                    "caption": beat.caption,
                    "spoken": beat.spoken,
                    "file": _shown(recordings / recording_name(clip, index)),
                }
            )
    return entries


def _markdown(entries: list[dict], weights: Weights) -> str:
    lines = [
        f"# Narration script: {weights.name}",
        "",
        f"Weights `{weights.path}`. Record each line into the file named after it (WAV, FLAC or",
        "MP3; silence at either end is trimmed), then `make render VOICE=recorded`. Beats",
        "without a recording are spoken by the synthesized voice.",
    ]
    current = None
    for entry in entries:
        if entry["clip"] != current:
            current = entry["clip"]
            heading = entry["title"] if entry["stage"] is None else f"{entry['stage']}. {entry['title']}"
            lines += ["", f"## {heading}", ""]
        lines.append(f"{entry['beat']}. {entry['spoken']}  \n   `{entry['file']}` (caption: {entry['caption']})")
    return "\n".join(lines) + "\n"
