"""Every activation and its derivative against independent references: the definition
written out element by element, central finite differences, and PyTorch where installed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reluviz.activations import ACTIVATIONS, LeakyReLU, ReLU, Softplus, make_activation, relu, sigmoid, softplus, step

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


# --- Every activation, as one object -------------------------------------------------------

#: Each activation written out element by element from its textbook definition, independent
#: of reluviz: (weights-file name, constructor arguments, f(x), f'(x) away from any bend).
DEFINITIONS = {
    "relu": ({}, lambda x: x if x > 0 else 0.0, lambda x: 1.0 if x > 0 else 0.0),
    "leaky_relu": ({"negative_slope": 0.2}, lambda x: x if x > 0 else 0.2 * x, lambda x: 1.0 if x > 0 else 0.2),
    "softplus": ({}, lambda x: math.log1p(math.exp(x)), lambda x: 1 / (1 + math.exp(-x))),
    "sigmoid": ({}, lambda x: 1 / (1 + math.exp(-x)), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    "tanh": ({}, math.tanh, lambda x: 1 / math.cosh(x) ** 2),
    "identity": ({}, lambda x: x, lambda x: 1.0),
}


def build(name: str):
    arguments, _, _ = DEFINITIONS[name]
    return ACTIVATIONS[name](**arguments)


def test_every_activation_the_weights_file_offers_is_checked_here():
    assert sorted(DEFINITIONS) == sorted(ACTIVATIONS)
    assert sorted(ACTIVATIONS) == ["identity", "leaky_relu", "relu", "sigmoid", "softplus", "tanh"]


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_forward_matches_the_definition_element_by_element(rng, name):
    _, f, _ = DEFINITIONS[name]
    z = with_exact_zeros(rng, (3, 8))
    layer = build(name)
    np.testing.assert_allclose(layer.forward(z), np.vectorize(f)(z), rtol=1e-12, atol=1e-15)
    assert layer.forward(z).shape == (3, 8) and layer(z).shape == (3, 8)


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_backward_matches_finite_differences_with_exact_zeros(rng, name):
    """Central differences everywhere but the bend; at the bend the chosen value."""
    z = with_exact_zeros(rng, (4, 6))
    upstream = rng.normal(size=z.shape)
    layer = build(name)
    layer.forward(z)
    got = layer.backward(upstream)
    numeric = (layer.function(z + H) - layer.function(z - H)) / (2 * H)
    at_bend = z == layer.bend_at if layer.bend_at is not None else np.zeros(z.shape, bool)
    np.testing.assert_allclose(got[~at_bend], upstream[~at_bend] * numeric[~at_bend], rtol=1e-6, atol=1e-8)
    if layer.bend_at is not None:
        assert at_bend.sum() == 6  # the exact zeros, where the slope is a choice
        np.testing.assert_array_equal(got[at_bend], upstream[at_bend] * layer.derivative_at_zero)
    else:  # smooth at 0 too: the two one-sided slopes agree with the derivative there
        _, _, slope = DEFINITIONS[name]
        assert float(layer.derivative(0.0)) == pytest.approx(slope(0.0), abs=1e-12)


@pytest.mark.parametrize("name", ["relu", "leaky_relu"])
def test_the_value_at_the_bend_is_either_one_sided_slope_as_chosen(name):
    left, right = build(name).slopes_beside_bend()
    _, _, slope = DEFINITIONS[name]
    assert (left, right) == (slope(-1.0), slope(1.0))
    for choice in (left, right):
        arguments = {**DEFINITIONS[name][0], "derivative_at_zero": choice}
        assert float(ACTIVATIONS[name](**arguments).derivative(0.0)) == choice
    with pytest.raises(ValueError):
        ACTIVATIONS[name](**{**DEFINITIONS[name][0], "derivative_at_zero": 0.5})


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_each_knows_where_it_bends_and_whether_it_goes_flat(name):
    f = build(name)
    xs = np.linspace(-4.0, 4.0, 801)  # includes 0
    slopes = np.diff(f(xs)) / np.diff(xs)
    corners = xs[1:-1][~np.isclose(slopes[1:], slopes[:-1], rtol=0, atol=1e-6)]
    if f.piecewise_linear:  # straight pieces: slopes change only at the bend
        assert corners.tolist() == ([] if f.bend_at is None else [f.bend_at])
    else:
        assert f.bend_at is None and f.smooth
    assert f.flat_side == bool(np.any(slopes == 0.0))


def test_names_formulas_and_what_the_voice_says():
    shown = {name: (build(name).display_name, build(name).tex, build(name).said) for name in DEFINITIONS}
    assert shown["relu"] == ("ReLU", r"\max(0,\, x)", "ray loo")
    assert shown["leaky_relu"] == ("leaky ReLU", r"\max(0.2\,x,\, x)", "leaky ray loo")
    assert shown["tanh"][2] == "tan h" and shown["softplus"][2] == "soft plus"
    assert shown["identity"][1] == "x"  # not \mathrm{no activation}, which TeX typesets as "noactivation"
    assert all(r"\mathrm" not in tex for _, tex, _ in shown.values())
    # applied to a number, each is written as a function: "no activation(2)" would name none
    written = {name: build(name).written_at("2") for name in DEFINITIONS}
    assert (written["relu"], written["softplus"], written["identity"]) == ("max(0, 2)", "softplus(2)", "identity(2)")
    # the lesson says what ReLU outputs in words; a function without a max form is named instead
    assert build("relu").output_in_words("2") == "the larger of 0 and 2"
    assert build("softplus").output_in_words("2") is None


def test_leaky_relu_defaults_to_pytorchs_slope_and_refuses_slopes_that_are_not_a_leak():
    assert LeakyReLU().negative_slope == 0.01
    assert float(LeakyReLU()(-100.0)) == -1.0
    for slope in (0.0, 1.0, -0.1):
        with pytest.raises(ValueError, match="between 0 and 1"):
            LeakyReLU(slope)


def test_make_activation_by_name_and_only_leaky_relu_takes_a_slope():
    assert make_activation("leaky_relu", 0.1) == LeakyReLU(0.1) != LeakyReLU(0.2)
    assert make_activation("relu") == ReLU() != ReLU(derivative_at_zero=1)
    with pytest.raises(ValueError, match="only leaky_relu"):
        make_activation("relu", 0.1)
    with pytest.raises(ValueError, match="unknown activation"):
        make_activation("gelu")


def torch_reference(torch, name: str):
    functional = torch.nn.functional
    return {
        "relu": torch.relu,
        "leaky_relu": lambda x: functional.leaky_relu(x, negative_slope=0.2),
        "softplus": functional.softplus,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "identity": lambda x: x * 1.0,
    }[name]


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_every_activation_against_pytorch_where_installed(rng, name):
    torch = pytest.importorskip("torch")
    z = with_exact_zeros(rng, (4, 5))  # PyTorch takes the left slope at 0, as our defaults do
    upstream = rng.normal(size=z.shape)
    zt = torch.tensor(z, requires_grad=True)
    out = torch_reference(torch, name)(zt)
    out.backward(torch.tensor(upstream))
    ours = build(name)
    np.testing.assert_allclose(ours.forward(z), out.detach().numpy(), rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(ours.backward(upstream), zt.grad.numpy(), rtol=1e-7, atol=1e-12)
