"""Numbers, formulas and words on screen, built so a test can read back what they show.

Every number a scene shows is a ``Number`` (a value from reluviz, written the way
``reluviz.numbers`` writes it) or an axis ``TickLabel``. Formulas are assembled from
fixed TeX pieces and ``Number``s: the pieces compile once, whatever the weights, and
each number stays a readable object.
"""

from __future__ import annotations

from functools import lru_cache

from manim import DOWN, LEFT, RIGHT, UP, DecimalNumber, MathTex, Mobject, Text, VGroup

from reluviz.numbers import decimals, rounded

from scenes import style


class Number(DecimalNumber):
    """A value computed by reluviz. ``shown`` is the value as a viewer reads it."""

    def __init__(self, value: float, color: str, font_size: float = style.BODY_SIZE, **kwargs) -> None:
        super().__init__(rounded(value), num_decimal_places=decimals(value), font_size=font_size, color=color, **kwargs)
        self.exact = float(value)

    @property
    def shown(self) -> float:
        return rounded(self.get_value())


class TickLabel(DecimalNumber):
    """A number on an axis: where a tick is, not a value the story computes."""


def words(text: str, color: str, font_size: float = style.BODY_SIZE, **kwargs) -> Text:
    return Text(text, font=style.FONT, font_size=font_size, color=color, **kwargs)


@lru_cache(maxsize=None)
def _baseline_drop(tex: str, font_size: float) -> float:
    """How far below the baseline ``tex`` reaches, measured against a digit typeset with it."""
    probe = MathTex(tex, "0", font_size=font_size)
    return probe[1].get_bottom()[1] - probe[0].get_bottom()[1]


def tex(source: str, color: str, font_size: float = style.BODY_SIZE) -> MathTex:
    return MathTex(source, font_size=font_size, color=color)


class Formula(VGroup):
    """TeX pieces and numbers side by side on one baseline, e.g.
    ``Formula([r"\\max(0,", -0.85, ")", "=", 0.0], ...)``.

    Strings are TeX, floats become ``Number``s, mobjects are placed as they are.
    ``numbers`` lists the ``Number`` parts in order.
    """

    def __init__(self, parts: list, color: str, font_size: float = style.BODY_SIZE, buff: float = 0.12,
                 number_colors: dict[int, str] | None = None) -> None:
        super().__init__()
        number_colors = number_colors or {}
        self.numbers: list[Number] = []
        x = 0.0
        for index, part in enumerate(parts):
            if index > 0 and _hugs(parts[index - 1], part):
                x -= buff * 0.7  # brackets and commas sit close to what they enclose
            if isinstance(part, str):
                mob: Mobject = tex(part, color, font_size)
                baseline = mob.get_bottom()[1] + _baseline_drop(part, font_size)
            elif isinstance(part, (int, float)):
                mob = Number(part, number_colors.get(index, color), font_size)
                self.numbers.append(mob)
                baseline = mob.get_bottom()[1]
            else:
                mob = part
                baseline = mob.get_bottom()[1]
            mob.shift(RIGHT * (x - mob.get_left()[0]) + UP * (0 - baseline))
            x = mob.get_right()[0] + buff
            self.add(mob)
        self.center()


def _hugs(before, after) -> bool:
    opens = isinstance(before, str) and before.rstrip().endswith(("(", r"(\,", "["))
    closes = isinstance(after, str) and after.lstrip().startswith((")", ",", "]"))
    return opens or closes


def stack(*mobjects: Mobject, buff: float = 0.35) -> VGroup:
    """Lines of text or formulas, one under the other, left-aligned."""
    return VGroup(*mobjects).arrange(DOWN, buff=buff, aligned_edge=LEFT)
