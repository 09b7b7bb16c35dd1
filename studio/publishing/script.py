"""The narration script for the weights in use: what every beat of every clip says, and the
file a lecturer records it into (``make script``), as Markdown to read and JSON for tools."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from reluviz.files.weights import Weights
from reluviz.model import PlaneWeights
from reluviz.studio.media.narration import recording_name
from reluviz.studio.pipeline.cache import tex_folder
from reluviz.studio.publishing.outputs import write_text
from reluviz.studio.publishing.story import Story, load_story
from reluviz.studio.settings import RenderSettings


def _clips(story: Story) -> list[tuple[str, str, int | None, str, dict]]:
    """(clip file stem, scene, stage number, title, scene arguments) in the film's order, each
    stage named for the network it draws."""
    clips = []
    for part in story.parts:
        clips.append((part.card_stem, "title_card", None, part.title, {"part": part.number}))
        clips += [
            (s.file_stem, s.name, s.number, s.worded(story.network_for(s)).title, {})
            for s in story.stages
            if s.part == part.number
        ]
    return clips


def _beats(scene: str, story: Story, settings: RenderSettings, scene_args: dict) -> list:
    """Construct the scene without drawing a frame, and keep what its beats say."""
    from manim import tempconfig

    from reluviz.scenes import scene_class

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
        built = scene_class(scene)(inputs=story.inputs(settings.theme), skip_animations=True, **scene_args)
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
    story = load_story(settings)
    weights = story.weights
    entries = script_entries(settings, story)
    folder = settings.out / weights.name
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / "script.json", json.dumps(entries, indent=2) + "\n")
    write_text(folder / "script.md", _markdown(entries, weights))
    return folder / "script.md", folder / "script.json"


def script_entries(settings: RenderSettings, story: Story) -> list[dict]:
    """Every beat of the film in order: clip, stage, title, beat, caption, spoken, file."""
    recordings = settings.recordings_dir(story.weights.name)
    entries = []
    for clip, scene, number, title, scene_args in _clips(story):
        print(f"  {clip.replace('_', ' '):<22} reading its beats", flush=True)
        for index, beat in enumerate(_beats(scene, story, settings, scene_args), start=1):
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


def _markdown(entries: list[dict], weights: Weights | PlaneWeights) -> str:
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
