"""Starting the app from plain values: the services it runs on, the terminal while it runs, and the
exit status it ends with. The command line decides the values; nothing here reads argparse results."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from simulator.audio.select import open_backend
from simulator.campaign_loader import load_campaigns
from simulator.config import load_settings, save_settings
from simulator.scenario_loader import load_library
from simulator.store import Store
from simulator.tui.app import VoicemailApp
from simulator.tui.services import Services
from simulator.tui.startup import StartRequest
from simulator.voice.cache import default_greeting_cache


@dataclass(frozen=True)
class LaunchSettings:
    """What the app is started with, decided before it starts."""

    scenario_folders: tuple[Path, ...]
    data_dir: Path
    device_file: Path | None = None  # a file-backed device instead of the sound devices
    input_device: str = ""  # a device name (or part) or index; empty: the system's default
    output_device: str = ""
    no_audio: bool = False
    line: str = ""  # the phone line calls go over ("landline"), for this run; empty: the setting


def build_services(launch: LaunchSettings) -> Services:
    library = load_library(list(launch.scenario_folders))
    notes = [f"Scenario not loaded: {error.problems[0]}" for error in library.broken]
    notes += library.overrides
    campaigns = load_campaigns(list(launch.scenario_folders), library.scenarios)
    notes += [f"Campaign not loaded: {error.problems[0]}" for error in campaigns.broken]
    notes += campaigns.overrides
    return Services(
        library=library,
        store=Store(launch.data_dir),
        greetings=default_greeting_cache(),
        open_audio=lambda: open_backend(launch.device_file, launch.input_device, launch.output_device),
        settings=load_settings().with_changes(**({"line": launch.line} if launch.line else {})),
        save_settings=save_settings,
        startup_notes=notes,
        campaigns=campaigns,
    )


@contextlib.contextmanager
def stderr_to(path: Path) -> Iterator[None]:
    """Send file descriptor 2 to ``path`` while the UI runs, since PortAudio's ALSA layer prints there.

    Textual draws on ``sys.__stderr__``, so that is pointed at a copy of the terminal's descriptor.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    terminal_fd = os.dup(2)
    original = sys.__stderr__
    with open(path, "ab") as log, open(terminal_fd, "w", encoding="utf-8", closefd=True) as terminal:
        sys.__stderr__ = terminal
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(terminal_fd, 2)
            sys.__stderr__ = original


def run_app(launch: LaunchSettings, start: StartRequest) -> int:
    """Run the app; its exit status (1 after an unexpected error, which is then said in one line)."""
    services = build_services(launch)
    if not services.library.scenarios:
        print("No scenarios could be loaded; see 'voicemail-sim scenarios validate'.", file=sys.stderr)
        return 1
    app = VoicemailApp(services, start=start)
    if launch.no_audio:
        app.practise_without_audio()
    with stderr_to(app.error_log):
        app.run()
    if app.fatal_error is not None:
        print(app.fatal_error, file=sys.stderr)
    return app.return_code or 0
