"""The narration script for the weights in use: what every beat of every clip says, and the
file a lecturer records it into (``make script``), as Markdown to read and JSON for tools; and
the words file (words.toml) a lecturer edits to change what is said and shown (WORDS=)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from reluviz.files.weights import Weights
from reluviz.model import PlaneWeights
from reluviz.scenes import TITLE_CARD
from reluviz.studio.media.narration import recording_name
from reluviz.studio.pipeline.catalog import built_scene, cached_catalog, catalog_key, catalog_of
from reluviz.studio.publishing.outputs import write_text
from reluviz.studio.publishing.story import Story, load_story
from reluviz.studio.settings import RenderSettings
from reluviz.words.kit import KIT, KIT_COMMENT, KIT_KEY
from reluviz.words.stages import PARTS, part_uses, stage
from reluviz.words.templates import NO_WORDS, ClipWords
from reluviz.words.words_document import words_document
from reluviz.words.words_file import PLANE_UNITS_KEY, UNITS_KEY, ClipCatalog, read_wording

#: The words file ``make script`` writes beside the script.
WORDS_FILE = "words.toml"


@dataclass(frozen=True)
class Clip:
    """A clip of the film, as the script and a words file name it."""

    key: str  # its name in a words file: the stage's, or part_N for a title card
    stem: str  # its file name without extension
    scene: str
    number: int | None  # the stage's, None for a title card
    title: str  # as the scene names it (a words file may give another)
    scene_args: dict
    uses: frozenset[str]
    weights: Weights | PlaneWeights


def _clips(story: Story) -> list[Clip]:
    """The film's clips in order, each stage named for the network it draws."""
    clips = []
    for part in story.parts:
        weights = story.weights_for(part=part.number)
        uses = part_uses(part.number)
        clips.append(Clip(part.key, part.card_stem, TITLE_CARD, None, part.title, {"part": part.number}, uses, weights))
        clips += [
            Clip(
                s.name,
                s.file_stem,
                s.name,
                s.number,
                s.worded(story.network_for(s)).title,
                {},
                s.uses,
                story.weights_for(s),
            )
            for s in story.stages
            if s.part == part.number
        ]
    return clips


def _words_of(story: Story, clip: Clip) -> ClipWords:
    if clip.number is None:
        return story.card_words(PARTS[clip.scene_args["part"]])
    return story.stage_words(stage(clip.scene))


def _built(clip: Clip, story: Story, settings: RenderSettings, words: ClipWords = NO_WORDS):
    return built_scene(clip.scene, story.inputs(settings.theme, words), clip.scene_args, settings.cache)


def _catalogs(settings: RenderSettings, story: Story, built: dict | None = None) -> dict[str, ClipCatalog]:
    """Every clip's words as its scene writes them: from the cache, else from ``built`` (clip key ->
    its scene, built without a words file's changes), else built here."""
    found, said = {}, []
    for clip in _clips(story):

        def make(clip=clip) -> ClipCatalog:
            if built is not None and clip.key in built:
                return catalog_of(clip.key, clip.title, built[clip.key])
            if not said and settings.words is not None:  # once, before the first clip read
                print(f"reluviz: reading each clip's beats to check {settings.words}", flush=True)
                said.append(settings.words)
            print(f"  {clip.stem.replace('_', ' '):<22} reading its beats", flush=True)
            return catalog_of(clip.key, clip.title, _built(clip, story, settings))

        key = catalog_key(clip.scene, clip.uses, clip.weights, clip.scene_args)
        found[clip.key] = cached_catalog(settings.cache, key, make)
    return found


def _header(story: Story) -> tuple[dict[str, int], dict[str, str], dict]:
    """The networks a words file is checked against: (units by header key, how each is named, the
    header a written file starts with)."""
    units, named, header = {}, {}, {"weights": story.weights.name}
    if isinstance(story.weights, Weights):
        units[UNITS_KEY] = len(story.weights.network.hidden)
        named[UNITS_KEY] = f"WEIGHTS={story.weights.name}"
        header["plane_weights"] = story.plane.name
    units[PLANE_UNITS_KEY] = len(story.plane.network.hidden)
    named[PLANE_UNITS_KEY] = f"{'PLANE_' if story.plane is not story.weights else ''}WEIGHTS={story.plane.name}"
    return units, named, header | units


def with_words(settings: RenderSettings, story: Story) -> Story:
    """``story`` with the words file WORDS names, checked against every clip's words before anything
    renders (an InputFileError names the file and line of each problem); a beat it leaves out keeps
    its scene's words, listed in one warning line."""
    if settings.words is None:
        return story
    units, named, _ = _header(story)
    wording, missing = read_wording(settings.words, lambda: _catalogs(settings, story), units, named, {KIT_KEY: KIT})
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        print(
            f"reluviz: warning: {settings.words} leaves out {len(missing)} beat(s), "
            f"which keep their own words: {shown}",
            flush=True,
        )
    return replace(story, wording=wording)


def _shown(path: Path) -> str:
    """A recording's path as a lecturer types it: relative to the folder the command runs in."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_script(settings: RenderSettings) -> tuple[Path, Path, Path | None]:
    """``out/<weights>/script.md``, ``script.json`` and ``words.toml`` (not over the WORDS file
    itself); returns their paths (None for a words file not written)."""
    story = with_words(settings, load_story(settings))
    weights = story.weights
    built: dict = {}
    entries = script_entries(settings, story, built)
    folder = settings.out / weights.name
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / "script.json", json.dumps(entries, indent=2) + "\n")
    write_text(folder / "script.md", _markdown(entries, weights))
    words = folder / WORDS_FILE
    if settings.words is not None and words.resolve() == settings.words.resolve():
        print(f"reluviz: {words} is the WORDS file in use: not written over", flush=True)
        words = None
    else:
        catalogs = _catalogs(settings, story, built)
        kit = {KIT_KEY: (KIT_COMMENT, KIT)}
        write_text(words, words_document(list(catalogs.values()), _header(story)[2], story.wording, kit))
    return folder / "script.md", folder / "script.json", words


def script_entries(settings: RenderSettings, story: Story, built: dict | None = None) -> list[dict]:
    """Every beat of the film in order: clip, stage, title, beat, caption, spoken, file. ``built``,
    if given, gets each clip's scene (clip key -> the scene built) as it played without a words file."""
    recordings = settings.recordings_dir(story.weights.name)
    entries = []
    for clip in _clips(story):
        print(f"  {clip.stem.replace('_', ' '):<22} reading its beats", flush=True)
        title = story.wording.title(clip.key) or clip.title
        words = _words_of(story, clip)
        scene = _built(clip, story, settings, words)
        beats = scene.beats
        if built is not None and not words:  # as its scene writes them: its catalog
            built[clip.key] = scene
        for index, beat in enumerate(beats, start=1):
            entries.append(
                {
                    "clip": clip.stem,
                    "stage": clip.number,
                    "title": title,
                    "beat": index,
                    "caption": beat.caption,
                    "spoken": beat.spoken,
                    "file": _shown(recordings / recording_name(clip.stem, index)),
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
