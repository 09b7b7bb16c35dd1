"""Stage 4: the class view. Forward: A = max(0, Z) on a small matrix. Backward:
dL/dZ = dL/dA times step(Z), an element-wise mask.

Each beat's matrices fill the picture: Z alone and large first; then A under it, entry under
entry; then the forward line moves up to make room for the backward one."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, FadeIn, FadeOut, Indicate, Restore, SurroundingRectangle, Transform, VGroup, Write

from reluviz.activations import ReLU, step
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.widgets import Number, NumberMatrix, place, tex

#: The picture under the title, and its two rows once the backward pass arrives.
PICTURE = (-6.75, 6.75, -3.6, 2.9)
FORWARD_ROW = (-6.75, 6.75, 0.3, 2.9)
BACKWARD_ROW = (-6.75, 6.75, -3.6, -0.6)
#: Room under the backward row for the names of its matrices (dL/dA, step(Z)).
NAMES_HEIGHT = 0.9
#: Every matrix's entries at the formulas' size, in cells this wide and tall (scene units).
CELL = (1.3, 0.85)
#: The forward pass, while it is the subject (A under Z), this much larger than in its row; Z
#: alone, as the stage opens, larger still.
STACKED_SCALE = 1.15
OPENING_SCALE = 1.7


def matrix(values, color: str) -> NumberMatrix:
    return NumberMatrix(values, color, style.EQUATION_SIZE, *CELL)


class ForwardBackward(StoryScene):
    stage_name = "forward_backward"

    def construct(self) -> None:
        t = self.theme
        lesson = self.inputs.lesson
        layer = ReLU()
        Z, dLdA = lesson.Z, lesson.dLdA
        A = layer.forward(Z)
        mask = step(Z, layer.derivative_at_zero)
        dLdZ = layer.backward(dLdA)
        self.play(Write(self.title()), run_time=1.0)

        z_matrix = matrix(Z, t.text)
        a_matrix = matrix(Z, t.text)  # starts as a copy of Z, becomes A
        z_line = VGroup(tex("Z =", t.text, style.EQUATION_SIZE), z_matrix)
        rule = tex(r"\;\Rightarrow\; A = \max(0, Z) =", t.text, style.EQUATION_SIZE)
        z_line[0].next_to(z_matrix, LEFT, buff=0.3)
        forward = (z_line, rule, a_matrix)
        # larger while it is the subject: A under Z, entry under entry, each named on its left
        a_matrix.next_to(z_matrix, DOWN, buff=0.5)
        rule.next_to(a_matrix, LEFT, buff=0.3)
        place(VGroup(*forward).scale(STACKED_SCALE), PICTURE)
        z_line.save_state()
        # and first Z alone, larger still, in the middle of the picture
        place(z_line.scale(OPENING_SCALE / STACKED_SCALE), PICTURE)  # a lesson's larger Z: as large as fits
        with self.beat("forward", "Forward: the layer gets a matrix Z of pre-activations."):
            self.play(FadeIn(z_line), run_time=1.0)
        clipped = [(r, c) for r in range(Z.shape[0]) for c in range(Z.shape[1]) if Z[r, c] < 0]
        with self.beat(
            "clip", "A = max(0, Z), element by element: negative entries become 0, the rest pass unchanged."
        ):
            self.play(Restore(z_line), run_time=0.8)
            self.play(Write(rule), FadeIn(a_matrix), run_time=1.2)
            self.play(*(Indicate(a_matrix.entries[r][c], color=t.clipped) for r, c in clipped), run_time=1.0)
            targets = [
                Number(A[r, c], t.clipped, style.EQUATION_SIZE).scale(STACKED_SCALE).move_to(a_matrix.entries[r][c])
                for r, c in clipped
            ]
            self.play(
                *(Transform(a_matrix.entries[r][c], zero) for (r, c), zero in zip(clipped, targets)), run_time=1.0
            )
            self.wait()

        grad = matrix(dLdA, t.text)
        mask_matrix = matrix(mask, t.function)
        result = matrix(dLdZ, t.text)
        backward = VGroup(
            tex(r"\frac{dL}{dZ} =", t.text, style.EQUATION_SIZE),
            grad,
            tex(r"\odot", t.text, style.EQUATION_SIZE),
            mask_matrix,
            tex("=", t.text, style.EQUATION_SIZE),
            result,
        )
        labels = VGroup(
            tex(r"\frac{dL}{dA}", t.muted, style.LABEL_SIZE), tex(r"\mathrm{step}(Z)", t.muted, style.LABEL_SIZE)
        )
        # the names under their matrices, at their own size however much a wide matrix shrinks the row
        left, right, bottom, top = BACKWARD_ROW
        place(backward.arrange(RIGHT, buff=0.25), (left, right, bottom + NAMES_HEIGHT, top))
        for name, above in zip(labels, (grad, mask_matrix)):
            name.next_to(above, DOWN, buff=0.2)
        # the forward line makes room for the backward one: one row at the top, at the formulas' size
        row = VGroup(*(part.copy().scale(1 / STACKED_SCALE) for part in forward)).arrange(RIGHT, buff=0.3)
        place(row, FORWARD_ROW)
        with self.beat("backward", "Backward: the gradient dL/dA arrives from the layer above."):
            self.play(*(Transform(part, there) for part, there in zip(forward, row)), run_time=0.8)
            self.play(FadeIn(backward[:2]), FadeIn(labels[0]), run_time=1.0)
        with self.beat("mask", "step(Z) is 1 where Z > 0 and 0 elsewhere (Z = 0 included): a mask."):
            self.play(Write(backward[2]), FadeIn(mask_matrix), FadeIn(labels[1]), run_time=1.2)
            boxes = VGroup(
                *(
                    SurroundingRectangle(z_matrix.entries[r][c], color=t.function, buff=0.06)
                    for r in range(Z.shape[0])
                    for c in range(Z.shape[1])
                    if Z[r, c] > 0
                )
            )
            self.play(FadeIn(boxes), run_time=0.6)
            self.play(FadeOut(boxes), run_time=0.4)
        blocked = [(r, c) for r in range(Z.shape[0]) for c in range(Z.shape[1]) if mask[r, c] == 0]
        with self.beat(
            "gate",
            "Multiplying element by element lets the gradient through where the input was positive "
            "and blocks it everywhere else.",
        ):
            self.play(Write(backward[4]), FadeIn(result), run_time=1.2)
            self.play(*(Indicate(result.entries[r][c], color=t.clipped) for r, c in blocked), run_time=1.0)
            self.hold()
