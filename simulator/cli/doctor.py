"""``voicemail-sim doctor``: check speech, the sound devices and the data folder, and say what to fix."""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.cli.audio import open_devices, record_take
from simulator.cli.common import add_data_option, add_device_options, data_dir

if TYPE_CHECKING:
    from simulator.audio.base import AudioBackend, Clip
    from simulator.audio.recorder import Take


TEST_PHRASE = "Please call me back on Thursday."


def _check(label: str, action: Callable[[], str]) -> bool:
    try:
        detail = action()
    except Exception as error:  # doctor reports every failure instead of stopping at the first
        print(f"  FAIL  {label}: {error}")
        return False
    print(f"  ok    {label}{': ' + detail if detail else ''}")
    return True


@dataclass
class _SoundCheck:
    """The sound checks in order, each using what the one before found; files go in ``folder``."""

    args: argparse.Namespace
    folder: Path
    backend: AudioBackend | None = None
    take: Take | None = None
    spoken: Clip | None = None  # the test phrase, rendered by the speech check

    def speech(self) -> str:
        from simulator.audio.base import Clip
        from simulator.scenarios import Prospect
        from simulator.voice.cache import GreetingCache
        from simulator.voice.synth import Pyttsx3Synthesizer, espeak_version

        cache = GreetingCache(self.folder / "greetings", Pyttsx3Synthesizer())
        self.spoken = clip = Clip.load(cache.path_for(Prospect("Anne", "-", "-", TEST_PHRASE)))
        return f"espeak-ng {espeak_version()}, {clip.duration_s:.1f} s of speech rendered"

    def recogniser(self) -> str:
        """The offline recogniser: its model is there, loads, and hears the synthesised test phrase."""
        from simulator.analysis.transcribe import transcribe
        from simulator.analysis.whisper import model_folder, whisper_model

        if self.spoken is None:
            raise RuntimeError("no test phrase to hear (speech synthesis failed)")
        start = time.monotonic()
        whisper_model()
        heard = transcribe(self.spoken.samples, self.spoken.samplerate).text
        if not {"call", "thursday"} & set(heard.split()):
            raise RuntimeError(
                f"it heard {heard!r} for {TEST_PHRASE!r}; reinstall, or check {model_folder()}"
            )
        return f"{model_folder().name}, heard {heard!r} in {time.monotonic() - start:.1f} s"

    def sound_system(self) -> str:
        # the devices named on the command line, else the system's defaults (not the remembered ones)
        self.backend = open_devices(self.args, remembered=False)
        return f"{self.backend.name}, {len(self.backend.devices())} devices"

    def microphone(self) -> str:
        from simulator.audio.base import AudioError, Clip

        if self.backend is None:
            raise AudioError("no sound system")
        self.take = take = record_take(self.backend, self.folder / "test.wav", 1.0, live=False)
        if take.error:
            raise AudioError(take.error)
        peak = Clip.load(take.path).samples
        level = float(abs(peak).max()) if len(peak) else 0.0
        if level == 0.0:  # a real microphone always hears a little noise: this one sends nothing
            raise AudioError(
                "it sent only silence for 1 s (muted, unplugged, or the wrong input): check the system's "
                "input volume and 'voicemail-sim devices', or practise with 'voicemail-sim --no-audio'"
            )
        return f"{take.duration_s:.2f} s at {take.samplerate} Hz, peak {level:.3f}"

    def speakers(self) -> str:
        from simulator.audio.base import AudioError, Clip
        from simulator.voice.call import CALL_RATE, beep

        if self.backend is None:
            raise AudioError("no sound system")
        # the test recording when there is one, else the voicemail beep
        clip = Clip.load(self.take.path) if self.take is not None else Clip(beep(), CALL_RATE)
        start = time.monotonic()
        playback = self.backend.play(clip)
        if not playback.wait(5.0):
            playback.stop()
            raise AudioError("playback did not finish")
        return f"played in {time.monotonic() - start:.2f} s"


def _storage(args: argparse.Namespace) -> str:
    folder = data_dir(args) / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / ".doctor-probe"
    probe.write_text("ok", encoding="utf-8")
    ok = probe.read_text(encoding="utf-8") == "ok"
    probe.unlink()
    if not ok:
        raise OSError("read back something else")
    return str(folder)


def cmd_doctor(args: argparse.Namespace) -> int:
    print("Checking what Voicemail Simulator needs:")
    with tempfile.TemporaryDirectory() as tmp:
        sound = _SoundCheck(args, Path(tmp))
        results = [
            _check("speech synthesis", sound.speech),
            _check("speech recognition (hearing a test phrase)", sound.recogniser),
            _check("sound system", sound.sound_system),
            _check("microphone (1 s test recording)", sound.microphone),
            _check("speakers (playing the test back)", sound.speakers),
        ]
    results.append(_check("recordings folder is writable", lambda: _storage(args)))
    if all(results):
        print("Everything works.")
        return 0
    print("Fix the FAIL lines above (the README lists the packages), then run 'voicemail-sim doctor' again.")
    return 1


def add_commands(sub: Any) -> None:
    doctor = sub.add_parser("doctor", help="check speech, devices and folders, and say what to fix")
    add_data_option(doctor)
    add_device_options(doctor)
    doctor.set_defaults(func=cmd_doctor)
