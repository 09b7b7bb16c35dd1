"""Stage 5: the dosage data and the network that fits it, every weight and bias labelled."""

from __future__ import annotations

from manim import DOWN, Create, FadeIn, GrowArrow, LaggedStart, Write

from reluviz.data import load_dataset
from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.base import StoryScene
from reluviz.scenes.diagram import NetworkDiagram
from reluviz.scenes.narration import count_words
from reluviz.scenes.plots import Plot
from reluviz.scenes.widgets import place

#: Regions of the frame (left, right, bottom, top), scene units.
DIAGRAM_REGION = (-6.85, 1.3, -3.7, 2.9)
DATA_REGION = (1.9, 6.85, -3.0, 2.6)
#: More than two nodes: their numbers need a wider diagram, and the data gives way.
WIDE_DIAGRAM_REGION = (-6.85, 2.0, -3.7, 2.9)
NARROW_DATA_REGION = (2.45, 6.85, -3.0, 2.6)
#: How much larger the data is drawn while it is on screen alone.
DATA_ALONE = 1.7


class Network(StoryScene):
    stage_name = "network"

    def construct(self) -> None:
        t, w = self.theme, self.inputs.weights
        title = self.title()
        self.play(Write(title), run_time=1.0)

        # The network takes the left of the frame, large; the data it fits, the right.
        many = len(w.network.hidden) > 2  # more numbers in the same room: the label size
        diagram = NetworkDiagram(
            w,
            t,
            width=8.2 if many else 7.2,
            height=4.4,
            font_size=style.LABEL_SIZE if many else style.BODY_SIZE,
            node_scale=1.3,
        )
        place(diagram, WIDE_DIAGRAM_REGION if many else DIAGRAM_REGION)
        if w.data_path is not None:
            data = load_dataset(w.data_path)
            plot = Plot(
                [*data.dosage, *w.dosage_range],
                data.effectiveness,
                t,
                width=2.3 if many else 3.0,
                height=2.8,
                x_name="dosage",
                y_name="effectiveness",
                x_ticks=2,
                y_ticks=2,
            )
            place(plot, NARROW_DATA_REGION if many else DATA_REGION)
            beside = plot.get_center()
            plot.scale(DATA_ALONE)  # the data alone first, large and in the middle; then beside the network
            plot.shift(DOWN * 0.4 - plot.box.get_center())
            dots = [plot.dot(x, y, t.text, radius=0.1) for x, y in zip(data.dosage, data.effectiveness)]
            low, high = min(data.dosage), max(data.dosage)
            caption = (
                f"The data: {len(dots)} dosages from {num(low)} to {num(high)}, each with how effective it "
                f"was, from {num(min(data.effectiveness))} to {num(max(data.effectiveness))}."
            )
            with self.beat(caption):
                self.play(plot.intro(), run_time=1.0)
                self.play(LaggedStart(*(FadeIn(d, scale=1.6) for d in dots), lag_ratio=0.3), run_time=1.2)
                self.wait()

        network = w.network
        count = len(network.hidden)
        hidden, out = network.hidden_activation.display_name, network.output_activation.display_name
        nodes = "one hidden node, using" if count == 1 else f"{count_words(count, 'hidden node')}, each using"
        with self.beat(
            f"The network: the dosage goes to {nodes} {hidden}; their results meet in the output node, "
            f"which uses {out}."
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

        names = ["top node", "bottom node"] if count == 2 else ["hidden node"]
        if count <= 2:  # the lesson's pace: one beat per connection
            for i, (unit, name) in enumerate(zip(network.hidden, names)):
                with self.beat(
                    f"On the way to the {name} the dosage is multiplied by {num(unit.weight)}, "
                    f"then {num(unit.bias)} is added."
                ):
                    self.play(FadeIn(diagram.weight_labels[i]), FadeIn(diagram.bias_labels[i]), run_time=0.8)
                    self.wait()
        else:  # many nodes: one beat for them all
            with self.beat(
                "On the way to each hidden node the dosage is multiplied by that connection's weight, "
                "then its bias is added."
            ):
                self.play(*(FadeIn(label) for label in (*diagram.weight_labels, *diagram.bias_labels)), run_time=0.8)
                self.wait()
        if count == 2:
            top, bottom = network.hidden
            into = (
                f"Into the output: the top node's result times {num(top.output_weight)}, the bottom's times "
                f"{num(bottom.output_weight)}, added together with the bias {num(network.output_bias)}."
            )
        else:
            into = (
                f"Into the output: each node's result times its output weight, added together with the bias "
                f"{num(network.output_bias)}."
            )
        with self.beat(into):
            self.play(*(FadeIn(label) for label in diagram.out_labels), FadeIn(diagram.output_bias), run_time=0.8)
            self.wait()
        with self.beat("Every weight and bias is labelled. Next: follow one dosage through the network."):
            self.hold()
