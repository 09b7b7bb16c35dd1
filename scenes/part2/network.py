"""Stage 5: the dosage data and the network that fits it, every weight and bias labelled."""

from __future__ import annotations

from manim import DOWN, Create, FadeIn, GrowArrow, LaggedStart, Write

from reluviz.scenes.framework import style
from reluviz.scenes.framework.diagram import LESSON_NODES, NetworkDiagram
from reluviz.scenes.framework.network_stage import NetworkStage
from reluviz.scenes.framework.plots import Plot
from reluviz.scenes.framework.widgets import place
from reluviz.words.numbers import shown as num

#: Up to the lesson's two nodes, then more: the network's region, its width, the size of its
#: words, and the data's region and width (more nodes' numbers need more room; the data gives
#: way).
LAYOUTS = (
    ((-6.85, 1.3, -3.7, 2.9), 7.2, style.BODY_SIZE, (1.9, 6.85, -3.0, 2.6), 3.0),
    ((-6.85, 2.0, -3.7, 2.9), 8.2, style.LABEL_SIZE, (2.45, 6.85, -3.0, 2.6), 2.3),
)
#: How much larger the data is drawn while it is on screen alone.
DATA_ALONE = 1.7


class Network(NetworkStage):
    stage_name = "network"

    def construct(self) -> None:
        t, w, network = self.theme, self.weights, self.network
        count = len(network.hidden)
        self.play(Write(self.title()), run_time=1.0)

        # The network takes the left of the frame, large; the data it fits, the right.
        region, width, font_size, data_region, data_width = LAYOUTS[count > LESSON_NODES]
        diagram = place(NetworkDiagram(network, t, width, 4.4, font_size, 1.3, self.label("dosage")), region)
        if w.data_path is not None:
            drawn = self.inputs.data
            data = drawn.points
            dosages = [*data.dosage, *w.dosage_range]
            plot = Plot(
                dosages,
                data.effectiveness,
                t,
                data_width,
                2.8,
                self.label("dosage"),
                self.label("effectiveness"),
                x_ticks=2,
                y_ticks=2,
            )
            place(plot, data_region)
            beside = plot.get_center()
            plot.scale(DATA_ALONE).shift(DOWN * 0.4 - plot.box.get_center())  # first alone, large, in the middle
            dots = [plot.dot(x, y, t.text, radius=0.1) for x, y in zip(data.dosage, data.effectiveness)]
            caption = (
                "The data: {rows} dosages from {low} to {high}, each with how effective it was, from {least} to {most}."
            )
            name = "data"
            if drawn.thinned:  # a large data file: a sample of it drawn
                name, caption = "data_sampled", caption + " A sample of {drawn} of them is drawn."
            with self.beat(
                name,
                caption,
                rows=f"{drawn.rows:,}",
                low=num(min(data.dosage)),
                high=num(max(data.dosage)),
                least=num(min(data.effectiveness)),
                most=num(max(data.effectiveness)),
                drawn=f"{len(dots):,}",
            ):
                self.play(plot.intro(), run_time=1.0)
                self.play(LaggedStart(*(FadeIn(d, scale=1.6) for d in dots), lag_ratio=0.3), run_time=1.2)
                self.wait()

        nodes = self.counted(count, "hidden_nodes")
        with self.beat(
            "network",
            "The network: the dosage goes to {nodes} {hidden}; their results meet in the output node, "
            "which uses {output}.",
            nodes=nodes,
            hidden=network.hidden_activation.named(self.label),
            output=network.output_activation.named(self.label),
        ):
            data_aside = [plot.animate.scale(1 / DATA_ALONE).move_to(beside)] if w.data_path else []
            self.play(*data_aside, FadeIn(diagram.input), FadeIn(diagram.input_name), run_time=0.8)
            self.play(*(Create(e) for e in diagram.edges_in), *(FadeIn(n) for n in diagram.hidden), run_time=1.2)
            self.play(
                *(Create(e) for e in diagram.edges_out),
                FadeIn(diagram.output),
                GrowArrow(diagram.output_arrow),
                run_time=1.2,
            )
            self.wait()

        # The lesson's pace, one beat per connection (the second said shorter, as the lesson
        # does); with more nodes, one beat for them all.
        for nodes in [[i] for i in range(count)] if count <= 2 else [range(count)]:
            unit, name = network.hidden[nodes[0]], self.node_names[nodes[0]]
            if len(nodes) > 1:
                beat, said = (
                    "connections",
                    "On the way to each hidden node the dosage is multiplied by that connection's weight, "
                    "then its bias is added.",
                )
            elif nodes == [1]:
                beat, said = "second_connection", "To the {node}: times {weight}, plus {bias}."
            else:
                beat, said = (
                    "first_connection",
                    "On the way to the {node} the dosage is multiplied by {weight}, then {bias} is added.",
                )
            with self.beat(beat, said, node=name, weight=num(unit.weight), bias=num(unit.bias)):
                labels = [label for i in nodes for label in (diagram.weight_labels[i], diagram.bias_labels[i])]
                self.play(*(FadeIn(label) for label in labels), run_time=0.8)
                self.wait()
        # as the lesson says it: "the top node's result times a, the bottom's times b"
        first, *rest = network.hidden
        results = [self.label("first_result", node=self.node_names[0], weight=num(first.output_weight))]
        results += [
            self.label("next_result", place=place, weight=num(unit.output_weight))
            for unit, place in zip(rest, self.places[1:])
        ]
        into = ", ".join(results) if count <= 2 else self.label("each_result")
        with self.beat(
            "into_output",
            "Into the output: {into}, added together with the bias {bias}.",
            into=into,
            bias=num(network.output_bias),
        ):
            self.play(*(FadeIn(label) for label in diagram.out_labels), FadeIn(diagram.output_bias), run_time=0.8)
            self.wait()
        with self.beat("labelled", "Every weight and bias is labelled. Next: follow one dosage through the network."):
            self.hold()
