"""A words file: what every clip of a render says and shows, for a lecturer to edit without Python.

``make script`` writes one (``out/<weights>/words.toml``) from the clips' *catalogs*: each clip's
title and beats as its scene writes them, with the values of their placeholders for these
weights. ``make render WORDS=that.toml`` reads it back, checked against the same catalogs before
anything renders: a clip or beat these weights do not have, an unknown placeholder, a file made
for a network of another size are refused, one line each naming the file and the line.

    units = 2                       # the network it was written for
    plane_units = 3

    [definition]                    # a clip: a stage's name, or part_1 for Part I's title card
    title = "What ReLU does"

    [definition.probe]              # a beat of it
    # {x} = −0.85 | 1.3; {fate} = lands on 0 | passes unchanged; {y} = 0 | 1.3
    caption = "The input {x} {fate}: max(0, {x}) = {y}."
    spoken = "The input {x} {fate}: max(0, {x}) = {y}."

    [labels]                        # the words on screen besides captions and titles
    dosage = "dosage"
    node_output = "{node} output"   # a label's placeholders are its own (reluviz.words.labels)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reluviz.files.errors import InputFileError, quoted
from reluviz.files.paths import ASSETS
from reluviz.files.schema import as_path, read_input, read_toml
from reluviz.words.labels import LABELS
from reluviz.words.spoken import DEFAULT_LANGUAGE, LANGUAGES
from reluviz.words.templates import BeatWords, ClipWords, TemplateError, placeholders, unknown_problem

#: The header keys: the hidden units of the network each part is drawn for.
UNITS_KEY = "units"  # the one-input network (WEIGHTS), Parts II
PLANE_UNITS_KEY = "plane_units"  # Part III's two-input network
#: Their value in a file written for networks of every size: words for clips and beats these weights
#: do not have are passed over, not refused.
ANY_NETWORK = "any"
#: Informational header keys (the files the words were written for): not checked.
NAMES = ("weights", "plane_weights")
#: The header key saying what language the words are in (reluviz.words.spoken.LANGUAGES): the voice
#: says numbers and signs in it, and speaks it.
LANGUAGE_KEY = "language"
BEAT_KEYS = ("caption", "spoken")
TITLE_KEY = "title"
#: The table of on-screen labels (reluviz.words.labels), beside the clips' tables.
LABELS_KEY = "labels"
#: How many names a message lists before "and N more".
LISTED = 8
#: The words files reluviz ships, one per language: WORDS=es is ``assets/words/es.toml``.
SHIPPED = ASSETS / "words"


@dataclass(frozen=True)
class BeatCatalog:
    """A beat as its scene writes it, and its placeholders' values each time it is said."""

    words: BeatWords
    values: tuple[dict[str, str], ...]

    @property
    def names(self) -> list[str]:
        """The placeholders the beat offers (every time it is said)."""
        return list(dict.fromkeys(name for said in self.values for name in said))


@dataclass(frozen=True)
class ClipCatalog:
    """A clip's words as its scene writes them, for one network: its title and its beats."""

    key: str  # "definition", or "part_1" for a part's title card
    title: str
    beats: tuple[BeatCatalog, ...]
    labels: tuple[str, ...] = ()  # the keys of the on-screen labels it shows

    def beat(self, name: str) -> BeatCatalog | None:
        return next((b for b in self.beats if b.words.name == name), None)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "beats": [
                {"name": b.words.name, "caption": b.words.caption, "spoken": b.words.spoken, "values": list(b.values)}
                for b in self.beats
            ],
            "labels": list(self.labels),
        }

    @classmethod
    def from_dict(cls, data: dict) -> ClipCatalog:
        beats = tuple(
            BeatCatalog(BeatWords(b["name"], b["caption"], b["spoken"]), tuple(b["values"])) for b in data["beats"]
        )
        return cls(data["key"], data["title"], beats, tuple(data["labels"]))

    @classmethod
    def from_beats(
        cls, key: str, title: str, said: list[tuple[BeatWords, dict[str, str]]], labels: tuple[str, ...] = ()
    ) -> ClipCatalog:
        """From what a clip's beats said, in order: (the scene's words, the values) each time, and
        the labels it showed."""
        order: dict[str, BeatWords] = {}
        values: dict[str, list[dict[str, str]]] = {}
        for words, given in said:
            if order.setdefault(words.name, words) != words:
                raise ValueError(f"{key}: the beat {words.name!r} is written two ways; give each its own name")
            values.setdefault(words.name, []).append(dict(given))
        return cls(key, title, tuple(BeatCatalog(w, tuple(values[n])) for n, w in order.items()), tuple(sorted(labels)))


