"""The kit's fixed words: what the lecture page (index.html), the presenter (present.html), the
deck, the batch page and the film's metadata say around the clips. Their one home, so a words file
(``[kit]``) can give every one of them in another language; the publishing modules ask for one by
its key (``KitWords``).

A word may have ``{placeholders}`` (a count, a file's name, a heading's node), filled by the
module that shows it. None of these words is drawn in a clip, so no clip's cache key covers them:
this module is imported by ``studio/publishing/`` only, never by what renders a clip.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from reluviz.words.labels import LABELS
from reluviz.words.spoken import DEFAULT_LANGUAGE
from reluviz.words.stages import STAGES
from reluviz.words.templates import fill

#: The words file's table of these words, beside ``[labels]``, and the comment above it there.
KIT_KEY = "kit"
KIT_COMMENT = "The words of the page, the presenter, the deck and the film around the clips; reluviz fills in {names}."

#: Each language a words file may be in (reluviz.words.spoken.LANGUAGES), by its own name: what the
#: page's caption tracks are labelled with.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def summary_key(stage: str) -> str:
    """The kit word of a stage's one-line summary ("summary_bias")."""
    return f"summary_{stage}"


#: key -> the words as the kit writes them in English.
KIT: dict[str, str] = {
    # the whole kit: the page's, the presenter's, the deck's and the film's title
    "title": "The ReLU activation function",
    # index.html
    "page_lead": "An animated lesson in {count} clips, with captions. {about}.",
    "page_about": "{size} at {fps} fps, {theme} theme; reluviz {reluviz}, manim {manim}",
    "page_present": "Present it one point at a time",
    "page_present_keys": "(arrow keys or a clicker; S opens the speaker view)",
    "page_film": "The whole film",
    "page_stages": "Stage by stage",
    "page_numbers": "The numbers",
    "page_regions": "The regions (Part III)",
    "page_weights_file": (
        "Weights file {file} (sha256 {sha256}): hidden activation {hidden}, output activation {output}"
    ),
    "page_network": "{weights_file}; {nodes}; output bias {bias}.",
    "page_node": "the {node} takes {input}, output weight {output_weight}",
    "page_plane": (
        "{weights_file}; {units}; output bias {bias}. The creases cut the inputs into {count} regions "
        "({unit_count} units can make at most {largest}); on each, before the output activation, the network "
        "is one plane."
    ),
    "page_unit": "the {place} unit takes {plane}, output weight {output_weight}",
    "region": "region",
    "units_on": "units on",
    "plane": "plane",
    "area": "area",
    "no_units": "none",
    # the hidden nodes on the page: the lesson's two by their places, their paths by their colours in
    # the clips; more by number (reluviz.words.nodes.unit_names)
    "node_top": "top node",
    "node_bottom": "bottom node",
    "node_numbered": "node {number}",
    "path_top": "blue path",
    "path_bottom": "orange path",
    # the page's stage table, headed in the clips' words
    "heading_dosage": "dosage",
    "heading_node_in": "{node} in",
    "heading_node_out": "{node} out",
    "heading_scaled": "{path}, scaled",
    "heading_one_path": "the path",
    "heading_two_paths": "sum of both paths",
    "heading_paths": "sum of the {count} paths",
    "heading_biased": "sum with the bias",
    "heading_output": "output",
    # the page's download links, by the kind of file
    "download_video": "MP4",
    "download_webm": "WebM",
    "download_gif": "GIF",
    "download_alpha_webm": "WebM with alpha",
    "download_srt": "captions (.srt)",
    "download_vtt": "captions (.vtt)",
    "download_poster": "poster",
    # present.html, and where a beat is (also on the deck's slides)
    "present_title": "{title}: presenting",
    "present_keys": "Right/Space: next point · Left: back · R: again · S: speaker view · F: full screen · C: captions",
    "present_on_screen": "on screen",
    "present_say_now": "say now",
    "present_next": "next",
    "present_elapsed": "elapsed",
    "present_missing": "{file} is missing or cannot be played",
    "present_no_stage": "no stage {stage}",
    "present_the_end": "(the end)",
    "where_stage": "Stage {stage}",
    "where_part": "Part {part}",
    "where_beat": "beat {beat}/{count}",
    # relu_lecture.pptx
    "deck_one_stage": "{count} animated stage",
    "deck_stages": "{count} animated stages",
    "deck_beats": '{stages} in {beats} beats, weights "{weights}"',
    "deck_clips": '{stages}, weights "{weights}"',
    "deck_beats_notes": (
        "Each following slide plays one beat as it is shown; click for the next. Its narration is in the notes."
    ),
    "deck_clips_notes": "Each following slide plays one stage as it is shown; its captions are in the notes.",
    "deck_stage_notes": "{stage}: {summary}",
    # each stage's one-line summary, on the page and the deck (the stages' own are reluviz.words.stages;
    # in English a stage words its summary for the network drawn, as "the bottom path" for two nodes)
    **{summary_key(s.name): s.summary for s in STAGES},
    # make batch's page (a batch takes no words file: it is in the default words)
    "batch_title": "Batch {name}",
    "batch_lead": (
        "{what}, side by side: each with its film (or its last clip's closing frame), its lecture page and its "
        "stage table."
    ),
    "batch_sweep": "a sweep of {key}",
    "batch_files": "{count} weights files",
    "batch_poster": "the last clip's closing frame",
    "batch_page": "lecture page",
    "batch_present": "present",
    "batch_clips": "{count} clips",
}


