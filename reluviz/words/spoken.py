"""What a voice says for a caption: numbers, signs and formulas in words.

The caption is what the viewer reads ("max(0, -0.85) = 0"); ``spoken`` gives what a
speech synthesizer should say ("the larger of zero and minus zero point eight five
equals zero"). Numbers are read as written: the digits after the point one by one,
trailing zeros included ("2.70" -> "two point seven zero"). Pure text, no numpy.

A caption in Spanish (a words file's ``language = "es"``) is said in Spanish, by the same steps
with Spanish words (``reluviz.words.spanish``): "max(0, -16) = 0" -> "el mayor de cero y menos
dieciséis es igual a cero".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reluviz.words import spanish
from reluviz.words.numbers import ROMAN_NUMERALS

#: Each voice's pronunciation table: the names it would misread, and what it is given instead. Chosen
#: by what an offline recognizer (Whisper) hears (docs/narration.md): festival reads "ReLU" as "ri-loo"
#: and Piper as "ree-loo" (heard as "re-eu"), where "ray loo" gives both the usual "RAY-loo" ("ray-loo"
#: is heard from Piper as "Rayleigh"); both say "tanh" as "tan"; festival's "softplus" is heard as
#: "soft place" and Piper's, once in three, as "softness", where "soft plus" is heard every time.
PRONUNCIATIONS = {
    "festival": {"ReLU": "ray loo", "tanh": "tan h", "softplus": "soft plus"},
    "piper": {"ReLU": "ray loo", "tanh": "tan h", "softplus": "soft plus"},
}
#: The spoken form (the script, the manifest, what festival and a VOICE_COMMAND are given) says names
#: the default voice's way; ``said_by`` gives another voice its own.
DEFAULT_VOICE = "festival"
NAMES_SAID = PRONUNCIATIONS[DEFAULT_VOICE]
RELU_SAID = NAMES_SAID["ReLU"]

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen \
seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]
ROMAN = {numeral: number for number, numeral in enumerate(ROMAN_NUMERALS, start=1)}

#: Two-argument functions said as a phrase; any other ``name(args)`` is "name of args".
PHRASES = {"max": "the larger of {} and {}", "min": "the smaller of {} and {}"}

#: Operators, longest first so "<=" is not read as "<" then "=".
OPERATORS = [
    ("<=", "less than or equal to"),
    (">=", "greater than or equal to"),
    ("!=", "is not equal to"),
    ("==", "equals"),
    ("->", "to"),
    ("=", "equals"),
    ("<", "less than"),
    (">", "greater than"),
    ("+", "plus"),
    ("*", "times"),
    ("/", "over"),
    ("^", "to the power of"),
    ("%", "percent"),
    ("&", "and"),
    ("±", "plus or minus"),
    ("≈", "is about"),
]
UNICODE = {
    "−": "-",
    "–": "-",
    "×": " times ",
    "·": " times ",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "∞": " infinity ",
    "→": " to ",
    "²": " squared",
    "³": " cubed",
    "∂": "d",
    "\u00a0": " ",
}
ABBREVIATIONS = {"e.g.": "for example", "i.e.": "that is", "vs.": "versus", "etc.": "et cetera"}

NUMBER = r"(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_NUMBER = re.compile(NUMBER)
_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b")
_PERCENT = re.compile(rf"({NUMBER})\s*%")
_TIMES = re.compile(rf"(?<=\d)\s*[xX]\s*(?=[-+]?(?:{NUMBER}))")
_DERIVATIVE = re.compile(r"\bd([A-Za-z])\s*/\s*d([A-Za-z])\b")
_INNER_PARENS = re.compile(r"(\b[A-Za-z][A-Za-z0-9_]*)?\(([^()]*)\)")
_UNARY = re.compile(rf"(?<![\w.)])([-+])\s?(?={NUMBER})")
_LONE_MINUS = re.compile(r"(?<=\s)-(?=\s)")
_BINARY_MINUS = re.compile(r"(?<=[\w)])-(?=\d)")
_SYMBOL_A = re.compile(r"(?<![\w'])[Aa](?![\w'])(?=\s*(?:[=<>+*/^]|!=))|(?<=[=<>+*/^(] )[Aa](?![\w'])")
_PART = re.compile(r"\b(Part|Chapter|Section|Step)\s+(X|IX|IV|V?I{1,3}|V)\b")


def _letter(arg: str) -> str:
    """A lone variable letter: "A" is said as the letter, not the article."""
    return "ay" if arg in ("A", "a") else arg


@dataclass(frozen=True)
class Language:
    """The words ``spoken`` says a caption with, in one language."""

    code: str
    ones: list[str]
    number_words: Callable[[int], str]
    point: str
    minus: str
    plus: str
    times: str
    percent: str
    phrases: dict[str, str]
    of: str
    conjunction: str  # joins a function's arguments: "f of x and y"
    derivative: str
    operators: list[tuple[str, str]]
    unicode: dict[str, str]
    abbreviations: dict[str, str]
    part: re.Pattern
    ordinal: re.Pattern
    say_ordinal: Callable[[re.Match], str]
    names_said: dict[str, str]
    letter: Callable[[str], str]
    voice: str  # the VOICE a render in this language gets unless told: one that speaks it offline
    #: The "and" (a words file's) to write before ``word``: Spanish "y" is "e" before an i sound.
    conjunction_before: Callable[[str, str], str] = lambda conjunction, word: conjunction


def _english_ordinal(match: re.Match) -> str:
    return f" {ordinal_words(int(match.group(1)))} "


def _spanish_ordinal(match: re.Match) -> str:
    return f" {spanish.ordinal_words(int(match.group(1)), feminine=match.group(2) == 'ª')} "


def _say_number(language: Language) -> Callable[[str], str]:
    def say(text: str) -> str:
        return say_number(text, language)

    return say


def number_words(n: int) -> str:
    """A whole number >= 0 in words: 34 -> "thirty four", 3000 -> "three thousand"."""
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (f" {ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for size, name in SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            return f"{number_words(high)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def digits_words(digits: str, ones: list[str] = ONES) -> str:
    return " ".join(ones[int(d)] for d in digits)


def say_number(text: str, language: Language | None = None) -> str:
    """An unsigned number as written: "12.6" -> "twelve point six", "0.70" -> "zero point seven zero"
    (in Spanish "doce punto seis", "cero punto siete cero").

    Whole parts with a leading zero ("007") and very long ones are read digit by digit.
    """
    language = language or ENGLISH
    point = language.point
    whole, _, fraction = text.replace(",", "").partition(".")
    if not whole:
        words = point
    elif (len(whole) > 1 and whole.startswith("0")) or len(whole) > 15:
        words = digits_words(whole, language.ones)
    else:
        words = language.number_words(int(whole))
    if fraction:
        digits = digits_words(fraction, language.ones)
        words = f"{words} {point} {digits}" if whole else f"{point} {digits}"
    return words


def ordinal_words(n: int) -> str:
    words = number_words(n)
    head, _, last = words.rpartition(" ")
    special = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth"}
    special |= {"nine": "ninth", "twelve": "twelfth"}
    if last in special:
        last = special[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}".strip()


def _split_args(inside: str) -> list[str]:
    return [a.strip() for a in inside.split(",")]


def _is_prose(inside: str) -> bool:
    """Words in brackets, "(or 1)", rather than a formula, "(0 x 1.7)"."""
    return any(len(w) >= 2 for w in re.findall(r"[A-Za-z]+", inside))


def _parens(match: re.Match, language: Language) -> str:
    name, inside = match.group(1), match.group(2)
    if name:
        args = [language.letter(a) for a in _split_args(inside)]
        phrase = language.phrases.get(name.lower())
        if phrase and len(args) == 2:
            return phrase.format(*args)
        return f"{name} {language.of} {f' {language.conjunction} '.join(args)}"
    if _is_prose(inside):
        return f", {inside},"
    return f" {inside} "


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*([,.;:!?])", r"\1", text)  # ", ." from a bracket at a sentence end
    text = re.sub(r"([.;:!?])\s*,", r"\1", text)  # "., " from a bracket that ends a sentence
    text = re.sub(r"^\s*,\s*", "", text).strip()
    # Sentences start upper case (a lone variable letter, "x", stays as written).
    return re.sub(r"(^|[.!?] )([a-z])(?=[a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def spoken(caption: str, language: str = "en") -> str:
    """What a voice should say for ``caption``: every number, sign and formula in words, in
    ``language`` (a code of LANGUAGES)."""
    said = LANGUAGES[language]
    text = caption
    for symbol, words in (UNICODE | said.unicode).items():
        text = text.replace(symbol, words)
    for short, words in said.abbreviations.items():
        text = re.sub(rf"(?<!\w){re.escape(short)}", words, text)
    text = said.part.sub(lambda m: f"{m.group(1)} {said.number_words(ROMAN[m.group(2)])}", text)
    text = re.sub(r"\bReLU\b", "ReLU", text, flags=re.IGNORECASE)
    text = _DERIVATIVE.sub(lambda m: said.derivative.format(said.letter(m.group(1)), said.letter(m.group(2))), text)
    if said is ENGLISH:  # "A = ..." is the letter; Spanish says a lone "a" as the letter anyway
        text = _SYMBOL_A.sub("ay", text)
    while True:  # innermost brackets first, so max(0, min(1, x)) works inside out
        text, count = _INNER_PARENS.subn(lambda m: _parens(m, said), text)
        if not count:
            break
    text = _TIMES.sub(f" {said.times} ", text)
    text = text.replace("[", " ").replace("]", " ").replace("{", " ").replace("}", " ")
    text = _PERCENT.sub(lambda m: f"{m.group(1)} {said.percent}", text)
    text = said.ordinal.sub(said.say_ordinal, text)
    text = _UNARY.sub(lambda m: f" {said.minus} " if m.group(1) == "-" else f" {said.plus} ", text)
    text = _LONE_MINUS.sub(said.minus, text)
    text = _BINARY_MINUS.sub(f" {said.minus} ", text)
    for symbol, words in said.operators:
        text = text.replace(symbol, f" {words} ")
    text = _NUMBER.sub(lambda m: f" {say_number(m.group(0), said)} ", text)
    text = re.sub(r"\d", lambda m: f" {said.ones[int(m.group(0))]} ", text)  # any digit left: one by one
    text = said_as(text, said.names_said)
    text = re.sub(r"[|_#~`\\]", " ", text)
    return _tidy(text)


def _resay(text: str, words: str, said: str) -> str:
    """``text`` with ``words`` said as ``said``; a capital its table does not write (a sentence's
    first word) stays a capital: "Softplus of two" -> "Soft plus of two"."""
    first = words[0]
    pattern = rf"\b[{first.lower()}{first.upper()}]{re.escape(words[1:])}\b"

    def one(found: re.Match) -> str:
        raised = found.group(0)[0] != first and found.group(0)[0].isupper()
        return said[:1].upper() + said[1:] if raised else said

    return re.sub(pattern, one, text)


def said_as(text: str, names: dict[str, str] | None = None) -> str:
    """``text`` with every activation name a voice would misread replaced by how it is said
    (``names``: a language's table; the default voice's English one unless given)."""
    for name, said in (NAMES_SAID if names is None else names).items():
        text = _resay(text, name, said)
    return text


def said_by(voice: str, text: str) -> str:
    """The spoken form ``text`` as ``voice`` is given it: every name its own table says otherwise
    than the default voice's, said its way ("ray loo" may become another voice's "ree loo")."""
    own = PRONUNCIATIONS.get(voice, NAMES_SAID)
    for name, said in NAMES_SAID.items():
        if own.get(name, name) != said:
            text = _resay(text, said, own.get(name, name))
    for name, said in own.items():
        if name not in NAMES_SAID:
            text = _resay(text, name, said)
    return text


ENGLISH = Language(
    code="en",
    ones=ONES,
    number_words=number_words,
    point="point",
    minus="minus",
    plus="plus",
    times="times",
    percent="percent",
    phrases=PHRASES,
    of="of",
    conjunction="and",
    derivative="d {} by d {}",
    operators=OPERATORS,
    unicode={},
    abbreviations=ABBREVIATIONS,
    part=_PART,
    ordinal=_ORDINAL,
    say_ordinal=_english_ordinal,
    names_said=NAMES_SAID,
    letter=_letter,
    voice=DEFAULT_VOICE,
)
SPANISH = Language(
    code="es",
    ones=spanish.ONES,
    number_words=spanish.number_words,
    point=spanish.POINT,
    minus=spanish.MINUS,
    plus=spanish.PLUS,
    times=spanish.TIMES,
    percent=spanish.PERCENT,
    phrases=spanish.PHRASES,
    of=spanish.OF,
    conjunction=spanish.AND,
    derivative=spanish.DERIVATIVE,
    operators=spanish.OPERATORS,
    unicode=spanish.UNICODE,
    abbreviations=spanish.ABBREVIATIONS,
    part=re.compile(rf"\b({spanish.PART_WORDS})\s+(X|IX|IV|V?I{{1,3}}|V)\b"),
    ordinal=re.compile(r"\b(\d+)\.?([ºª])"),
    say_ordinal=_spanish_ordinal,
    names_said=spanish.NAMES_SAID,
    letter=lambda arg: arg,  # "a" is said as the letter already
    # No offline Spanish voice is installed here: festival's (festvox-ellpc11k) is not in Debian 12,
    # and the English voices would read Spanish with English sounds. So silent clips at the reading
    # pace, unless told VOICE=recorded or a VOICE_COMMAND with a Spanish voice of one's own.
    voice="none",
    conjunction_before=spanish.conjunction_before,
)
#: The languages a caption can be said in (a words file's ``language``), by code.
LANGUAGES = {language.code: language for language in (ENGLISH, SPANISH)}
DEFAULT_LANGUAGE = ENGLISH.code
