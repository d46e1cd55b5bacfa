"""What a person sees when things go wrong: a full disk, a read-only folder, an unexpected error.

Never a traceback, never a silent exit with status 0, never an empty take left behind, and what was
saved stays saved. A full disk is a tiny tmpfs (mounting needs root; the tests skip without it).
"""

from __future__ import annotations

import errno
import functools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from simulator.audio.base import TakeFileError
from simulator.audio.file_device import FileBackend
from simulator.audio.recorder import Recorder
from simulator.cli import main
from simulator.store import Store
from simulator.tui.app import VoicemailApp
from simulator.tui.screens.brief import BriefScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.dialogs import AudioProblemScreen, ConfirmScreen
from simulator.tui.screens.drill import DrillTurnScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.screens.start import StartScreen

from .app_support import make_services, wait_for


class Disk:
    """A tmpfs of 256 KiB mounted at ``path``: fill it, free it, make it read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ballast = path / "ballast"

    def fill(self) -> None:
        with open(self.ballast, "ab", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC

    def free(self) -> None:
        self.ballast.unlink(missing_ok=True)

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True, capture_output=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    """A small disk of its own, unmounted afterwards; skipped where mounting is not allowed."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)]
    mounted = subprocess.run(command, check=False, capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.strip()}")
    try:
        yield Disk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def run_cli(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        check=False,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def collect_notices(app: App) -> list[str]:
    notices: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: object) -> None:
        notices.append(message)
        original(message, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return notices


def showing_error(app: App) -> bool:
    """The unexpected-error dialog is on top (named, not imported: the tests predate it)."""
    return type(app.screen).__name__ == "ErrorScreen" and bool(app.screen.query(".dialog-text"))


def dialog_text(app: App) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(".dialog-text"))


# -- the command line ---------------------------------------------------------------------------
def test_export_to_a_full_disk_is_a_message(tmp_path: Path, disk: Disk) -> None:
    disk.fill()
    result = run_cli("export", str(tmp_path), "--format", "csv", "-o", str(disk.path / "scores.csv"))
    assert result.returncode == 1
    assert "The disk is full" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in disk.path.iterdir()) == ["ballast"]  # no half-written or empty file


def test_html_report_to_a_full_disk_is_a_message(tmp_path: Path, disk: Disk) -> None:
    disk.fill()
    result = run_cli("report", str(tmp_path), "--html", str(disk.path / "report.html"))
    assert result.returncode == 1
    assert "The disk is full" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in disk.path.iterdir()) == ["ballast"]


def test_export_to_a_read_only_folder_is_a_message(tmp_path: Path, disk: Disk) -> None:
    disk.read_only()
    result = run_cli("export", str(tmp_path), "--format", "csv", "-o", str(disk.path / "scores.csv"))
    assert result.returncode == 1
    assert "read-only" in result.stderr and "Traceback" not in result.stderr


def test_output_to_a_full_device_is_a_message() -> None:
    with open("/dev/full", "w") as full:
        result = run_cli("scenarios", "list", stdout=full.fileno())
    assert result.returncode == 1
    assert "The disk is full" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- the recorder -------------------------------------------------------------------------------
def test_a_take_on_a_full_disk_says_so_and_leaves_no_empty_file(disk: Disk, spoken_take: Path) -> None:
    take = disk.path / "take.wav"
    take.touch()  # reserved, as the store does before the recorder opens it
    disk.fill()
    with pytest.raises(TakeFileError, match="The disk is full"):
        Recorder(FileBackend(spoken_take), take).start()
    assert not take.exists()


async def test_dialling_on_a_full_disk_says_so_and_leaves_no_empty_take(
    tmp_path: Path, disk: Disk, spoken_take: Path
) -> None:
    services = make_services(tmp_path, spoken_take, speed=8.0, trainee="Sam")
    services.store = Store(disk.path / "data")
    disk.fill()
    app = VoicemailApp(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "ctrl+d")
        await wait_for(
            pilot, lambda: isinstance(app.screen, AudioProblemScreen) and app.screen.query(".dialog-text")
        )
        assert "The disk is full" in dialog_text(app)
        assert "Error opening" not in dialog_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
    assert list((disk.path / "data").rglob("*.wav")) == []


