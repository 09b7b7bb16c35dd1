"""One step of gradient descent on one data point, every intermediate number kept.

The loss is the squared error ``(output - target)^2``. Backwards from it: its slope at the
output, ``2 (output - target)``, goes through the output activation's gate (its
derivative at the sum plus bias) to the output bias; each output weight's gradient is that
times its node's output; into each node it is multiplied by the node's output weight and
goes through the node's own gate (its activation's derivative at its x-axis coordinate:
ReLU's step(Z), 0 at exactly 0 as stage 13 defines it), and becomes the node's bias
gradient, and times the dosage its weight gradient. Then every parameter moves
``p - rate * gradient``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reluviz.model import Weights
from reluviz.network import StoryNetwork, parameter_vector, with_parameters

#: The step the stage takes, as a share of the error it would remove if the output were a
#: straight function of the parameters: 0.5 halves the error (and quarters the loss).
ERROR_SHARE_REMOVED = 0.5


@dataclass(frozen=True)
class NodeGradient:
    """One hidden node's part of the backward pass at one dosage."""

    x: float  # weight * dosage + bias: the x-axis coordinate of its activation
    output: float  # activation(x): what it sends to the output
    gate: float  # the activation's derivative at x: how much of the gradient passes back through it
    arriving: float  # the loss's gradient at the node's output (output weight * the output's gradient)
    weight: float  # gradient of the loss with respect to the node's weight
    bias: float  # ... its bias
    output_weight: float  # ... its output weight

    @property
    def closed(self) -> bool:
        """No gradient passes the node's gate: its weight and bias learn nothing from this point."""
        return self.gate == 0


@dataclass(frozen=True)
class GradientStep:
    """Forward values, loss, every gradient and every updated parameter for one data point."""

    weights: Weights
    dosage: float
    target: float
    rate: float
    nodes: tuple[NodeGradient, ...]
    summed: float  # the sum of every node's output times its output weight
    biased: float  # summed + output bias: the output activation's input
    output: float
    loss: float  # (output - target)^2
    error_slope: float  # dLoss/dOutput = 2 (output - target)
    output_gate: float  # the output activation's derivative at ``biased``
    output_bias: float  # gradient of the loss with respect to the output bias
    stepped: Weights  # every parameter moved: p - rate * gradient
    new_output: float
    new_loss: float

    @property
    def gradient(self) -> np.ndarray:
        """Every gradient in ``reluviz.network.parameter_vector``'s order."""
        return _in_parameter_order(self.nodes, self.output_bias)

    def as_dict(self) -> dict:
        """Plain numbers, keyed as ``reluviz gradient --json`` prints them."""
        names = self.weights.network.unit_names()
        after = self.stepped.network
        return {
            "weights": str(self.weights.path),
            "dosage": self.dosage,
            "target": self.target,
            "rate": self.rate,
            "forward": {
                "nodes": [{"node": name, "x": node.x, "output": node.output} for name, node in zip(names, self.nodes)],
                "sum": self.summed,
                "sum_plus_bias": self.biased,
                "output": self.output,
            },
            "loss": self.loss,
            "gradient": {
                "output": self.error_slope,
                "output_gate": self.output_gate,
                "output_bias": self.output_bias,
                "nodes": [
                    {
                        "node": name,
                        "gate": node.gate,
                        "weight": node.weight,
                        "bias": node.bias,
                        "output_weight": node.output_weight,
                    }
                    for name, node in zip(names, self.nodes)
                ],
            },
            "after": {
                "nodes": [
                    {"node": name, "weight": unit.weight, "bias": unit.bias, "output_weight": unit.output_weight}
                    for name, unit in zip(names, after.hidden)
                ],
                "output_bias": after.output_bias,
                "output": self.new_output,
                "loss": self.new_loss,
            },
        }


