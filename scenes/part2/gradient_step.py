"""Stage 14: one gradient step, backwards through the diagram the forward stages built. The
error's slope at the output goes through the output activation's gate, to every output weight
and into each node; a node's own gate (ReLU's step, 0 on the kink as stage 13 defined it)
passes it to the node's weight and bias or stops it. Then every parameter moves a little and
the loss at that point is computed again.

The diagram stands top left, the equation of the moment under it, and on the right a ledger of
every weight and bias: its value, then its gradient (in the gradient colour), then its value
after the step.
"""

from __future__ import annotations

from collections.abc import Callable

from manim import DOWN, LEFT, UP, FadeIn, FadeOut, Indicate, Mobject, Transform, VGroup, Write

from reluviz.gradient import GradientStep, NodeGradient, lesson_step
from reluviz.scenes.framework import style
from reluviz.scenes.framework.diagram import NUMBERED_ASIDE_NODES
from reluviz.scenes.framework.network_stage import ASIDE_DIAGRAM, DIAGRAM_REGION, NetworkStage
from reluviz.scenes.framework.style import Theme
from reluviz.scenes.framework.widgets import Formula, Number, Term, place, text_tex, words
from reluviz.words.numbers import moved, precise
from reluviz.words.numbers import shown as num

EQUATION = style.EQUATION_SIZE
#: The columns of the ledger, by their labels' keys: a node's three numbers.
COLUMNS = ("weight", "bias", "output_weight")
#: The ledger's room: the right of the frame.
LEDGER_REGION = (-0.1, 6.85, -3.6, 2.8)
#: A ledger of few rows grows to fill its room, up to this factor (its words then stand larger).
MOST_GROWTH = 1.3
#: Room between a ledger row's value and its gradient, and between rows (scene units).
CELL_GAP, ROW_GAP, COLUMN_GAP = 0.12, 0.32, 0.45


class Ledger(VGroup):
    """Every parameter in a table: a row per hidden node (weight, bias, output weight) and one for
    the output bias. ``values[r][c]`` and ``gradients[r][c]`` are the cells (None where a row
    has no such number); ``gates[r]`` is the word under a row's name, hidden until said."""

    def __init__(
        self, step: GradientStep, names: list[str], theme: Theme, height: float, label: Callable[[str], str]
    ) -> None:
        super().__init__()
        network = step.weights.network
        rows = [(u.weight, u.bias, u.output_weight) for u in network.hidden] + [(None, network.output_bias, None)]
        grads = [(n.weight, n.bias, n.output_weight) for n in step.nodes] + [(None, step.output_bias, None)]
        colours = [*theme.paths[: len(network.hidden)], theme.total]
        gates = [*(n.gate for n in step.nodes), step.output_gate]
        size = style.BODY_SIZE
        self.names = [words(name, colour, size) for name, colour in zip([*names, label("output")], colours)]
        self.gates = [words(label("gate_open" if g else "gate_closed"), theme.muted, style.LABEL_SIZE) for g in gates]
        for word, gate in zip(self.gates, gates):
            word.set_color(theme.clipped if gate == 0 else theme.muted)
        number = lambda value, colour: None if value is None else Number(value, colour, size)  # noqa: E731
        self.values = [[number(v, theme.text) for v in row] for row in rows]
        self.gradients = [
            [None if g is None else Number(precise(g), theme.function, style.LABEL_SIZE) for g in row] for row in grads
        ]
        self.headers = [words(label(c), theme.muted, style.LABEL_SIZE) for c in COLUMNS]
        # the header of the names' column says what the two lines of each cell are
        self.legend = (
            words(label("value"), theme.text, style.LABEL_SIZE),
            words(label("gradient"), theme.function, style.LABEL_SIZE),
        )
        name_width = max(
            max(n.width, g.width) for n, g in zip([*self.names, self.legend[0]], [*self.gates, self.legend[1]])
        )
        widths = [
            max([self.headers[c].width] + [cell.width + 0.6 for row in self.values if (cell := row[c]) is not None])
            for c in range(len(COLUMNS))
        ]
        lefts = [name_width + COLUMN_GAP]
        for width in widths[:-1]:
            lefts.append(lefts[-1] + width + COLUMN_GAP)
        # rows spread over the height given, as far as they are apart at least ROW_GAP
        content = self.names[0].height + self.gates[0].height + CELL_GAP
        row_height = max(content + ROW_GAP, height / (len(self.names) + 1))
        self.legend[0].move_to([0, 0, 0], aligned_edge=UP + LEFT)
        self.legend[1].next_to(self.legend[0], DOWN, buff=CELL_GAP, aligned_edge=LEFT)
        for c, header in enumerate(self.headers):
            header.move_to([lefts[c] + widths[c] / 2, self.legend[0].get_center()[1], 0])
        for r, (name, gate) in enumerate(zip(self.names, self.gates)):
            top = -(r + 1) * row_height
            name.move_to([0, top, 0], aligned_edge=UP + LEFT)
            gate.next_to(name, DOWN, buff=CELL_GAP, aligned_edge=LEFT)
            for c in range(len(COLUMNS)):
                value, gradient = self.values[r][c], self.gradients[r][c]
                if value is not None:
                    value.move_to([lefts[c] + widths[c] / 2, name.get_center()[1], 0])
                    gradient.move_to([lefts[c] + widths[c] / 2, gate.get_center()[1], 0])
        self.add(*self.legend, *self.headers, *self.names, *self.gates)
        self.add(*(cell for row in (*self.values, *self.gradients) for cell in row if cell is not None))

    def cells(self, kind: list[list[Mobject | None]], row: int, *columns: int) -> list[Mobject]:
        return [kind[row][c] for c in columns if kind[row][c] is not None]


