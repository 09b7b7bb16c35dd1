"""The lesson's single neuron: inputs 1.2 and -0.9, weights 0.5 and -1.1, bias 0.1."""

from __future__ import annotations

import pytest

from reluviz.files.lesson import load_lesson
from reluviz.neuron import neuron_forward


def test_lesson_example_products_sum_and_relu():
    n = load_lesson().neuron
    assert (n.inputs, n.weights, n.bias) == ((1.2, -0.9), (0.5, -1.1), 0.1)
    trace = neuron_forward(n.inputs, n.weights, n.bias, n.activation)
    assert trace.products == pytest.approx((0.6, 0.99))
    # The lesson writes 0.6 + 0.99 + 0.1 = 1.49; the sum is 1.69 (an arithmetic slip in
    # the source). The videos show the true sum, so this is the number we hold them to.
    assert trace.pre_activation == pytest.approx(0.6 + 0.99 + 0.1)
    assert trace.pre_activation == pytest.approx(1.69)
    assert trace.output == trace.pre_activation  # positive: ReLU passes it unchanged


def test_negative_sum_is_clipped_and_lengths_must_match():
    assert neuron_forward([1.0, 1.0], [-1.0, -1.0], 0.5).output == 0.0
    assert neuron_forward([2.0], [1.0], 0.0, "softplus").output == pytest.approx(2.126928)
    with pytest.raises(ValueError):
        neuron_forward([1.0, 2.0], [1.0], 0.0)
