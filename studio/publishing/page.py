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
from reluviz.words.kit import KitWords
from reluviz.words.labels import place_key
from reluviz.words.nodes import LESSON_NODES, caption_places
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


def node_name(unit_name: str, kit: KitWords) -> str:
    """A hidden node's name on the page ("top node", "node 3": reluviz.words.nodes.unit_names), in the kit's words."""
    if unit_name in LESSON_NODES:
        return kit(f"node_{unit_name}")
    return kit("node_numbered", number=unit_name.split()[-1])


def plain_headings(weights: Weights, kit: KitWords) -> dict[str, str]:
    """The stage table's columns in story order, headed in the clips' words ("top node in", "blue
    path, scaled"): the terminal table keeps its short headings; a page is printed and read in a
    lecture hall."""
    headings = {"dosage": kit("heading_dosage")}
    for name in weights.network.unit_names():
        prefix = column_prefix(name)
        node = node_name(name, kit)
        path = kit(f"path_{name}") if name in LESSON_NODES else node  # the lesson's paths by their colours
        headings |= {
            f"{prefix}_pre_activation": kit("heading_node_in", node=node),
            f"{prefix}_activation": kit("heading_node_out", node=node),
            f"{prefix}_scaled": kit("heading_scaled", path=path),
        }
    count = len(weights.network.hidden)
    if count == 2:
        summed = kit("heading_two_paths")
    else:
        summed = kit("heading_paths", count=count) if count > 1 else kit("heading_one_path")
    return headings | {"summed": summed, "biased": kit("heading_biased"), "output": kit("heading_output")}


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


def _track(folder: Path, vtt: str, kit: KitWords) -> str:
    data = base64.b64encode((folder / vtt).read_bytes()).decode("ascii")
    return (
        f'<track kind="captions" srclang="{kit.language}" label="{escape(kit.language_name)}" default '
        f'src="data:text/vtt;base64,{data}">'
    )


def _video(folder: Path, item: dict, element_id: str, kit: KitWords) -> str:
    files = item["files"]
    sources = f'<source src="{escape(files["video"])}" type="video/mp4">'
    if "webm" in files:
        sources += f'<source src="{escape(files["webm"])}" type="video/webm">'
    return (
        f'<video id="{element_id}" controls preload="metadata" playsinline poster="{escape(files["poster"])}" '
        f'width="{item["width"]}" height="{item["height"]}" data-duration="{item["duration"]}">'
        f"{sources}{_track(folder, files['vtt'], kit)}</video>"
    )


#: The kinds of file a clip offers for download, in the order the page links them.
DOWNLOADS = ("video", "webm", "gif", "alpha_webm", "srt", "vtt", "poster")


def _downloads(item: dict, kit: KitWords) -> str:
    links = [
        f'<a href="{escape(item["files"][kind])}" download>{kit.html(f"download_{kind}")}</a>'
        for kind in DOWNLOADS
        if kind in item["files"]
    ]
    return f'<div class="downloads">{"".join(links)}</div>'


