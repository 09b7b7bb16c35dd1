"""What one render tells: the parts and stages its weights make, and the network each is drawn for.

A one-input weights file (WEIGHTS) tells Parts I and II, and Part III is drawn for a two-input
file of its own (PLANE_WEIGHTS, a preset by default). A two-input WEIGHTS file tells Parts I and
III, both for it. The kit, the script and the film all ask this one place, also for the titles
its clips are named by (a words file's, WORDS, where it changes them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reluviz.files.plane_weights import load_any_weights, load_plane_weights
from reluviz.files.weights import Weights
from reluviz.model import Network, PlaneWeights
from reluviz.plane.regions import regions
from reluviz.studio.settings import RenderSettings
from reluviz.words.kit import KIT_KEY, KitWords
from reluviz.words.stages import PARTS, PLANE_USE, STAGES, Part, Stage, part_titles, part_uses
from reluviz.words.templates import NO_WORDS, ClipWords
from reluviz.words.words_file import NO_WORDING, Wording


@dataclass(frozen=True)
class Story:
    weights: Weights | PlaneWeights  # the WEIGHTS file: it names the output folder and the recordings'
    plane: PlaneWeights  # Part III's network
    wording: Wording = field(default=NO_WORDING)  # what a words file changes (WORDS): checked already

    @property
    def parts(self) -> list[Part]:
        one_input = isinstance(self.weights, Weights)
        return [part for number, part in PARTS.items() if one_input or number != 2]

    @property
    def stages(self) -> list[Stage]:
        numbers = {part.number for part in self.parts}
        return [s for s in STAGES if s.part in numbers]

    def weights_for(self, stage: Stage | None = None, part: int | None = None) -> Weights | PlaneWeights:
        """The file a stage (or a part's title card) is drawn for."""
        uses = stage.uses if stage is not None else part_uses(part)
        plane = PLANE_USE in uses
        return self.plane if plane else self.weights

    def network_for(self, stage: Stage | None = None, part: int | None = None) -> Network:
        return self.weights_for(stage, part).network

    def inputs(self, theme: str, words: ClipWords = NO_WORDS):
        """What the scenes draw from, for this story (loads the scenes' framework, and so manim);
        ``words``: what a words file changes in the clip."""
        from reluviz.scenes.framework.inputs import StoryInputs

        if isinstance(self.weights, Weights):
            return StoryInputs(weights=self.weights, plane=self.plane, theme=theme, words=words)
        return StoryInputs(plane=self.plane, theme=theme, words=words)

    def part_titles(self, part: int) -> list[str]:
        """ "16. One unit, two inputs": the numbered titles a part's title card lists."""
        return part_titles(part, self.network_for(part=part), self.wording.title)

    def worded(self, stage: Stage) -> Stage:
        """``stage`` as named for the network it draws, with the title a words file gives it."""
        worded = stage.worded(self.network_for(stage))
        title = self.wording.title(stage.name)
        return replace(worded, title=title) if title else worded

    def part_title(self, part: Part) -> str:
        """ "Part II: ReLU in action", or a words file's title for it."""
        return self.wording.title(part.key) or part.title

    @property
    def kit(self) -> KitWords:
        """The words the page, the presenter, the deck and the film say around the clips: KIT's, or
        the words file's (its ``[kit]`` table, in its ``language``)."""
        changed = self.wording.tables.get(KIT_KEY, {})
        labels = tuple(sorted(self.wording.labels.items()))
        return KitWords(tuple(sorted(changed.items())), self.wording.language, labels)

    def stage_words(self, stage: Stage) -> ClipWords:
        """What the words file changes in ``stage``'s clip."""
        return self.wording.for_clip(stage.name)

    def card_words(self, part: Part) -> ClipWords:
        """What the words file changes in ``part``'s title card: its beat, its title, its stages' titles."""
        return self.wording.for_clip(part.key, [s.name for s in self.stages if s.part == part.number])


def load_story(settings: RenderSettings) -> Story:
    """The render's story: WEIGHTS read once (one input or two), PLANE_WEIGHTS when WEIGHTS has one input."""
    weights = load_any_weights(settings.weights)
    plane = weights if isinstance(weights, PlaneWeights) else load_plane_weights(settings.plane)
    regions(plane)  # Part III cuts the inputs along creases: a unit that does not fold is refused in one line
    return Story(weights, plane)
