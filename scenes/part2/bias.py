"""Stage 11: the output bias is added to every point of the green wedge; it moves."""

from __future__ import annotations

from manim import Circumscribe, Create, ValueTracker, Write

from reluviz.scenes.framework import style
from reluviz.scenes.framework.narration import shape_name
from reluviz.scenes.framework.network_stage import NetworkStage
from reluviz.scenes.framework.widgets import Formula, Term, text_tex
from reluviz.words.numbers import shown as num


class Bias(NetworkStage):
    stage_name = "bias"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        diagram = self.open_stage("output")
        summed = self.at_curve.summed
        plot = self.dosage_plot([*summed], self.label("value"))
        shift = ValueTracker(0.0)
        green = plot.curve(self.curve_x, lambda: summed + shift.get_value(), t.total, follows=(shift,))
        shape = shape_name(w, self.inside, self.label)
        count = len(self.network.hidden)
        made = self.counted(count, "paths")
        with self.beat("green", "The green {shape}: {made}.", shape=shape, made=made):
            self.play(self.aside(), plot.intro(), Create(green), run_time=1.5)

        b = w.network.output_bias
        low = w.dosage_low
        start = self.at(low)
        parts = [float(start.summed), Term(b), "=", float(start.biased)]  # a negative bias subtracted: "a - b = c"
        example = Formula(parts, t.text, style.EQUATION_SIZE, number_colors=dict.fromkeys((0, 1, 3), t.total))
        at_words = Formula([text_tex(self.label("at_dosage") + " "), low], t.muted, style.LABEL_SIZE)
        self.panel(at_words, example)
        direction = self.label("down" if b < 0 else "up")
        with self.beat("bias", "The output node adds its bias, {bias}, to every point.", bias=num(b)):
            self.play(Circumscribe(diagram.output_bias, color=t.total), run_time=1.0)
            self.play(Write(at_words), Write(example), run_time=1.2)
        if b:
            moved = "moved", "So the {shape} moves {direction} by {size}: at dosage {dosage} it is now {y}."
        else:
            moved = "unmoved", "So the bias is 0, so nothing moves: at dosage {dosage} it is now {y}."
        with self.beat(
            *moved, shape=shape, direction=direction, size=num(abs(b)), dosage=num(low), y=num(float(start.biased))
        ):
            self.grow_then_follow(plot, shift, b, lambda s: summed + s, run_time=2.5)
            self.hold()
