"""Stage 4: the class view. Forward: A = max(0, Z) on a small matrix. Backward:
dL/dZ = dL/dA times step(Z), an element-wise mask."""

from __future__ import annotations

from manim import DOWN, RIGHT, FadeIn, FadeOut, Indicate, SurroundingRectangle, Transform, VGroup, Write

from reluviz.activations import ReLU, step
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.widgets import NumberMatrix, place, tex

FORWARD_ROW = (-6.75, 6.75, 0.3, 2.9)
BACKWARD_ROW = (-6.75, 6.75, -3.6, -0.6)


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

        z_matrix = NumberMatrix(Z, t.text)
        a_matrix = NumberMatrix(Z, t.text)  # starts as a copy of Z, becomes A
        forward = VGroup(
            tex("Z =", t.text, style.EQUATION_SIZE),
            z_matrix,
            tex(r"\;\Rightarrow\; A = \max(0, Z) =", t.text, style.EQUATION_SIZE),
            a_matrix,
        )
        place(forward.arrange(RIGHT, buff=0.3), FORWARD_ROW)
        with self.beat("Forward: the layer gets a matrix Z of pre-activations."):
            self.play(FadeIn(forward[:2]), run_time=1.0)
        clipped = [(r, c) for r in range(Z.shape[0]) for c in range(Z.shape[1]) if Z[r, c] < 0]
        with self.beat("A = max(0, Z), element by element: negative entries become 0, the rest pass unchanged."):
            self.play(Write(forward[2]), FadeIn(a_matrix), run_time=1.2)
            self.play(*(Indicate(a_matrix.entries[r][c], color=t.clipped) for r, c in clipped), run_time=1.0)
            targets = NumberMatrix(A, t.text).move_to(a_matrix)
            for r, c in clipped:
                targets.entries[r][c].set_color(t.clipped)
            self.play(*(Transform(a_matrix.entries[r][c], targets.entries[r][c]) for r, c in clipped), run_time=1.0)
            self.wait()

        grad = NumberMatrix(dLdA, t.text)
        mask_matrix = NumberMatrix(mask, t.function)
        result = NumberMatrix(dLdZ, t.text)
        backward = VGroup(
            tex(r"\frac{dL}{dZ} =", t.text, style.EQUATION_SIZE),
            grad,
            tex(r"\odot", t.text, style.EQUATION_SIZE),
            mask_matrix,
            tex("=", t.text, style.EQUATION_SIZE),
            result,
        )
        place(backward.arrange(RIGHT, buff=0.25), BACKWARD_ROW)
        labels = VGroup(
            tex(r"\frac{dL}{dA}", t.muted, style.LABEL_SIZE).next_to(grad, DOWN, buff=0.2),
            tex(r"\mathrm{step}(Z)", t.muted, style.LABEL_SIZE).next_to(mask_matrix, DOWN, buff=0.2),
        )
        with self.beat("Backward: the gradient dL/dA arrives from the layer above."):
            self.play(FadeIn(backward[:2]), FadeIn(labels[0]), run_time=1.0)
        with self.beat("step(Z) is 1 where Z > 0 and 0 elsewhere (Z = 0 included): a mask."):
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
            "Multiplying element by element lets the gradient through where the input was positive "
            "and blocks it everywhere else."
        ):
            self.play(Write(backward[4]), FadeIn(result), run_time=1.2)
            self.play(*(Indicate(result.entries[r][c], color=t.clipped) for r, c in blocked), run_time=1.0)
            self.hold()
