"""Command-line parsers for the sound commands; the commands load audio libraries only when run."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _lazy(name: str) -> Callable[[argparse.Namespace], int]:
    """A command that imports the audio stack only when it runs, so other commands start fast."""

    def run(args: argparse.Namespace) -> int:
        from simulator import audio_commands

        return getattr(audio_commands, name)(args)

    return run


cmd_app = _lazy("cmd_app")


def add_device_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """Device options; on a subcommand they default to "not given", so a value given before the
    command (``voicemail-sim --input X record``) is not overwritten by the subcommand's default."""
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--input", metavar="NAME", default=default, help="microphone: a device name (or part) or index"
    )
    parser.add_argument(
        "--output", metavar="NAME", default=default, help="speakers: a device name (or part) or index"
    )
    parser.add_argument(
        "--device-file",
        type=Path,
        metavar="TAKE.wav",
        default=default,
        help="use a file-backed device that 'speaks' TAKE.wav",
    )


def add_data_option(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        default=None if top_level else argparse.SUPPRESS,
        help="where recordings and records are kept",
    )


def add_commands(sub: Any) -> None:
    greet = sub.add_parser("greet", help="render a scenario's greeting, and play it unless --out")
    greet.add_argument("id", metavar="SCENARIO")
    greet.add_argument("--out", type=Path, metavar="FILE", help="write the call audio to FILE instead")
    greet.add_argument("--rings", type=int, help="ringback rings before the pickup")
    add_device_options(greet)
    greet.set_defaults(func=_lazy("cmd_greet"))

    sub.add_parser("voices", help="the speech voices available").set_defaults(func=_lazy("cmd_voices"))

    devices = sub.add_parser("devices", help="sound devices, defaults marked (--remember saves a choice)")
    add_device_options(devices)
    devices.add_argument(
        "--remember", action="store_true", help="use --input/--output from now on on this workstation"
    )
    devices.set_defaults(func=_lazy("cmd_devices"))

    record = sub.add_parser("record", help="record from the microphone to a WAV file")
    record.add_argument("out", type=Path, metavar="OUT.wav")
    record.add_argument("--seconds", type=float, help="stop after this many seconds")
    add_device_options(record)
    record.set_defaults(func=_lazy("cmd_record"))

    doctor = sub.add_parser("doctor", help="check speech, devices and folders, and say what to fix")
    add_data_option(doctor)
    add_device_options(doctor)
    doctor.set_defaults(func=_lazy("cmd_doctor"))
