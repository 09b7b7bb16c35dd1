"""index.html: a self-contained lecture page for one render (no network, no CDN).

Caption tracks are embedded as data: URLs, because browsers refuse to load a .vtt file
beside a page opened as a file; the .vtt files are still written for other players.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from reluviz.files.weights import Weights
from reluviz.model import PlaneWeights
from reluviz.network import column_prefix
from reluviz.plane.regions import Plane, exact, regions
from reluviz.stage_table import default_dosages, stage_table
from reluviz.studio.publishing.palette import css_palette
from reluviz.studio.publishing.story import Story
from reluviz.words.nodes import LESSON_PATH_COLOURS, caption_places, node_label
from reluviz.words.numbers import MINUS, shown, term

STYLE = (
    css_palette()
    + """
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 2rem; }
h2 { margin: 40px 0 12px; border-bottom: 1px solid var(--rule); padding-bottom: 6px; }
h3 { margin: 0 0 4px; }
p.lead, .muted { color: var(--muted); }
video { width: 100%; height: auto; background: #000; border-radius: 6px; display: block; }
.film { display: grid; grid-template-columns: 3fr 1fr; gap: 16px; align-items: start; }
.chapters { list-style: none; margin: 0; padding: 0; }
.chapters button { all: unset; cursor: pointer; display: block; padding: 3px 6px; border-radius: 4px; }
.chapters button:hover, .chapters button:focus { background: var(--panel); outline: 1px solid var(--blue); }
.chapters .time { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 6px; }
.clips { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 20px; }
.clip { background: var(--panel); border-radius: 8px; padding: 12px; }
.clip .downloads a { color: var(--blue); margin-right: 10px; font-size: 0.9rem; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid var(--rule); }
th { color: var(--muted); font-weight: normal; }
code { color: var(--green); }
a.present { color: var(--blue); font-weight: 600; }
@media (max-width: 760px) { .film { grid-template-columns: 1fr; } }
"""
)

#: The stage table's columns in story order, headed in the words the clips use (the terminal
#: table keeps its short headings; a page is printed and read in a lecture hall).


def plain_headings(weights: Weights) -> dict[str, str]:
    """The stage table's columns headed in the clips' words ("top node in", "blue path, scaled")."""
    headings = {"dosage": "dosage"}
    for name in weights.network.unit_names():
        prefix = column_prefix(name)
        named = name in LESSON_PATH_COLOURS  # the lesson's two nodes: their paths by their colours
        node = node_label(name)
        path = f"{LESSON_PATH_COLOURS[name]} path" if named else name
        headings |= {
            f"{prefix}_pre_activation": f"{node} in",
            f"{prefix}_activation": f"{node} out",
            f"{prefix}_scaled": f"{path}, scaled",
        }
    count = len(weights.network.hidden)
    summed = "sum of both paths" if count == 2 else f"sum of the {count} paths" if count > 1 else "the path"
    return headings | {"summed": summed, "biased": "sum with the bias", "output": "output"}


SEEK = """
document.querySelectorAll('.chapters button').forEach(function (button) {
  button.addEventListener('click', function () {
    var film = document.getElementById('film');
    film.currentTime = parseFloat(button.dataset.start);
    film.play();
  });
});
"""


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def _track(folder: Path, vtt: str) -> str:
    data = base64.b64encode((folder / vtt).read_bytes()).decode("ascii")
    return f'<track kind="captions" srclang="en" label="English" default src="data:text/vtt;base64,{data}">'


def _video(folder: Path, item: dict, element_id: str) -> str:
    files = item["files"]
    sources = f'<source src="{escape(files["video"])}" type="video/mp4">'
    if "webm" in files:
        sources += f'<source src="{escape(files["webm"])}" type="video/webm">'
    return (
        f'<video id="{element_id}" controls preload="metadata" playsinline poster="{escape(files["poster"])}" '
        f'width="{item["width"]}" height="{item["height"]}" data-duration="{item["duration"]}">'
        f"{sources}{_track(folder, files['vtt'])}</video>"
    )


def _downloads(item: dict) -> str:
    labels = {
        "video": "MP4",
        "webm": "WebM",
        "gif": "GIF",
        "alpha_webm": "WebM with alpha",
        "srt": "captions (.srt)",
        "vtt": "captions (.vtt)",
        "poster": "poster",
    }
    links = [f'<a href="{escape(item["files"][k])}" download>{v}</a>' for k, v in labels.items() if k in item["files"]]
    return f'<div class="downloads">{"".join(links)}</div>'


def _table(weights: Weights) -> str:
    table = stage_table(weights, default_dosages(weights))
    headings = plain_headings(weights)
    head = "".join(f"<th>{escape(h)}</th>" for h in headings.values())
    rows = "".join(
        "<tr>" + "".join(f"<td>{shown(row[name])}</td>" for name in headings) + "</tr>" for row in table["rows"]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _numbers(weights: Weights, file: dict) -> str:
    """Parts I and II's network: every number, and the values at a few dosages."""
    network = weights.network
    nodes = "; ".join(
        f"the {name} node takes dosage &times; {shown(unit.weight)} {term(unit.bias)}, output weight "
        f"{shown(unit.output_weight)}"
        for name, unit in zip(network.unit_names(), network.hidden)
    )
    return (
        f"<h2>The numbers</h2><p>Weights file <code>{escape(file['file'])}</code> "
        f"(sha256 <code>{file['sha256'][:16]}</code>&hellip;): hidden activation "
        f"{escape(network.hidden_activation.display_name)}, output activation "
        f"{escape(network.output_activation.display_name)}; {nodes}; output bias "
        f"{shown(network.output_bias)}.</p>{_table(weights)}"
    )


def _input_plane(unit) -> Plane:
    """A unit's input w1 x1 + w2 x2 + b, written as regions write planes."""
    return Plane(*(exact(w) for w in unit.weight), exact(unit.bias))


def _written(plane: Plane, names: tuple[str, str]) -> str:
    """A plane as the page writes numbers: with true minus signs."""
    return plane.text(names).replace("-", MINUS)


def _regions(plane: PlaneWeights, file: dict) -> str:
    """Part III's network: each unit's plane and the regions its creases cut, with the output's plane on each."""
    found = regions(plane)
    network, names = plane.network, tuple(given.name for given in plane.inputs)
    places = caption_places(len(network.hidden))  # the units as Part III's captions call them
    units = "; ".join(
        f"the {place} unit takes {escape(_written(_input_plane(unit), names))}, output weight "
        f"{shown(unit.output_weight)}"
        for place, unit in zip(places, network.hidden)
    )
    rows = "".join(
        f"<tr><td>{number}</td><td>{escape(', '.join(p for p, on in zip(places, r.pattern) if on) or 'none')}</td>"
        f"<td>{escape(_written(r.plane, names))}</td><td>{float(r.area):.3g}</td></tr>"
        for number, r in enumerate(found.regions, start=1)
    )
    return (
        f"<h2>The regions (Part III)</h2><p>Weights file <code>{escape(file['file'])}</code> "
        f"(sha256 <code>{file['sha256'][:16]}</code>&hellip;): hidden activation "
        f"{escape(network.hidden_activation.display_name)}, output activation "
        f"{escape(network.output_activation.display_name)}; {units}; output bias {shown(network.output_bias)}. "
        f"The creases cut the inputs into {found.count} regions ({len(network.hidden)} units can make at most "
        f"{found.largest}); on each, before the output activation, the network is one plane.</p>"
        f"<table><thead><tr><th>region</th><th>units on</th><th>plane</th><th>area</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def build_page(manifest: dict, story: Story, folder: Path) -> str:
    render = manifest["render"]
    parts = []
    if "film" in manifest:
        film = manifest["film"]
        chapters = "".join(
            f'<li><button data-start="{c["start"]}"><span class="time">{_clock(c["start"])}</span>'
            f"{escape(c['title'])}</button></li>"
            for c in film["chapters"]
        )
        parts.append(
            f'<h2>The whole film</h2><div class="film"><div>{_video(folder, film, "film")}'
            f'{_downloads(film)}</div><ol class="chapters">{chapters}</ol></div>'
        )
    clips = []
    for clip in manifest["clips"]:
        clips.append(
            f'<section class="clip" id="{escape(clip["name"])}"><h3>{clip["stage"]}. {escape(clip["title"])}</h3>'
            f'<p class="muted">{escape(clip["summary"])}</p>{_video(folder, clip, "clip-" + clip["name"])}'
            f"{_downloads(clip)}</section>"
        )
    parts.append(f'<h2>Stage by stage</h2><div class="clips">{"".join(clips)}</div>')
    if isinstance(story.weights, Weights):
        parts.append(_numbers(story.weights, render["weights"]))
    parts.append(_regions(story.plane, render["plane_weights"]))
    about = (
        f"{render['width']}&times;{render['height']} at {render['fps']} fps, {escape(render['theme'])} theme; "
        f"reluviz {escape(render['versions']['reluviz'])}, manim {escape(render['versions']['manim'])}"
    )
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,">'
        f"<title>{escape(manifest['title'])}</title><style>{STYLE}</style></head>\n<body><main>"
        f'<h1>{escape(manifest["title"])}</h1><p class="lead">An animated lesson in {len(manifest["clips"])} '
        f"clips, with captions. {about}.</p>"
        f'<p><a class="present" href="present.html">Present it one point at a time</a> '
        f'<span class="muted">(arrow keys or a clicker; S opens the speaker view)</span></p>'
        f"{''.join(parts)}</main><script>{SEEK}</script></body></html>\n"
    )
