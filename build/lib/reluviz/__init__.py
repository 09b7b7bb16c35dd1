"""reluviz: the numbers behind the ReLU explainer videos (numpy only, never manim)."""

from .activations import ReLU, Softplus, relu, softplus, step
from .errors import InputFileError
from .lesson import Lesson, load_lesson
from .network import NetworkTrace, StoryNetwork, bends, trace
from .neuron import NeuronTrace, neuron_forward
from .weights import Weights, load_weights

__version__ = "0.1.0"

__all__ = [
    "InputFileError",
    "Lesson",
    "NetworkTrace",
    "NeuronTrace",
    "ReLU",
    "Softplus",
    "StoryNetwork",
    "Weights",
    "bends",
    "load_lesson",
    "load_weights",
    "neuron_forward",
    "relu",
    "softplus",
    "step",
    "trace",
]
