"""What each clip says, as its scene writes it: the scene built without drawing a frame (manim's
skip_animations, no video), its beats kept. ``make script`` reads every clip so; a render with a
words file reads each clip's *catalog* (its beats' templates and values) to check the file before
anything renders, from the cache when nothing it depends on has changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from reluviz.files.weights import Weights
from reluviz.model import PlaneWeights
from reluviz.studio.pipeline.cache import tex_folder
from reluviz.studio.pipeline.fingerprint import clip_code
from reluviz.studio.pipeline.jobs import clip_inputs_fingerprint
from reluviz.words.words_file import ClipCatalog

#: Where catalogs are kept in the cache, by their key.
CATALOGS = "words"


def built_scene(scene: str, inputs, scene_args: dict, cache: Path):
    """``scene`` constructed for ``inputs`` without drawing a frame; its ``beats`` say what it said."""
    from manim import tempconfig

    from reluviz.scenes import scene_class
    from reluviz.scenes.framework.manim_internals import building_renderer
    from reluviz.scenes.framework.widgets import svgs_shared_through

    with (
        tempfile.TemporaryDirectory() as scratch,
        tempconfig(
            {
                "format": "none",
                "disable_caching": True,
                "progress_bar": "none",
                "verbosity": "ERROR",
                "media_dir": scratch,
                "tex_dir": str(Path(scratch) / "tex"),  # SVGs shared through the TeX folder
                "text_dir": scratch,
            }
        ),
        svgs_shared_through(tex_folder(cache)),
    ):
        built = scene_class(scene)(inputs=inputs, renderer=building_renderer(), skip_animations=True, **scene_args)
        built.render()
    return built


def catalog_of(key: str, title: str, scene) -> ClipCatalog:
    """A clip's catalog from a build of its scene (without a words file's changes): the beats it
    played and the labels it drew."""
    said = [(beat.words, beat.values) for beat in scene.beats]
    return ClipCatalog.from_beats(key, title, said, tuple(scene.labels_shown))


def catalog_key(scene: str, uses: frozenset[str], weights: Weights | PlaneWeights, scene_args: dict) -> str:
    """What a clip's words depend on: its scene's code, the inputs its stage reads, its arguments."""
    header = {"scene": scene, "code": clip_code(scene), "args": scene_args, **clip_inputs_fingerprint(uses, weights)}
    return hashlib.sha256(json.dumps(header, sort_keys=True, default=str).encode()).hexdigest()[:24]


def cached_catalog(cache: Path, key: str, make) -> ClipCatalog:
    """The catalog kept under ``key``, or ``make()``'s, kept for next time."""
    path = cache / CATALOGS / f"{key}.json"
    try:
        return ClipCatalog.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    catalog = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(catalog.as_dict(), ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)
    return catalog
