"""spoken(): what the voice says for a caption, checked against hand-written readings, read
back into numbers, and run over every caption pattern the scenes write."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reluviz.words.labels import LABELS
from reluviz.words.numbers import format_number
from reluviz.words.spoken import LANGUAGES, PRONUNCIATIONS, RELU_SAID, number_words, said_by, say_number, spoken

SCENES = Path(__file__).resolve().parents[2] / "scenes"

#: Real captions (default weights and the softplus preset), read aloud by hand.
BY_HAND = [
    ("ReLU(x) is the larger of 0 and x.", "Ray loo of x is the larger of zero and x."),
    (
        "The input -1.5 lands on 0: max(0, -1.5) = 0.",
        "The input minus one point five lands on zero: the larger of zero and minus one point five equals zero.",
    ),
    (
        "ReLU: max(0, x), outputs from 0 to infinity, a ramp made of two straight pieces.",
        "Ray loo: the larger of zero and x, outputs from zero to infinity, a ramp made of two straight pieces.",
    ),
    (
        "Each input is multiplied by the weight on its connection: 1.2 times 0.5 is 0.6, and -0.9 times -1.1 is 0.99.",
        "Each input is multiplied by the weight on its connection: one point two times zero point five is zero point "
        "six, and minus zero point nine times minus one point one is zero point nine nine.",
    ),
    (
        "Add the products and the bias, 0.1: x = 1.69.",
        "Add the products and the bias, zero point one: x equals one point six nine.",
    ),
    (
        "Then ReLU: ReLU(1.69) = 1.69; it is positive, so it passes unchanged.",
        "Then ray loo: ray loo of one point six nine equals one point six nine; it is positive, so it passes "
        "unchanged.",
    ),
    (
        "Together: a step function, 1 for x > 0 and 0 for x <= 0 (at 0 itself, the lesson picks 0).",
        "Together: a step function, one for x greater than zero and zero for x less than or equal to zero, at zero "
        "itself, the lesson picks zero.",
    ),
    (
        "A = max(0, Z), element by element: negative entries become 0, the rest pass unchanged.",
        "Ay equals the larger of zero and Z, element by element: negative entries become zero, the rest pass "
        "unchanged.",
    ),
    (
        "Backward: the gradient dL/dA arrives from the layer above.",
        "Backward: the gradient d L by d ay arrives from the layer above.",
    ),
    (
        "step(Z) is 1 where Z > 0 and 0 elsewhere (Z = 0 included): a mask.",
        "Step of Z is one where Z greater than zero and zero elsewhere, Z equals zero included: a mask.",
    ),
    (
        "A = max(0, Z) element-wise; dL/dZ = dL/dA times step(Z), a mask.",
        "Ay equals the larger of zero and Z element-wise; d L by d Z equals d L by d ay times step of Z, a mask.",
    ),
    (
        "Into the output: the top node's result times -40.8, the bottom's times 2.7, added together with the bias -16.",
        "Into the output: the top node's result times minus forty point eight, the bottom's times two point seven, "
        "added together with the bias minus sixteen.",
    ),
    (
        "The connection multiplies it by 1.7 and adds -0.85: (0 x 1.7) + -0.85 = -0.85.",
        "The connection multiplies it by one point seven and adds minus zero point eight five: zero times one point "
        "seven plus minus zero point eight five equals minus zero point eight five.",
    ),
    (
        "-0.85 is a coordinate on the x-axis of the top node's ReLU function.",
        "Minus zero point eight five is a coordinate on the x-axis of the top node's ray loo function.",
    ),
    (
        "At dosage 1: 0.85 times -40.8 is -34.7.",
        "At dosage one: zero point eight five times minus forty point eight is minus thirty four point seven.",
    ),
    (
        "Multiplying by 2.7 stretches it: at dosage 1, 12.6 times 2.7 is 34.",
        "Multiplying by two point seven stretches it: at dosage one, twelve point six times two point seven is "
        "thirty four.",
    ),
    ("At dosage 0.5: 0 plus 17 is 17.", "At dosage zero point five: zero plus seventeen is seventeen."),
    ("ReLU(-16) = 0, so a green dot at 0.", "Ray loo of minus sixteen equals zero, so a green dot at zero."),
    (
        "So we simply define it: the slope at 0 is 0 (or 1).",
        "So we simply define it: the slope at zero is zero, or one.",
    ),
    (
        "After 3000 epochs the error is 0, down from 0.19.",
        "After three thousand epochs the error is zero, down from zero point one nine.",
    ),
    ("Part I: What ReLU is.", "Part one: What ray loo is."),
    ("Part II: ReLU in action.", "Part two: ray loo in action."),
    (
        "softplus(2.14) = 2.25: the y-axis coordinate.",
        "Soft plus of two point one four equals two point two five: the y-axis coordinate.",
    ),
    (
        "To the bottom node: times -2.52, plus 1.29.",
        "To the bottom node: times minus two point five two, plus one point two nine.",
    ),
    (
        "It fits. (2 data points lie outside the dosage range drawn.)",
        "It fits. Two data points lie outside the dosage range drawn.",
    ),
    # The brief's own examples and the pieces narration.py builds sentences from.
    ("dL/dZ", "d L by d Z"),
    ("x > 0", "x greater than zero"),
    ("x", "x"),
    ("+ 2", "Plus two"),
    ("- 0.85", "Minus zero point eight five"),
    ("2.70", "Two point seven zero"),
    ("1000", "One thousand"),
    ("0", "Zero"),
    ("max(0, min(1, x))", "The larger of zero and the smaller of one and x"),
    (
        "Slope 1 for x > 0, slope 0 for x <= 0.",
        "Slope one for x greater than zero, slope zero for x less than or equal to zero.",
    ),
    ("a - b >= 3 * c", "a minus b greater than or equal to three times c"),
    ("x-1 is 50%, the 21st", "x minus one is fifty percent, the twenty first"),
    (
        "1,000,000 or x^2 ≤ 0.5 × 4",
        "One million or x to the power of two less than or equal to zero point five times four",
    ),
]

#: What must not reach the voice: a digit or a symbol it would spell out or skip.
UNSPOKEN = re.compile(r"[0-9=<>()/*^+%\[\]{}|_#~×≤≥≠∞−–]")
SAMPLES = ["-0.85", "12.6", "0", "3000", "2.7", "-16", "1.01", "0.5", "-40.8", "100"]


@pytest.mark.parametrize(("caption", "said"), BY_HAND)
def test_captions_read_as_written_by_hand(caption, said):
    assert spoken(caption) == said


def test_relu_is_said_as_a_word_festival_knows():
    assert RELU_SAID == "ray loo"
    assert spoken("ReLU's backward and relu and RELU") == "Ray loo's backward and ray loo and ray loo"
    assert spoken("Softplus, softplus and tanh.") == "Soft plus, soft plus and tan h."


def test_each_voice_says_names_by_its_own_table(monkeypatch):
    said = spoken("ReLU of x. Then ReLU and sigmoid: Sigmoid.")
    assert said == "Ray loo of x. Then ray loo and sigmoid: Sigmoid."
    assert said_by("festival", said) == said and said_by("piper", said) == said  # the tables agree today
    assert said_by("command", said) == said  # a voice without a table gets the spoken form
    monkeypatch.setitem(PRONUNCIATIONS, "piper", {"ReLU": "ree loo", "sigmoid": "sig moid"})
    assert said_by("piper", said) == "Ree loo of x. Then ree loo and sig moid: Sig moid."
    assert said_by("festival", said) == said


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (40, "forty"),
        (99, "ninety nine"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (1000, "one thousand"),
        (3000, "three thousand"),
        (12345, "twelve thousand three hundred forty five"),
        (2_000_001, "two million one"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


def test_digits_after_the_point_are_read_one_by_one_as_written():
    assert say_number("0.05") == "zero point zero five"
    assert say_number("2.70") == "two point seven zero"
    assert say_number(".5") == "point five"
    assert say_number("007") == "zero zero seven"


WORD_VALUES = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve "
        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
WORD_VALUES |= {
    w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2
}


def read_back(said: str) -> str:
    """Words back into the number they say: an independent reading, for the round trip."""
    words = said.lower().split()
    sign = ""
    if words[0] == "minus":
        sign, words = "-", words[1:]
    whole, fraction = words, []
    if "point" in words:
        at = words.index("point")
        whole, fraction = words[:at], words[at + 1 :]
    total, part = 0, 0
    for w in whole:
        if w == "hundred":
            part *= 100
        elif w in ("thousand", "million"):
            total += part * (1000 if w == "thousand" else 1_000_000)
            part = 0
        else:
            part += WORD_VALUES[w]
    text = str(total + part) + ("." + "".join(str(WORD_VALUES[w]) for w in fraction) if fraction else "")
    return sign + text


@given(st.floats(min_value=-5e6, max_value=5e6, allow_nan=False))
def test_every_number_a_scene_writes_reads_back_to_itself(x):
    written = format_number(x)
    said = spoken(written)
    assert not UNSPOKEN.search(said)
    assert read_back(said) == written


# Every caption pattern in the scenes: the templates handed to beat() (its second argument),
# directly, through a variable or a tuple (name, caption), or returned by a helper; each
# {placeholder} filled from the beat's keyword of that name where it is text, else (a hole, None)
# by numbers as the scenes write them.


class Hole(str):
    """A template's {placeholder}: filled from the beat's keyword of its name, if it can be."""


def _pieces(template: str) -> list:
    """A template as text pieces and Holes ("{{" is a brace)."""
    parts = re.split(r"(\{\{|\}\}|\{[A-Za-z_]\w*\})", template)
    pieces = []
    for part in parts:
        if part in ("{{", "}}"):
            pieces.append(part[0])
        elif part.startswith("{") and part.endswith("}"):
            pieces.append(Hole(part[1:-1]))
        elif part:
            pieces.append(part)
    return pieces


def _functions() -> list[ast.FunctionDef]:
    return [
        node
        for path in sorted(SCENES.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef)
    ]


def _caption_of(node: ast.Tuple) -> ast.AST | None:
    """In a tuple (beat name, caption, ...), possibly after an index: the caption."""
    for k, element in enumerate(node.elts[:-1]):
        if isinstance(element, ast.Constant) and isinstance(element.value, str) and element.value.isidentifier():
            return node.elts[k + 1]
    return None


def _assigned(name: str, scope: ast.FunctionDef) -> list[ast.AST]:
    """What ``name`` is given in ``scope``: whole values, or the element of a tuple unpacked into it."""
    found = []
    for n in ast.walk(scope):
        if not isinstance(n, ast.Assign | ast.AugAssign | ast.AnnAssign) or n.value is None:
            continue
        for target in getattr(n, "targets", [getattr(n, "target", None)]):
            if isinstance(target, ast.Name) and target.id == name:
                found.append(n.value)
            elif isinstance(target, ast.Tuple) and isinstance(n.value, ast.Tuple):
                found += [v for t, v in zip(target.elts, n.value.elts) if isinstance(t, ast.Name) and t.id == name]
            elif isinstance(target, ast.Tuple) and any(isinstance(t, ast.Name) and t.id == name for t in target.elts):
                found.append(ast.Subscript(n.value, ast.Constant(len(target.elts))))  # a caption from a call
    return found


def _texts(node: ast.AST, scope: ast.FunctionDef, functions: dict, depth: int = 0) -> list[list]:
    """A string expression as a list of pieces: str, a Hole, or None for a hole filled in later."""
    if depth > 5:
        return [[None]]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [_pieces(node.value)]
    if isinstance(node, ast.Tuple):
        caption = _caption_of(node)
        return _texts(caption, scope, functions, depth + 1) if caption is not None else [[None]]
    if isinstance(node, ast.Starred | ast.Subscript):
        return _texts(node.value, scope, functions, depth + 1)
    if isinstance(node, ast.IfExp):
        return _texts(node.body, scope, functions, depth + 1) + _texts(node.orelse, scope, functions, depth + 1)
    if isinstance(node, ast.JoinedStr):
        results = [[]]
        for part in node.values:
            if isinstance(part, ast.Constant):
                results = [r + [part.value] for r in results]
            else:
                inner = _texts(part.value, scope, functions, depth + 1)
                results = [r + i for r in results for i in inner][:50]
        return results
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _texts(node.left, scope, functions, depth + 1)
        right = _texts(node.right, scope, functions, depth + 1)
        return [a + b for a, b in itertools.product(left, right)][:50]
    if isinstance(node, ast.Name):
        values = _assigned(node.id, scope)
        strings = [t for v in values for t in _texts(v, scope, functions, depth + 1) if t != [None]]
        return strings or [[None]]
    called = getattr(node, "func", None)
    called = getattr(called, "id", None) or getattr(called, "attr", None)  # helper(...) or self.helper(...)
    key = node.args[0] if isinstance(node, ast.Call) and node.args else None
    if called in ("label", "said") and isinstance(key, ast.Constant) and key.value in LABELS:
        return [_pieces(LABELS[key.value])]  # words a words file may change, as the story writes them
    if isinstance(node, ast.Call) and called in functions:
        helper = functions[called]
        returns = [n.value for n in ast.walk(helper) if isinstance(n, ast.Return) and n.value is not None]
        strings = [t for v in returns for t in _texts(v, helper, functions, depth + 1) if t != [None]]
        return strings or [[None]]
    return [[None]]


def _filled(pattern: list, keywords: dict, scope: ast.FunctionDef, functions: dict) -> list[list]:
    """``pattern`` with each Hole replaced by what its keyword may say (a hole where that is not text)."""
    results = [[]]
    for piece in pattern:
        options = [[piece]]
        if isinstance(piece, Hole):
            options = _texts(keywords[piece], scope, functions) if piece in keywords else [[None]]
            options = [[None if isinstance(p, Hole) else p for p in option] for option in options]
        results = [r + o for r in results for o in options][:50]
    return results


def caption_patterns() -> list[list]:
    scopes = _functions()
    functions = {f.name: f for f in scopes if f.name != "construct"}  # the helpers a caption may call
    patterns = []
    for scope in scopes:
        for node in ast.walk(scope):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "beat":
                if isinstance(node.func.value, ast.Attribute):  # inputs.words.beat(name): a look-up
                    continue
                keywords = {k.arg: k.value for k in node.keywords if k.arg}
                first = node.args[0]
                caption = first if isinstance(first, ast.Starred) else node.args[1]
                for pattern in _texts(caption, scope, functions):
                    patterns += _filled(pattern, keywords, scope, functions)
    return patterns


def test_the_scenes_patterns_are_found():
    patterns = caption_patterns()
    literal = ["".join(p for p in pattern if p is not None) for pattern in patterns]
    assert len(patterns) > 60
    assert any("max(0, " in t for t in literal)  # definition's and relu_clipping's formulas
    assert any("dL/dA" in t for t in literal)
    assert any("flips it upside down" in t for t in literal)  # narration.scaling_verb, through a placeholder
    assert any("only at dosage" in t for t in literal)  # relu_clipping.bend_words, returned by a helper
    assert any("The result is a ridge" in t for t in literal)  # plane_output, a tuple from a helper
    assert not any("{" in t for t in literal)  # every placeholder filled or a hole


@pytest.mark.parametrize("sample", SAMPLES)
def test_no_digit_or_symbol_survives_in_any_caption_pattern(sample):
    for pattern in caption_patterns():
        caption = "".join(sample if piece is None else piece for piece in pattern)
        said = spoken(caption)
        assert not UNSPOKEN.search(said), (caption, said)
        assert "ReLU" not in said


#: Spanish captions read aloud by hand (a words file's language = "es"): numbers as a Spanish
#: speaker says them, decimals with "punto" and their digits one by one, as shown on screen.
SPANISH_BY_HAND = [
    ("El sesgo es −16.", "El sesgo es menos dieciséis."),
    ("La salida es 0.85.", "La salida es cero punto ocho cinco."),
    ("ReLU(x) = max(0, x).", "Relu de x es igual a el mayor de cero y x."),
    ("Cubre el 31.2% del cuadrado.", "Cubre el treinta y uno punto dos por ciento del cuadrado."),
    ("Parte III: dos entradas", "Parte tres: dos entradas"),
    ("Son 21000 puntos, 100 o 101.", "Son veintiún mil puntos, cien o ciento uno."),
    ("1,000,000 y 2500 y 77", "Un millón y dos mil quinientos y setenta y siete"),
    ("min(1, −0.5) < 2 x 3", "El menor de uno y menos cero punto cinco menor que dos por tres"),
    ("la 2ª capa", "La segunda capa"),
]


@pytest.mark.parametrize(("caption", "said"), SPANISH_BY_HAND)
def test_a_spanish_caption_is_said_in_spanish(caption, said):
    assert spoken(caption, "es") == said


def test_english_is_said_as_before_when_no_language_is_given():
    caption = "The input -1.5 lands on 0: max(0, -1.5) = 0."
    assert spoken(caption) == spoken(caption, "en") == BY_HAND[1][1]


def test_spanish_y_is_e_before_an_i_sound_but_not_before_hie():
    from reluviz.words.spanish import conjunction_before

    assert [conjunction_before("y", w) for w in ("inferior", "Ícaro", "hilo", "hielo", "superior")] == [
        "e",
        "e",
        "e",
        "y",
        "y",
    ]
    assert conjunction_before("and", "inferior") == "and"  # a words file's own conjunction is left alone
    assert LANGUAGES["en"].conjunction_before("and", "inner") == "and"
