"""Stage 10: every hidden node's final line added point by point gives the green wedge (the
lesson's blue and orange lines; with more nodes, more lines, each in its colour)."""

from __future__ import annotations

import numpy as np
from manim import Create, FadeIn, FadeOut, LaggedStart, Line, Write

from reluviz.scenes.framework import style
from reluviz.scenes.framework.narration import shape_name
from reluviz.scenes.framework.network_stage import NetworkStage
from reluviz.scenes.framework.widgets import Formula, Term, text_tex
from reluviz.words.numbers import shown as num

#: What the captions say as the final lines come in and as they are stacked (the beats' names
#: and captions), for the lesson's two nodes and for one; more nodes are counted ({lines}, {values}).
LESSON_WORDS = {
    1: (
        ("only_line", "The final line, from the only hidden node."),
        ("nothing_to_add", "With one hidden node there is nothing to add it to: its line is the whole sum."),
    ),
    2: (
        ("two_lines", "The two final lines: blue from the top node, orange from the bottom node."),
        ("stack_two", "At each dosage, add the orange value to the blue one: put one on top of the other."),
    ),
}
MORE_WORDS = (
    ("lines", "The {lines}, one from each hidden node, each in its colour."),
    ("stack", "At each dosage, add the {values}: put them one on top of another."),
)
#: How many dosages the point-by-point addition is shown at (evenly spread, ends included).
SHOWN_POINTS = 5


class Summing(NetworkStage):
    stage_name = "summing"

    def worked_sum(self, values: list[float], total: float) -> list[Formula]:
        """a + b + ... = total, each number in its path's colour: the lesson's two at the formula
        size, more a size smaller, at most three on a line."""
        parts = [values[0], *(Term(v) for v in values[1:])]
        size = style.EQUATION_SIZE if len(values) <= 2 else style.LABEL_SIZE
        rows = [parts[k : k + 3] for k in range(0, len(parts), 3)]
        rows[-1] += ["=", total]
        rows = [Formula(row, self.theme.text, size) for row in rows]
        for number, colour in zip([n for row in rows for n in row.numbers], (*self.colours, self.theme.total)):
            number.set_color(colour)
        return rows

    def example_dosage(self) -> float:
        """Where to add the values up in numbers: the lesson's top bend (the wedge's peak) for
        two nodes; with more, of the dosages the story names anyway (the range's ends and
        middle, every bend in it), the one where the most paths add something (and the largest
        sum). Written as the weights file writes it where it is one of its numbers."""
        low, high = self.weights.dosage_range
        bends = [b for b in self.bends.hidden if self.inside(b) is not None]
        if len(self.network.hidden) == 2:
            return bends[0] if bends else (low + high) / 2
        named = [low, (low + high) / 2, high, *bends]
        at = self.at(np.array(named, dtype=float))
        adding = np.sum([np.abs(node.scaled) >= 0.005 for node in at.hidden], axis=0)
        return named[max(range(len(named)), key=lambda j: (adding[j], abs(float(at.summed[j]))))]

    def construct(self) -> None:
        w, t = self.weights, self.theme
        count = len(self.network.hidden)
        self.open_stage(*range(count))
        curve = self.at_curve
        scaled = [node.scaled for node in curve.hidden]
        # the view holds every line and every partial sum the stacks below reach (the last is the sum)
        plot = self.dosage_plot([*np.ravel(scaled), *np.ravel(np.cumsum(scaled, axis=0))], self.label("value"))
        lines = [plot.curve(self.curve_x, values, colour) for values, colour in zip(scaled, self.colours)]
        introduced, stacked = LESSON_WORDS.get(count) or MORE_WORDS
        with self.beat(*introduced, lines=self.counted(count, "final_lines")):
            self.play(self.aside(), plot.intro(), *(Create(line) for line in lines), run_time=1.5)

        low, high = w.dosage_range
        points = np.linspace(low, high, SHOWN_POINTS)
        at = self.at(points)
        # Each path's values stacked on the ones before: one layer of segments per path.
        levels = np.cumsum([np.zeros_like(points), *(node.scaled for node in at.hidden)], axis=0)
        layers = [
            [Line(plot.c2p(x, y0), plot.c2p(x, y1), color=colour, stroke_width=7) for x, y0, y1 in zip(points, *ends)]
            for *ends, colour in zip(levels, levels[1:], self.colours)
        ]
        sums = [plot.dot(x, float(total), t.total, radius=0.09) for x, total in zip(points, at.summed)]
        with self.beat(*stacked, values=self.counted(count, "values")):
            for layer in layers:
                self.play(LaggedStart(*(Create(m) for m in layer), lag_ratio=0.15), run_time=1.2 if count <= 3 else 0.6)
            self.play(LaggedStart(*(FadeIn(d, scale=2.0) for d in sums), lag_ratio=0.15), run_time=0.8)

        example_x = self.example_dosage()
        ex = self.at(example_x)
        values = [float(node.scaled) for node in ex.hidden]
        equation = self.worked_sum(values, float(ex.summed))
        caption_at = Formula([text_tex(self.label("at_dosage") + " "), example_x], t.muted, style.LABEL_SIZE)
        self.panel(caption_at, *equation)
        green = plot.curve(self.curve_x, curve.summed, t.total)
        shape = shape_name(w, self.inside, self.label)
        added = f" {self.label('plus')} ".join(num(v) for v in values)
        with self.beat(
            "example",
            "At dosage {dosage}: {added} is {total}. Doing this everywhere gives the green {shape}.",
            dosage=num(example_x),
            added=added,
            total=num(float(ex.summed)),
            shape=shape,
        ):
            self.play(Write(caption_at), *(Write(row) for row in equation), run_time=1.2)
            self.play(
                Create(green),
                *(FadeOut(m) for layer in layers for m in layer),
                *(FadeOut(d) for d in sums),
                *(line.animate.set_stroke(opacity=0.35) for line in lines),
                run_time=1.5,
            )
            self.hold()