def times(x: float) -> list:
    """ "× 3", or "× (−2)" for a negative number: a Formula's multiplication by ``x``."""
    return [r"\times", x] if x >= 0 else [r"\times (", x, ")"]


def fill(mob: Mobject, region: tuple[float, float, float, float]) -> Mobject:
    """``mob`` centred in ``region``, as large as fits (grown at most ``MOST_GROWTH`` times)."""
    left, right, bottom, top = region
    mob.scale(min((right - left) / mob.width, (top - bottom) / mob.height, MOST_GROWTH))
    return place(mob, region)


class GradientStepStage(NetworkStage):
    stage_name = "gradient_step"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        net = w.network
        points = self.inputs.data.points
        step = lesson_step(w, points.dosage, points.effectiveness)
        count = len(net.hidden)
        self.focus = ()
        self.diagram = self._diagram(ASIDE_DIAGRAM, DIAGRAM_REGION)
        if count > NUMBERED_ASIDE_NODES:
            self.diagram.hide_numbers()
        left, right, bottom, top = LEDGER_REGION
        ledger = Ledger(step, [p.capitalize() if count > 2 else p for p in self.places], t, top - bottom, self.label)
        fill(ledger, LEDGER_REGION)
        gradients = [g for row in ledger.gradients for g in row if g is not None]
        for mob in (*gradients, *ledger.gates):
            mob.set_opacity(0.0)

        d, target, out = step.dosage, step.target, precise(step.output)
        panel = self.panel(
            Formula([text_tex(self.label("output_at") + " "), d, "=", out], t.text, EQUATION),
            Formula([text_tex(self.label("target")), "=", target], t.text, EQUATION),
        )
        miss = precise(out - target)
        with self.beat(
            "data_point",
            "One data point: dosage {dosage}, target {target}. The network gives {output}.",
            dosage=num(d),
            target=num(target),
            output=num(out),
        ):
            self.play(Write(self.title()), FadeIn(self.diagram), FadeIn(ledger), run_time=1.2)
            self.play(Write(panel), run_time=1.0)

        slope = precise(step.error_slope)
        if step.loss == 0:
            with self.beat(
                "no_loss", "The output hits the target: the loss is 0, and so is every gradient. Nothing to learn."
            ):
                self.hold()
            return
        panel = self._swap_panel(
            panel,
            Formula(
                [text_tex(self.label("loss")) + " = (", out, Term(-target), r")^2 =", precise(step.loss)],
                t.text,
                EQUATION,
            ),
            Formula(
                [text_tex(self.label("loss_slope") + " ") + r" 2\,(", out, Term(-target), ") =", slope],
                t.text,
                EQUATION,
            ),
        )
        with self.beat(
            "loss",
            "A miss of {miss}: the loss is {loss}, its slope {slope}.",
            miss=num(miss),
            loss=num(precise(step.loss)),
            slope=num(slope),
        ):
            self.play(self.diagram.animate.emphasize("output"), run_time=0.6)
            self.play(Write(panel), run_time=1.2)

        g = precise(step.output_bias)
        name = net.output_activation.named(self.label)
        gate = self._gate(net.output_activation, step.biased, step.output_gate)
        if step.output_gate == 0:
            panel = self._swap_panel(panel, gate)
            with self.beat(
                "output_closed",
                "The output {activation}'s slope at {x} is 0: its gate is closed, "
                "so no weight or bias learns from this point.",
                activation=name,
                x=num(step.biased),
            ):
                self.play(Write(panel), ledger.gates[-1].animate.set_opacity(1.0), run_time=1.2)
                self.hold()
            return
        panel = self._swap_panel(panel, gate, Formula([slope, *times(step.output_gate), "=", g], t.text, EQUATION))
        bias_cells = ledger.cells(ledger.gradients, count, 1)
        with self.beat(
            "output_bias",
            "Through the output {activation}, slope {slope} at {x}: the output bias gets {gradient}.",
            activation=name,
            slope=num(step.output_gate),
            x=num(step.biased),
            gradient=num(g),
        ):
            self.play(Write(panel), ledger.gates[-1].animate.set_opacity(1.0), run_time=1.2)
            self.play(*(cell.animate.set_opacity(1.0) for cell in bias_cells), run_time=0.8)

        outputs = [Formula([precise(n.output), *times(g), "=", precise(n.output_weight)], colour, EQUATION)
                   for n, colour in zip(step.nodes, self.colours)]  # fmt: skip
        each = ", ".join(f"{place} {num(precise(n.output_weight))}" for place, n in zip(self.places, step.nodes))
        if count <= 2:
            said = "output_weights", "Each output weight gets its node's output times {gradient}: {each}."
        else:
            said = "output_weights_all", "Each output weight gets its node's output times {gradient}."
        each_output = Formula([text_tex(self.label("node_output_factor")), *times(g)], t.text, EQUATION)
        panel = self._swap_panel(panel, *(outputs if count <= 2 else [each_output]))
        with self.beat(*said, gradient=num(g), each=each):
            self.play(self.diagram.animate.emphasize(*range(count), "output"), Write(panel), run_time=1.2)
            cells = [c for r in range(count) for c in ledger.cells(ledger.gradients, r, 2)]
            self.play(*(c.animate.set_opacity(1.0) for c in cells), run_time=0.8)

        if count <= 2:
            for i, node in enumerate(step.nodes):
                panel = self._node_beat(ledger, panel, step, i, node)
        else:
            panel = self._nodes_beat(ledger, panel, step)

        rate = precise(step.rate)
        after = step.stepped.network
        befores = [(u.weight, u.bias, u.output_weight) for u in net.hidden] + [(None, net.output_bias, None)]
        nows = [(u.weight, u.bias, u.output_weight) for u in after.hidden] + [(None, after.output_bias, None)]
        changes = []
        for r, (before, now) in enumerate(zip(befores, nows)):
            for c in range(len(COLUMNS)):
                if before[c] is not None:
                    value = ledger.values[r][c]
                    new = Number(moved(before[c], now[c]), t.text, style.LABEL_SIZE).move_to(value)
                    changes.append(Transform(value, new))
        panel = self._swap_panel(
            panel,
            Formula(
                [text_tex(self.label("value")) + " -", rate, r"\times " + text_tex(self.label("gradient"))],
                t.text,
                EQUATION,
            ),
        )
        closed = [place for place, n in zip(self.places, step.nodes) if n.closed]
        moves = "One step: each weight and bias moves by minus {rate} times its gradient."
        who = ""
        if not closed:
            stepped = "step", moves
        elif count <= 2 or len(closed) == 1:  # "The third node's stay put", not "The one closed node stay put"
            stepped, who = (
                ("step_still", moves + " The {who}'s stay put."),
                self.label("named_node", place=self.joined(closed)),
            )
        else:
            stepped, who = (
                ("step_still_many", moves + " The {who} stay put."),
                self.counted(len(closed), "closed_nodes"),
            )
        with self.beat(*stepped, rate=num(rate), **({"who": who} if who else {})):
            self.play(self.diagram.animate.emphasize(*range(count), "output"), Write(panel), run_time=1.0)
            self.play(*changes, *(FadeOut(g) for g in gradients), run_time=1.5)

        new_out, new_loss = moved(out, step.new_output), precise(step.new_loss)
        panel = self._swap_panel(
            panel,
            Formula([text_tex(self.label("output_at") + " "), d, "=", new_out], t.text, EQUATION),
            Formula([text_tex(self.label("loss")) + " =", new_loss], t.total, EQUATION),
        )
        lower = self.label("falls" if step.new_loss < step.loss else "rises")
        with self.beat(
            "after",
            "The output is now {output}, and the loss {falls_or_rises} to {loss}. Training repeats this step.",
            output=num(new_out),
            falls_or_rises=lower,
            loss=num(new_loss),
        ):
            self.play(Write(panel), run_time=1.0)
            self.play(Indicate(panel[1], color=t.total), run_time=1.0)
            self.hold()

    def _gate(self, activation, x: float, slope: float) -> Formula:
        """ "ReLU'(6.3) = 1": an activation's slope at a node's input, how much gradient passes."""
        name = r"\mathrm{" + activation.function_name.replace(" ", r"\ ") + "}'("
        return Formula([name, x, ") =", slope], self.theme.text, EQUATION)

    def _swap_panel(self, old: VGroup, *lines: Mobject) -> VGroup:
        """The panel's next lines, in the panel's place; the old ones leave now."""
        self.remove(old)
        return self.panel(*lines)

    def _node_beat(self, ledger: Ledger, panel: VGroup, step: GradientStep, i: int, node: NodeGradient) -> VGroup:
        """Into one hidden node: its gate, and what reaches its weight and bias (the lesson's two nodes)."""
        t, net, place = self.theme, self.network, self.places[i]
        activation = net.hidden_activation
        act = activation.named(self.label)
        g, v = precise(step.output_bias), net.hidden[i].output_weight
        gate = self._gate(activation, node.x, node.gate)
        through = [g, *times(v)] + ([] if node.gate == 1 else times(precise(node.gate)))
        lines = [gate]
        values = {"place": place, "activation": act, "x": num(node.x), "slope": num(node.gate)}
        if node.closed:
            on_kink = activation.bend_at is not None and node.x == activation.bend_at
            where = "sits on the kink, where stage 13 set" if on_kink else "input {x} gives"
            beat = "node_on_kink" if on_kink else "node_closed"
            caption = "The {place} node " + where + " {activation}'s slope to {slope}: "
            caption += "its gate is closed, its weight and bias get nothing."
        else:
            db, dw = precise(node.bias), precise(node.weight)
            lines += [
                Formula([*through, "=", db], self.colours[i], EQUATION),
                Formula([db, *times(step.dosage), "=", dw], self.colours[i], EQUATION),
            ]
            gate = precise(node.gate)
            gate_words = (
                self.label("gate_is_open")
                if gate == 1
                else self.label("gate_all_but_closed")
                if gate == 0
                else self.label("gate_passes", slope=num(gate))
            )
            beat = "node_open"
            caption = "The {place} node's gate {gate}: its bias gets {bias}, its weight {bias} × {dosage} = {weight}."
            values |= {"gate": gate_words, "bias": num(db), "dosage": num(step.dosage), "weight": num(dw)}
        panel = self._swap_panel(panel, *lines)
        with self.beat(beat, caption, **values):
            self.play(self.diagram.animate.emphasize(i), Write(panel), ledger.gates[i].animate.set_opacity(1.0))
            cells = ledger.cells(ledger.gradients, i, 0, 1)
            self.play(*(c.animate.set_opacity(1.0) for c in cells), run_time=0.8)
            if node.closed:
                self.play(*(Indicate(c, color=t.clipped) for c in cells), run_time=1.0)
        return panel

    def _nodes_beat(self, ledger: Ledger, panel: VGroup, step: GradientStep) -> VGroup:
        """Into every hidden node at once (three or more): open gates pass, closed ones stop."""
        count, activation = len(step.nodes), self.network.hidden_activation
        g = precise(step.output_bias)
        closed = [i for i, n in enumerate(step.nodes) if n.closed]
        panel = self._swap_panel(
            panel,
            Formula(
                [
                    g,
                    r"\times "
                    + text_tex(" " + self.label("output_weight"))
                    + r" \times "
                    + text_tex(self.label("slope")),
                ],
                self.theme.text,
                EQUATION,
            ),
            Formula(
                [text_tex(self.label("that")) + r" \times", step.dosage, text_tex(" " + self.label("for_the_weight"))],
                self.theme.text,
                EQUATION,
            ),
        )
        caption = (
            "Into each node: {gradient} times its output weight times {activation}'s slope at its "
            "input reaches its bias, and that times {dosage} its weight."
        )
        beat, closed_words = "into_nodes", {}
        if closed:
            beat = "into_nodes_closed"
            caption += (
                " {closed} {are} closed (the input at or below {activation}'s bend): "
                "those weights and biases get nothing."
            )
            closed_words = {
                "closed": self.counted(len(closed), "gates").capitalize(),
                "are": self.label("is" if len(closed) == 1 else "are"),
            }
        with self.beat(
            beat,
            caption,
            gradient=num(g),
            activation=activation.named(self.label),
            dosage=num(step.dosage),
            **closed_words,
        ):
            self.play(Write(panel), *(gate.animate.set_opacity(1.0) for gate in ledger.gates[:count]))
            cells = [c for r in range(count) for c in ledger.cells(ledger.gradients, r, 0, 1)]
            self.play(*(c.animate.set_opacity(1.0) for c in cells), run_time=1.0)
        return panel
