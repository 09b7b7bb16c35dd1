"""Stage 6: a dosage travels the first hidden node's connection (the top one in the lesson),
(dosage x weight) + bias, and lands as a coordinate on the x-axis of that node's activation
function."""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    Indicate,
    Line,
    MoveAlongPath,
    Transform,
    VGroup,
    Write,
)

from reluviz.scenes.framework import style
from reluviz.scenes.framework.network_stage import LARGE_FUNCTION, PLOT_REGION, UNDER_RAISED, NetworkStage
from reluviz.scenes.framework.widgets import Formula, Number, place, text_tex
from reluviz.words.numbers import shown as num
from reluviz.words.numbers import term


class InputToXAxis(NetworkStage):
    stage_name = "input_to_x_axis"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        diagram = self.open_stage(0)
        first, colour, name = self.network.hidden[0], self.colours[0], self.node_names[0]
        dosage = w.dosage_low
        x = float(self.at(dosage).hidden[0].pre_activation)

        given = Number(dosage, t.text, style.SMALL_SIZE).move_to(diagram.input)
        given.add_updater(lambda number: number.move_to(diagram.input))  # stays in the node as the diagram moves
        traveller = Dot(diagram.input.get_center(), radius=0.08, color=colour)
        with self.beat(
            "follow",
            "Follow the lowest dosage, {dosage}, along the connection to the {node}.",
            dosage=num(dosage),
            node=name,
        ):
            self.play(FadeIn(given, scale=1.4), run_time=0.6)
            self.play(MoveAlongPath(traveller, diagram.edges_in[0].copy()), run_time=1.2)
            self.play(FadeOut(traveller), Indicate(diagram.hidden[0], color=colour, scale_factor=1.1), run_time=0.6)

        equation = self.connection(dosage, 0)
        in_panel = self.panel(equation.copy())  # where it goes when the plot needs the room
        place(equation, UNDER_RAISED)  # first under the diagram, still large
        with self.beat(
            "connection",
            "The connection multiplies it by {weight} and adds {bias}: ({dosage} × {weight}) {plus_bias} = {x}.",
            weight=num(first.weight),
            bias=num(first.bias),
            dosage=num(dosage),
            plus_bias=term(first.bias),
            x=num(x),
        ):
            self.play(self.raise_up(), Write(equation[:-2]), run_time=1.5)
            self.play(FadeIn(equation[-2:]), run_time=0.6)
            self.wait()

        pre = self.at_curve.hidden[0].pre_activation
        plot, function = self.activation_plot(w.network.hidden_activation, pre, colour, PLOT_REGION, *LARGE_FUNCTION)
        landing = plot.dot(x, 0.0, t.highlight, radius=0.1)
        landing_label = plot.label_point(Number(x, t.highlight, style.LABEL_SIZE), landing.get_center(), [function])
        with self.beat(
            "coordinate",
            "{x} is a coordinate on the x-axis of the {node}'s {function} function.",
            x=num(x),
            node=name,
            function=w.network.hidden_activation.function_name,
        ):
            self.play(self.aside(), Transform(equation, in_panel[0]), run_time=1.0)
            self.play(plot.intro(), Create(function), run_time=1.5)
            self.play(FadeIn(landing, scale=2.0), FadeIn(landing_label), run_time=0.8)
            self.play(Flash(landing, color=t.highlight), run_time=0.8)

        low_x, high_x = sorted((float(pre[0]), float(pre[-1])))
        span = Line(plot.c2p(low_x, 0.0), plot.c2p(high_x, 0.0), color=colour, stroke_width=10)
        # The slice's ends in words under the equation: on the plot they would cross its lines.
        ends_row = Formula(
            ["x" + text_tex(" " + self.label("from") + " "), low_x, text_tex(" " + self.label("to") + " "), high_x],
            t.text,
            style.LABEL_SIZE,
        )
        VGroup(*ends_row.numbers).set_color(colour)
        ends_row.next_to(equation, DOWN, buff=0.45).align_to(equation, LEFT)
        if low_x == high_x:
            beat, slice_said = (
                "one_point",
                "Every dosage from {low} to {high} lands on {low_x}: "
                "this connection's weight is 0, so it picks a single point of the activation function.",
            )
        else:
            beat, slice_said = (
                "slice",
                "Every dosage from {low} to {high} lands somewhere between {low_x} and {high_x} on this axis: "
                "the connection picks that slice of the activation function.",
            )
        with self.beat(
            beat,
            slice_said,
            low=num(w.dosage_low),
            high=num(w.dosage_high),
            low_x=num(low_x),
            high_x=num(high_x),
        ):
            self.play(Create(span), run_time=1.0)
            self.play(FadeIn(ends_row), run_time=0.8)
            self.hold()
