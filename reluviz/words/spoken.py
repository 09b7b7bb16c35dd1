"""What a voice says for a caption: numbers, signs and formulas in words.

The caption is what the viewer reads ("max(0, -0.85) = 0"); ``spoken`` gives what a
speech synthesizer should say ("the larger of zero and minus zero point eight five
equals zero"). Numbers are read as written: the digits after the point one by one,
trailing zeros included ("2.70" -> "two point seven zero"). Pure text, no numpy.
"""

from __future__ import annotations

import re

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


def digits_words(digits: str) -> str:
    return " ".join(ONES[int(d)] for d in digits)


def say_number(text: str) -> str:
    """An unsigned number as written: "12.6" -> "twelve point six", "0.70" -> "zero point seven zero".

    Whole parts with a leading zero ("007") and very long ones are read digit by digit.
    """
    whole, _, fraction = text.replace(",", "").partition(".")
    if not whole:
        words = "point"
    elif (len(whole) > 1 and whole.startswith("0")) or len(whole) > 15:
        words = digits_words(whole)
    else:
        words = number_words(int(whole))
    if fraction:
        words = f"{words} point {digits_words(fraction)}" if whole else f"point {digits_words(fraction)}"
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


def _letter(arg: str) -> str:
    """A lone variable letter: "A" is said as the letter, not the article."""
    return "ay" if arg in ("A", "a") else arg


def _split_args(inside: str) -> list[str]:
    return [a.strip() for a in inside.split(",")]


def _is_prose(inside: str) -> bool:
    """Words in brackets, "(or 1)", rather than a formula, "(0 x 1.7)"."""
    return any(len(w) >= 2 for w in re.findall(r"[A-Za-z]+", inside))


def _parens(match: re.Match) -> str:
    name, inside = match.group(1), match.group(2)
    if name:
        args = [_letter(a) for a in _split_args(inside)]
        phrase = PHRASES.get(name.lower())
        if phrase and len(args) == 2:
            return phrase.format(*args)
        return f"{name} of {' and '.join(args)}"
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


def spoken(caption: str) -> str:
    """What a voice should say for ``caption``: every number, sign and formula in words."""
    text = caption
    for symbol, words in UNICODE.items():
        text = text.replace(symbol, words)
    for short, words in ABBREVIATIONS.items():
        text = re.sub(rf"(?<!\w){re.escape(short)}", words, text)
    text = _PART.sub(lambda m: f"{m.group(1)} {number_words(ROMAN[m.group(2)])}", text)
    text = re.sub(r"\bReLU\b", "ReLU", text, flags=re.IGNORECASE)
    text = _DERIVATIVE.sub(lambda m: f"d {_letter(m.group(1))} by d {_letter(m.group(2))}", text)
    text = _SYMBOL_A.sub("ay", text)
    while True:  # innermost brackets first, so max(0, min(1, x)) works inside out
        text, count = _INNER_PARENS.subn(_parens, text)
        if not count:
            break
    text = _TIMES.sub(" times ", text)
    text = text.replace("[", " ").replace("]", " ").replace("{", " ").replace("}", " ")
    text = _PERCENT.sub(lambda m: f"{m.group(1)} percent", text)
    text = _ORDINAL.sub(lambda m: f" {ordinal_words(int(m.group(1)))} ", text)
    text = _UNARY.sub(lambda m: " minus " if m.group(1) == "-" else " plus ", text)
    text = _LONE_MINUS.sub("minus", text)
    text = _BINARY_MINUS.sub(" minus ", text)
    for symbol, words in OPERATORS:
        text = text.replace(symbol, f" {words} ")
    text = _NUMBER.sub(lambda m: f" {say_number(m.group(0))} ", text)
    text = re.sub(r"\d", lambda m: f" {ONES[int(m.group(0))]} ", text)  # any digit left: one by one
    text = said_as(text)
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


def said_as(text: str) -> str:
    """``text`` with every activation name a voice would misread replaced by how it is said."""
    for name, said in NAMES_SAID.items():
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
