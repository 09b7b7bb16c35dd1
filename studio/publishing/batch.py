"""``make batch``: many weights files rendered at once, each into its own whole kit, with
one page showing them side by side.

The files are every ``.toml`` in a folder (``BATCH=dir/``), or a sweep of one file
(``SWEEP="output.bias=-20,-16,-12,-8"``): a copy of the weights file per value, with the
value written exactly as typed, named after it (``relu_output.bias=-20``). The key is a
dotted path into the TOML document: tables by name, arrays of tables by position
(``hidden.nodes.1.bias`` or ``hidden.nodes[1].bias`` is the ``bias`` of the second
``[[hidden.nodes]]``).

All clips of the batch go to the cluster together; a clip that does not depend on the
weights (Part I) has one key for every file, so it renders once; a title card depends only
on the stage titles it lists (the lesson's words for two hidden nodes, else any network's).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import tomllib
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from urllib.parse import quote

import tomlkit

from reluviz.files.errors import InputFileError
from reluviz.files.plane_weights import load_plane_weights
from reluviz.files.weights import Weights, load_weights, resolve_weights_path, safe_name
from reluviz.stage_table import default_dosages, stage_table
from reluviz.studio.pipeline.render import render_clips
from reluviz.studio.publishing.kit import check_recordings, plan_kit, publish_kit
from reluviz.studio.publishing.outputs import write_text
from reluviz.studio.publishing.palette import css_palette
from reluviz.studio.publishing.story import Story
from reluviz.studio.settings import RenderSettings
from reluviz.words.kit import ENGLISH_KIT, KitWords
from reluviz.words.numbers import format_number


@dataclass(frozen=True)
class Sweep:
    key: str  # as typed: "output.bias"
    path: tuple[str, ...]  # ("output", "bias")
    values: tuple[str, ...]  # as typed: ("-20", "-16")


def parse_sweep(text: str) -> Sweep:
    """``KEY=V1,V2,...`` -> a Sweep; a mistake is one line saying what was expected."""
    key, equals, listed = text.partition("=")
    key = key.strip()
    values = tuple(v.strip() for v in listed.split(","))
    example = "e.g. SWEEP=output.bias=-20,-16,-12"
    if not equals or not key:
        raise ValueError(f"SWEEP={text}: expected a key, =, and values separated by commas ({example})")
    if not all(values):
        raise ValueError(f"SWEEP={text}: an empty value; separate values by single commas ({example})")
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"SWEEP={text}: {', '.join(repeated)} given twice; each value makes one variant")
    # hidden.nodes[1].bias, as messages about a weights file name it, is hidden.nodes.1.bias
    path = tuple(part.strip() for part in re.sub(r"\[\s*(\d+)\s*\]", r".\1", key).split("."))
    if not all(path):
        raise ValueError(f"SWEEP={text}: the key {key!r} has an empty part; write it like output.bias")
    return Sweep(key, path, values)


def _value_at(document: dict, sweep: Sweep, where: str):
    """The value at the sweep's key in a parsed TOML document; an unknown key names the keys there."""
    node, walked = document, []
    for part in sweep.path:
        here = ".".join(walked) or "the file"
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ValueError(
                    f"SWEEP={sweep.key}: {where}: {here} is a list of {len(node)} tables; "
                    f"name one by its position, 0 to {len(node) - 1}"
                )
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                raise ValueError(f"SWEEP={sweep.key}: {where}: no key {part!r} in {here} (keys: {', '.join(node)})")
            node = node[part]
        else:
            raise ValueError(f"SWEEP={sweep.key}: {where}: {here} is a value, not a table")
        walked.append(part)
    if isinstance(node, dict | list):
        raise ValueError(f"SWEEP={sweep.key}: {where}: that is a table, not a value; name one of its keys")
    return node


def _typed(value: str, like, sweep: Sweep) -> str:
    """``value`` as TOML text: a number as typed (it must be one where the file has one), a word quoted."""
    if isinstance(like, str):
        return json.dumps(value)  # a TOML basic string
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = None
    if isinstance(like, bool) or not isinstance(parsed, int | float) or isinstance(parsed, bool):
        kind = "true or false" if isinstance(like, bool) else "a number"
        raise ValueError(f"SWEEP={sweep.key}={','.join(sweep.values)}: {value!r} is not {kind}, as that key needs")
    return value