@dataclass(frozen=True)
class Wording:
    """What a words file changes: titles by clip, beats' words by clip and beat name, and labels
    by key (only what differs from the scenes' own words); ``labels_shown``: each clip's labels."""

    path: Path | None = None
    titles: dict[str, str] = field(default_factory=dict)
    beats: dict[str, dict[str, BeatWords]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    labels_shown: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    language: str = DEFAULT_LANGUAGE
    #: The other tables of fixed words the caller checked the file for (``[kit]``): table -> key -> words.
    tables: dict[str, dict[str, str]] = field(default_factory=dict)

    def title(self, clip: str) -> str | None:
        return self.titles.get(clip)

    def for_clip(self, clip: str, titles_shown: list[str] = ()) -> ClipWords:
        """The words the clip ``clip`` takes from the file: its beats' and the titles it shows
        (its own; a title card's also its part's stages')."""
        shown = [(name, self.titles[name]) for name in [clip, *titles_shown] if name in self.titles]
        labels = [(key, self.labels[key]) for key in self.labels_shown.get(clip, ()) if key in self.labels]
        return ClipWords(tuple(shown), tuple(sorted(self.beats.get(clip, {}).items())), tuple(labels), self.language)


NO_WORDING = Wording()


def _listed(names: list[str]) -> str:
    more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(names[:LISTED]) + more


def shipped_names() -> list[str]:
    """The words files shipped in ``assets/words`` (WORDS=<name>)."""
    return sorted(p.stem for p in SHIPPED.glob("*.toml"))


def resolve_words_path(name_or_path: str | Path) -> Path:
    """A shipped words file's name ("es") or a path to a TOML file -> the file's path, as a weights
    preset is resolved (reluviz.files.weights.resolve_weights_path): a name with a slash, a .toml
    suffix or that names an existing file is a path; any other is a shipped file's name, and an
    unknown one is an InputFileError listing the shipped ones."""
    text = str(name_or_path)
    path = as_path(text)
    if path is not None:
        return path
    shipped = SHIPPED / f"{text}.toml"
    if not shipped.is_file():
        names = ", ".join(shipped_names()) or "none"
        raise InputFileError(text, [f"no such words file; shipped: {names} (or give a path to a .toml file)"])
    return shipped


def words_language(path: Path) -> str:
    """The language a words file says its words are in, for choosing a voice before the file is
    checked: the default for a file that cannot be read (its check says why)."""
    try:
        language = read_toml(path, read_input(path)).get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    except InputFileError:
        return DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


# -- where each key is: TOML parsers give no positions, so the lines are read for them ----------

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"' .]+?)\s*=")


def _key_text(text: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in text.split("."))


