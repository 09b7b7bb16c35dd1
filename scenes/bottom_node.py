"""Stage 9: the other hidden nodes. In the lesson's network, dosages through the bottom node
give the orange line (off the screen at first, so the view follows); multiplied by its
output weight it becomes the final one. With more nodes the others do the same together,
each in its colour; with one node there is no other path."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, Circumscribe, FadeIn, ValueTracker, VGroup, Write, linear

from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.narration import count_words, line_kind, lines_words, scaling_verb
from reluviz.scenes.network_stage import PANEL_REGION, NetworkStage, product_plus_bias
from reluviz.scenes.plots import Plot
from reluviz.scenes.widgets import Formula, place


class BottomNode(NetworkStage):
    stage_name = "bottom_node"

    def construct(self) -> None:
        others = list(range(1, len(self.network.hidden)))
        diagram = self.open_stage(*(others or [0]))
        first = self.at_curve.hidden[0].scaled
        plot = self.dosage_plot([*first], "value")
        context = plot.curve(self.curve_x, first, self.colours[0], width=style.CURVE_WIDTH - 2)
        context.set_stroke(opacity=0.35)
        with self.beat(f"The {self.path_names[0]}'s line, from before, stays in the background."):
            self.play(self.aside(), plot.intro(), FadeIn(context), run_time=1.2)
        if not others:
            with self.beat("This network has one hidden node: there is no other path to follow."):
                self.hold()
        elif len(others) == 1:
            self.one_more(diagram, plot, first, others[0])
        else:
            self.the_rest_together(plot, first, others)

    def one_more(self, diagram, plot: Plot, first: np.ndarray, i: int) -> None:
        """The lesson's bottom node, step by step: connection, activation, line, output weight."""
        w, t = self.weights, self.theme
        unit, colour, node = self.network.hidden[i], self.colours[i], self.node_names[i]
        low, high = w.dosage_range
        activations = self.at_curve.hidden[i].activation
        end = self.at(high).hidden[i]
        activation = self.network.hidden_activation
        equation = product_plus_bias(high, unit.weight, unit.bias, float(end.pre_activation), colour, t.text)
        through = Formula(
            [*activation.tex_at(float(end.pre_activation)), "=", float(end.activation)], t.text, style.EQUATION_SIZE
        )
        through.numbers[-1].set_color(colour)
        example = Formula(
            [float(end.activation), r"\times", unit.output_weight, "=", float(end.scaled)],
            t.text,
            style.EQUATION_SIZE,
            number_colors={2: colour, 4: colour},
        )
        place(self.panel(equation, through, example), PANEL_REGION, align=UP)
        with self.beat(
            f"Now the {node}'s connection: dosage times {num(unit.weight)}, plus {num(unit.bias)}, "
            f"then {activation.display_name}. At dosage {num(high)} that gives {num(float(end.activation))}."
        ):
            self.play(Circumscribe(diagram.weight_labels[i], color=colour), Write(equation), run_time=1.5)
            self.play(Write(through), run_time=1.0)

        dosage = ValueTracker(low)
        line = self.swept_curve(plot, dosage, lambda at: at.hidden[i].activation, colour)
        self.add(line)
        kind = line_kind(self.bends.hidden[i], self.inside, smooth=activation.smooth)
        with self.beat(f"Running every dosage through the {node} gives the {kind} orange line."):
            self.grow_then_follow(
                plot,
                dosage,
                high,
                lambda d: np.append(first, self.at(self.up_to(d)).hidden[i].activation),
                run_time=3.5,
                rate_func=linear,
            )

        scale = ValueTracker(1.0)
        factor = unit.output_weight
        line.clear_updaters()
        final = plot.curve(self.curve_x, lambda: activations * scale.get_value(), colour, follows=(scale,))
        self.remove(line)
        self.add(final)
        with self.beat(
            f"Multiplying by {num(factor)} {scaling_verb(factor)}: at dosage {num(high)}, "
            f"{num(float(end.activation))} times {num(factor)} is {num(float(end.scaled))}."
        ):
            self.play(Circumscribe(diagram.out_labels[i], color=colour), run_time=1.0)
            self.grow_then_follow(plot, scale, factor, lambda f: np.concatenate([first, activations * f]), run_time=3.0)
            self.play(Write(example), run_time=1.0)
            self.hold()

    def the_rest_together(self, plot: Plot, first: np.ndarray, others: list[int]) -> None:
        """Many more nodes: their lines drawn together, then scaled together, each in its colour
        (one beat per step, not per node, so the clip stays short)."""
        w = self.weights
        low, high = w.dosage_range
        activations = [self.at_curve.hidden[i].activation for i in others]
        factors = [self.network.hidden[i].output_weight for i in others]
        dosage = ValueTracker(low)
        lines = [
            self.swept_curve(plot, dosage, lambda at, i=i: at.hidden[i].activation, self.colours[i]) for i in others
        ]
        self.add(*lines)
        smooth = self.network.hidden_activation.smooth
        kinds = lines_words([line_kind(self.bends.hidden[i], self.inside, smooth=smooth) for i in others])
        with self.beat(
            f"The {count_words(len(others), 'other node')} do the same with their own weights and biases: "
            f"{kinds}, each in its colour."
        ):
            self.grow_then_follow(
                plot,
                dosage,
                high,
                lambda d: np.concatenate([first, *(self.at(self.up_to(d)).hidden[i].activation for i in others)]),
                run_time=3.5,
                rate_func=linear,
            )

        # One tracker takes every line from its activation (0) to its scaled line (1) at once.
        share = ValueTracker(0.0)
        for line in lines:
            line.clear_updaters()
            self.remove(line)
        finals = [
            plot.curve(
                self.curve_x,
                lambda values=values, f=f: values * (1 + share.get_value() * (f - 1)),
                self.colours[i],
                follows=(share,),
            )
            for i, values, f in zip(others, activations, factors)
        ]
        self.add(*finals)
        weights = VGroup(
            *(
                Formula([r"\text{" + self.node_names[i] + r"}\ \times", f], self.colours[i], style.LABEL_SIZE)
                for i, f in zip(others, factors)
            )
        ).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        place(weights, PANEL_REGION, align=UP)
        with self.beat("Each is multiplied by its own output weight: these are their final lines."):
            self.play(Write(weights), run_time=1.0)
            self.grow_then_follow(
                plot,
                share,
                1.0,
                lambda s: np.concatenate([first, *(v * (1 + s * (f - 1)) for v, f in zip(activations, factors))]),
                run_time=3.0,
            )
            self.hold()
