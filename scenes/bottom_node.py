"""Stage 9: dosages through the bottom node give the straight orange line (off the screen
at first, so the view follows); multiplied by its output weight it becomes the final one."""

from __future__ import annotations

import numpy as np
from manim import UP, Circumscribe, FadeIn, ValueTracker, Write, linear

from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.narration import activation_name, line_kind, scaling_verb
from reluviz.scenes.network_stage import PANEL_REGION, NetworkStage, product_plus_bias
from reluviz.scenes.widgets import Formula, place


class BottomNode(NetworkStage):
    stage_name = "bottom_node"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        diagram = self.open_stage("bottom")
        low, high = w.dosage_range
        blue = self.at_curve.top.scaled
        orange = self.at_curve.bottom.activation
        plot = self.dosage_plot([*blue], "value")
        context = plot.curve(self.curve_x, blue, t.top, width=style.CURVE_WIDTH - 2).set_stroke(opacity=0.35)
        with self.beat("The top path's line, from before, stays in the background."):
            self.play(self.aside(), plot.intro(), FadeIn(context), run_time=1.2)

        end = self.at(high)
        name = activation_name(w.hidden_activation)
        equation = product_plus_bias(
            high, w.bottom.weight, w.bottom.bias, float(end.bottom.pre_activation), t.bottom, t.text
        )
        through = Formula(
            [
                r"\mathrm{" + name.replace(" ", r"\ ") + "}(",
                float(end.bottom.pre_activation),
                ")",
                "=",
                float(end.bottom.activation),
            ],
            t.text,
            style.EQUATION_SIZE,
            number_colors={1: t.bottom, 4: t.bottom},
        )
        example = Formula(
            [float(end.bottom.activation), r"\times", w.bottom_output_weight, "=", float(end.bottom.scaled)],
            t.text,
            style.EQUATION_SIZE,
            number_colors={2: t.bottom, 4: t.bottom},
        )
        place(self.panel(equation, through, example), PANEL_REGION, align=UP)
        with self.beat(
            f"Now the bottom connection: dosage times {num(w.bottom.weight)}, plus {num(w.bottom.bias)}, "
            f"then {name}. At dosage {num(high)} that gives {num(float(end.bottom.activation))}."
        ):
            self.play(Circumscribe(diagram.labels["bottom_in"], color=t.bottom), Write(equation), run_time=1.5)
            self.play(Write(through), run_time=1.0)

        dosage = ValueTracker(low)

        line = self.swept_curve(plot, dosage, lambda at: at.bottom.activation, t.bottom)
        self.add(line)
        kind = line_kind(self.bends.bottom, self.inside, smooth=not w.network.hidden_activation.piecewise_linear)
        with self.beat(f"Running every dosage through the bottom node gives the {kind} orange line."):
            self.grow_then_follow(
                plot,
                dosage,
                high,
                lambda d: np.append(blue, self.at(self.up_to(d)).bottom.activation),
                run_time=3.5,
                rate_func=linear,
            )

        scale = ValueTracker(1.0)
        factor = w.bottom_output_weight
        line.clear_updaters()
        final = plot.curve(self.curve_x, lambda: orange * scale.get_value(), t.bottom, follows=(scale,))
        self.remove(line)
        self.add(final)
        with self.beat(
            f"Multiplying by {num(factor)} {scaling_verb(factor)}: at dosage {num(high)}, "
            f"{num(float(end.bottom.activation))} times {num(factor)} is {num(float(end.bottom.scaled))}."
        ):
            self.play(Circumscribe(diagram.labels["bottom_out"], color=t.bottom), run_time=1.0)
            self.grow_then_follow(plot, scale, factor, lambda f: np.concatenate([blue, orange * f]), run_time=3.0)
            self.play(Write(example), run_time=1.0)
            self.hold()