@dataclass(frozen=True)
class KitWords:
    """The kit's words for one render: ``changed`` (key -> template) where a words file gives other
    words than KIT's, and the ``language`` they are in."""

    changed: tuple[tuple[str, str], ...] = ()
    language: str = DEFAULT_LANGUAGE
    #: The clips' labels the words file changes (key -> template), for the page's names of what the
    #: clips show (a unit's place, an activation's name) to be the clips' own.
    labels: tuple[tuple[str, str], ...] = ()

    def template(self, key: str) -> str:
        return dict(self.changed).get(key, KIT[key])

    def given(self, key: str) -> str | None:
        """The words file's words under ``key``, None where it keeps the kit's own (for words whose
        English the caller words itself, as a stage's summary for the network it is drawn for)."""
        return dict(self.changed).get(key)

    def __call__(self, key: str, **values) -> str:
        """The words under ``key`` as text, their placeholders filled with ``values``."""
        return fill(self.template(key), {name: str(value) for name, value in values.items()})

    def label(self, key: str, **values) -> str:
        """The clips' label ``key`` (reluviz.words.labels) in these words, its placeholders filled."""
        return fill(dict(self.labels).get(key, LABELS[key]), {name: str(value) for name, value in values.items()})

    def html(self, key: str, **markup) -> str:
        """The words under ``key`` as HTML: their own text escaped, their placeholders filled with
        ``markup``, which is HTML already (a ``<code>`` element, an escaped name)."""
        return fill(escape(self.template(key), quote=False), {name: str(value) for name, value in markup.items()})

    @property
    def language_name(self) -> str:
        """The language in its own words ("Español"): a caption track's label."""
        return LANGUAGE_NAMES[self.language]

    def as_dict(self) -> dict:
        """For manifest.json, so a deck made later from the manifest says what the page says."""
        return {"language": self.language, "changed": dict(self.changed), "labels": dict(self.labels)}

    @classmethod
    def from_dict(cls, data: dict | None) -> KitWords:
        if data is None:  # a manifest written before the kit had words of its own
            return ENGLISH_KIT
        labels = tuple(sorted(data.get("labels", {}).items()))
        return cls(tuple(sorted(data["changed"].items())), data["language"], labels)


ENGLISH_KIT = KitWords()