def key_lines(text: str) -> dict[str, int]:
    """ "definition.probe.caption" (or a table's "definition.probe") -> its line number, from 1."""
    lines, table = {}, ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = _key_text(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            name = _key_text(key.group(1))
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


# -- reading ----------------------------------------------------------------------------------


def read_wording(
    path: Path | str,
    catalogs: dict[str, ClipCatalog] | Callable[[], dict[str, ClipCatalog]],
    units: dict[str, int],
    weights_named: dict[str, str],
    tables: dict[str, dict[str, str]] | None = None,
) -> tuple[Wording, list[str]]:
    """The words file at ``path`` checked against the networks' ``units`` (UNITS_KEY and/or
    PLANE_UNITS_KEY), then the clips' ``catalogs`` (or a function that makes them: called only for
    a file written for these networks); ``weights_named``: how a message names each network
    ("WEIGHTS=relu"); ``tables``: other tables of one-line words it may have, by name, each key's
    default words (checked as ``[labels]`` is). Returns what it changes and the beats it leaves
    out ("clip.beat"); any problem is an InputFileError, one line each."""
    path = Path(path)
    contents = read_input(path)
    document = read_toml(path, contents)
    lines = key_lines(contents.decode("utf-8"))

    def at(key: str) -> str:
        return f"line {lines[key]}: " if key in lines else ""

    problems: list[str] = []
    for key, count in units.items():
        given = document.get(key)
        if given == ANY_NETWORK:
            continue
        if given is None:
            problems.append(
                f"{key}: missing; a words file says the size of the network it was written for "
                f"({key} = {count} for {weights_named[key]}; make script writes one)"
            )
        elif not isinstance(given, int) or isinstance(given, bool):
            problems.append(
                f"{at(key)}{key} = {quoted(str(given))}: expected a whole number of hidden units "
                f'(or "{ANY_NETWORK}" for a file written for every network)'
            )
        elif given != count:
            problems.append(
                f"{at(key)}{key} = {given}: this words file was written for a network of {given} hidden units, "
                f"and {weights_named[key]} has {count}; make script writes one for it"
            )
    if problems:  # written for another network: whatever else it says is about that one
        raise InputFileError(path, problems)
    # A file for every network (the shipped ones) has words for clips and beats other weights have.
    for_any = all(document.get(key) == ANY_NETWORK for key in units)
    language = document.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    if language not in LANGUAGES:
        raise InputFileError(
            path,
            [
                f"{at(LANGUAGE_KEY)}{LANGUAGE_KEY} = {quoted(str(language))}: not a language reluviz speaks; "
                f"the languages are {', '.join(LANGUAGES)}"
            ],
        )
    if callable(catalogs):
        catalogs = catalogs()
    titles: dict[str, str] = {}
    beats: dict[str, dict[str, BeatWords]] = {}
    labels: dict[str, str] = {}
    changed_tables: dict[str, dict[str, str]] = {}
    for clip, table in document.items():
        if clip in units or clip in NAMES or clip == LANGUAGE_KEY:
            continue
        if clip == LABELS_KEY and isinstance(table, dict):
            labels = _fixed_words(LABELS_KEY, LABELS, table, at, problems, LABEL_LINES)
            continue
        if clip in (tables or {}) and isinstance(table, dict):
            changed_tables[clip] = _fixed_words(clip, tables[clip], table, at, problems)
            continue
        if clip in (UNITS_KEY, PLANE_UNITS_KEY):
            if table == ANY_NETWORK:
                continue
            problems.append(f"{at(clip)}{clip}: this render draws no such network; remove it")
            continue
        if not isinstance(table, dict):
            problems.append(f"{at(clip)}{clip}: unknown key; a clip's words are a table, [{clip}]")
            continue
        catalog = catalogs.get(clip)
        if catalog is None and for_any:
            continue
        if catalog is None:
            problems.append(
                f"{at(clip)}[{clip}]: no clip of this render is called {quoted(clip)}; "
                f"its clips are {_listed(list(catalogs))}"
            )
            continue
        for name, value in table.items():
            where = f"{clip}.{name}"
            if name == TITLE_KEY:
                problem = _text_problem(value)
                if problem:
                    problems.append(f"{at(where)}[{clip}] title: {problem}")
                elif value != catalog.title:
                    titles[clip] = value
                continue
            if not isinstance(value, dict):
                problems.append(f"{at(where)}{where}: unknown key; a clip has a title and its beats' tables")
                continue
            beat = catalog.beat(name)
            if beat is None and for_any:
                continue
            if beat is None:
                names = [b.words.name for b in catalog.beats]
                problems.append(
                    f"{at(where)}[{where}]: {clip} has no beat {quoted(name)} for these weights; "
                    f"its beats are {_listed(names)}"
                )
                continue
            changed = _beat_words(where, beat, value, at, problems)
            if changed is not None:
                beats.setdefault(clip, {})[name] = changed
    if problems:
        raise InputFileError(path, problems)
    missing = [
        f"{key}.{beat.words.name}"
        for key, catalog in catalogs.items()
        for beat in catalog.beats
        if not isinstance(document.get(key), dict) or beat.words.name not in document[key]
    ]
    shown = {key: catalog.labels for key, catalog in catalogs.items()}
    return Wording(path, titles, beats, labels, shown, language, changed_tables), missing


def _text_problem(value, lines: int = 1) -> str | None:
    if not isinstance(value, str):
        return f"expected text in quotes, got {quoted(str(value))}"
    if not value.strip():
        return "empty; leave the line out to keep the default words"
    if value.count("\n") >= lines:
        return "a line break; words are one line" if lines == 1 else f"more than {lines} lines"
    if any(not c.isprintable() for c in value.replace("\n", " ")):
        return "a control character; words are printable text"
    return None


def _template_problem(value, allowed: list[str], of: str, lines: int = 1) -> str | None:
    """What is wrong with ``value`` as a template that may use the placeholders ``allowed``
    (a ``of``'s: "beat", "label"), if anything."""
    problem = _text_problem(value, lines)
    if problem is not None:
        return problem
    try:
        unknown = [name for name in placeholders(value) if name not in allowed]
    except TemplateError as error:
        return str(error)
    return unknown_problem(unknown[0], allowed, of) if unknown else None


#: A label is drawn on at most this many lines (a line break, \n, starts the second).
LABEL_LINES = 2


def _fixed_words(name: str, defaults: dict[str, str], table: dict, at, problems: list[str], lines=1) -> dict[str, str]:
    """The words a table of fixed words (``[labels]``, ``[kit]``) changes (key -> template), its
    mistakes added to ``problems``; ``defaults``: its keys' own words, whose placeholders it may use."""
    changed = {}
    of = "label" if name == LABELS_KEY else f"[{name}] word"
    for key, value in table.items():
        where = f"{name}.{key}"
        default = defaults.get(key)
        if default is None:
            known = _listed(list(defaults))
            problems.append(f"{at(where)}[{name}] {key}: no {of} is called {quoted(key)}; the {of}s are {known}")
            continue
        problem = _template_problem(value, placeholders(default), of, lines)
        if problem:
            problems.append(f"{at(where)}[{name}] {key}: {problem}")
        elif value != default:
            changed[key] = value
    return changed


def _beat_words(where: str, beat: BeatCatalog, table: dict, at, problems: list[str]) -> BeatWords | None:
    """A beat's words from its table: None when they are the scene's own. A spoken template as
    written for the scene's caption follows a changed caption."""
    found = len(problems)
    given = {}
    for key, value in table.items():
        if key not in BEAT_KEYS:
            problems.append(f"{at(f'{where}.{key}')}[{where}] {key}: unknown key; a beat has caption and spoken")
            continue
        problem = _template_problem(value, beat.names, "beat")
        if problem:
            problems.append(f"{at(f'{where}.{key}')}[{where}] {key}: {problem}")
        given[key] = value
    if len(problems) > found:
        return None
    default = beat.words
    caption = given.get("caption", default.caption)
    spoken = given.get("spoken", default.spoken_template)
    spoken = default.spoken if spoken == default.spoken_template else spoken
    changed = BeatWords(default.name, caption, spoken)
    return None if changed == default else changed
