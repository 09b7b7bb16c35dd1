"""reluviz: the numbers behind the ReLU explainer videos (numpy only, never manim)."""

from .activations import (
    Activation,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softplus,
    Tanh,
    make_activation,
    relu,
    softplus,
    step,
)
from .errors import InputFileError
from .lesson import Lesson, load_lesson
from .model import HiddenUnit, Network, Weights
from .network import NetworkTrace, StoryNetwork, bends, trace
from .neuron import NeuronTrace, neuron_forward
from .weights import load_weights

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "HiddenUnit",
    "Identity",
    "InputFileError",
    "LeakyReLU",
    "Lesson",
    "Network",
    "NetworkTrace",
    "NeuronTrace",
    "ReLU",
    "Sigmoid",
    "Softplus",
    "StoryNetwork",
    "Tanh",
    "Weights",
    "bends",
    "load_lesson",
    "load_weights",
    "make_activation",
    "neuron_forward",
    "relu",
    "softplus",
    "step",
    "trace",
]
