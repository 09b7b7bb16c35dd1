"""What a render is asked for: typed settings read from the command line or Make variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from reluviz.files.errors import QUOTE_CHARACTERS, excerpt, quoted
from reluviz.files.plane_weights import PLANE_PRESET
from reluviz.files.weights import DEFAULT_PRESET
from reluviz.scenes.framework.style import THEMES as THEME_STYLES
from reluviz.studio.media.voice import SENTENCE_TIMEOUT
from reluviz.words.spoken import DEFAULT_LANGUAGE, LANGUAGES
from reluviz.words.stages import stage
from reluviz.words.words_file import resolve_words_path, words_language

#: Where renders go and recordings are looked for, relative to the folder the command runs in
#: (the project's own folder under make; anywhere for an installed ``reluviz``).
OUT = Path("out")
RECORDINGS = Path("voice")
#: VOICE= values: a synthesized voice, any text-to-speech command, the user's recordings, or silence.
VOICE_CHOICES = ("festival", "piper", "command", "recorded", "none")
#: The longest VOICE_TIMEOUT, in seconds: a day for one sentence is as good as no limit (and a
#: far larger number is more than the system's clock can wait for).
LONGEST_VOICE_TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class Quality:
    name: str
    width: int
    height: int
    fps: int


QUALITIES = {
    q.name: q
    for q in (
        Quality("low", 854, 480, 15),
        Quality("medium", 1280, 720, 30),
        Quality("high", 1920, 1080, 60),
        Quality("4k", 3840, 2160, 60),
    )
}

#: x264 settings for every clip. Encoding was the largest single cost of a render, so the
#: fastest preset, with CABAC turned back on (it makes files 10% smaller for almost no
#: time), at CRF 23. Measured on stage 1 at 1080p60: 23% less CPU than "superfast" at
#: CRF 23 and 29% less than "veryfast" at CRF 20; on a Part II clip it measures closer to
#: the source (PSNR 59.7 dB against 53.6 and 52.3); the price is bigger files, about
#: 0.5 Mbit/s for 1080p60, small for video (see docs/performance.md).
#: One encoder thread per clip: clips render in parallel, one worker per core already.
X264_OPTIONS = {"preset": "ultrafast", "crf": "23", "x264-params": "cabac=1", "threads": "1"}

#: VP9 settings for transparent WebM clips (manim encodes them directly, with alpha).
VP9_ALPHA_OPTIONS = {"crf": "30", "b": "0", "deadline": "realtime", "cpu-used": "8", "row-mt": "1"}

#: THEME= values: the videos' themes, as scenes/framework/style.py defines them.
THEMES = tuple(THEME_STYLES)
#: Extra files a render can add beside each MP4 clip.
FORMATS = ("webm", "gif")
#: The one kind of scheduler address a render connects to: Dask's plain TCP (its tls:// needs
#: certificates, and its other schemes other libraries, that a render does not pass).
SCHEDULER_SCHEME = "tcp"
SCHEDULER_EXAMPLE = "tcp://host:8786"


def scheduler_endpoint(address: str) -> tuple[str, int]:
    """(host, port) of a SCHEDULER address such as tcp://host:8786; a ValueError says what is
    wrong with any other, before anything connects to it."""
    scheme, separator, rest = address.partition("://")
    # host (a name, an IPv4 address, or an IPv6 one in brackets), the colon, the port, anything after
    host, colon, port, after = re.fullmatch(r"(\[[^\]/]*\]|[^:/?#]*)(:?)([^/?#]*)(.*)", rest, re.DOTALL).groups()
    if not separator:
        problem = "not an address"
    elif scheme != SCHEDULER_SCHEME:
        problem = f"a render connects only to {SCHEDULER_SCHEME}:// addresses, not {quoted(scheme + '://')}"
    elif after:
        problem = f"nothing may follow the port, and {quoted(after)} does"
    elif not host:
        problem = "no host"
    elif not re.fullmatch(r"\[[0-9A-Fa-f:.]+\]|[\w.-]+", host):
        problem = f"the host {quoted(host)} is not a name or an IP address (an IPv6 address goes in brackets)"
    elif not colon:
        problem = "no port"
    elif not port:
        problem = "no port after the colon"
    elif not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        problem = f"the port {quoted(port)} is not a whole number from 1 to 65535"
    else:
        return host.strip("[]"), int(port)
    raise ValueError(
        f"SCHEDULER={excerpt(address, QUOTE_CHARACTERS)}: {problem}; "
        f"expected a scheduler's address such as {SCHEDULER_EXAMPLE}"
    )


@dataclass(frozen=True)
class RenderSettings:
    weights: str = DEFAULT_PRESET
    plane: str = PLANE_PRESET  # Part III's two-input network, when ``weights`` has one input
    quality: str = "high"
    theme: str = "dark"
    stages: tuple[str, ...] = ()  # empty: every stage
    formats: tuple[str, ...] = ()  # extra files beside each MP4: "webm", "gif"
    transparent: bool = False  # also render WebM clips with an alpha channel (NN_stage.alpha.webm)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    out: Path = OUT
    voice: str = "festival"  # festival, piper, command (voice_command), recorded (recordings, else festival), none
    voice_command: str = ""  # a text-to-speech command: text on stdin, {wav} replaced by the file to write
    voice_timeout: float = SENTENCE_TIMEOUT  # seconds a voice may take per sentence before it is stopped
    recordings: Path = RECORDINGS  # voice/<weights>/<clip>/<beat>.wav for VOICE=recorded
    scheduler: str = ""  # a Dask scheduler's address (tcp://host:8786); empty: a LocalCluster here
    store: Path | None = None  # CACHE=: the clip cache, in a folder every machine mounts; None: out/.cache
    words: Path | None = None  # WORDS=: a words file (make script writes one) with the captions, speech and titles
    language: str = DEFAULT_LANGUAGE  # what the words are in (the words file's language)

    @property
    def unrecorded_voice(self) -> str:
        """VOICE=recorded: the voice of the beats nobody recorded, the words' language's (none for
        Spanish: an English voice would read it with English sounds)."""
        return LANGUAGES[self.language].voice

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise ValueError(f"QUALITY={self.quality}: expected one of {', '.join(QUALITIES)}")
        if self.theme not in THEMES:
            raise ValueError(f"THEME={self.theme}: expected one of {', '.join(THEMES)}")
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown:  # mp4 too: it is not an extra, and naming it would suggest it can be left out
            raise ValueError(
                f"FORMAT={excerpt(' '.join(unknown), QUOTE_CHARACTERS)}: expected any of {', '.join(FORMATS)} "
                "(extra files; the MP4s are always made)"
            )
        if self.voice not in VOICE_CHOICES:
            raise ValueError(f"VOICE={self.voice}: expected one of {', '.join(VOICE_CHOICES)}")
        if self.voice_command and self.voice in ("festival", "piper", "none"):
            raise ValueError(
                f"VOICE_COMMAND is given but VOICE={self.voice}: "
                "use VOICE=command (or leave VOICE out) to speak with it"
            )
        if self.out.exists() and not self.out.is_dir():
            raise ValueError(f"RENDER_OUT={self.out}: not a folder")
        if self.voice == "command" and "{wav}" not in self.voice_command:
            raise ValueError(
                f"VOICE_COMMAND={self.voice_command!r}: expected a command with {{wav}} where the sound file goes"
            )
        if not 0 < self.voice_timeout <= LONGEST_VOICE_TIMEOUT:  # also NaN
            raise ValueError(
                f"VOICE_TIMEOUT={self.voice_timeout:g}: expected seconds per sentence, "
                f"more than 0 and at most {LONGEST_VOICE_TIMEOUT}"
            )
        if self.jobs < 1:
            raise ValueError(f"JOBS={self.jobs}: expected a whole number of at least 1")
        if self.scheduler:
            scheduler_endpoint(self.scheduler)
        if self.store is not None and self.store.exists() and not self.store.is_dir():
            raise ValueError(f"CACHE={self.store}: not a folder")

    @property
    def where(self) -> str:
        """Where clips render, for the line a render starts with."""
        return f"on {self.scheduler}" if self.scheduler else f"{self.jobs} job(s)"

    @property
    def resolution(self) -> Quality:
        return QUALITIES[self.quality]

    @property
    def cache(self) -> Path:
        """Finished clips by content key (never rendered twice), TeX and logs."""
        return self.store if self.store is not None else self.out / ".cache"

    def recordings_dir(self, weights_name: str) -> Path:
        """``voice/<weights>/``: the user's recordings for this network's narration."""
        return self.recordings / weights_name

    def output_dir(self, weights_name: str) -> Path:
        """``out/<weights>/<quality>/``; a light-theme render goes beside it in ``<quality>-light``."""
        folder = self.quality if self.theme == "dark" else f"{self.quality}-{self.theme}"
        return self.out / weights_name / folder


#: The render options of the command line (its flags, ``--voice-command`` as voice_command),
#: given as text as Make passes them; ``settings_from_options`` reads them.
RENDER_OPTIONS = (
    "weights",
    "plane_weights",
    "quality",
    "theme",
    "stages",
    "format",
    "transparent",
    "jobs",
    "out",
    "voice",
    "voice_command",
    "voice_timeout",
    "recordings",
    "scheduler",
    "cache",
    "words",
)


def settings_from_options(**options: str) -> RenderSettings:
    """RenderSettings from the command line's options as text (``stages`` space-separated,
    ``format`` space- or comma-separated, empty for a default); a mistake is a ValueError
    naming the Make variable. The command line and ``reluviz.render`` both build them here."""
    unknown = sorted(set(options) - set(RENDER_OPTIONS))
    if unknown:
        raise ValueError(f"unknown render option {unknown[0]!r}; the options are {', '.join(RENDER_OPTIONS)}")
    given = {name: str(options.get(name, "")).strip() for name in RENDER_OPTIONS}
    names = tuple(given["stages"].split())
    for name in names:
        stage(name)  # unknown names fail here, before anything renders
    defaults = RenderSettings.__dataclass_fields__
    words = resolve_words_path(given["words"]).resolve() if given["words"] else None
    language = words_language(words) if words else DEFAULT_LANGUAGE
    return RenderSettings(
        weights=given["weights"] or DEFAULT_PRESET,
        plane=given["plane_weights"] or PLANE_PRESET,
        quality=given["quality"] or defaults["quality"].default,
        theme=given["theme"] or defaults["theme"].default,
        stages=names,
        formats=tuple(given["format"].replace(",", " ").split()),
        transparent=_switch("TRANSPARENT", given["transparent"]),
        jobs=_whole_number("JOBS", given["jobs"]) if given["jobs"] else os.cpu_count() or 1,
        out=Path(given["out"] or OUT).resolve(),
        voice=given["voice"] or ("command" if given["voice_command"] else LANGUAGES[language].voice),
        voice_command=str(options.get("voice_command", "")),
        voice_timeout=_seconds("VOICE_TIMEOUT", given["voice_timeout"]) if given["voice_timeout"] else SENTENCE_TIMEOUT,
        recordings=Path(given["recordings"] or RECORDINGS).resolve(),
        scheduler=given["scheduler"],
        store=Path(given["cache"]).resolve() if given["cache"] else None,
        words=words,
        language=language,
    )


def _switch(name: str, value: str) -> bool:
    """A Make variable that turns something on: 1/yes/true/on, or 0/no/false/off/empty."""
    text = value.strip().lower()
    if text in ("1", "yes", "true", "on"):
        return True
    if text in ("", "0", "no", "false", "off"):
        return False
    raise ValueError(f"{name}={value}: expected 1 (or yes) to turn it on, 0 (or leave it out) for off")


def _seconds(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name}={excerpt(value, QUOTE_CHARACTERS)}: expected a number of seconds") from None


def _whole_number(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value}: expected a whole number of at least 1") from None
