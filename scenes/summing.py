"""Stage 10: the final blue and orange lines added point by point give the green wedge."""

from __future__ import annotations

import numpy as np
from manim import UP, Create, FadeIn, FadeOut, LaggedStart, Line, Write

from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.narration import shape_name
from reluviz.scenes.network_stage import PANEL_REGION, NetworkStage
from reluviz.scenes.widgets import Formula, Term, place

#: How many dosages the point-by-point addition is shown at (evenly spread, ends included).
SHOWN_POINTS = 5


class Summing(NetworkStage):
    stage_name = "summing"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        self.open_stage("top", "bottom")
        curve = self.at_curve
        plot = self.dosage_plot([*curve.top.scaled, *curve.bottom.scaled, *curve.summed], "value")
        blue = plot.curve(self.curve_x, curve.top.scaled, t.top)
        orange = plot.curve(self.curve_x, curve.bottom.scaled, t.bottom)
        with self.beat("The two final lines: blue from the top node, orange from the bottom node."):
            self.play(self.aside(), plot.intro(), Create(blue), Create(orange), run_time=1.5)

        low, high = w.dosage_range
        points = np.linspace(low, high, SHOWN_POINTS)
        at = self.at(points)
        stacks, sums = [], []
        for x, b, o, total in zip(points, at.top.scaled, at.bottom.scaled, at.summed):
            up_blue = Line(plot.c2p(x, 0), plot.c2p(x, b), color=t.top, stroke_width=7)
            up_orange = Line(plot.c2p(x, b), plot.c2p(x, b + o), color=t.bottom, stroke_width=7)
            stacks.append((up_blue, up_orange))
            sums.append(plot.dot(x, float(total), t.total, radius=0.09))
        with self.beat("At each dosage, add the orange value to the blue one: put one on top of the other."):
            self.play(LaggedStart(*(Create(b) for b, _ in stacks), lag_ratio=0.15), run_time=1.2)
            self.play(LaggedStart(*(Create(o) for _, o in stacks), lag_ratio=0.15), run_time=1.2)
            self.play(LaggedStart(*(FadeIn(d, scale=2.0) for d in sums), lag_ratio=0.15), run_time=0.8)

        example_x = self.inside(self.bends.top) or (low + high) / 2
        ex = self.at(example_x)
        equation = Formula(
            [float(ex.top.scaled), Term(float(ex.bottom.scaled)), "=", float(ex.summed)],
            t.text,
            style.EQUATION_SIZE,
        )
        for number, colour in zip(equation.numbers, (t.top, t.bottom, t.total)):
            number.set_color(colour)
        caption_at = Formula([r"\text{at dosage }", example_x], t.muted, style.LABEL_SIZE)
        place(self.panel(caption_at, equation), PANEL_REGION, align=UP)
        green = plot.curve(self.curve_x, curve.summed, t.total)
        shape = shape_name(w, self.inside)
        with self.beat(
            f"At dosage {num(example_x)}: {num(float(ex.top.scaled))} plus {num(float(ex.bottom.scaled))} "
            f"is {num(float(ex.summed))}. Doing this everywhere gives the green {shape}."
        ):
            self.play(Write(caption_at), Write(equation), run_time=1.2)
            self.play(
                Create(green),
                *(FadeOut(m) for pair in stacks for m in pair),
                *(FadeOut(d) for d in sums),
                blue.animate.set_stroke(opacity=0.35),
                orange.animate.set_stroke(opacity=0.35),
                run_time=1.5,
            )
            self.hold()
