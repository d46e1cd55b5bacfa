"""The command line: the practice app by default, plus scenario, sound, record, drill and analysis
commands (``voicemail-sim --help``). One module per command group; what they share is in common.py."""

from simulator.cli.entry import main

__all__ = ["main"]
