"""Captions as subtitle cues: at most two lines of at most 42 characters, read at no more
than 20 characters a second.

A caption longer than one cue is split where a reader would pause: after a sentence, then
after a colon or comma, then before a conjunction; never inside brackets or next to an
operator ("max(0, x)", "x > 0", "- 0.85") if any other place will do. Lines of a cue are
balanced, and the cues share the caption's time in proportion to their length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from reluviz.scenes.framework.narrator import READING_CHARACTERS_PER_SECOND

MAX_LINE = 42
MAX_LINES = 2
MAX_CHARS_PER_SECOND = READING_CHARACTERS_PER_SECOND  # the pace scenes hold beats to

#: What a break costs, by where it falls (lower is more natural).
AFTER_SENTENCE = 0
AFTER_CLAUSE = 2  # ; or :
AFTER_COMMA = 4
BEFORE_CONJUNCTION = 6
BEFORE_PREPOSITION = 8
BEFORE_DETERMINER = 9
ANYWHERE = 14
BEFORE_NUMBER = 15
AFTER_SHORT_WORD = 30  # "the", "of", "and" left dangling at a line's end
SENTENCE_STUB = 20  # a line or cue that ends with the first words of a new sentence
IN_FORMULA = 80  # inside brackets, or beside an operator
EACH_CUE = 12
BETWEEN_CUES = 1.5  # a break between cues costs this many times a break between lines
SHORT_CUE = 30  # a cue shorter than this many characters pays the difference
IMBALANCE = 0.25  # per character of difference between a cue's two lines

CONJUNCTIONS = {"and", "or", "but", "so", "then", "which", "where", "while", "because", "when", "until", "whereas"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "every", "each", "its", "their", "all", "no"}
PREPOSITIONS = {"of", "to", "from", "in", "at", "on", "with", "for", "by", "into", "through", "between", "along"}
DANGLING = DETERMINERS | CONJUNCTIONS | {"of", "to", "from", "in", "at", "on", "with", "for", "by", "is", "are", "be"}
OPERATOR = re.compile(r"^(?:[-+*/=<>^×≤≥≠−]+|x|[<>!=]=)$")
NUMBER = re.compile(r"^[-+−]?\(?\d")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str  # one line, or two joined by "\n"


def reading_seconds(text: str) -> float:
    """The least time ``text`` may stay on screen: its length at 20 characters a second."""
    return len(text) / MAX_CHARS_PER_SECOND


def _words(text: str) -> list[str]:
    """The caption's words; any single word longer than a line is cut into line-sized pieces."""
    words = []
    for word in text.split():
        while len(word) > MAX_LINE:
            words.append(word[:MAX_LINE])
            word = word[MAX_LINE:]
        words.append(word)
    return words


def _gap_costs(words: list[str]) -> list[float]:
    """costs[i]: breaking between words[i - 1] and words[i] (i in 1..len - 1; 0 and len unused)."""
    costs = [0.0] * (len(words) + 1)
    depth = 0
    for i in range(1, len(words)):
        before, after = words[i - 1], words[i]
        depth = max(0, depth + before.count("(") + before.count("[") - before.count(")") - before.count("]"))
        if depth > 0 or OPERATOR.match(before) or OPERATOR.match(after):
            cost = IN_FORMULA
        elif before.endswith((".", "!", "?")):
            cost = AFTER_SENTENCE
        elif before.endswith((":", ";")):
            cost = AFTER_CLAUSE
        elif before.endswith(","):
            cost = AFTER_COMMA
        elif before.lower() in DANGLING:
            cost = AFTER_SHORT_WORD
        elif after.lower() in CONJUNCTIONS:
            cost = BEFORE_CONJUNCTION
        elif after.lower() in PREPOSITIONS:
            cost = BEFORE_PREPOSITION
        elif after.lower() in DETERMINERS:
            cost = BEFORE_DETERMINER
        elif NUMBER.match(after):
            cost = BEFORE_NUMBER
        else:
            cost = ANYWHERE
        if cost != AFTER_SENTENCE and any(w.endswith((".", "!", "?")) for w in words[max(0, i - 3) : i - 1]):
            cost += SENTENCE_STUB  # "... is 17. Doing | this": the new sentence's start left behind
        costs[i] = cost
    return costs


def split_cues(text: str, start: float, end: float) -> list[Cue]:
    """``text`` shown from ``start`` to ``end`` (seconds) as cues of at most two lines of at
    most 42 characters, timed in proportion to their length.

    If ``end - start >= reading_seconds(text)`` no cue is read faster than 20 characters a second.
    """
    words = _words(text)
    if not words:
        return []
    costs = _gap_costs(words)
    n = len(words)

    def line(i: int, j: int) -> str:
        return " ".join(words[i:j])

    @cache
    def layout(i: int, j: int) -> tuple[float, str] | None:
        """The best way to show words[i:j] as one cue: (cost, text), or None if it cannot fit."""
        whole = line(i, j)
        if len(whole) <= MAX_LINE:
            return 0.0, whole
        best = None
        for k in range(i + 1, j):
            top, bottom = line(i, k), line(k, j)
            if len(top) > MAX_LINE or len(bottom) > MAX_LINE:
                continue
            cost = costs[k] + IMBALANCE * abs(len(top) - len(bottom))
            if best is None or cost < best[0]:
                best = (cost, f"{top}\n{bottom}")
        return best

    # best[j]: (cost, cue texts) for words[:j]; each cue adds its layout, its break and its size.
    best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            if len(line(i, j)) > MAX_LINE * MAX_LINES + 1:
                break
            if best[i] is None or (fit := layout(i, j)) is None:
                continue
            size = len(line(i, j))
            cost = best[i][0] + fit[0] + EACH_CUE + BETWEEN_CUES * costs[i] + max(0, SHORT_CUE - size)
            if best[j] is None or cost < best[j][0]:
                best[j] = (cost, [*best[i][1], fit[1]])
    texts = best[n][1]
    lengths = [len(t) for t in texts]  # the "\n" stands for the space it replaced
    total = sum(lengths)
    cues, at = [], 0
    for cue_text, length in zip(texts, lengths):
        cue_start = start + (end - start) * at / total
        at += length
        cue_end = end if at == total else start + (end - start) * at / total
        cues.append(Cue(cue_start, cue_end, cue_text))
    return cues
