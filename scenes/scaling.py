"""Stage 8: the top node's line is multiplied by its output weight; a large negative one flips it and
runs off the screen, and the view follows it."""

from __future__ import annotations

from manim import UP, Circumscribe, FadeIn, ValueTracker, Write

from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.narration import scaling_verb
from reluviz.scenes.network_stage import PANEL_REGION, NetworkStage
from reluviz.scenes.widgets import Formula, place


class Scaling(NetworkStage):
    stage_name = "scaling"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        factor = w.top_output_weight
        diagram = self.open_stage("top")
        activations = self.at_curve.top.activation
        plot = self.dosage_plot([*activations], "top path")
        scale = ValueTracker(1.0)
        line = plot.curve(self.curve_x, lambda: activations * scale.get_value(), t.top, follows=(scale,))
        with self.beat("This is the top node's line from before."):
            self.play(self.aside(), plot.intro(), FadeIn(line), run_time=1.2)

        label = diagram.labels["top_out"]
        with self.beat(f"On its way to the output it is multiplied by {num(factor)}."):
            self.play(Circumscribe(label, color=t.top), run_time=1.2)

        high = w.dosage_high
        end = self.at(high)
        example = Formula(
            [float(end.top.activation), r"\times", "(", factor, ")", "=", float(end.top.scaled)],
            t.text,
            style.EQUATION_SIZE,
            number_colors={3: t.top, 6: t.top},
        )
        place(example, PANEL_REGION, align=UP)
        with self.beat(f"Every point's y-coordinate is multiplied by {num(factor)}: that {scaling_verb(factor)}."):
            self.grow_then_follow(plot, scale, factor, lambda f: activations * f, run_time=3.5)
        end_dot = plot.dot(high, float(end.top.scaled), t.top, radius=0.1)
        with self.beat(
            f"At dosage {num(high)}: {num(float(end.top.activation))} times {num(factor)} is "
            f"{num(float(end.top.scaled))}."
        ):
            self.play(Write(example), FadeIn(end_dot, scale=2.0), run_time=1.5)
            self.hold()
