"""The sound commands themselves (greet, voices, devices, record, doctor, the app); imported only when run."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from simulator.audio.base import AudioBackend, AudioError, Clip
from simulator.audio.recorder import Recorder, Take
from simulator.audio.select import open_backend
from simulator.audio.sounddevice_backend import SoundDeviceBackend
from simulator.config import load_settings
from simulator.dialing import prepare_call
from simulator.locations import cache_dir, default_data_dir
from simulator.voice.cache import GreetingCache
from simulator.voice.call import CALL_RATE, beep
from simulator.voice.synth import Pyttsx3Synthesizer, SynthesisError, espeak_version


def _command_error(message: str) -> Exception:
    from simulator.cli import CommandError

    return CommandError(message)


def _backend(args: argparse.Namespace) -> AudioBackend:
    settings = load_settings()
    try:
        return open_backend(
            getattr(args, "device_file", None),
            getattr(args, "input", None) or settings.input_device,
            getattr(args, "output", None) or settings.output_device,
        )
    except AudioError as error:
        raise _command_error(str(error)) from None


def greeting_cache() -> GreetingCache:
    return GreetingCache(cache_dir() / "greetings", Pyttsx3Synthesizer())


def cmd_greet(args: argparse.Namespace) -> int:
    from simulator.cli import _scenario

    scenario = _scenario(args, args.id)
    rings = args.rings if args.rings is not None else load_settings().rings
    try:
        call = prepare_call(scenario, greeting_cache(), rings)
    except SynthesisError as error:
        raise _command_error(str(error)) from None
    if args.out:
        call.clip.save(args.out)
        print(
            f"{args.out}: {call.clip.duration_s:.2f} s (greeting at {call.greeting_start_s:.2f} s, "
            f"beep at {call.beep_start_s:.2f} s)"
        )
        return 0
    try:
        playback = _backend(args).play(call.clip)
        print(f'{scenario.prospect.name}: "{scenario.prospect.greeting}"')
        playback.wait(call.clip.duration_s + 5.0)
    except AudioError as error:
        raise _command_error(f"{error} (use --out FILE to write the greeting instead)") from None
    return 0


def cmd_voices(args: argparse.Namespace) -> int:
    try:
        voices = Pyttsx3Synthesizer().voices()
    except SynthesisError as error:
        raise _command_error(str(error)) from None
    for voice in voices:
        print(f"{voice.id:28} {voice.name:36} {','.join(voice.languages)}")
    print(f"{len(voices)} voices (espeak-ng {espeak_version()}); add +f1..f5 or +m1..m7 for a variant")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from simulator.config import save_settings

    backend = _backend(args)
    if args.remember:
        if isinstance(backend, SoundDeviceBackend):
            for wanted, kind in (
                (getattr(args, "input", None), "input"),
                (getattr(args, "output", None), "output"),
            ):
                if wanted:
                    try:
                        backend.resolve(wanted, kind)
                    except AudioError as error:
                        raise _command_error(str(error)) from None
        settings = load_settings().with_changes(
            input_device=getattr(args, "input", None) or "", output_device=getattr(args, "output", None) or ""
        )
        save_settings(settings)
        print(
            f"Remembered: microphone {settings.input_device or '(default)'}, "
            f"speakers {settings.output_device or '(default)'}"
        )
    try:
        devices = backend.devices()
    except AudioError as error:
        raise _command_error(str(error)) from None
    if not devices:
        print("No sound devices found.")
    for d in devices:
        marks = ("<in " if d.is_default_input else "    ") + ("<out" if d.is_default_output else "    ")
        print(
            f"{d.index:3} {marks} {d.name:40} in:{d.input_channels} out:{d.output_channels} "
            f"{d.default_samplerate:.0f} Hz {d.host_api}"
        )
    print("< marks the defaults; choose others with --input NAME/--output NAME")
    return 0


def _show_progress(recorder: Recorder) -> None:
    level = recorder.level
    bar = "#" * max(0, int((level.rms_dbfs + 60) / 3))
    sys.stderr.write(f"\r{recorder.elapsed_s:6.1f} s  {level.rms_dbfs:6.1f} dBFS  {bar:20}")
    sys.stderr.flush()


def record_take(
    backend: AudioBackend, out: Path, seconds: float | None, live: bool, announce: bool = False
) -> Take:
    recorder = Recorder(backend, out, max_seconds=seconds)
    try:
        recorder.start()
    except AudioError as error:
        raise _command_error(str(error)) from None
    if announce:
        stop = f"stops after {seconds:g} s or on Ctrl-C" if seconds else "Ctrl-C stops"
        print(f"Recording to {out} ({stop}).", file=sys.stderr, flush=True)
    try:
        while not recorder.wait(0.1):
            if live:
                _show_progress(recorder)
    except KeyboardInterrupt:
        pass
    finally:
        take = recorder.stop()
        if live:
            sys.stderr.write("\n")
    return take


def cmd_record(args: argparse.Namespace) -> int:
    backend = _backend(args)
    take = record_take(backend, args.out, args.seconds, live=sys.stderr.isatty(), announce=True)
    print(f"{take.path}: {take.duration_s:.2f} s at {take.samplerate} Hz, {take.overflows} input overflows")
    if take.error:
        print(f"warning: {take.error}", file=sys.stderr)
        return 1
    return 0


def _check(label: str, action: Any) -> tuple[bool, str]:
    try:
        detail = action()
    except Exception as error:  # doctor reports every failure instead of stopping at the first
        print(f"  FAIL  {label}: {error}")
        return False, str(error)
    print(f"  ok    {label}{': ' + detail if detail else ''}")
    return True, detail or ""


def cmd_doctor(args: argparse.Namespace) -> int:
    print("Checking what Voicemail Simulator needs:")
    results: list[bool] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def tts() -> str:
            from simulator.scenarios import Prospect

            cache = GreetingCache(folder / "greetings", Pyttsx3Synthesizer())
            clip = Clip.load(cache.path_for(Prospect("Anne", "-", "-", "This is a test.")))
            return f"espeak-ng {espeak_version()}, {clip.duration_s:.1f} s of speech rendered"

        results.append(_check("speech synthesis", tts)[0])
        backend_holder: list[AudioBackend] = []

        def audio() -> str:
            backend = open_backend(getattr(args, "device_file", None), args.input, args.output)
            backend_holder.append(backend)
            devices = backend.devices()
            return f"{backend.name}, {len(devices)} devices"

        results.append(_check("sound system", audio)[0])
        take_holder: list[Take] = []

        def record() -> str:
            if not backend_holder:
                raise AudioError("no sound system")
            take = record_take(backend_holder[0], folder / "test.wav", 1.0, live=False)
            take_holder.append(take)
            if take.error:
                raise AudioError(take.error)
            peak = Clip.load(take.path).samples
            level = float(abs(peak).max()) if len(peak) else 0.0
            return f"{take.duration_s:.2f} s at {take.samplerate} Hz, peak {level:.3f}"

        results.append(_check("microphone (1 s test recording)", record)[0])

        def play() -> str:
            if not backend_holder:
                raise AudioError("no sound system")
            # the test recording when there is one, else the voicemail beep
            clip = Clip.load(take_holder[0].path) if take_holder else Clip(beep(), CALL_RATE)
            start = time.monotonic()
            playback = backend_holder[0].play(clip)
            if not playback.wait(5.0):
                playback.stop()
                raise AudioError("playback did not finish")
            return f"played in {time.monotonic() - start:.2f} s"

        results.append(_check("speakers (playing the test back)", play)[0])

    def storage() -> str:
        folder = (args.data or default_data_dir()) / "recordings"
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".doctor-probe"
        probe.write_text("ok", encoding="utf-8")
        ok = probe.read_text(encoding="utf-8") == "ok"
        probe.unlink()
        if not ok:
            raise OSError("read back something else")
        return str(folder)

    results.append(_check("recordings folder is writable", storage)[0])
    if all(results):
        print("Everything works.")
        return 0
    print("Fix the FAIL lines above (the README lists the packages), then run 'voicemail-sim doctor' again.")
    return 1


def cmd_app(args: argparse.Namespace) -> int:
    try:
        from simulator.tui.app import run_app
    except ImportError:
        print(
            "The practice app is not built yet; try 'voicemail-sim scenarios list'.",
            file=sys.stderr,
        )
        return 1
    return run_app(args)
