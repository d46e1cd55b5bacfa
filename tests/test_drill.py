"""Drills: roster files, the turn plan, and a whole drill driven with Pilot, interrupted and resumed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from simulator.attempts import Rater, RaterKind
from simulator.cli import main
from simulator.drill import (
    Drill,
    DrillStore,
    RosterError,
    TurnStatus,
    drill_from_dict,
    drill_to_dict,
    load_roster,
    parse_roster_text,
)
from simulator.drill_session import DrillSession
from simulator.store import list_attempts
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.dialogs import ConfirmScreen
from simulator.tui.screens.drill import (
    DrillSetupScreen,
    DrillSummaryScreen,
    DrillTakeScreen,
    DrillTurnScreen,
    PeerPicker,
    RevealScreen,
)
from simulator.tui.screens.start import StartScreen
from simulator.tui.startup import DrillResumeStart

from .app_support import finished_practice, make_app, wait_for

ROSTER = ["Asha", "Ben", "Chloé"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_from_csv_with_extra_columns_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "class.csv", "\ufeffEmail,Name\nasha@x.example,Asha\n\nben@x.example, Ben \n")
    assert load_roster(path) == ["Asha", "Ben"]


def test_roster_from_toml_both_forms(tmp_path: Path) -> None:
    assert load_roster(write(tmp_path, "a.toml", 'trainees = ["Asha", "Ben"]\n')) == ["Asha", "Ben"]
    tables = '[[trainee]]\nname = "Asha"\n\n[[trainee]]\nname = "Ben"\n'
    assert load_roster(write(tmp_path, "b.toml", tables)) == ["Asha", "Ben"]


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("no-header.csv", "first,last\nAsha,Rao\n", 1, "no 'name' column"),
        ("empty.csv", "id,name\n1,Asha\n\n2,Ben\n3, \n", 5, "empty name"),
        ("twice.csv", "name\nAsha\nBen\nasha\n", 4, "already on the roster (line 2)"),
        ("short.csv", "id,name\n1,Asha\n2\n", 3, "no 'name' value"),
        ("bell.csv", "name\nAsha\nBe\x07n\n", 3, "cannot be shown (\\x07: a key pressed with Ctrl"),
        # walked: an unclosed quote took the names after it into one ("Bad, Name\nBen") and loaded
        ("quote.csv", 'name\nAsha\n"Bad, Name\nBen\nCho\n', 3, 'a quote (") is opened and never closed'),
        ("after.csv", 'name\nAsha\n"Bad" Name\n', 3, "cannot read this row as CSV"),
        ("multi.csv", 'id,name\n1,"Asha\nRao"\n2,\n', 4, "empty name"),
        ("bad.toml", 'trainees = ["Asha",\n"Ben"\n', 2, "TOML syntax error"),
        ("shape.toml", 'people = ["Asha"]\n', 1, "expected trainees"),
    ],
)
def test_roster_errors_name_the_line(tmp_path: Path, name: str, text: str, line: int, message: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    assert caught.value.line == line, str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}:") and message in str(caught.value)


def test_typed_roster() -> None:
    assert parse_roster_text("Asha\n\n  Ben  Smith \n") == ["Asha", "Ben Smith"]
    with pytest.raises(RosterError, match="already on the roster"):
        parse_roster_text("Asha\nASHA")


def test_cli_reports_a_bad_roster_before_starting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "r.csv", "first\nAsha\n")
    assert main(["drill", "--roster", str(path), "--data", str(tmp_path)]) == 1
    assert f"{path}:1:" in capsys.readouterr().err


def test_cli_reports_an_unknown_scenario_before_starting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Walked: `drill --scenario nope` opened the set-up with nothing ticked and nothing said."""
    command = ["drill", "--scenario", "cold-call", "--scenario", "nope", "--scenario", "friday-monday.9"]
    assert main([*command, "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "no scenario or campaign step 'nope', 'friday-monday.9'" in err and "scenarios list" in err


def test_cli_resume_without_a_drill(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path), "drill", "--resume"]) == 1
    assert "no unfinished drill" in capsys.readouterr().err


def test_plan_rounds_order_and_moves() -> None:
    drill = Drill.plan(ROSTER, ["cold-call", "meeting-confirmation"], 2)
    assert [(t.trainee, t.scenario_id, t.round) for t in drill.turns] == [
        ("Asha", "cold-call", 1), ("Ben", "cold-call", 1), ("Chloé", "cold-call", 1),
        ("Asha", "meeting-confirmation", 2), ("Ben", "meeting-confirmation", 2),
        ("Chloé", "meeting-confirmation", 2),
    ]  # fmt: skip
    shuffled = Drill.plan(ROSTER, ["cold-call"], 3, shuffle=True, seed=4)
    for round_number in (1, 2, 3):
        assert sorted(t.trainee for t in shuffled.round_turns(round_number)) == sorted(ROSTER)
    assert [t.trainee for t in shuffled.turns] != ROSTER * 3
    drill.record("first")
    drill.record("retake")
    assert drill.current.attempt_ids == ["first", "retake"] and drill.current.attempt_id == "retake"
    drill.advance()
    drill.skip()
    assert drill.turns[1].status is TurnStatus.SKIPPED and drill.current.trainee == "Chloé"
    drill.end_round()
    assert drill.current.round == 2 and drill.turns[2].status is TurnStatus.SKIPPED
    assert drill_from_dict(drill_to_dict(drill)) == drill
    with pytest.raises(ValueError, match="at least one trainee"):
        Drill.plan([], ["cold-call"], 1)


