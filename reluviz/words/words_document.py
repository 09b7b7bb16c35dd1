"""Writing a words file (``make script``): every clip's title and beats, with a comment above each
beat naming the placeholders it may use and their values for these weights; read back by
``reluviz.words.words_file``."""

from __future__ import annotations

import tomlkit

from reluviz.words.labels import LABELS
from reluviz.words.words_file import (
    LABELS_KEY,
    LANGUAGE_KEY,
    NAMES,
    NO_WORDING,
    TITLE_KEY,
    BeatCatalog,
    ClipCatalog,
    Wording,
)

HEADER = """\
Words for reluviz: what every clip says and shows ({names}).
Edit a caption (what the viewer reads), a spoken line (what the voice says; its numbers and signs
are said in words, as a caption's are) or a title, then: make render WORDS=<this file>
Copy the file before editing it: make script writes it again.
{{name}} stands for a number or word reluviz computes for these weights, written as it shows them;
the comment above a beat lists the ones it may use, with their values here (a | between the values
of each time the beat is said). A spoken line left as written follows its caption. A beat left out
keeps its own words. units and plane_units say the network this file was written for ("any": every
network, its words for clips and beats these weights lack passed over); language what the words are
in (en, or es: numbers and signs are said in Spanish)."""


def _comment(beat: BeatCatalog) -> str | None:
    names = beat.names
    if not names:
        return None
    listed = []
    for name in names:
        values = list(dict.fromkeys(said.get(name, "") for said in beat.values))
        listed.append(f"{{{name}}} = {' | '.join(v if v else '(empty)' for v in values)}")
    times = f"said {len(beat.values)} times: " if len(beat.values) > 1 else ""
    return times + "; ".join(listed)


def words_document(catalogs: list[ClipCatalog], header: dict, wording: Wording = NO_WORDING, tables=None) -> str:
    """The words file for ``catalogs`` (in the film's order), with ``wording``'s changes in place of
    the scenes' words; ``header``: the weights' names and the networks' units; ``tables``: other
    tables of fixed words to write whole, by name: (a comment saying what they are, their defaults)."""
    document = tomlkit.document()
    names = ", ".join(f"{k} {v}" for k, v in header.items() if k in NAMES)
    for line in HEADER.format(names=names).splitlines():
        document.add(tomlkit.comment(line))
    for key, value in header.items():
        document.add(key, value)
    document.add(LANGUAGE_KEY, wording.language)
    shown = sorted({key for catalog in catalogs for key in catalog.labels}, key=list(LABELS).index)
    if shown:
        table = tomlkit.table()
        for key in shown:
            table.add(key, wording.labels.get(key, LABELS[key]))
        document.add(tomlkit.nl())
        document.add(
            tomlkit.comment(
                "The words on screen besides captions and titles, and the words reluviz puts into captions' "
                "{names} (counts, shapes, what a value does); \\n starts a second line."
            )
        )
        document.add(LABELS_KEY, table)
    for name, (comment, defaults) in (tables or {}).items():
        table = tomlkit.table()
        for key, default in defaults.items():
            table.add(key, wording.tables.get(name, {}).get(key, default))
        document.add(tomlkit.nl())
        document.add(tomlkit.comment(comment))
        document.add(name, table)
    for catalog in catalogs:
        table = tomlkit.table()
        table.add(TITLE_KEY, wording.title(catalog.key) or catalog.title)
        changed = wording.beats.get(catalog.key, {})
        for beat in catalog.beats:
            words = changed.get(beat.words.name, beat.words)
            said = tomlkit.table()
            comment = _comment(beat)
            if comment:
                said.add(tomlkit.comment(comment))
            said.add("caption", words.caption)
            said.add("spoken", words.spoken_template)
            table.add(beat.words.name, said)
        document.add(tomlkit.nl())
        document.add(catalog.key, table)
    return tomlkit.dumps(document)