def set_value(text: str, path: tuple[str, ...], value: str) -> str:
    """``text`` (a TOML document) with the value at ``path`` replaced by ``value`` (TOML text,
    kept as written), everything else (comments, spacing, the other numbers as written) left
    as it is; the value's own comment stays in its column where the new value leaves room."""
    document = tomlkit.parse(text)
    container = document
    for part in path[:-1]:
        container = container[int(part)] if isinstance(container, list) else container[part]
    old = container[path[-1]]
    new = tomlkit.parse(f"v = {value}")["v"]
    if old.trivia.comment:
        room = len(old.as_string()) + len(old.trivia.comment_ws) - len(new.as_string())
        new.trivia.comment_ws = " " * max(1, room)
        new.trivia.comment = old.trivia.comment
    container[path[-1]] = new
    return tomlkit.dumps(document)


def sweep_variants(base: Path, sweep: Sweep, folder: Path) -> list[Path]:
    """Write one weights file per value of the sweep into ``folder``; returns their paths."""
    weights = load_weights(base)
    text = base.read_text(encoding="utf-8")
    document = tomllib.loads(text)
    like = _value_at(document, sweep, base.name)
    data = document.get("dosage", {}).get("data")
    if data is not None and not Path(data).expanduser().is_absolute():
        # the copies live elsewhere: they name the data file by where it is
        text = set_value(text, ("dosage", "data"), json.dumps(str(weights.data_path)))
    made = []
    for value in sweep.values:
        changed = set_value(text, sweep.path, _typed(value, like, sweep))
        path = folder / f"{safe_name(f'{weights.name}_{sweep.key}={value}')}.toml"
        path.write_text(changed, encoding="utf-8")
        made.append(path)
    return made


def folder_files(folder: str) -> list[Path]:
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ValueError(f"BATCH={folder}: no such folder")
    found = sorted(p for p in path.glob("*.toml") if p.is_file())
    if not found:
        raise ValueError(f"BATCH={folder}: no weights files (*.toml) in this folder")
    return found


def _load_all(files: list[Path], sweep: Sweep | None) -> list[Weights]:
    """Every file checked before anything renders; a sweep's problem names its value."""
    loaded = []
    for path in files:
        try:
            loaded.append(load_weights(path))
        except InputFileError as error:
            if sweep is None:
                raise
            raise InputFileError(f"SWEEP={sweep.key}, {path.stem}", error.problems) from None
    names = [w.name for w in loaded]
    same = sorted({n for n in names if names.count(n) > 1})
    if same:
        raise ValueError(f"batch: two files give the output folder name {same[0]}; rename one")
    return loaded


def render_batch(settings: RenderSettings, folder: str = "", sweep_text: str = "") -> Path:
    """Render every weights file of the batch into its own kit, then the side-by-side page."""
    if bool(folder.strip()) == bool(sweep_text.strip()):
        raise ValueError("batch: give either BATCH=folder/ (its weights files) or SWEEP=key=v1,v2 (copies of WEIGHTS)")
    if settings.words is not None:  # a words file is written for one network's numbers
        raise ValueError("batch: WORDS is for one render (a words file lists one network's values); leave it out")
    sweep = parse_sweep(sweep_text) if sweep_text.strip() else None
    with tempfile.TemporaryDirectory(prefix="reluviz-sweep-") as staging:
        if sweep is not None:
            base = resolve_weights_path(settings.weights)
            name = safe_name(f"{load_weights(base).name}_{sweep.key}")
            files = sweep_variants(base, sweep, Path(staging))
        else:
            name = safe_name(Path(folder).expanduser().resolve().name)
            files = folder_files(folder)
        every = _load_all(files, sweep)
        page_folder = settings.out / f"batch-{name}"
        for weights in every:
            check_recordings(settings, weights)
        plane = load_plane_weights(settings.plane)  # every kit's Part III: one network for the batch
        plans = [plan_kit(replace(settings, weights=str(w.path)), Story(w, plane)) for w in every]
        owners: dict[str, set[str]] = {}
        for weights, plan in zip(every, plans):
            for job in plan.to_render:
                owners.setdefault(job.key, set()).add(weights.name)
        jobs = [
            replace(job, tag=weights.name) if len(owners[job.key]) == 1 < len(every) else job
            for weights, plan in zip(every, plans)
            for job in plan.to_render
        ]
        q = settings.resolution
        print(
            f"reluviz: batch {name}: {len(every)} weights files, {len(jobs)} clip(s) in their kits, {len(owners)} "
            f"distinct (one for all where the weights do not matter), {q.name} quality, {settings.theme} theme, "
            f"{settings.where} -> {page_folder}/",
            flush=True,
        )
        started = time.monotonic()
        render_clips(jobs, settings)
        if sweep is not None:  # the variants go beside the page, and the kits name them there
            (page_folder / "weights").mkdir(parents=True, exist_ok=True)
            for path in files:
                shutil.copyfile(path, page_folder / "weights" / path.name)
            every = [replace(w, path=page_folder / "weights" / w.path.name) for w in every]
    kits = [publish_kit(replace(settings, weights=str(w.path)), w, plan) for w, plan in zip(every, plans)]
    page_folder.mkdir(parents=True, exist_ok=True)
    labels = [f"{sweep.key} = {value}" for value in sweep.values] if sweep else [w.path.name for w in every]
    words = ENGLISH_KIT  # a batch takes no words file
    what = words("batch_sweep", key=sweep.key) if sweep is not None else words("batch_files", count=len(every))
    write_text(page_folder / "index.html", build_batch_page(name, what, every, labels, kits, page_folder, words))
    print(f"reluviz: batch done in {time.monotonic() - started:.1f} s; open {page_folder / 'index.html'}", flush=True)
    return page_folder


