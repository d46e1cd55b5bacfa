"""``voicemail-sim`` without a command: the practice app, started from the command line's choices
as plain values (the app never sees argparse results)."""

from __future__ import annotations

import argparse

from simulator.cli.common import data_dir, device_choice
from simulator.locations import scenario_folders
from simulator.tui.startup import PracticeStart, StartRequest


def start_app(args: argparse.Namespace, start: StartRequest) -> int:
    """Run the app on ``start``; its exit status."""
    from simulator.tui.launch import LaunchSettings, run_app  # Textual loads only when the app starts

    devices = device_choice(args)
    settings = LaunchSettings(
        scenario_folders=tuple(scenario_folders(args.scenarios)),
        data_dir=data_dir(args),
        device_file=devices.file,
        input_device=devices.input,
        output_device=devices.output,
        no_audio=args.no_audio,
        line=args.line or "",
    )
    return run_app(settings, start)


def cmd_app(args: argparse.Namespace) -> int:
    return start_app(args, PracticeStart())
