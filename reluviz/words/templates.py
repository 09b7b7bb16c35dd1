"""A beat's words as templates: text whose computed parts are ``{placeholders}``.

A scene writes each beat as a name, a caption template and the values of its placeholders,
already written the project's way (``shown``, ``precise``, a word chosen from the numbers):
``beat("bias_added", "The output node adds its bias, {bias}, to every point.", bias=num(b))``.
A words file (``words_file``) may give the beat other words; the values stay the scene's.
No manim here: the studio checks a words file against these without drawing anything.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from reluviz.words.spoken import DEFAULT_LANGUAGE

_FORMATTER = string.Formatter()


class TemplateError(ValueError):
    """A template that cannot be filled: one line saying why."""


def placeholders(template: str) -> list[str]:
    """The names of ``template``'s placeholders, in order, each once; a TemplateError says what
    is wrong with a template that is not one (an unmatched brace, ``{x:.2f}``, ``{}``)."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as error:  # "Single '}' encountered in format string"
        raise TemplateError(f"{error} (a brace that is text is written twice: {{{{ or }}}})") from None
    names: list[str] = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            raise TemplateError(f"{{{name}}} is not a placeholder: a name of letters, digits and _ goes in braces")
        if spec or conversion:
            raise TemplateError(f"{{{name}}}: a placeholder takes no format; its value is written already")
        if name not in names:
            names.append(name)
    return names


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with its placeholders replaced by ``values``; an unknown one is a TemplateError."""
    unknown = [name for name in placeholders(template) if name not in values]
    if unknown:
        raise TemplateError(unknown_problem(unknown[0], values))
    return "".join(text + (values[name] if name is not None else "") for text, name, _, _ in _FORMATTER.parse(template))


def unknown_problem(name: str, values: dict[str, str] | list[str], of: str = "beat") -> str:
    known = ", ".join(f"{{{v}}}" for v in values) or "none"
    return f"unknown placeholder {{{name}}}; this {of}'s placeholders are {known}"


@dataclass(frozen=True)
class BeatWords:
    """What a beat says, as its scene writes it: a name (unique in its clip), a caption template
    and a spoken one (None: the caption, its numbers and signs said in words)."""

    name: str
    caption: str
    spoken: str | None = None

    @property
    def spoken_template(self) -> str:
        return self.caption if self.spoken is None else self.spoken


@dataclass(frozen=True)
class ClipWords:
    """The words a words file changes in one clip, and only those: what travels to the worker
    that renders it and goes into the clip's cache key.

    ``titles``: (clip, title) for each title the clip shows that the file changes (a stage's own;
    a title card's part title and its part's stage titles); ``beats``: beat name -> new words;
    ``labels``: (label key, new template) for each on-screen label the clip shows that it changes;
    ``language``: what its captions are said in (reluviz.words.spoken.LANGUAGES), so a clip in one
    language never stands in for the same clip in another."""

    titles: tuple[tuple[str, str], ...] = ()
    beats: tuple[tuple[str, BeatWords], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    language: str = DEFAULT_LANGUAGE

    def title(self, clip: str) -> str | None:
        return dict(self.titles).get(clip)

    def beat(self, name: str) -> BeatWords | None:
        return dict(self.beats).get(name)

    def label(self, key: str) -> str | None:
        return dict(self.labels).get(key)

    def __bool__(self) -> bool:
        return bool(self.titles or self.beats or self.labels or self.language != DEFAULT_LANGUAGE)

    def as_key(self) -> dict:
        """For the clip's cache key: everything it changes, in a stable order (the language only
        when it is not the default, so English clips keep the keys they had)."""
        key = {
            "titles": sorted(self.titles),
            "beats": sorted((name, words.caption, words.spoken) for name, words in self.beats),
            "labels": sorted(self.labels),
        }
        return key if self.language == DEFAULT_LANGUAGE else key | {"language": self.language}


NO_WORDS = ClipWords()


def worded(default: BeatWords, changed: BeatWords | None, values: dict[str, str]) -> tuple[str, str]:
    """(caption, spoken template filled) for a beat: its scene's words, or a words file's. A
    spoken template left as it was follows the caption (the file changes what it gives)."""
    words = changed or default
    return fill(words.caption, values), fill(words.spoken_template, values)
