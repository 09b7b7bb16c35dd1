"""ReLU, softplus and their derivatives against independent references: the definition
written out element by element, central finite differences, and PyTorch where installed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reluviz.activations import ReLU, Softplus, relu, sigmoid, softplus, step

H = 1e-6


def with_exact_zeros(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    z = rng.normal(scale=3.0, size=shape)
    z.flat[::4] = 0.0  # exact zeros: where ReLU bends and the derivative is a choice
    return z


@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 5)])
def test_relu_forward_is_max_of_zero_and_input(rng, shape):
    z = with_exact_zeros(rng, shape)
    by_hand = np.array([x if x > 0 else 0.0 for x in z.ravel()]).reshape(shape)
    assert np.array_equal(ReLU().forward(z), by_hand)
    assert np.array_equal(relu(z), by_hand)
    assert relu(-0.85) == 0.0 and relu(1.69) == 1.69


@pytest.mark.parametrize("shape", [(9,), (4, 6)])
def test_relu_backward_matches_finite_differences_away_from_zero(rng, shape):
    z = with_exact_zeros(rng, shape)
    upstream = rng.normal(size=shape)
    layer = ReLU()
    layer.forward(z)
    got = layer.backward(upstream)
    slope = (relu(z + H) - relu(z - H)) / (2 * H)
    away = z != 0
    assert away.sum() > 0 and (~away).sum() > 0
    np.testing.assert_allclose(got[away], upstream[away] * slope[away], atol=1e-8)
    assert np.all(got[~away] == 0.0)  # the lesson's class: slope 0 at the bend


def test_relu_derivative_at_zero_is_the_chosen_one_sided_slope(rng):
    z = with_exact_zeros(rng, (12,))
    upstream = rng.normal(size=12)
    layer = ReLU(derivative_at_zero=1)
    layer.forward(z)
    got = layer.backward(upstream)
    zeros = z == 0
    np.testing.assert_array_equal(got[zeros], upstream[zeros])
    # the two one-sided slopes at the bend are exactly the two allowed choices
    assert (relu(0.0) - relu(-H)) / H == 0.0
    assert (relu(H) - relu(0.0)) / H == pytest.approx(1.0)
    with pytest.raises(ValueError):
        ReLU(derivative_at_zero=0.5)


@pytest.mark.parametrize("at_zero", [0, 1])
def test_relu_slopes_beside_the_bend_match_finite_differences(at_zero):
    left, right = ReLU(derivative_at_zero=at_zero).slopes_beside_bend()
    assert left == pytest.approx((relu(-2.0) - relu(-2.0 - H)) / H, abs=1e-9)
    assert right == pytest.approx((relu(2.0 + H) - relu(2.0)) / H)


def test_step_is_the_derivative_with_a_choice_at_zero():
    assert list(step([-2.0, 0.0, 3.0])) == [0.0, 0.0, 1.0]
    assert list(step([-2.0, 0.0, 3.0], at_zero=1)) == [0.0, 1.0, 1.0]


def test_softplus_forward_matches_the_formula_and_stays_finite(rng):
    z = with_exact_zeros(rng, (5, 5))
    by_hand = np.vectorize(lambda x: math.log(1.0 + math.exp(x)))(z)
    np.testing.assert_allclose(Softplus().forward(z), by_hand, rtol=1e-12)
    assert softplus(0.0) == pytest.approx(math.log(2))
    extremes = softplus(np.array([-1000.0, 1000.0]))
    assert np.all(np.isfinite(extremes)) and extremes[0] == 0.0 and extremes[1] == 1000.0


@pytest.mark.parametrize("shape", [(10,), (3, 3, 2)])
def test_softplus_backward_matches_finite_differences(rng, shape):
    z = with_exact_zeros(rng, shape)
    upstream = rng.normal(size=shape)
    layer = Softplus()
    layer.forward(z)
    slope = (softplus(z + H) - softplus(z - H)) / (2 * H)
    np.testing.assert_allclose(layer.backward(upstream), upstream * slope, atol=1e-7)
    assert sigmoid(0.0) == 0.5 and np.all(np.isfinite(sigmoid(np.array([-1e4, 1e4]))))


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError):
        ReLU().backward(np.ones(3))


def test_against_pytorch_where_installed(rng):
    torch = pytest.importorskip("torch")
    z = with_exact_zeros(rng, (4, 5))
    upstream = rng.normal(size=z.shape)
    for ours, theirs in ((ReLU(), torch.relu), (Softplus(), torch.nn.functional.softplus)):
        zt = torch.tensor(z, requires_grad=True)
        out = theirs(zt)
        out.backward(torch.tensor(upstream))
        np.testing.assert_allclose(ours.forward(z), out.detach().numpy(), atol=1e-7)
        np.testing.assert_allclose(ours.backward(upstream), zt.grad.numpy(), atol=1e-7)
