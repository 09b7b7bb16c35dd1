"""Check a parsed TOML document against the keys and value kinds a file must have.

Every problem becomes one line: the dotted key, what was expected and what was found,
with the nearest valid name suggested for an unknown key (most are typos).
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reluviz.files.errors import InputFileError, open_input, os_error_problem, quoted
from reluviz.words.numbers import Written

#: A weights or lesson file is a few kilobytes; a file past this is not one, and is not read.
TOML_BYTES = 1_000_000
#: Largest magnitude any single number in a weights or lesson file may have. Past it a
#: number needs more than the six characters labels are laid out for; (reluviz.limits
#: separately checks that the values the network produces from them stay drawable).
VALUE_LIMIT = 1000.0


@dataclass(frozen=True)
class Field:
    """One key of a file: how to check its value, and whether it may be left out."""

    check: Callable[[Any], str | None]  # returns what was expected, or None when fine
    optional: bool = False


def as_path(text: str) -> Path | None:
    """``text`` as a path, if it is one: it has a slash or a .toml suffix or names something
    that exists; else None (a shipped file's name: a weights preset, a words file)."""
    candidate = Path(text).expanduser()
    try:
        exists = candidate.exists()
    except OSError:  # a name too long to look up: reading it reports why
        exists = True
    return candidate if candidate.suffix == ".toml" or "/" in text or exists else None


def describe(value: Any) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def number_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable number, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {describe(value)}"
    if not math.isfinite(value):
        return f"expected a finite number, got {value}"
    if abs(value) > VALUE_LIMIT:
        return (
            f"{value} is too large to draw: numbers must lie within +-{VALUE_LIMIT:g} "
            "(labels are laid out for six characters)"
        )
    return None


def number() -> Field:
    return Field(number_problem)


def number_list(length: int | None = None) -> Field:
    def check(value: Any) -> str | None:
        if not isinstance(value, list) or not value:
            return f"expected a list of numbers, got {describe(value)}"
        if length is not None and len(value) != length:
            return f"expected {length} numbers, got {len(value)}"
        for index, item in enumerate(value):
            problem = number_problem(item)
            if problem:
                return f"item {index + 1}: {problem}"
        return None

    return Field(check)


def number_matrix() -> Field:
    def check(value: Any) -> str | None:
        if not isinstance(value, list) or not value or not all(isinstance(row, list) for row in value):
            return f"expected a list of rows of numbers, got {describe(value)}"
        widths = {len(row) for row in value}
        if len(widths) != 1 or 0 in widths:
            return "expected rows of equal, non-zero length"
        for r, row in enumerate(value):
            for c, item in enumerate(row):
                problem = number_problem(item)
                if problem:
                    return f"row {r + 1}, column {c + 1}: {problem}"
        return None

    return Field(check)


def choice(options: list[str]) -> Field:
    def check(value: Any) -> str | None:
        if value in options:
            return None
        hint = difflib.get_close_matches(str(value), options, n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        return f"expected one of {', '.join(repr(o) for o in options)}, got {describe(value)}{suggestion}"

    return Field(check)


def text(optional: bool = False) -> Field:
    def check(value: Any) -> str | None:
        return None if isinstance(value, str) and value else f"expected a text in quotes, got {describe(value)}"

    return Field(check, optional=optional)


@dataclass(frozen=True)
class TableList:
    """A TOML array of tables ([[name]]), each checked against ``item``; problems inside
    one are named by its place, counting from 1: "hidden.nodes[2].bias"."""

    item: Schema
    fewest: int
    most: int
    why: str  # why the count is limited, said when it is outside fewest..most


Schema = dict[str, "Field | TableList | Schema"]


def _dotted_names(schema: Schema, prefix: str = "") -> list[str]:
    names = []
    for key, spec in schema.items():
        name = prefix + key
        names.append(name)
        if isinstance(spec, dict):
            names.extend(_dotted_names(spec, name + "."))
        elif isinstance(spec, TableList):
            names.extend(_dotted_names(spec.item, name + "."))
    return names


def problems(document: dict[str, Any], schema: Schema) -> list[str]:
    """Every way ``document`` departs from ``schema``, one line each."""
    all_names = _dotted_names(schema)
    found: list[str] = []

    def walk(doc: dict[str, Any], spec: Schema, prefix: str) -> None:
        for key in doc:
            name = prefix + key
            if key not in spec:
                nearest = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.5) or [
                    n for n in difflib.get_close_matches(name, all_names, n=1, cutoff=0.6)
                ]
                hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
                valid = ", ".join(spec) or "none"
                found.append(f"{name}: unknown key (valid keys here: {valid}){hint}")
        for key, sub in spec.items():
            name = prefix + key
            if key not in doc:
                if isinstance(sub, dict):
                    found.append(f"{name}: missing table [{name}]")
                elif isinstance(sub, TableList):
                    found.append(f"{name}: missing tables [[{name}]]")
                elif not sub.optional:
                    found.append(f"{name}: missing key")
                continue
            value = doc[key]
            if isinstance(sub, dict):
                if isinstance(value, dict):
                    walk(value, sub, name + ".")
                else:
                    found.append(f"{name}: expected a table [{name}], got {describe(value)}")
            elif isinstance(sub, TableList):
                if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                    found.append(f"{name}: expected tables [[{name}]], got {describe(value)}")
                    continue
                if not sub.fewest <= len(value) <= sub.most:
                    found.append(f"{name}: {len(value)} given; give {sub.fewest} to {sub.most} ({sub.why})")
                for index, item in enumerate(value):
                    walk(item, sub.item, f"{name}[{index + 1}].")
            else:
                problem = sub.check(value)
                if problem:
                    found.append(f"{name}: {problem}")

    walk(document, schema, "")
    return found


#: Where tomllib says a problem is: "... (at line 12, column 10)".
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)$")
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([^=#\[]+?)\s*=")


def _dotted(key_text: str) -> str:
    """``top . "weight"`` -> ``top.weight``: a TOML key as the dotted name messages use."""
    return ".".join(part.strip().strip("\"'") for part in key_text.split("."))


def _twice_problem(text: str, message: str) -> str | None:
    """tomllib's "Cannot overwrite a value (at line 12, column 10)" names no key: find the key
    on that line (under its table) and say it is defined twice. None when the line shows none."""
    position = _TOML_POSITION.search(message)
    if not position or not message.startswith(("Cannot overwrite", "Cannot declare")):
        return None
    number = int(position.group(1))
    lines = text.splitlines()
    if not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    header = _TABLE_HEADER.match(line)
    if header:
        name = _dotted(header.group(1))
        return f"{name}: defined twice (line {number}, the table [{name}]); keep one"
    key = _KEY.match(line)
    if not key:
        return None
    table = ""
    for above in reversed(lines[: number - 1]):
        enclosing = _TABLE_HEADER.match(above)
        if enclosing:
            table = _dotted(enclosing.group(1)) + "."
            break
    return f"{table}{_dotted(key.group(1))}: defined twice (line {number}); keep one"


def read_input(path: Path) -> bytes:
    """The bytes of a weights or lesson file the user named; any reason it cannot be read, or is
    too large to be one, is an InputFileError."""
    with open_input(path) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            # Not read when too large; one byte past the limit tells a file that grew since.
            contents = handle.read(TOML_BYTES + 1) if size <= TOML_BYTES else b""
        except OSError as error:
            raise InputFileError(path, [os_error_problem(error, path)]) from None
    size = max(size, len(contents))
    if size > TOML_BYTES:
        raise InputFileError(
            path,
            [f"is {size:,} bytes, too large for a weights or lesson file (a few kilobytes; at most {TOML_BYTES:,})"],
        )
    return contents


def read_toml(path: Path, contents: bytes | None = None) -> dict[str, Any]:
    """Parse ``path`` (or its ``contents``, already read) as TOML; an unreadable or malformed
    file is an InputFileError."""
    if contents is None:
        contents = read_input(path)
    try:
        text = contents.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputFileError(path, [f"not UTF-8 text ({error.reason})"]) from None
    try:
        return tomllib.loads(text, parse_float=Written.parse)
    except tomllib.TOMLDecodeError as error:
        problem = _twice_problem(text, str(error))
        raise InputFileError(path, [problem or f"malformed TOML: {error}"]) from None


def load_checked(path: Path, schema: Schema, contents: bytes | None = None) -> dict[str, Any]:
    """The TOML document at ``path``, after every key and value passed ``schema``."""
    document = read_toml(path, contents)
    found = problems(document, schema)
    if found:
        raise InputFileError(path, found)
    return document
