"""Stage 11: the output bias is added to every point of the green wedge; it moves."""

from __future__ import annotations

from manim import Circumscribe, Create, ValueTracker, Write

from reluviz.scenes.framework import style
from reluviz.scenes.framework.narration import count_words, shape_name
from reluviz.scenes.framework.network_stage import NetworkStage
from reluviz.scenes.framework.widgets import Formula, Term
from reluviz.words.numbers import shown as num


class Bias(NetworkStage):
    stage_name = "bias"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        diagram = self.open_stage("output")
        summed = self.at_curve.summed
        plot = self.dosage_plot([*summed], "value")
        shift = ValueTracker(0.0)
        green = plot.curve(self.curve_x, lambda: summed + shift.get_value(), t.total, follows=(shift,))
        shape = shape_name(w, self.inside)
        count = len(self.network.hidden)
        made = "the hidden node's final line" if count == 1 else f"the {count_words(count, 'path')} added together"
        with self.beat(f"The green {shape}: {made}."):
            self.play(self.aside(), plot.intro(), Create(green), run_time=1.5)

        b = w.network.output_bias
        low = w.dosage_low
        start = self.at(low)
        parts = [float(start.summed), Term(b), "=", float(start.biased)]  # a negative bias subtracted: "a - b = c"
        example = Formula(parts, t.text, style.EQUATION_SIZE, number_colors=dict.fromkeys((0, 1, 3), t.total))
        at_words = Formula([r"\text{at dosage }", low], t.muted, style.LABEL_SIZE)
        self.panel(at_words, example)
        direction = "down" if b < 0 else "up"
        with self.beat(f"The output node adds its bias, {num(b)}, to every point."):
            self.play(Circumscribe(diagram.output_bias, color=t.total), run_time=1.0)
            self.play(Write(at_words), Write(example), run_time=1.2)
        moved = f"the {shape} moves {direction} by {num(abs(b))}" if b else "the bias is 0, so nothing moves"
        with self.beat(f"So {moved}: at dosage {num(low)} it is now {num(float(start.biased))}."):
            self.grow_then_follow(plot, shift, b, lambda s: summed + s, run_time=2.5)
            self.hold()
