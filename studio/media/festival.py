"""Festival, the default voice: Debian's Festival with the HTS voice of the CMU ARCTIC speaker
SLT (packages ``festival`` and ``festvox-us-slt-hts``), one festival kept saying a clip's
sentences one after another."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from contextlib import suppress
from pathlib import Path

from reluviz.files.errors import quoted
from reluviz.studio.media.voice import SENTENCE_TIMEOUT, Voice, VoiceError, last_said_line

FESTIVAL_VOICE = "cmu_us_slt_arctic_hts"
FESTIVAL_PACKAGES = "festival festvox-us-slt-hts"
#: Festival's Lisp heap, in cells. Its default, 10 million (about 280 MB touched as it
#: starts), was half the CPU of speaking a sentence (0.43 s); with this heap the same
#: samples come in 0.21 s, and a sentence of 600 words or 20 sentences at once still fit.
FESTIVAL_HEAP = 1_000_000


class _KeptFestival:
    """One festival kept running in a folder of its own, saying one text after another through
    text2wave's own code: starting festival and its voice took a third of a sentence's CPU (0.06
    of 0.2 s). Each text is said as a fresh festival says it, byte for byte (text2wave's counters
    set back first; tests/studio/test_voice.py). Stopped when its ``Festival`` goes."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="reluviz-festival-"))
        self.errors = self.folder / "stderr"
        with open(self.errors, "wb") as errors:  # a file, not a pipe: nothing waits to be read
            self.process = subprocess.Popen(
                ["festival", "--heap", str(FESTIVAL_HEAP), "--pipe"],
                cwd=self.folder,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                start_new_session=True,  # stopped with whatever it starts
            )
        self.said = 0
        self.stop = weakref.finalize(self, _stop_festival, self.process, self.folder)

    def speak(self, text: str, voice: str, text2wave: str, timeout: float) -> tuple[Path, str, int | None]:
        """(where the take is, what festival said on stderr meanwhile, its exit status if it ended);
        raises TimeoutError after ``timeout`` seconds."""
        take, source = self.folder / "take.wav", self.folder / "text.txt"
        take.unlink(missing_ok=True)
        source.write_text(text, encoding="utf-8")
        before = self.errors.stat().st_size
        self.said += 1
        done = f"reluviz-said-{self.said}"
        arguments = f'(list "-eval" "(voice_{voice})" "-o" "{take.name}" "{source.name}")'
        commands = f"(set! totalnumsamples 0)\n(set! an_utt nil)\n(set! argv {arguments})\n"
        commands += f'(load "{text2wave}")\n(print \'{done})\n(fflush nil)\n'  # stdout is a pipe: buffered
        try:
            self.process.stdin.write(commands.encode())
            self.process.stdin.flush()
        except BrokenPipeError:  # it ended (a heap too small for its lexicon ends it as it starts)
            pass
        deadline, printed, ended = time.monotonic() + timeout, b"", False
        with selectors.DefaultSelector() as waiting:
            waiting.register(self.process.stdout, selectors.EVENT_READ)
            while done.encode() not in printed.split():
                if not waiting.select(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError
                chunk = os.read(self.process.stdout.fileno(), 1 << 16)
                if not chunk:
                    ended = True
                    break
                printed = printed[-1024:] + chunk
        status = self.process.wait(timeout=max(0.0, deadline - time.monotonic())) if ended else None
        with open(self.errors, "rb") as errors:
            errors.seek(before)
            said = errors.read().decode(errors="replace")
        return take, said, status


def _stop_festival(process: subprocess.Popen, folder: Path) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdin, process.stdout):
        with suppress(OSError):
            stream.close()
    shutil.rmtree(folder, ignore_errors=True)


class Festival(Voice):
    name = "festival"

    def __init__(
        self, voice: str = FESTIVAL_VOICE, timeout: float = SENTENCE_TIMEOUT, keep_running: bool = True
    ) -> None:
        """``keep_running``: one festival says sentence after sentence (False: one each, as a
        waiting festival's 54 MB would sit beside a 1080p clip's frames)."""
        super().__init__(timeout)
        self.voice = voice
        self.keep_running = keep_running
        self._kept: _KeptFestival | None = None

    @property
    def identity(self) -> str:
        return f"festival/{self.voice}"

    def synthesize(self, text: str, out: Path) -> None:
        text2wave = shutil.which("text2wave")
        if text2wave is None or shutil.which("festival") is None:
            raise VoiceError(f"festival is not installed: apt-get install {FESTIVAL_PACKAGES}")
        try:
            self._say(text, out, text2wave)
        finally:
            if not self.keep_running:
                self._ended()

    def _say(self, text: str, out: Path, text2wave: str) -> None:
        if self._kept is not None and self._kept.process.poll() is not None:
            self._ended()  # it ended between sentences (killed): another says this one
        if self._kept is None:
            self._kept = _KeptFestival()
        try:
            take, said, status = self._kept.speak(text, self.voice, text2wave, self.timeout)
        except (TimeoutError, subprocess.TimeoutExpired):
            self._ended()
            raise VoiceError(
                f"{self.described} took more than VOICE_TIMEOUT={self.timeout:g} s to speak {quoted(text)}"
                " and was stopped"
            ) from None
        if status is not None or "SIOD ERROR" in said or "unbound variable" in said:
            self._ended()  # after an error, the next sentence starts afresh
        # A missing voice is an unbound variable (text2wave alone would exit 0 and write nothing).
        if "unbound variable" in said and f"voice_{self.voice}" in said:
            raise VoiceError(f"festival's voice {self.voice} is not installed: apt-get install festvox-us-slt-hts")
        errors = [line for line in said.splitlines() if line.startswith("SIOD ERROR")]
        if status or errors or not take.exists():
            # Lisp's own error, not the files festival then lists as it closes them
            why = errors[-1].strip() if errors else last_said_line(said)
            raise VoiceError(f"festival failed (exit status {status}): {why}" if status else f"festival failed: {why}")
        shutil.move(take, out)

    def _ended(self) -> None:
        """The kept festival stopped; the next sentence starts another."""
        if self._kept is not None:
            self._kept.stop()
            self._kept = None