async def rate_all(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AssessScreen))
    screen = pilot.app.screen
    await pilot.press(*[key] * len(screen.criteria), "ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DrillTakeScreen))


async def take_turn(pilot, peer: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Dial, speak, stop; then self, instructor (and a peer) score; reveal; next."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen))
    await pilot.press("ctrl+d")
    await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
    call = app.screen
    await wait_for(pilot, lambda: call.phase == "recording")
    await wait_for(pilot, lambda: call.recorder is not None and call.recorder.elapsed_s > 3.0)
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(app.screen, DrillTakeScreen))
    await pilot.press("v")  # refused: nobody has scored yet
    assert isinstance(app.screen, DrillTakeScreen)
    await pilot.press("1")
    await rate_all(pilot, "1")  # the trainee rates generously
    await pilot.press("2")
    await rate_all(pilot, "0")  # the instructor does not
    if peer:
        await pilot.press("3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeerPicker))
        await pilot.press("enter")
        await rate_all(pilot, "1")
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(app.screen, RevealScreen))
    assert "instructor 0" in str(app.screen.query_one("#reveal-scores").render())
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, DrillTakeScreen))
    await pilot.pause()  # walked: it still said "hidden until the reveal" after it
    assert str(app.screen.query_one("#take-status").render()).startswith("Scores so far (revealed): ")
    await pilot.press("n")


async def test_three_trainees_two_rounds_interrupted_and_resumed(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, speed=16.0, trainee="Instructor")
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.screen.is_mounted)
        await pilot.press("enter", "d")  # confirm the name, then the drill key from the list
        await wait_for(pilot, lambda: app.screen.query("#roster"))
        await pilot.click("#roster")
        await pilot.press(*"Asha", "enter", *"Ben", "enter", *"Chloé")
        rounds = app.screen.query_one("#rounds")
        rounds.value = "2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen))
        drill_id = app.screen.session.drill.id
        assert "o" not in app.screen.active_bindings  # nothing recorded yet: no "Score"
        await take_turn(pilot, peer=True)  # Asha
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen))
        await pilot.press("s")  # Ben is not ready: skipped
        await take_turn(pilot)  # Chloé
        # round 2: Asha records, then re-takes; the interruption comes before anyone scores the re-take
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen))
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.phase == "recording")
        await wait_for(pilot, lambda: call.recorder.elapsed_s > 3.0)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTakeScreen))
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.phase == "recording")
        await wait_for(pilot, lambda: call.recorder.elapsed_s > 3.0)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTakeScreen))
        # let the new screen's Header finish mounting: leaving run_test in the same tick races
        # Textual's Header title watcher against the teardown (NoMatches on HeaderTitle)
        await pilot.pause()
    # the laptop closes here: a new app resumes the saved drill

    saved = DrillStore(tmp_path / "data").latest_unfinished()
    assert saved is not None and saved.id == drill_id
    assert saved.current.trainee == "Asha" and saved.current.round == 2
    assert len(saved.current.attempt_ids) == 2  # the first take is kept beside the re-take

    resumed = make_app(tmp_path, spoken_take, DrillResumeStart(saved), speed=16.0, trainee="Instructor")
    async with resumed.run_test(size=(110, 36)) as pilot:
        # Asha's re-take was being scored when the laptop closed: the drill reopens on it (#17),
        # the instructor scores it and moves on
        await wait_for(pilot, lambda: isinstance(resumed.screen, DrillTakeScreen))
        assert resumed.screen.practice.id == saved.current.attempt_ids[-1]
        turn_screen = resumed.screen_stack[-2]
        assert isinstance(turn_screen, DrillTurnScreen)
        assert "Now: Asha" in str(turn_screen.query_one("#now-up").render())
        assert "o" in turn_screen.active_bindings  # "Score" is there to come back to
        await pilot.press("2")
        await rate_all(pilot, "0")
        await pilot.press("n")
        await take_turn(pilot)  # Ben
        await take_turn(pilot)  # Chloé
        await wait_for(pilot, lambda: isinstance(resumed.screen, DrillSummaryScreen))
        summary = resumed.screen
        table = summary.query_one("#leaderboard", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)  # the records are read in a worker
        calibration = str(summary.query_one("#calibration").render())
        assert "over-rates" in calibration and "Where the class's self-judgement is weakest" in calibration
        assert "self and instructor agree on" in calibration and "trainees rate themselves" in calibration
        assert "-rate\n" not in calibration  # walked: "trainees mixed-rate"
        await pilot.press("escape")  # Done: back to the start screen
        await wait_for(pilot, lambda: isinstance(resumed.screen, StartScreen))

    final = DrillStore(tmp_path / "data").load(next((tmp_path / "data" / "drills").glob("*.toml")))
    assert final.finished
    attempts = [a for a in list_attempts([resumed.services.store]).attempts if a.drill_id == drill_id]
    assert len(attempts) == 6  # round 1: Asha, Chloé (Ben skipped); round 2: Asha twice (re-take), Ben, Chloé
    asha_first = next(a for a in attempts if a.trainee == "Asha")
    assert {s.assessment.rater.kind for s in asha_first.assessments} == {
        RaterKind.SELF,
        RaterKind.INSTRUCTOR,
        RaterKind.PEER,
    }
    assert (
        next(
            s for s in asha_first.assessments if s.assessment.rater.kind is RaterKind.PEER
        ).assessment.rater.name
        == "Ben"
    )


