"""The story network's numbers (STORY.md), its bends, and its backward pass."""

from __future__ import annotations

import numpy as np
import pytest

from reluviz.network import StoryNetwork, bends, curve_dosages, parameter_vector, trace, with_parameters
from reluviz.weights import load_weights


@pytest.fixture(scope="module")
def relu_net():
    return load_weights("relu")


def test_dosage_zero_through_the_top_node(relu_net):
    t = trace(relu_net, 0.0)
    assert float(t.top.pre_activation) == pytest.approx(0 * 1.70 - 0.85)
    assert float(t.top.activation) == 0.0
    assert float(t.biased) == pytest.approx(-16.0)
    assert float(t.output) == 0.0


def test_outputs_at_low_middle_high_dosage_form_the_pointy_thing(relu_net):
    out = trace(relu_net, np.array([0.0, 0.5, 1.0])).output
    # by hand at 0.5: top node at its bend (0), bottom 12.6 * 0.5 * 2.70 = 17.01, minus 16
    assert out == pytest.approx([0.0, 12.6 * 0.5 * 2.70 - 16, 0.0])
    assert np.round(out, 2).tolist() == [0.0, 1.01, 0.0]


def test_softplus_network_fits_the_same_data():
    out = trace(load_weights("softplus"), np.array([0.0, 0.5, 1.0])).output
    assert out == pytest.approx([0.0, 1.03, 0.0], abs=0.02)


def test_array_trace_equals_one_dosage_at_a_time(relu_net, rng):
    dosages = rng.uniform(0, 1, size=25)
    whole = trace(relu_net, dosages).columns()
    for i, d in enumerate(dosages):
        single = trace(relu_net, d).columns()
        for name in whole:
            assert whole[name][i] == pytest.approx(float(single[name]))


def test_bends_are_exact(relu_net):
    b = bends(relu_net)
    assert b.top == pytest.approx(0.85 / 1.70) == pytest.approx(0.5)
    assert b.bottom == 0.0
    # Output bends: biased sum = 0. Before 0.5 only the bottom path is on: 34.02 d - 16.
    # After 0.5 the top path adds -40.8 * (1.7 d - 0.85).
    left = 16 / (12.6 * 2.70)
    right = (16 - 40.8 * 0.85) / (12.6 * 2.70 - 40.8 * 1.7)
    assert b.output == pytest.approx((left, right))
    assert float(trace(relu_net, left).biased) == pytest.approx(0.0, abs=1e-12)


def test_curve_dosages_put_a_vertex_on_every_corner(relu_net):
    xs = curve_dosages(relu_net)
    b = bends(relu_net)
    for corner in (b.top, *b.output):
        assert np.min(np.abs(xs - corner)) < 1e-12
    assert xs[0] == 0.0 and xs[-1] == 1.0
    # between vertices every stage is straight: midpoints equal the average of the ends
    mids = (xs[:-1] + xs[1:]) / 2
    ends = trace(relu_net, xs).output
    assert trace(relu_net, mids).output == pytest.approx((ends[:-1] + ends[1:]) / 2)


def test_softplus_has_no_corners_and_gets_samples():
    sp = load_weights("softplus")
    b = bends(sp)
    assert (b.hidden, b.output) == ((None, None), ())
    assert len(curve_dosages(sp)) > 100


def test_backward_matches_finite_differences_of_the_loss(relu_net, rng):
    """Whole-network gradient check, at dosages away from every kink."""
    for weights in (relu_net, load_weights("softplus")):
        dosages = np.array([0.1, 0.3, 0.49, 0.5005, 0.52, 0.9])
        targets = np.array([0.0, 0.2, 0.9, 1.0, 0.6, 0.0])

        def loss(vector: np.ndarray) -> float:
            out = trace(with_parameters(weights, vector), dosages).output
            return 0.5 * float(np.sum((out - targets) ** 2))

        net = StoryNetwork(weights)
        out = net.forward(dosages).output
        grad = net.backward(out - targets)
        theta = parameter_vector(weights)
        numeric = np.zeros_like(theta)
        for i in range(len(theta)):
            step = np.zeros_like(theta)
            step[i] = 1e-6
            numeric[i] = (loss(theta + step) - loss(theta - step)) / 2e-6
        assert grad.shape == (7,)  # 3 per hidden node and the output bias
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)