async def test_a_record_that_cannot_be_saved_can_be_saved_again(
    tmp_path: Path, disk: Disk, spoken_take: Path
) -> None:
    # spoken at 2x: the take alone would fill the small disk in about 3 s; at 8x it could, before the
    # test filled it, and then freeing the filler left no room for the retry (a timing race)
    services = make_services(tmp_path, spoken_take, speed=2.0, trainee="Sam")
    services.store = Store(disk.path / "data")
    app = VoicemailApp(services)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.recorder is not None and call.recorder.elapsed_s > 1.0)
        disk.fill()  # the disk fills up during the take: the take stops, its record cannot be saved
        await wait_for(
            pilot, lambda: isinstance(app.screen, AudioProblemScreen) and app.screen.query(".dialog-text")
        )
        assert "The disk is full" in dialog_text(app)
        takes = list((disk.path / "data").rglob("*.wav"))
        assert len(takes) == 1 and takes[0].stat().st_size > 44  # what was recorded is kept
        disk.free()
        await pilot.press("r")  # try again
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    assert len(list((disk.path / "data").rglob("*.toml"))) == 1


# -- the drill, reports and settings --------------------------------------------------------------
async def test_a_drill_on_a_full_disk_goes_on_and_says_so(
    tmp_path: Path, disk: Disk, spoken_take: Path
) -> None:
    services = make_services(tmp_path, spoken_take, speed=8.0, trainee="Instructor")
    services.store = Store(disk.path / "data")
    disk.fill()
    app = VoicemailApp(services)
    notices = collect_notices(app)
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press("enter", "d")
        await wait_for(pilot, lambda: app.screen.query("#roster"))
        await pilot.click("#roster")
        await pilot.press(*"Asha", "enter", *"Ben")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen))
        assert any("The disk is full" in n for n in notices)
        await pilot.press("escape")  # pause: the drill still cannot be saved, so ask
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "The disk is full" in dialog_text(app)
        await pilot.press("n")  # stay
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen))
        disk.free()
        await pilot.press("escape")  # now it saves
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
    assert len(list((disk.path / "data" / "drills").glob("*.toml"))) == 1


async def test_reports_export_on_a_full_disk_says_so(tmp_path: Path, disk: Disk, spoken_take: Path) -> None:
    from simulator.tui.screens.reports import ReportsScreen

    services = make_services(tmp_path, spoken_take, trainee="Sam")
    services.store = Store(disk.path / "data")
    disk.fill()
    app = VoicemailApp(services)
    notices = collect_notices(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        app.push_screen(ReportsScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen))
        await pilot.press("c")
        await wait_for(pilot, lambda: any("The disk is full" in n for n in notices))
        await pilot.press("w")
        await wait_for(pilot, lambda: sum("The disk is full" in n for n in notices) == 2)


async def test_a_name_that_cannot_be_remembered_says_why(
    tmp_path: Path, disk: Disk, spoken_take: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.config import save_settings

    monkeypatch.setenv("XDG_CONFIG_HOME", str(disk.path))
    disk.read_only()
    services = make_services(tmp_path, spoken_take, trainee="")
    services.save_settings = save_settings
    app = VoicemailApp(services)
    notices = collect_notices(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press(*"Sam", "enter", "enter")
        await wait_for(pilot, lambda: any("read-only" in n for n in notices))
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))  # used for now all the same
    assert app.trainee == "Sam"


# -- an unexpected error ----------------------------------------------------------------------------
def broken_roster(path: Path) -> list[str]:
    raise RuntimeError("the roster reader broke")


