"""Words for captions and on-screen notes, chosen from the numbers (never assumed).

With other weights the same stage may flip instead of stretch, or never bend; these
helpers say what actually happens.
"""

from __future__ import annotations

from reluviz.numbers import format_number as num

ACTIVATION_NAMES = {"relu": "ReLU", "softplus": "softplus", "identity": "no activation"}


def activation_name(name: str) -> str:
    return ACTIVATION_NAMES.get(name, name)


def scaling_verb(factor: float) -> str:
    """What multiplying a line by ``factor`` does to it."""
    if factor == 0:
        return "flattens it to 0"
    flip = factor < 0
    size = abs(factor)
    if size > 1:
        change = "stretches it"
    elif size < 1:
        change = "squashes it"
    else:
        change = ""
    if flip:
        return f"flips it upside down{' and ' + change if change else ''}"
    return change or "leaves it as it is"


def signed(value: float) -> str:
    """'+ 2' or '- 0.85', for reading a sum aloud."""
    return f"- {num(-value)}" if value < 0 else f"+ {num(value)}"