STYLE = (
    css_palette()
    + """
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, sans-serif; }
main { padding: 24px; }
.kits { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(280px, 1fr); gap: 16px; overflow-x: auto; }
.kit { background: var(--panel); border-radius: 8px; padding: 12px; }
.kit h2 { margin: 0 0 6px; font-size: 1.1rem; word-break: break-all; }
video, img { width: 100%; height: auto; background: #000; border-radius: 6px; display: block; }
a { color: var(--blue); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.85rem; margin-top: 8px; }
th, td { padding: 2px 8px; text-align: right; border-bottom: 1px solid var(--rule); }
th { color: var(--muted); font-weight: normal; }
tbody th { text-align: left; }
.muted { color: var(--muted); }
"""
)


def _stage_table(weights: Weights, kit: KitWords) -> str:
    """The stage table turned on its side (a row per stage, a column per dosage), narrow
    enough to read every value with the other kits beside it."""
    table = stage_table(weights, default_dosages(weights))
    rows, headings = table["rows"], table["headings"]
    stages = [name for name in headings if name != "dosage"]
    dosages = "".join(f"<th>{format_number(row['dosage'])}</th>" for row in rows)
    head = f"<th>{kit.html('heading_dosage')}</th>{dosages}"
    body = "".join(
        f"<tr><th>{escape(headings[name])}</th>"
        + "".join(f"<td>{format_number(row[name])}</td>" for row in rows)
        + "</tr>"
        for name in stages
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _link(kit: Path, page_folder: Path, name: str) -> str:
    """``kit/name`` relative to the batch page, as a URL (names like relu_output.bias=-20 stay readable)."""
    relative = Path("..") / kit.relative_to(page_folder.parent) / name
    return quote(relative.as_posix(), safe="/=")


def build_batch_page(
    name: str,
    what: str,
    every: list[Weights],
    labels: list[str],
    kits: list[Path],
    page_folder: Path,
    kit_words: KitWords = ENGLISH_KIT,
) -> str:
    """The batch's kits side by side, one column each: ``labels`` say what sets each apart."""
    title = kit_words.html("batch_title", name=escape(name))
    columns = []
    for weights, label, kit in zip(every, labels, kits):
        manifest = json.loads((kit / "manifest.json").read_text())
        if "film" in manifest:
            film = manifest["film"]["files"]
            shown = (
                f'<video controls preload="metadata" poster="{_link(kit, page_folder, film["poster"])}" '
                f'src="{_link(kit, page_folder, film["video"])}"></video>'
            )
        elif manifest["clips"]:
            poster = manifest["clips"][-1]["files"]["poster"]
            shown = f'<img alt="{escape(kit_words("batch_poster"))}" src="{_link(kit, page_folder, poster)}">'
        else:
            shown = ""
        columns.append(
            f'<section class="kit"><h2>{escape(weights.name)}</h2><p class="muted">{escape(label)}</p>{shown}'
            f'<p><a href="{_link(kit, page_folder, "index.html")}">{kit_words.html("batch_page")}</a> &middot; '
            f'<a href="{_link(kit, page_folder, "present.html")}">{kit_words.html("batch_present")}</a> &middot; '
            f"{kit_words.html('batch_clips', count=len(manifest['clips']))}</p>{_stage_table(weights, kit_words)}"
            "</section>"
        )
    return (
        f'<!doctype html>\n<html lang="{kit_words.language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>{title}</title><style>{STYLE}</style></head>\n<body><main>"
        f'<h1>{title}</h1><p class="muted">{kit_words.html("batch_lead", what=escape(what))}</p>'
        f'<div class="kits">{"".join(columns)}</div></main></body></html>\n'
    )
