"""Stage 10: every hidden node's final line added point by point gives the green wedge (the
lesson's blue and orange lines; with more nodes, more lines, each in its colour)."""

from __future__ import annotations

import numpy as np
from manim import UP, Create, FadeIn, FadeOut, LaggedStart, Line, Write

from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.narration import count_words, shape_name
from reluviz.scenes.network_stage import PANEL_REGION, NetworkStage
from reluviz.scenes.widgets import Formula, Term, place

#: How many dosages the point-by-point addition is shown at (evenly spread, ends included).
SHOWN_POINTS = 5


class Summing(NetworkStage):
    stage_name = "summing"

    def example_dosage(self) -> float:
        """Where to add the values up in numbers: the lesson's top bend for two nodes; with
        more, the dosage where the most paths add something (and the largest sum)."""
        low, high = self.weights.dosage_range
        if len(self.network.hidden) == 2:
            return next((b for b in self.bends.hidden if self.inside(b) is not None), (low + high) / 2)
        candidates = np.linspace(low, high, 21)
        at = self.at(candidates)
        adding = np.sum([np.abs(node.scaled) >= 0.005 for node in at.hidden], axis=0)
        best = max(range(len(candidates)), key=lambda j: (adding[j], abs(float(at.summed[j]))))
        return float(candidates[best])

    def construct(self) -> None:
        w, t = self.weights, self.theme
        count = len(self.network.hidden)
        self.open_stage(*range(count))
        curve = self.at_curve
        scaled = [node.scaled for node in curve.hidden]
        plot = self.dosage_plot([*np.ravel(scaled), *curve.summed], "value")
        lines = [plot.curve(self.curve_x, values, colour) for values, colour in zip(scaled, self.colours)]
        if count == 1:
            introduced = "The final line, from the only hidden node."
        elif count == 2:
            introduced = "The two final lines: blue from the top node, orange from the bottom node."
        else:
            introduced = f"The {count_words(count, 'final line')}, one from each hidden node, each in its colour."
        with self.beat(introduced):
            self.play(self.aside(), plot.intro(), *(Create(line) for line in lines), run_time=1.5)

        low, high = w.dosage_range
        points = np.linspace(low, high, SHOWN_POINTS)
        at = self.at(points)
        stacks, sums = [], []
        for j, x in enumerate(points):
            bottom, segments = 0.0, []
            for node, colour in zip(at.hidden, self.colours):
                top = bottom + float(node.scaled[j])
                segments.append(Line(plot.c2p(x, bottom), plot.c2p(x, top), color=colour, stroke_width=7))
                bottom = top
            stacks.append(segments)
            sums.append(plot.dot(x, float(at.summed[j]), t.total, radius=0.09))
        if count == 1:
            stacked = "With one hidden node there is nothing to add it to: its line is the whole sum."
        elif count == 2:
            stacked = "At each dosage, add the orange value to the blue one: put one on top of the other."
        else:
            stacked = f"At each dosage, add the {count_words(count, 'value')}: put them one on top of another."
        with self.beat(stacked):
            for layer in range(count):
                animations = [Create(segments[layer]) for segments in stacks]
                self.play(LaggedStart(*animations, lag_ratio=0.15), run_time=1.2 if count <= 3 else 0.6)
            self.play(LaggedStart(*(FadeIn(d, scale=2.0) for d in sums), lag_ratio=0.15), run_time=0.8)

        example_x = self.example_dosage()
        ex = self.at(example_x)
        values = [float(node.scaled) for node in ex.hidden]
        equation = Formula(
            [values[0], *(Term(v) for v in values[1:]), "=", float(ex.summed)], t.text, style.EQUATION_SIZE
        )
        for number, colour in zip(equation.numbers, (*self.colours, t.total)):
            number.set_color(colour)
        caption_at = Formula([r"\text{at dosage }", example_x], t.muted, style.LABEL_SIZE)
        place(self.panel(caption_at, equation), PANEL_REGION, align=UP)
        green = plot.curve(self.curve_x, curve.summed, t.total)
        shape = shape_name(w, self.inside)
        added = " plus ".join(num(v) for v in values)
        with self.beat(
            f"At dosage {num(example_x)}: {added} is {num(float(ex.summed))}. "
            f"Doing this everywhere gives the green {shape}."
        ):
            self.play(Write(caption_at), Write(equation), run_time=1.2)
            self.play(
                Create(green),
                *(FadeOut(m) for segments in stacks for m in segments),
                *(FadeOut(d) for d in sums),
                *(line.animate.set_stroke(opacity=0.35) for line in lines),
                run_time=1.5,
            )
            self.hold()
