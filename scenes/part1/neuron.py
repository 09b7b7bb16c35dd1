"""Stage 2: a single neuron. Inputs times weights on the edges, plus the bias, through ReLU."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Circle, Create, FadeIn, GrowArrow, Indicate, Line, VGroup, Write

from reluviz.activations import make_activation
from reluviz.neuron import neuron_forward
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.diagram import ActivationInset
from reluviz.scenes.framework.widgets import Formula, Number, Term
from reluviz.words.numbers import shown as num


def factor(value: float) -> list:
    """A number as a factor in a product: negative ones in brackets."""
    return ["(", value, ")"] if value < 0 else [value]


class Neuron(StoryScene):
    stage_name = "neuron"

    def construct(self) -> None:
        t = self.theme
        example = self.inputs.lesson.neuron
        trace = neuron_forward(example.inputs, example.weights, example.bias, example.activation)
        name = make_activation(trace.activation).named(self.label)
        title = self.title()
        self.play(Write(title), run_time=1.0)

        body = Circle(radius=0.75, color=t.function, stroke_width=style.EDGE_WIDTH).move_to(RIGHT * 1.6 + UP * 0.9)
        inset = ActivationInset(make_activation(trace.activation), t.function, t, width=0.9, height=0.6).move_to(body)
        count = len(trace.inputs)
        ys = np.linspace(1.3, -1.3, count) + 0.9 if count > 1 else np.array([0.9])
        nodes, edges, weight_labels, input_labels = VGroup(), VGroup(), VGroup(), VGroup()
        for x, w, y in zip(trace.inputs, trace.weights, ys):
            node = Circle(radius=0.5, color=t.text, stroke_width=style.EDGE_WIDTH).move_to(LEFT * 3.6 + UP * y)
            nodes.add(node)
            input_labels.add(Number(x, t.highlight, style.LABEL_SIZE).move_to(node))
            edge = Line(node.get_right(), body.get_center(), color=t.muted, stroke_width=style.EDGE_WIDTH)
            edge.put_start_and_end_on(
                node.get_right(), body.point_at_angle(np.angle(complex(*(node.get_center() - body.get_center())[:2])))
            )
            edges.add(edge)
            label = Formula([r"\times", w], t.function, style.LABEL_SIZE, buff=0.08)
            label.move_to(edge.point_from_proportion(0.45) + UP * 0.35 * (1 if y >= ys.mean() else -1))
            weight_labels.add(label)
        bias_label = Formula([Term(trace.bias)], t.function, style.LABEL_SIZE, buff=0.08).next_to(body, UP, buff=0.2)
        out_arrow = Arrow(
            body.get_right(), body.get_right() + RIGHT * 2.0, buff=0.1, color=t.function, stroke_width=style.EDGE_WIDTH
        )

        inputs_said = self.joined([num(x) for x in trace.inputs])
        with self.beat("inputs", "A neuron receives the inputs {inputs}.", inputs=inputs_said):
            self.play(*(Create(n) for n in nodes), *(FadeIn(n) for n in input_labels), run_time=1.0)
            self.play(*(Create(e) for e in edges), Create(body), FadeIn(inset), run_time=1.2)

        products = []
        for x, w, p in zip(trace.inputs, trace.weights, trace.products):
            products.append(Formula([*factor(x), r"\times", *factor(w), "=", p], t.text, style.EQUATION_SIZE))
        product_rows = VGroup(*products).arrange(DOWN, buff=0.3, aligned_edge=LEFT).move_to(DOWN * 1.9 + LEFT * 1.0)
        said = f", {self.label('and')} ".join(
            self.label("product", x=num(x), w=num(w), p=num(p))
            for x, w, p in zip(trace.inputs, trace.weights, trace.products)
        )
        with self.beat(
            "products", "Each input is multiplied by the weight on its connection: {products}.", products=said
        ):
            self.play(*(FadeIn(w) for w in weight_labels), run_time=0.8)
            for product, label in zip(products, weight_labels):
                self.play(Indicate(label, color=t.highlight), Write(product), run_time=1.0)

        total = ["x", "="]
        for i, p in enumerate(trace.products):
            total += factor(p) if i == 0 else [Term(p)]
        total += [Term(trace.bias), "=", trace.pre_activation]
        sum_row = Formula(total, t.text, style.EQUATION_SIZE, number_colors={len(total) - 1: t.highlight})
        sum_row.next_to(product_rows, DOWN, buff=0.45).align_to(product_rows, LEFT)
        with self.beat(
            "sum", "Add the products and the bias, {bias}: x = {x}.", bias=num(trace.bias), x=num(trace.pre_activation)
        ):
            self.play(FadeIn(bias_label), run_time=0.6)
            self.play(Write(sum_row), run_time=1.5)
            self.wait()

        result = Formula(
            [r"\mathrm{" + name + "}(", trace.pre_activation, ")", "=", trace.output],
            t.text,
            style.EQUATION_SIZE,
            number_colors={1: t.highlight, 4: t.function},
        )
        result.next_to(out_arrow, DOWN, buff=0.3).align_to(out_arrow, LEFT)
        output = Number(trace.output, t.function, style.EQUATION_SIZE).next_to(out_arrow, RIGHT, buff=0.2)
        fate = self.label("is_positive" if trace.pre_activation > 0 else "not_positive")
        with self.beat(
            "activation",
            "Then {activation}: {activation}({x}) = {y}; {fate}. This output is what the next neurons receive.",
            activation=name,
            x=num(trace.pre_activation),
            y=num(trace.output),
            fate=fate,
        ):
            self.play(Indicate(inset, color=t.highlight), run_time=0.8)
            self.play(GrowArrow(out_arrow), Write(result), run_time=1.0)
            self.play(FadeIn(output, shift=RIGHT * 0.2), run_time=0.6)
            self.hold()
