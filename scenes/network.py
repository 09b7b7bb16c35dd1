"""Stage 5: the dosage data and the network that fits it, every weight and bias labelled."""

from __future__ import annotations

from manim import Create, FadeIn, GrowArrow, LaggedStart, Write

from reluviz.data import load_dataset
from reluviz.numbers import shown as num
from reluviz.scenes import style
from reluviz.scenes.base import StoryScene
from reluviz.scenes.diagram import NetworkDiagram
from reluviz.scenes.narration import activation_name
from reluviz.scenes.plots import Plot
from reluviz.scenes.widgets import place

#: Regions of the frame (left, right, bottom, top), scene units.
DIAGRAM_REGION = (-6.85, 1.3, -3.7, 2.9)
DATA_REGION = (1.9, 6.85, -3.0, 2.6)


class Network(StoryScene):
    stage_name = "network"

    def construct(self) -> None:
        t, w = self.theme, self.inputs.weights
        title = self.title()
        self.play(Write(title), run_time=1.0)

        # The network takes the left of the frame, large; the data it fits, the right.
        diagram = NetworkDiagram(w, t, width=7.2, height=4.4, font_size=style.BODY_SIZE, node_scale=1.3)
        place(diagram, DIAGRAM_REGION)
        if w.data_path is not None:
            data = load_dataset(w.data_path)
            plot = Plot(
                [*data.dosage, *w.dosage_range],
                data.effectiveness,
                t,
                width=3.0,
                height=2.8,
                x_name="dosage",
                y_name="effectiveness",
                x_ticks=2,
                y_ticks=2,
            )
            place(plot, DATA_REGION)
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

        hidden, out = activation_name(w.hidden_activation), activation_name(w.output_activation)
        with self.beat(
            f"The network: the dosage goes to two hidden nodes, each using {hidden}; "
            f"their results meet in the output node, which uses {out}."
        ):
            self.play(FadeIn(diagram.input), FadeIn(diagram.input_name), run_time=0.6)
            self.play(
                Create(diagram.edges["top_in"]),
                Create(diagram.edges["bottom_in"]),
                FadeIn(diagram.top),
                FadeIn(diagram.bottom),
                run_time=1.2,
            )
            self.play(
                Create(diagram.edges["top_out"]),
                Create(diagram.edges["bottom_out"]),
                FadeIn(diagram.output),
                GrowArrow(diagram.output_arrow),
                run_time=1.2,
            )
            self.wait()

        labels = diagram.labels
        with self.beat(
            f"On the way to the top node the dosage is multiplied by {num(w.top.weight)}, "
            f"then {num(w.top.bias)} is added."
        ):
            self.play(FadeIn(labels["top_in"]), FadeIn(labels["top_bias"]), run_time=0.8)
            self.wait()
        with self.beat(f"To the bottom node: times {num(w.bottom.weight)}, plus {num(w.bottom.bias)}."):
            self.play(FadeIn(labels["bottom_in"]), FadeIn(labels["bottom_bias"]), run_time=0.8)
            self.wait()
        with self.beat(
            f"Into the output: the top node's result times {num(w.top_output_weight)}, the bottom's "
            f"times {num(w.bottom_output_weight)}, added together with the bias {num(w.output_bias)}."
        ):
            self.play(
                FadeIn(labels["top_out"]), FadeIn(labels["bottom_out"]), FadeIn(labels["output_bias"]), run_time=0.8
            )
            self.wait()
        with self.beat("Every weight and bias is labelled. Next: follow one dosage through the network."):
            self.hold()
