"""``voicemail-sim greet | voices | devices | record``: the sound commands.

Each command imports the audio stack (numpy, PortAudio, the speech engine) when it runs, so the
other commands start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.cli.common import (
    LINE_CHOICES,
    CommandError,
    add_device_options,
    device_choice,
    find_scenario,
)
from simulator.config import load_settings

if TYPE_CHECKING:
    from simulator.audio.base import AudioBackend
    from simulator.audio.recorder import Recorder, Take


def open_devices(args: argparse.Namespace, remembered: bool = True) -> AudioBackend:
    """The sound devices :func:`~simulator.cli.common.device_choice` names."""
    from simulator.audio.base import AudioError
    from simulator.audio.select import open_backend

    choice = device_choice(args, remembered)
    try:
        return open_backend(choice.file, choice.input, choice.output)
    except AudioError as error:
        raise CommandError(str(error)) from None


def cmd_greet(args: argparse.Namespace) -> int:
    from simulator.audio.base import AudioError
    from simulator.dialing import prepare_call
    from simulator.scenarios import PhoneLine
    from simulator.voice.cache import default_greeting_cache
    from simulator.voice.synth import SynthesisError

    scenario = find_scenario(args, args.id)
    settings = load_settings()
    rings = args.rings if args.rings is not None else settings.rings
    line = PhoneLine(args.line) if args.line else settings.phone_line
    try:
        call = prepare_call(scenario, default_greeting_cache(), rings, line)
    except SynthesisError as error:
        raise CommandError(str(error)) from None
    if args.out:
        call.clip.save(args.out)
        print(
            f"{args.out}: {call.clip.duration_s:.2f} s (greeting at {call.greeting_start_s:.2f} s, "
            f"beep at {call.beep_start_s:.2f} s)"
        )
        return 0
    try:
        playback = open_devices(args).play(call.clip)
        print(f'{scenario.prospect.name}: "{scenario.prospect.greeting}"')
        playback.wait(call.clip.duration_s + 5.0)
    except AudioError as error:
        raise CommandError(f"{error} (use --out FILE to write the greeting instead)") from None
    return 0


def cmd_voices(args: argparse.Namespace) -> int:
    from simulator.voice.synth import Pyttsx3Synthesizer, SynthesisError, espeak_version

    try:
        voices = Pyttsx3Synthesizer().voices()
    except SynthesisError as error:
        raise CommandError(str(error)) from None
    for voice in voices:
        print(f"{voice.id:28} {voice.name:36} {','.join(voice.languages)}")
    print(f"{len(voices)} voices (espeak-ng {espeak_version()}); add +f1..f5 or +m1..m7 for a variant")
    return 0


def _remember_devices(args: argparse.Namespace, backend: AudioBackend) -> None:
    """Save ``--input``/``--output`` for later runs, once the real devices are known to have them."""
    from simulator.audio.base import AudioError
    from simulator.audio.sounddevice_backend import SoundDeviceBackend
    from simulator.config import save_settings

    if isinstance(backend, SoundDeviceBackend):
        for wanted, kind in ((args.input, "input"), (args.output, "output")):
            if wanted:
                try:
                    backend.resolve(wanted, kind)
                except AudioError as error:
                    raise CommandError(str(error)) from None
    settings = load_settings().with_changes(input_device=args.input or "", output_device=args.output or "")
    save_settings(settings)
    print(
        f"Remembered: microphone {settings.input_device or '(default)'}, "
        f"speakers {settings.output_device or '(default)'}"
    )


def cmd_devices(args: argparse.Namespace) -> int:
    from simulator.audio.base import AudioError

    backend = open_devices(args)
    if args.remember:
        _remember_devices(args, backend)
    try:
        devices = backend.devices()
    except AudioError as error:
        raise CommandError(str(error)) from None
    if not devices:
        raise CommandError(
            "No sound devices found: is a sound server (PulseAudio or PipeWire) running? "
            "'voicemail-sim doctor' checks the rest; 'voicemail-sim --no-audio' practises without audio."
        )
    for d in devices:
        marks = ("<in " if d.is_default_input else "    ") + ("<out" if d.is_default_output else "    ")
        print(
            f"{d.index:3} {marks} {d.name:40} in:{d.input_channels} out:{d.output_channels} "
            f"{d.default_samplerate:.0f} Hz {d.host_api}"
        )
    print("< marks the defaults; choose others with --input NAME/--output NAME")
    if any(d.name in ("pulse", "default") for d in devices):
        _show_server_devices()
    return 0


def _show_server_devices() -> None:
    """What "pulse" and "default" lead to: the sound server's own microphones and speakers."""
    from simulator.audio.pulse import server_devices

    found = server_devices()
    if found is None:
        return
    print("\nBehind 'pulse' and 'default', the sound server's devices (* its defaults):")
    for title, names, default in (("microphones", found.sources, found.default_source),
                                  ("speakers", found.sinks, found.default_sink)):  # fmt: skip
        print(f"  {title}: " + (", ".join(f"{n}{' *' if n == default else ''}" for n in names) or "none"))
    print("  Choose among them in the desktop's sound settings, or with 'pactl set-default-source NAME'.")


def _show_progress(recorder: Recorder) -> None:
    level = recorder.level
    bar = "#" * max(0, int((level.rms_dbfs + 60) / 3))
    sys.stderr.write(f"\r{recorder.elapsed_s:6.1f} s  {level.rms_dbfs:6.1f} dBFS  {bar:20}")
    sys.stderr.flush()


def record_take(
    backend: AudioBackend, out: Path, seconds: float | None, live: bool, announce: bool = False
) -> Take:
    from simulator.audio.base import AudioError
    from simulator.audio.recorder import Recorder

    recorder = Recorder(backend, out, max_seconds=seconds)
    try:
        recorder.start()
    except AudioError as error:
        raise CommandError(str(error)) from None
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
    backend = open_devices(args)
    take = record_take(backend, args.out, args.seconds, live=sys.stderr.isatty(), announce=True)
    print(f"{take.path}: {take.duration_s:.2f} s at {take.samplerate} Hz, {take.overflows} input overflows")
    if take.error:
        print(f"warning: {take.error}", file=sys.stderr)
        return 1
    return 0


def add_commands(sub: Any) -> None:
    greet = sub.add_parser("greet", help="render a scenario's greeting, and play it unless --out")
    greet.add_argument("id", metavar="SCENARIO")
    greet.add_argument("--out", type=Path, metavar="FILE", help="write the call audio to FILE instead")
    greet.add_argument("--rings", type=int, help="ringback rings before the pickup")
    greet.add_argument(
        "--line",
        choices=LINE_CHOICES,
        help="the phone line the call comes over (default: the scenario's, else the setting)",
    )
    add_device_options(greet)
    greet.set_defaults(func=cmd_greet)

    sub.add_parser("voices", help="the speech voices available").set_defaults(func=cmd_voices)

    devices = sub.add_parser("devices", help="sound devices, defaults marked (--remember saves a choice)")
    add_device_options(devices)
    devices.add_argument(
        "--remember", action="store_true", help="use --input/--output from now on on this workstation"
    )
    devices.set_defaults(func=cmd_devices)

    record = sub.add_parser("record", help="record from the microphone to a WAV file")
    record.add_argument("out", type=Path, metavar="OUT.wav")
    record.add_argument("--seconds", type=float, help="stop after this many seconds")
    add_device_options(record)
    record.set_defaults(func=cmd_record)
