"""Every scene of the story in one module, for the benchmark's plain-manim baseline:
``manim -qh -a bench/story_scenes.py`` renders them one after another in one process.
(manim -a renders only classes defined in the module it is given, hence the subclasses.)"""

from reluviz.stages import STAGES
from scenes import scene_class
from scenes.title_card import TitleCard

for _stage in STAGES:
    _name = f"Stage{_stage.number:02d}"
    globals()[_name] = type(_name, (scene_class(_stage.name),), {"__module__": __name__})


class PartOneCard(TitleCard):
    def __init__(self, **kwargs) -> None:
        super().__init__(part=1, **kwargs)


class PartTwoCard(TitleCard):
    def __init__(self, **kwargs) -> None:
        super().__init__(part=2, **kwargs)