def _table(weights: Weights, kit: KitWords) -> str:
    table = stage_table(weights, default_dosages(weights))
    headings = plain_headings(weights, kit)
    head = "".join(f"<th>{escape(h)}</th>" for h in headings.values())
    rows = "".join(
        "<tr>" + "".join(f"<td>{shown(row[name])}</td>" for name in headings) + "</tr>" for row in table["rows"]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _weights_file(file: dict, network, kit: KitWords) -> str:
    """Which weights file a network is from, and its activations."""
    return kit.html(
        "page_weights_file",
        file=f"<code>{escape(file['file'])}</code>",
        sha256=f"<code>{file['sha256'][:16]}</code>&hellip;",
        hidden=escape(network.hidden_activation.named(kit.label)),
        output=escape(network.output_activation.named(kit.label)),
    )


def _numbers(weights: Weights, file: dict, kit: KitWords) -> str:
    """Parts I and II's network: every number, and the values at a few dosages."""
    network = weights.network
    dosage = escape(kit("heading_dosage"))
    nodes = "; ".join(
        kit.html(
            "page_node",
            node=escape(node_name(name, kit)),
            input=f"{dosage} &times; {shown(unit.weight)} {term(unit.bias)}",
            output_weight=shown(unit.output_weight),
        )
        for name, unit in zip(network.unit_names(), network.hidden)
    )
    said = kit.html(
        "page_network", weights_file=_weights_file(file, network, kit), nodes=nodes, bias=shown(network.output_bias)
    )
    return f"<h2>{kit.html('page_numbers')}</h2><p>{said}</p>{_table(weights, kit)}"


def _input_plane(unit) -> Plane:
    """A unit's input w1 x1 + w2 x2 + b, written as regions write planes."""
    return Plane(*(exact(w) for w in unit.weight), exact(unit.bias))


def _written(plane: Plane, names: tuple[str, str]) -> str:
    """A plane as the page writes numbers: with true minus signs."""
    return plane.text(names).replace("-", MINUS)


def _regions(plane: PlaneWeights, file: dict, kit: KitWords) -> str:
    """Part III's network: each unit's plane and the regions its creases cut, with the output's plane on each."""
    found = regions(plane)
    network, names = plane.network, tuple(given.name for given in plane.inputs)
    places = [kit.label(place_key(p)) for p in caption_places(len(network.hidden))]  # as Part III's captions call them
    units = "; ".join(
        kit.html(
            "page_unit",
            place=escape(place),
            plane=escape(_written(_input_plane(unit), names)),
            output_weight=shown(unit.output_weight),
        )
        for place, unit in zip(places, network.hidden)
    )
    rows = "".join(
        f"<tr><td>{number}</td><td>{escape(', '.join(p for p, on in zip(places, r.pattern) if on) or kit('no_units'))}"
        f"</td><td>{escape(_written(r.plane, names))}</td><td>{float(r.area):.3g}</td></tr>"
        for number, r in enumerate(found.regions, start=1)
    )
    said = kit.html(
        "page_plane",
        weights_file=_weights_file(file, network, kit),
        units=units,
        bias=shown(network.output_bias),
        count=found.count,
        unit_count=len(network.hidden),
        largest=found.largest,
    )
    head = "".join(f"<th>{kit.html(key)}</th>" for key in ("region", "units_on", "plane", "area"))
    return (
        f"<h2>{kit.html('page_regions')}</h2><p>{said}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def build_page(manifest: dict, story: Story, folder: Path) -> str:
    render = manifest["render"]
    kit = KitWords.from_dict(manifest.get("kit_words"))
    parts = []
    if "film" in manifest:
        film = manifest["film"]
        chapters = "".join(
            f'<li><button data-start="{c["start"]}"><span class="time">{_clock(c["start"])}</span>'
            f"{escape(c['title'])}</button></li>"
            for c in film["chapters"]
        )
        parts.append(
            f'<h2>{kit.html("page_film")}</h2><div class="film"><div>{_video(folder, film, "film", kit)}'
            f'{_downloads(film, kit)}</div><ol class="chapters">{chapters}</ol></div>'
        )
    clips = []
    for clip in manifest["clips"]:
        clips.append(
            f'<section class="clip" id="{escape(clip["name"])}"><h3>{clip["stage"]}. {escape(clip["title"])}</h3>'
            f'<p class="muted">{escape(clip["summary"])}</p>{_video(folder, clip, "clip-" + clip["name"], kit)}'
            f"{_downloads(clip, kit)}</section>"
        )
    parts.append(f'<h2>{kit.html("page_stages")}</h2><div class="clips">{"".join(clips)}</div>')
    if isinstance(story.weights, Weights):
        parts.append(_numbers(story.weights, render["weights"], kit))
    parts.append(_regions(story.plane, render["plane_weights"], kit))
    about = kit.html(
        "page_about",
        size=f"{render['width']}&times;{render['height']}",
        fps=render["fps"],
        theme=escape(render["theme"]),
        reluviz=escape(render["versions"]["reluviz"]),
        manim=escape(render["versions"]["manim"]),
    )
    return (
        f'<!doctype html>\n<html lang="{kit.language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,">'
        f"<title>{escape(manifest['title'])}</title><style>{STYLE}</style></head>\n<body><main>"
        f"<h1>{escape(manifest['title'])}</h1>"
        f'<p class="lead">{kit.html("page_lead", count=len(manifest["clips"]), about=about)}</p>'
        f'<p><a class="present" href="present.html">{kit.html("page_present")}</a> '
        f'<span class="muted">{kit.html("page_present_keys")}</span></p>'
        f"{''.join(parts)}</main><script>{SEEK}</script></body></html>\n"
    )
