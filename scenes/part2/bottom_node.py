"""Stage 9: the other hidden nodes. In the lesson's network, dosages through the bottom node
give the orange line (off the screen at first, so the view follows); multiplied by its
output weight it becomes the final one. More nodes do the same together, each in its
colour, one beat per step rather than per node; with one node there is no other path."""

from __future__ import annotations

import numpy as np
from manim import Circumscribe, FadeIn, ValueTracker, Write, linear

from reluviz.network import NetworkTrace
from reluviz.scenes.framework import style
from reluviz.scenes.framework.narration import line_kind, lines_words, scaling_verb
from reluviz.scenes.framework.network_stage import NetworkStage
from reluviz.scenes.framework.widgets import Formula, text_tex
from reluviz.words.numbers import shown as num


class BottomNode(NetworkStage):
    stage_name = "bottom_node"

    def construct(self) -> None:
        t, others = self.theme, list(range(1, len(self.network.hidden)))
        diagram = self.open_stage(*(others or [0]))
        first = self.at_curve.hidden[0].scaled
        plot = self.dosage_plot([*first], self.label("value"))
        context = plot.curve(self.curve_x, first, self.colours[0], width=style.CURVE_WIDTH - 2)
        context.set_stroke(opacity=0.35)
        with self.beat(
            "background", "The {path}'s line, from before, stays in the background.", path=self.path_names[0]
        ):
            self.play(self.aside(), plot.intro(), FadeIn(context), run_time=1.2)
        if not others:
            with self.beat("no_other", "This network has one hidden node: there is no other path to follow."):
                self.hold()
            return

        lesson = len(others) == 1  # the lesson's bottom node, its numbers on the diagram
        high = self.weights.dosage_high
        ends = [self.at(high).hidden[i] for i in others]
        factors = [self.network.hidden[i].output_weight for i in others]
        # Each node at the top dosage, "activation x output weight = final value"
        examples = [
            Formula(
                [float(end.activation), r"\times", f, "=", float(end.scaled)],
                t.text,
                style.EQUATION_SIZE if lesson else style.LABEL_SIZE,
                number_colors=dict.fromkeys((2, 4) if lesson else (0, 2, 4), self.colours[i]),
            )
            for i, end, f in zip(others, ends, factors)
        ]
        if lesson:  # step by step: the connection and the activation at the top dosage, then the line
            i, end, activation = others[0], ends[0], self.network.hidden_activation
            unit, colour = self.network.hidden[i], self.colours[i]
            parts = [*activation.tex_at(float(end.pre_activation)), "=", float(end.activation)]
            through = Formula(parts, t.text, style.EQUATION_SIZE, number_colors={len(parts) - 1: colour})
            equation = self.connection(high, i)
            self.panel(equation, through, *examples)
            with self.beat(
                "connection",
                "Now the {place} connection: dosage times {weight}, plus {bias}, then {activation}. "
                "At dosage {dosage} that gives {y}.",
                place=self.places[i],
                weight=num(unit.weight),
                bias=num(unit.bias),
                activation=activation.named(self.label),
                dosage=num(high),
                y=num(float(end.activation)),
            ):
                self.play(Circumscribe(diagram.weight_labels[i], color=colour), Write(equation), run_time=1.5)
                self.play(Write(through), run_time=1.0)
            with_lines, when_scaled = [], examples
        else:  # each node's line's end written as the line is drawn, the rest as it is scaled
            at_words = Formula([text_tex(self.label("at_dosage") + " "), high], t.muted, style.LABEL_SIZE)
            self.panel(at_words, *examples, buff=0.2)
            with_lines, when_scaled = [at_words, *(e[0] for e in examples)], [e[1:] for e in examples]

        def lines(at: NetworkTrace, share: float) -> list[np.ndarray]:
            """The other nodes' lines, ``share`` of the way from their activations to their final lines."""
            return [at.hidden[i].activation * (1 + share * (f - 1)) for i, f in zip(others, factors)]

        # Each line is drawn as the dosage sweeps; then one tracker scales every line at once.
        dosage, share = ValueTracker(self.weights.dosage_low), ValueTracker(0.0)
        for k, i in enumerate(others):
            self.add(
                self.swept_curve(plot, dosage, lambda at, k=k: lines(at, share.get_value())[k], self.colours[i], share)
            )
        kinds = [line_kind(self.network.hidden_activation, self.bends.hidden[i], self.inside) for i in others]
        if lesson:
            swept = ("orange_line", "Running every dosage through the {node} gives the {kind} orange line.")
        else:
            swept = (
                "other_lines",
                "The {others} do the same with their own weights and biases: {lines}, each in its colour.",
            )
        with self.beat(
            *swept,
            node=self.node_names[others[0]],
            kind=self.label(f"kind_{kinds[0]}"),
            others=self.counted(len(others), "other_nodes"),
            lines=lines_words(kinds, self),
        ):
            self.grow_then_follow(
                plot,
                dosage,
                high,
                lambda d: np.concatenate([first, *lines(self.at(self.up_to(d)), 0.0)]),
                run_time=3.5,
                rate_func=linear,
            )
            if with_lines:
                self.play(*(Write(m) for m in with_lines), run_time=0.8)

        if lesson:
            scaled = (
                "scaled",
                "Multiplying by {weight} {what_it_does}: at dosage {dosage}, {y} times {weight} is {final}.",
            )
        else:
            scaled = (
                "all_scaled",
                "Each is multiplied by its own output weight: at dosage {dosage}, these are their final values.",
            )
        with self.beat(
            *scaled,
            weight=num(factors[0]),
            what_it_does=scaling_verb(factors[0], self.label),
            dosage=num(high),
            y=num(float(ends[0].activation)),
            final=num(float(ends[0].scaled)),
        ):
            if lesson:
                self.play(Circumscribe(diagram.out_labels[others[0]], color=self.colours[others[0]]), run_time=1.0)
            self.grow_then_follow(
                plot, share, 1.0, lambda s: np.concatenate([first, *lines(self.at_curve, s)]), run_time=3.0
            )
            self.play(*(Write(m) for m in when_scaled), run_time=1.0)
            self.hold()