def gradient_step(weights: Weights, dosage: float, target: float, rate: float) -> GradientStep:
    """The forward pass at ``dosage``, the loss against ``target``, the backward pass and one step."""
    network = weights.network
    forward = StoryNetwork(weights).forward(float(dosage))
    output = float(forward.output)
    error_slope = 2.0 * (output - target)
    output_gate = float(network.output_activation.derivative(forward.biased))
    at_output = error_slope * output_gate + 0.0  # a closed gate passes 0, not -0.0
    nodes = []
    for unit, node in zip(network.hidden, forward.hidden):
        x, y = float(node.pre_activation), float(node.activation)
        gate = float(network.hidden_activation.derivative(x))
        arriving = at_output * unit.output_weight
        through = arriving * gate
        # + 0.0: a closed gate gives 0, not -0.0, whatever the sign of what arrived
        nodes.append(NodeGradient(x, y, gate, arriving, through * dosage + 0.0, through + 0.0, at_output * y + 0.0))
    output_bias = at_output
    gradient = _in_parameter_order(nodes, output_bias)
    stepped = with_parameters(weights, parameter_vector(weights) - rate * gradient)
    new_output = float(StoryNetwork(stepped).forward(float(dosage)).output)
    return GradientStep(
        weights, float(dosage), float(target), float(rate), tuple(nodes), float(forward.summed),
        float(forward.biased), output, (output - target) ** 2, error_slope, output_gate, output_bias,
        stepped, new_output, (new_output - target) ** 2,
    )  # fmt: skip


def _in_parameter_order(nodes, output_bias: float) -> np.ndarray:
    """The gradients in ``reluviz.network.parameter_vector``'s order."""
    return np.array(
        [
            *(g for node in nodes for g in (node.weight, node.bias)),
            *(node.output_weight for node in nodes),
            output_bias,
        ]
    )


def output_sensitivity(step: GradientStep) -> float:
    """How fast the output moves as the step's rate grows, per unit of rate, divided by the
    error's slope: the squared length of the output's gradient with respect to the parameters."""
    if step.error_slope == 0:
        return 0.0
    return float(np.sum((step.gradient / step.error_slope) ** 2))


def teaching_rate(step: GradientStep) -> float:
    """A learning rate, one significant digit, that removes about ``ERROR_SHARE_REMOVED`` of the
    error at this point: large enough for the step to show, small enough not to overshoot."""
    sensitivity = output_sensitivity(step)
    if sensitivity == 0:
        return 0.1
    rate = ERROR_SHARE_REMOVED / (2 * sensitivity)
    digit = 10 ** math.floor(math.log10(rate))
    return round(rate / digit) * digit


def teaching_point(weights: Weights, dosages: np.ndarray, targets: np.ndarray) -> int:
    """The data point whose step teaches most: the output's gate open (else nothing learns), a
    miss to learn from, and gates both open and closed among the hidden nodes (the seed's step(Z)
    at work); among equals the largest miss. Returns the point's index."""
    network = weights.network
    forward = StoryNetwork(weights).forward(np.asarray(dosages, dtype=float))
    miss = np.abs(forward.output - np.asarray(targets, dtype=float))
    output_open = network.output_activation.derivative(forward.biased) != 0
    gates = np.array([network.hidden_activation.derivative(node.pre_activation) for node in forward.hidden])
    mixed = (gates == 0).any(axis=0) & (gates != 0).any(axis=0)
    score = np.stack([output_open & (miss > 0), mixed, miss])
    return int(np.lexsort(score[::-1])[-1])


def lesson_step(weights: Weights, dosages: np.ndarray, targets: np.ndarray) -> GradientStep:
    """The step the gradient stage shows: at the data point that teaches most, with the rate
    that shows it best."""
    point = teaching_point(weights, dosages, targets)
    dosage, target = float(dosages[point]), float(targets[point])
    return gradient_step(weights, dosage, target, teaching_rate(gradient_step(weights, dosage, target, 0.0)))