async def test_an_unexpected_error_is_shown_then_the_app_exits_non_zero(
    tmp_path: Path, spoken_take: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.locations import cache_dir
    from simulator.tui.screens.drill import setup

    monkeypatch.setattr(setup, "load_roster", broken_roster)
    app = VoicemailApp(make_services(tmp_path, spoken_take, trainee="Instructor"))
    with pytest.raises(RuntimeError, match="the roster reader broke"):  # Pilot re-raises it at the end
        async with app.run_test(size=(110, 36)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
            await pilot.press("enter", "d")
            await wait_for(pilot, lambda: app.screen.query("#roster-file"))
            await pilot.click("#roster-file")
            await pilot.press(*"class.csv", "enter")
            await wait_for(pilot, lambda: showing_error(app))
            text = dialog_text(app)
            assert "RuntimeError: the roster reader broke" in text
            assert str(cache_dir() / "audio-errors.log") in text
            assert app.is_running
            await pilot.press("enter")
            await wait_for(pilot, lambda: not app.is_running, timeout=5)
    assert app.return_code == 1
    log = (cache_dir() / "audio-errors.log").read_text()
    assert "Traceback" in log and "the roster reader broke" in log


async def test_a_roster_with_a_huge_name_does_not_close_the_app(tmp_path: Path, spoken_take: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("name\n" + "A" * 140_000 + "\nBen\n")
    app = VoicemailApp(make_services(tmp_path, spoken_take, trainee="Instructor"))
    notices = collect_notices(app)
    shown: list[bool] = []

    def refused_or_shown() -> bool:
        shown.append(showing_error(app))
        return shown[-1] or len(notices) > 0

    try:
        async with app.run_test(size=(110, 36)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
            await pilot.press("enter", "d")
            await wait_for(pilot, lambda: app.screen.query("#roster-file"))
            await pilot.click("#roster-file")
            await pilot.press(*str(roster), "enter")
            # either the roster is refused with a message, or the error is on screen: never a silent exit
            await wait_for(pilot, refused_or_shown)
            assert app.is_running
    except Exception:  # the error was shown on screen, then re-raised by Pilot at the end
        assert any(shown) and app.return_code == 1


def test_the_command_exits_non_zero_after_an_unexpected_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from simulator.locations import cache_dir

    def broken_mount(self: StartScreen) -> None:
        raise ValueError("the start screen broke")

    async def quit_at_the_error(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: showing_error(pilot.app))
        await pilot.press("enter")

    monkeypatch.setattr(StartScreen, "on_mount", broken_mount)
    headless = functools.partialmethod(App.run, headless=True, auto_pilot=quit_at_the_error)
    monkeypatch.setattr(VoicemailApp, "run", headless)
    assert main(["--data", str(tmp_path / "data"), "--no-audio"]) == 1
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "ValueError: the start screen broke" in err and str(cache_dir() / "audio-errors.log") in err
    assert len(err.strip().splitlines()) == 1


async def test_an_assessment_on_a_full_disk_keeps_the_ratings_to_save_again(
    tmp_path: Path, disk: Disk, spoken_take: Path
) -> None:
    from simulator.audio.base import Clip
    from simulator.tui.screens.assess import AssessScreen
    from simulator.tui.screens.results import ResultsScreen

    from .app_support import finished_practice

    spoken = Clip.load(spoken_take)
    short_take = tmp_path / "short.wav"  # the small disk holds a second of it
    Clip(spoken.samples[: spoken.samplerate], spoken.samplerate).save(short_take)
    services = make_services(tmp_path, spoken_take, trainee="Sam Patel")
    services.store = Store(disk.path / "data")
    practice = finished_practice(services.store, "cold-call", short_take)
    disk.fill()
    app = VoicemailApp(services)
    notices = collect_notices(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        app.flow.assess(practice)  # the results follow the assessment, as after a review
        await wait_for(pilot, lambda: isinstance(app.screen, AssessScreen))
        screen = app.screen
        await pilot.press(*["1"] * len(screen.criteria), "ctrl+s")
        await wait_for(pilot, lambda: any("The disk is full" in n for n in notices))
        assert app.screen is screen and len(screen.ratings) == len(screen.criteria)
        disk.free()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
