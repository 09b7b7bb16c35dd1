"""Stage 7: the top node's activation turns the x-axis coordinate into a y-axis coordinate
(a negative input gives 0: a blue dot at the lowest dosage); sweeping the dosage traces the bent
blue line."""

from __future__ import annotations

from manim import (
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Flash,
    Indicate,
    ValueTracker,
    Write,
    linear,
)

from reluviz.activations import Activation
from reluviz.scenes.framework import style
from reluviz.scenes.framework.network_stage import LARGE_FUNCTION, PLOT_REGION, NetworkStage
from reluviz.scenes.framework.widgets import Formula, text_tex
from reluviz.words.numbers import shown as num


class ReluClipping(NetworkStage):
    stage_name = "relu_clipping"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        activation, colour = w.network.hidden_activation, self.colours[0]
        name = activation.function_name
        self.open_stage(0)
        low, high = w.dosage_range
        first = self.at(low).hidden[0]
        x0, y0 = float(first.pre_activation), float(first.activation)
        inputs = self.at_curve.hidden[0].pre_activation
        # the activation large beside the diagram while it is the subject, then small in the panel
        # (where it goes when the dosage plot needs the room), the rule above it
        function_plot, function, x_dot, y_dot, rule = self.through_activation(activation, inputs, x0, colour)
        large_plot, large_function = self.activation_plot(activation, inputs, colour, PLOT_REGION, *LARGE_FUNCTION)
        large_x, large_y = large_plot.dot(x0, 0.0, t.highlight, radius=0.1), large_plot.dot(x0, y0, colour, radius=0.12)
        with self.beat(
            "input",
            "For dosage {dosage} the {node}'s input is {x}.",
            dosage=num(low),
            node=self.node_names[0],
            x=num(x0),
        ):
            self.play(self.aside(), large_plot.intro(), Create(large_function), run_time=1.2)
            self.play(FadeIn(large_x, scale=2.0), run_time=0.6)

        in_words = activation.output_in_words(num(x0), self.label)
        if in_words:
            beat, said = "output", "{activation} outputs {in_words}: {written} = {y}, a y-axis coordinate."
        else:
            beat, said = "output_formula", "{function}({x}) = {y}: the y-axis coordinate."
        large, small = [large_plot, large_function, large_x, large_y], [function_plot, function, x_dot, y_dot]
        with self.beat(
            beat,
            said,
            activation=activation.named(self.label),
            in_words=in_words or "",
            written=activation.written_at(num(x0)),
            function=name,
            x=num(x0),
            y=num(y0),
        ):
            self.play(Write(rule), run_time=1.2)
            if y0 != 0:
                large.append(DashedLine(large_x.get_center(), large_y.get_center(), color=t.muted))
                small.append(DashedLine(x_dot.get_center(), y_dot.get_center(), color=t.muted))
                self.play(Create(large[-1]), run_time=0.6)
            self.play(FadeIn(large_y, scale=2.0), Indicate(rule[-1], color=colour), run_time=0.8)

        activations = self.at_curve.hidden[0].activation
        plot = self.dosage_plot([*activations], self.label("node_output", node=self.node_names[0]))
        start_dot = plot.dot(low, y0, colour, radius=0.11)
        with self.beat(
            "first_dot",
            "So at dosage {dosage} the {path} gives {y}: a blue dot.",
            dosage=num(low),
            path=self.path_names[0],
            y=num(y0),
        ):
            self.play(*(FadeOut(m) for m in large), *(FadeIn(m) for m in small), run_time=0.8)
            self.play(plot.intro(), run_time=1.0)
            self.play(FadeIn(start_dot, scale=2.0), Flash(start_dot, color=colour), run_time=0.9)

        dosage = ValueTracker(low)
        line = self.swept_curve(plot, dosage, lambda at: at.hidden[0].activation, colour)

        node = lambda: self.at(dosage.get_value()).hidden[0]
        node_input, node_output = lambda: float(node().pre_activation), lambda: float(node().activation)
        x_dot.track(node_input, 0.0, follows=(dosage,))
        y_dot.track(node_input, node_output, follows=(dosage,))
        moving = plot.dot(dosage.get_value, node_output, colour, 0.11, follows=(dosage,))
        with self.beat(
            "sweep",
            "Doing the same for every dosage up to {high} traces the {path}'s line, ending at {end}.",
            high=num(high),
            path=self.path_names[0],
            end=num(float(activations[-1])),
        ):
            self.add(line, moving)
            self.play(FadeOut(rule), dosage.animate.set_value(high), run_time=4.5, rate_func=linear)

        b = self.inside(self.bends.hidden[0])
        beat, said = bend_words(activation, self.bends.hidden[0], b)
        bend = {} if self.bends.hidden[0] is None else {"bend": num(self.bends.hidden[0])}
        with self.beat(beat, said, activation=activation.named(self.label), node=self.node_names[0], **bend):
            if b is not None:
                corner = plot.dot(b, float(self.at(b).hidden[0].activation), t.highlight, radius=0.08)
                corner_label = plot.label_point(
                    Formula([text_tex(self.label("bend_at") + " "), b], t.text, style.SMALL_SIZE),
                    corner.get_center(),
                    [line],
                )
                self.play(FadeIn(corner, scale=2.0), FadeIn(corner_label), run_time=0.8)
            self.hold()


def bend_words(function: Activation, bend: float | None, inside: float | None) -> tuple[str, str]:
    """What the first path's line does, in words (the beat's name and caption): bends at a
    dosage, stays straight, or curves.

    ``bend`` is where the node's input crosses the activation's bend (None: never);
    ``inside`` is that dosage when it lies inside the range drawn. Its placeholders: {activation},
    {node} and (when there is one) {bend}.
    """
    if function.bend_at is None and function.piecewise_linear:
        return "straight", "With {activation} the {node} passes its input on: the line stays straight."
    if function.bend_at is None:
        return "curves", "{activation} is smooth, so the line curves instead of bending."
    if bend is None:
        return "flat", "The {node}'s input is the same for every dosage, so its line is flat."
    if inside is None:
        return (
            "bend_outside",
            "The {node}'s input crosses 0 only at dosage {bend}, outside the range drawn, "
            "so here its line does not bend.",
        )
    if function.flat_side:
        return "bends", "It bends at dosage {bend}, where the {node}'s input crosses 0: the bent blue line."
    return (
        "bends_never_flat",
        "It bends at dosage {bend}, where the {node}'s input crosses 0: the bent blue line, never flat.",
    )
