"""Stage 8: the top node's line is multiplied by its output weight; a large negative one flips it and
runs off the screen, and the view follows it."""

from __future__ import annotations

from manim import Circumscribe, FadeIn, ValueTracker, Write

from reluviz.scenes.framework import style
from reluviz.scenes.framework.narration import scaling_verb
from reluviz.scenes.framework.network_stage import NetworkStage
from reluviz.scenes.framework.widgets import Formula
from reluviz.words.numbers import shown as num


class Scaling(NetworkStage):
    stage_name = "scaling"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        factor, colour = self.network.hidden[0].output_weight, self.colours[0]
        diagram = self.open_stage(0)
        activations = self.at_curve.hidden[0].activation
        plot = self.dosage_plot([*activations], self.path_names[0])
        scale = ValueTracker(1.0)
        line = plot.curve(self.curve_x, lambda: activations * scale.get_value(), colour, follows=(scale,))
        with self.beat("line", "This is the {node}'s line from before.", node=self.node_names[0]):
            self.play(self.aside(), plot.intro(), FadeIn(line), run_time=1.2)

        with self.beat("weight", "On its way to the output it is multiplied by {weight}.", weight=num(factor)):
            self.play(Circumscribe(diagram.out_labels[0], color=colour), run_time=1.2)

        high = w.dosage_high
        end = self.at(high).hidden[0]
        parts = [float(end.activation), r"\times", "(", factor, ")", "=", float(end.scaled)]
        example = Formula(parts, t.text, style.EQUATION_SIZE, number_colors={3: colour, 6: colour})
        self.panel(example)
        with self.beat(
            "scaled",
            "Every point's y-coordinate is multiplied by {weight}: that {what_it_does}.",
            weight=num(factor),
            what_it_does=scaling_verb(factor, self.label),
        ):
            self.grow_then_follow(plot, scale, factor, lambda f: activations * f, run_time=3.5)
        end_dot = plot.dot(high, float(end.scaled), colour, radius=0.1)
        with self.beat(
            "example",
            "At dosage {dosage}: {y} times {weight} is {scaled}.",
            dosage=num(high),
            y=num(float(end.activation)),
            weight=num(factor),
            scaled=num(float(end.scaled)),
        ):
            self.play(Write(example), FadeIn(end_dot, scale=2.0), run_time=1.5)
            self.hold()
