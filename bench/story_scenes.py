"""Every scene of the story in one module, for the benchmark's plain-manim baseline:
``manim -qh -a bench/story_scenes.py`` renders them one after another in one process.
(manim -a renders only classes defined in the module it is given, hence the subclasses.)

They are narrated as ``make render`` narrates them: the same voice paces every beat, and
each beat's speech is mixed in with manim's own ``add_sound``. The speech comes from the
voice cache named by RELUVIZ_BENCH_VOICE_CACHE (the benchmark points it at the cache its
own render filled), so plain manim is not charged for synthesizing it.
"""

import os
from contextlib import contextmanager
from pathlib import Path

from reluviz.scenes import scene_class
from reluviz.scenes.title_card import TitleCard
from reluviz.studio.media.narration import VoiceNarrator, make_voice
from reluviz.words.stages import PARTS, STAGES

VOICE_CACHE = Path(os.environ.get("RELUVIZ_BENCH_VOICE_CACHE", "voice-cache"))


class Narrated:
    """A story scene that speaks each beat through manim's add_sound."""

    clip = ""

    def __init__(self, **kwargs) -> None:
        super().__init__(narrator=VoiceNarrator(make_voice("festival"), VOICE_CACHE, self.clip), **kwargs)

    @contextmanager
    def beat(self, name: str, caption: str, spoken: str | None = None, **values: str):
        with super().beat(name, caption, spoken, **values):
            yield
        said = self.beats[-1]
        if said.speech.audio is not None:
            self.add_sound(str(said.speech.audio), time_offset=said.start - self.time)


for _stage in STAGES:
    _name = f"Stage{_stage.number:02d}"
    _body = {"__module__": __name__, "clip": _stage.file_stem}
    globals()[_name] = type(_name, (Narrated, scene_class(_stage.name)), _body)


def _card(part: int) -> type:
    """Part ``part``'s title card, narrated."""

    def __init__(self, **kwargs) -> None:
        super(card, self).__init__(part=part, **kwargs)

    card = type(f"Part{part}Card", (Narrated, TitleCard), {"__module__": __name__, "clip": PARTS[part].card_stem})
    card.__init__ = __init__
    return card


for _part in PARTS:
    globals()[f"Part{_part}Card"] = _card(_part)
