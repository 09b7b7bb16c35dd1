"""Spanish, as a voice says it: numbers in words and the signs a caption writes, for
``reluviz.words.spoken`` when a words file says ``language = "es"``. Pure text, no numpy.

Decimals are read as they are shown: the story writes them with a point (0.85), as Mexico and
most of Central America do, so the voice says "punto" and then the digits one by one, trailing
zeros included, as the English voice does ("0.85" -> "cero punto ocho cinco"): what is heard
is what is on screen, digit for digit.
"""

from __future__ import annotations

import re

ONES = (
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco "
    "veintiséis veintisiete veintiocho veintinueve"
).split()
TENS = "_ _ _ treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
HUNDREDS = (
    "_ ciento doscientos trescientos cuatrocientos quinientos seiscientos setecientos ochocientos novecientos"
).split()
#: (size, one of them, several): 10**9 is "mil millones" (Spanish's billón is 10**12).
SCALES = [(10**12, "un billón", "billones"), (10**6, "un millón", "millones")]

POINT = "punto"
MINUS = "menos"
PLUS = "más"
TIMES = "por"
PERCENT = "por ciento"
#: Two-argument functions said as a phrase; any other ``name(args)`` is "name de args".
PHRASES = {"max": "el mayor de {} y {}", "min": "el menor de {} y {}"}
OF = "de"
AND = "y"
DERIVATIVE = "d {} sobre d {}"
#: Operators, longest first (as spoken.OPERATORS).
OPERATORS = [
    ("<=", "menor o igual que"),
    (">=", "mayor o igual que"),
    ("!=", "no es igual a"),
    ("==", "es igual a"),
    ("->", "a"),
    ("=", "es igual a"),
    ("<", "menor que"),
    (">", "mayor que"),
    ("+", "más"),
    ("*", "por"),
    ("/", "entre"),
    ("^", "elevado a"),
    ("%", "por ciento"),
    ("&", "y"),
    ("±", "más o menos"),
    ("≈", "es aproximadamente"),
]
UNICODE = {
    "×": " por ",
    "·": " por ",
    "∞": " infinito ",
    "→": " a ",
    "²": " al cuadrado",
    "³": " al cubo",
}
ABBREVIATIONS = {"p. ej.": "por ejemplo", "etc.": "etcétera"}
PART_WORDS = "Parte|Capítulo|Sección|Paso"
#: "1.º", "2ª": the ordinals a caption may write, masculine; beyond ten, the number itself.
ORDINALS = "_ primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo".split()
#: How names a voice would misread are given to it: festival's Spanish voice reads "ReLU" as
#: letters; "relu" is said as Spanish speakers say it, "re-lu".
NAMES_SAID = {"ReLU": "relu", "tanh": "tangente hiperbólica", "softplus": "soft plus"}


def _one_of(words: str) -> str:
    """A number's words before "mil" or "millones": "uno" is "un", "veintiuno" is "veintiún"."""
    if words.endswith("veintiuno"):
        return words[: -len("veintiuno")] + "veintiún"
    if words == "uno" or words.endswith(" uno"):
        return words[: -len("uno")] + "un"
    return words


def number_words(n: int) -> str:
    """A whole number >= 0 in Spanish words: 16 -> "dieciséis", 31 -> "treinta y uno", 2500 -> "dos mil quinientos"."""
    if n < 30:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (f" y {ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if n == 100:
            return "cien"
        return HUNDREDS[hundreds] + (f" {number_words(rest)}" if rest else "")
    for size, one, several in SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            head = one if high == 1 else f"{_one_of(number_words(high))} {several}"
            return head + (f" {number_words(rest)}" if rest else "")
    high, rest = divmod(n, 1000)
    head = "mil" if high == 1 else f"{_one_of(number_words(high))} mil"
    return head + (f" {number_words(rest)}" if rest else "")


def ordinal_words(n: int, feminine: bool = False) -> str:
    words = ORDINALS[n] if 0 < n < len(ORDINALS) else number_words(n)
    return words[:-1] + "a" if feminine and words.endswith("o") else words


def conjunction_before(conjunction: str, word: str) -> str:
    """ "y" is "e" before a word that starts with the sound i ("superior e inferior"), but not
    before hie or hia, whose i is a y ("agua y hielo")."""
    if conjunction == "y" and re.match(r"h?[iíIÍ]", word) and not re.match(r"h[iI][aeiouáéíóú]", word):
        return "e"
    return conjunction