async def test_drill_export_by_id(
    tmp_path: Path, spoken_take: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drill = Drill.plan(["Asha"], ["cold-call"], 1)
    app = make_app(tmp_path, spoken_take, DrillResumeStart(drill), speed=16.0, trainee="Instructor")
    async with app.run_test(size=(110, 36)) as pilot:
        await take_turn(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DrillSummaryScreen))
    assert main(["export", "--format", "csv", "--drill", drill.id, str(tmp_path / "data")]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["rater"] for r in rows) == ["instructor", "self"]
    assert main(["export", "--format", "csv", "--drill", "no-such-drill", str(tmp_path / "data")]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 0


@pytest.mark.parametrize("resume", [True, False])
async def test_a_paused_drill_is_offered_from_the_start_screen(
    tmp_path: Path, spoken_take: Path, resume: bool
) -> None:
    """Walked: Esc paused the drill with "'voicemail-sim drill --resume' continues it", and d in
    the app opened a blank set-up; the trainer had to quit and use a shell."""
    paused = Drill.plan(["Asha", "Ben"], ["cold-call"], 1)
    DrillStore(tmp_path / "data").save(paused)
    app = make_app(tmp_path, spoken_take, trainee="Instructor")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.screen.is_mounted)
        await pilot.press("enter", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one(".dialog-text").render())
        assert "is paused after 0 of 2 turns (Asha, Ben)" in question and "Resume it" in question
        await pilot.press("y" if resume else "n")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen if resume else DrillSetupScreen))
        if resume:
            assert app.screen.session.drill.id == paused.id  # type: ignore[attr-defined]
        await pilot.pause()


async def test_drills_that_cannot_be_read_still_open_a_new_set_up(
    tmp_path: Path, spoken_take: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The paused drill is looked for in a worker; a drills folder that goes while it is read
    (a network share dropped) leaves a new drill's set-up, not a crash."""

    def share_gone(self: DrillStore) -> None:
        raise FileNotFoundError(2, "No such file or directory", str(self.folder))

    monkeypatch.setattr(DrillStore, "latest_unfinished", share_gone)
    app = make_app(tmp_path, spoken_take, trainee="Instructor")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.screen.is_mounted)
        await pilot.press("enter", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillSetupScreen))
        await pilot.pause()


async def test_the_instructors_name_is_on_their_scores(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: "Jo Trainer" was typed on the start screen, and the export's rater_name said
    "instructor". The set-up offers the name typed (not a trainee's on the roster)."""
    app = make_app(tmp_path, spoken_take, trainee="Jo Trainer")
    async with app.run_test(size=(80, 24)) as pilot:
        setup = DrillSetupScreen(["Asha", "Ben"], ["cold-call"])
        await app.push_screen(setup)
        await wait_for(pilot, lambda: setup.is_mounted)
        assert setup.query_one("#instructor", Input).value == "Jo Trainer"
        on_roster = DrillSetupScreen(["Asha", "jo trainer"], ["cold-call"])
        await app.push_screen(on_roster)
        await wait_for(pilot, lambda: on_roster.is_mounted)
        assert on_roster.query_one("#instructor", Input).value == ""
        await pilot.press(
            "ctrl+s"
        )  # no drill without whose scores they are (walked: "instructor,instructor")
        await pilot.pause()
        assert app.screen is on_roster and on_roster.focused is on_roster.query_one("#instructor", Input)
        assert "Type the instructor's name" in [n.message for n in app._notifications][-1]
        drill = Drill.plan(["Asha"], ["cold-call"], 1, instructor="Jo Trainer")
        practice = finished_practice(app.services.store, "cold-call", spoken_take, trainee="Asha")
        drill.record(practice.id)
        take = DrillTakeScreen(DrillSession(drill, app.services.store, app.services.library), practice)
        await app.push_screen(take)
        await wait_for(pilot, lambda: take.is_mounted)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, AssessScreen))
        assert app.screen.rater == Rater(RaterKind.INSTRUCTOR, "Jo Trainer")  # type: ignore[attr-defined]
    assert drill_from_dict(drill_to_dict(drill)).instructor == "Jo Trainer"
    legacy = drill_to_dict(drill)
    del legacy["instructor"]  # a drill saved before the field
    assert drill_from_dict(legacy).instructor == ""
