"""Follow-up campaigns (issue #19): the files, their errors, the campaign checks and progress."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.analysis.campaign_hints import (
    campaign_hints,
    content_words,
    says_when_hint,
    shared_phrases,
    stands_alone_hint,
)
from simulator.analysis.hints import machine_hints
from simulator.analysis.record import Hint, Transcript
from simulator.attempts import Assessment, Attempt, Rater, RaterKind, score_assessment
from simulator.campaign_loader import CampaignError, load_campaigns, parse_campaign
from simulator.campaign_progress import cadence, counted_take, one_thing_to_change, progress
from simulator.campaigns import MAX_STEPS, MIN_STEPS, Campaign, step_of
from simulator.cli import main
from simulator.records import attempt_from_dict, attempt_to_dict
from simulator.scenario_loader import Library, ScenarioError, load_library, parse_scenario
from simulator.scenarios import CampaignPlace, EarlierMessage, as_called_by
from simulator.testing.analyses import analysis_with
from simulator.testing.campaign_pairs import PAIRS, PairKind, judged, written_words
from simulator.tui.screens.history import row_title
from simulator.tui.text import shorten

from .strategies_loaders import mutated_scenario_texts

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def library(shipped_dir: Path) -> Library:
    return load_library([shipped_dir])


@pytest.fixture(scope="module")
def campaigns(shipped_dir: Path, library: Library) -> dict[str, Campaign]:
    found = load_campaigns([shipped_dir], library.scenarios)
    assert not found.broken, [str(e) for e in found.broken]
    return found.campaigns


@pytest.fixture(scope="module")
def peggy_text(shipped_dir: Path) -> str:
    return (shipped_dir / "campaigns" / "peggy-five-more.toml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    return [i for i, line in enumerate(text.splitlines(), start=1) if needle in line][occurrence - 1]


def problems(text: str, library: Library, path: str = "mine.toml") -> CampaignError:
    with pytest.raises(CampaignError) as caught:
        parse_campaign(text, library.scenarios, path)
    assert str(caught.value).startswith(f"{path}:")
    return caught.value


def test_three_campaigns_ship_written_from_the_seeds(campaigns: dict[str, Campaign]) -> None:
    assert {"peggy-five-more", "friday-monday", "proposal-teaser"} <= set(campaigns)
    assert len(campaigns["peggy-five-more"].steps) >= 5  # seed 004: five or more attempts
    for campaign in campaigns.values():
        assert MIN_STEPS <= len(campaign.steps) <= MAX_STEPS
        assert [s.at for s in campaign.steps] == sorted(s.at for s in campaign.steps)
        assert {"stands_alone", "something_new", "says_when", "contact"} <= {
            h for c in campaign.shared for h in c.hints
        }
        for step in campaign.steps:
            for criterion in step.rubric.criteria:
                assert criterion.sources and "(seed" in criterion.guidance, criterion.id
                if SEEDS.is_dir():
                    assert all(s == "measured" or (SEEDS / s).is_file() for s in criterion.sources)
    peggy = [i.days for i in cadence(campaigns["peggy-five-more"])]
    assert 7 <= peggy[0] <= 10 and all(5 <= round(d) <= 7 for d in peggy[1:])  # seed 004's cadence


def test_each_step_plays_as_a_scenario_that_knows_its_campaign(campaigns: dict[str, Campaign]) -> None:
    campaign = campaigns["friday-monday"]
    scenario = campaign.step_scenario(2)
    assert scenario.id == "friday-monday.2" and step_of(scenario.id) == ("friday-monday", 2)
    assert scenario.prospect.name == "Marcus Reid" and "Stirling" in scenario.brief.history
    assert "Mon 11 Jan 09:30" in scenario.brief.history
    assert scenario.campaign is not None and scenario.campaign.next_at == campaign.step(3).at
    assert [c.id for c in scenario.rubric.criteria][-4:] == [c.id for c in campaign.shared]
    assert step_of("cold-call") is None


@pytest.mark.parametrize(
    "mistake",
    [
        (
            'prospect = "acme-inventory"',
            'prospect = "acme-inventroy"',
            "prospect",
            "prospect =",
            "did you mean",
        ),
        (
            "at = 2027-01-26T14:15:00",
            "at = 2027-01-16T14:15:00",
            "step[2].at",
            "at = 2027-01-16",
            "date order",
        ),
        (
            "at = 2027-01-26T14:15:00",
            "at = 2027-01-26",
            "step[2].at",
            "at = 2027-01-26",
            "a local date and time",
        ),
        ('hint = "says_when"', 'hint = "says_wen"', "criteria[2].hint", 'hint = "says_wen"', "did you mean"),
        ('id = "teaser"', 'id = "stands-alone"', "step[4].criteria[0].id", 'id = "stands-alone"', "shared"),
        ('title = "A teaser"', 'titel = "A teaser"', "step[4].titel", "titel =", "did you mean 'title'"),
    ],
)
def test_a_mistake_names_the_file_line_and_key(
    library: Library, peggy_text: str, mistake: tuple[str, str, str, str, str]
) -> None:
    old, new, key, needle, says = mistake
    assert old in peggy_text
    text = peggy_text.replace(old, new, 1)
    error = problems(text, library)
    problem = next(p for p in error.problems if p.key == key)
    assert problem.line == line_of(text, needle) and says in problem.message, str(error)


def test_no_steps_and_a_shared_id_used_twice_are_errors(library: Library, peggy_text: str) -> None:
    header = peggy_text[: peggy_text.index("[[step]]")].replace("schema = 1\n", "schema = 1\nstep = []\n")
    shared = peggy_text[peggy_text.index("# The campaign's own checks") :]
    error = problems(header + shared, library)
    assert any("has 0 steps" in p.message for p in error.problems), str(error)
    twice = peggy_text.replace('id = "says-when"', 'id = "stands-alone"')
    error = problems(twice, library)
    problem = next(p for p in error.problems if p.key == "criteria[2].id")
    assert "duplicate criterion id 'stands-alone' (first used by criteria[0])" in problem.message


def test_too_few_steps_is_an_error(library: Library, peggy_text: str) -> None:
    text = peggy_text[: peggy_text.index("[[step]]", peggy_text.index("[[step]]") + 1)]
    error = problems(text, library)
    assert any("3 to 6 [[step]] tables" in p.message for p in error.problems), str(error)


def test_a_scenario_cannot_use_a_campaign_check(cold_call_text: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(cold_call_text.replace('hint = "follow_up"', 'hint = "says_when"'), "s.toml")
    assert "only criteria in a campaign file" in str(caught.value)


def test_a_broken_campaign_never_stops_the_others(tmp_path: Path, library: Library, peggy_text: str) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "good.toml").write_text(peggy_text.replace('"peggy-five-more"', '"good-one"'))
    (tmp_path / "campaigns" / "bad.toml").write_text(peggy_text.replace("schema = 1", "schema = = 1"))
    found = load_campaigns([tmp_path], library.scenarios)
    assert "good-one" in found.campaigns
    assert [str(e).split(":")[:2] for e in found.broken] == [
        [str(tmp_path / "campaigns" / "bad.toml"), str(line_of(peggy_text, "schema = 1"))]
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_mistake_crashes_the_campaign_loader(
    library: Library, peggy_text: str, data: st.DataObject
) -> None:
    text = data.draw(st.one_of(mutated_scenario_texts(peggy_text), st.text(max_size=300)))
    try:
        campaign = parse_campaign(text, library.scenarios, "fuzz.toml")
    except CampaignError as error:
        assert error.problems and all(p.path == "fuzz.toml" and p.line >= 1 for p in error.problems)
        return
    assert MIN_STEPS <= len(campaign.steps) <= MAX_STEPS
    assert [s.at for s in campaign.steps] == sorted(s.at for s in campaign.steps)


# -- the campaign checks -----------------------------------------------------------------------------


def test_the_labelled_pairs_are_told_apart_as_written(campaigns: dict[str, Campaign]) -> None:
    """The repetition and stands-alone checks on the labelled pairs, every word heard: every chase
    is flagged and no genuinely new message is; every repeat is flagged but the one that says the
    same idea in new words (a word check cannot hear ideas: the trainee's own rating must)."""
    verdicts = [
        judged(
            p, campaigns[p.campaign_id], [w.text for w in written_words(p.earlier)], written_words(p.later)
        )
        for p in PAIRS
    ]
    repeats = [v for v in verdicts if v.pair.kind is PairKind.REPEAT]
    assert sum(v.repeat_flagged for v in repeats) == len(repeats) - 1, repeats
    assert [v.pair.name for v in repeats if not v.repeat_flagged] == ["peggy-repeat-reworded"]
    assert not [
        v for v in verdicts if v.pair.kind is PairKind.NEW and (v.repeat_flagged or v.chasing_flagged)
    ]
    assert all(v.chasing_flagged for v in verdicts if v.pair.kind is PairKind.CHASING)


def test_a_repeat_shows_the_phrases_it_repeats(campaigns: dict[str, Campaign]) -> None:
    pair = next(p for p in PAIRS if p.name == "daniel-repeat")
    verdict = judged(pair, campaigns[pair.campaign_id], [w.text for w in written_words(pair.earlier)],
                     written_words(pair.later))  # fmt: skip
    assert verdict.new is False and "repeats message 1: 100% of its content words" in verdict.evidence
    assert "\u201ctracking proposal we can run a free ninety day pilot" in verdict.evidence
    assert "zero one six" not in verdict.evidence  # the number is meant to be in every message


def test_shared_phrases_end_at_the_number_and_at_function_words() -> None:
    content = {"backup", "paperwork", "auditors", "march", "practices"}
    said = "in march we give practices the backup paperwork auditors ask for call me on zero one three one"
    assert shared_phrases(f"so {said}".split(), said.split(), content) == (
        "march we give practices the backup paperwork auditors",
    )


def _place(at: datetime, next_at: datetime | None) -> CampaignPlace:
    return CampaignPlace("c", 1, 3, at, next_at)


FRIDAY = datetime(2027, 1, 8, 15, 10)


@pytest.mark.parametrize(
    ("said", "next_at", "fits", "evidence"),
    [
        (
            "i'll try you again on monday",
            FRIDAY + timedelta(days=3),
            True,
            "you said monday; your next call is Mon 11 Jan",
        ),
        (
            "i'll try you again on thursday",
            FRIDAY + timedelta(days=3),
            False,
            "you said thursday, but your next",
        ),
        ("i'll try you again next week", FRIDAY + timedelta(days=3), True, "you said next week"),
        ("i'll try you again next week", FRIDAY - timedelta(hours=4), False, "but your next call"),
        ("i'll call wednesday at ten", FRIDAY + timedelta(days=5), True, "you said wednesday"),
        ("i'll try you again soon", FRIDAY + timedelta(days=3), False, "but not when"),
        ("try it again on thursday", FRIDAY + timedelta(days=5), False, "you said thursday, but your next"),
        ("call me on five", FRIDAY + timedelta(days=3), False, "no \u201cI'll try you again\u201d"),
        ("i'll try you again next month", None, True, "your last message: you said next month"),
        ("i'll be back in touch with you on monday", FRIDAY + timedelta(days=3), True, "you said monday"),
        ("i'll try you um again on monday", FRIDAY + timedelta(days=3), True, "you said monday"),
        # "again on" anchors at the number first: the later "I'll try you again" still counts
        (
            "call me again on oh one three one four nine six i'll try you again on wednesday",
            FRIDAY + timedelta(days=5),
            True,
            "you said wednesday",
        ),
        ("i'll try you again next week", FRIDAY + timedelta(days=24), False, "you said next week, but"),
        ("i'll try you again on monday", FRIDAY + timedelta(days=31), False, "you said monday, but"),
        # a follow-up that says something else is none, as the follow-up hint reads it
        ("i won't try you again on monday", FRIDAY + timedelta(days=3), False, "no \u201cI'll try you again"),
        ("thank you again on monday", FRIDAY + timedelta(days=3), False, "no \u201cI'll try you again"),
        (
            "i won't try you again on monday i'll call you next week instead",
            FRIDAY + timedelta(days=7),
            True,
            "you said next week",
        ),
    ],
)
def test_says_when_fits_the_next_step(said: str, next_at: datetime | None, fits: bool, evidence: str) -> None:
    hint = says_when_hint(written_words(said), _place(FRIDAY, next_at))
    assert hint.value is fits and evidence in hint.evidence, hint


def test_the_prospect_s_company_and_names_are_not_repeated_content(campaigns: dict[str, Campaign]) -> None:
    scenario = campaigns["friday-monday"].step_scenario(2)
    words = "hi marcus's team at penrose dental group it's alex grant at safeguard backup".split()  # noqa: SIM905
    assert content_words(words, scenario) == {"team"}


def test_an_email_left_is_not_a_reference_to_earlier_messages() -> None:
    assert stands_alone_hint(written_words("i've left you an email with the plan")).value is True
    assert stands_alone_hint(written_words("i've left you a message last week")).value is False


def test_contact_and_missing_takes(campaigns: dict[str, Campaign]) -> None:
    campaign = campaigns["proposal-teaser"]
    missing = campaign.step_scenario(3, (EarlierMessage(1, campaign.step(1).at, None),
                                         EarlierMessage(2, campaign.step(2).at, None)))  # fmt: skip
    assert missing.campaign is not None
    words = written_words("hi daniel it's jo marsh email jo at fleetwise dot example")
    hints = campaign_hints(words, missing, missing.campaign, {"phone_number": Hint(False, "no number")})
    assert hints["contact"].value is True and "your email" in hints["contact"].evidence
    assert hints["something_new"].value is None
    assert "cannot compare with message 1, 2 (its take is missing)" in hints["something_new"].evidence
    silent = campaign_hints(
        written_words("hi daniel"), missing, missing.campaign, {"phone_number": Hint(False, "")}
    )
    assert silent["contact"].value is False and "only one they hear" in silent["contact"].evidence


# -- records and progress ----------------------------------------------------------------------------


def _take(step: int, minutes: int, chosen: bool = False) -> Attempt:
    started = datetime(2026, 12, 1, 9, tzinfo=UTC) + timedelta(minutes=minutes)
    return Attempt(
        id=f"take-{step}-{minutes}", trainee="Asha", scenario_id=f"friday-monday.{step}", scenario_title="t",
        scenario_version=1, started_at=started, duration_s=20.0, audio_file=f"{step}-{minutes}.wav",
        campaign_id="friday-monday", campaign_step=step,
        chosen_at=started + timedelta(hours=1) if chosen else None,
    )  # fmt: skip


def test_a_step_s_take_keeps_its_campaign_in_the_record() -> None:
    take = _take(2, 5, chosen=True)
    document = attempt_to_dict(take)
    assert document["campaign"]["id"] == "friday-monday" and document["campaign"]["step"] == 2
    assert attempt_from_dict(document) == take
    plain = dataclasses.replace(take, campaign_id="", campaign_step=0, chosen_at=None)
    assert "campaign" not in attempt_to_dict(plain) and attempt_from_dict(attempt_to_dict(plain)) == plain


def test_the_latest_take_counts_unless_another_is_picked(campaigns: dict[str, Campaign]) -> None:
    first, retry = _take(1, 0), _take(1, 10)
    assert counted_take([first, retry]) == retry
    picked = dataclasses.replace(first, chosen_at=retry.started_at + timedelta(minutes=1))
    assert counted_take([picked, retry]) == picked
    newer = _take(1, 30)  # a retake after the pick: the latest counts again
    assert counted_take([picked, retry, newer]) == newer
    record = progress(campaigns["friday-monday"], [picked, retry, _take(2, 20)], "Asha")
    assert record.done == 2 and record.next_step == 3 and record.label() == "step 3 of 3"
    assert [len(s.takes) for s in record.steps] == [2, 1, 0]
    assert [m.words for m in record.earlier(3)] == [None, None]  # never transcribed: cannot compare
    assert (
        record.earlier(1) == () and len(progress(campaigns["friday-monday"], [retry], "Asha").earlier(3)) == 1
    )
    assert progress(campaigns["friday-monday"], [], "Asha").label() == "not started"
    assert progress(campaigns["friday-monday"], [retry], "Somebody else").done == 0


def test_the_campaign_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path, peggy_text: str) -> None:
    assert main(["campaigns", "list"]) == 0
    assert "peggy-five-more" in capsys.readouterr().out
    assert main(["campaigns", "show", "peggy-five-more"]) == 0
    shown = capsys.readouterr().out
    assert [line.split()[1] for line in shown.splitlines() if line.startswith("Step ")] == list("123456")
    assert main(["campaigns", "validate"]) == 0
    assert "3 valid, 0 with errors" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(peggy_text.replace("at = 2027-01-26T14:15:00", "at = 2027-01-12T14:15:00"))
    assert main(["campaigns", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:{line_of(bad.read_text(), 'at = 2027-01-12')}: step[2].at: step 3" in out
    assert main(["campaigns", "show", "nope"]) == 1
    assert "no campaign 'nope'" in capsys.readouterr().err


def test_the_one_thing_to_change_names_what_the_machine_doubted(campaigns: dict[str, Campaign]) -> None:
    """Walked: every criterion self-rated at the top, the number not made out, and the summary said
    "Nothing stands out": with nothing lost in the trainee's own ratings, the machine's doubts are
    named beside them (never in their place: the score is unchanged)."""
    campaign = campaigns["friday-monday"]
    scenario = campaign.step_scenario(1)

    def rated_top(hints: dict[str, Hint]) -> Attempt:
        take = dataclasses.replace(_take(1, 0), analysis=dataclasses.replace(analysis_with(30), hints=hints))
        top = {c.id: c.scale.top for c in scenario.rubric.criteria}
        own = score_assessment(
            scenario.rubric, scenario.targets, take, Assessment(Rater(RaterKind.SELF, "Asha"), top)
        )
        return dataclasses.replace(take, assessments=(own,))

    doubted = progress(campaign, [rated_top({"contact": Hint(False, "no number heard")})], "Asha")
    assert one_thing_to_change(doubted) == (
        "Nothing stands out in your own ratings; listen back to what the machine doubted: "
        "message 1: Contact details, every time."
    )
    assert doubted.steps[0].score == 100
    both = {"contact": Hint(False, "no number heard"), "says_when": Hint(None, "no follow-up made out", "⚠")}
    walked = one_thing_to_change(progress(campaign, [rated_top(both)], "Asha"))  # walked: named twice
    assert walked.endswith("message 1: When you'll try again · Contact details, every time."), walked
    heard = progress(campaign, [rated_top({"contact": Hint(True, "“call me on 0131 496 0852”")})], "Asha")
    assert one_thing_to_change(heard) == "Nothing stands out: keep each message new and light."


def test_history_names_a_campaign_take_by_its_step_first(campaigns: dict[str, Campaign]) -> None:
    """Walked: every campaign row in the history read "Friday, Monday, Wednesday: Marcus and th…"."""
    titles = [shorten(row_title(_take(step, 0), campaigns), 41) for step in (1, 2)]
    assert titles[0].startswith("1/3 Friday: the audit · ") and titles[1].startswith("2/3 Monday: over the")
    assert row_title(dataclasses.replace(_take(1, 0), campaign_step=0), campaigns) == "t"


def test_the_summary_shows_the_repeat_its_results_screen_showed(campaigns: dict[str, Campaign]) -> None:
    """Walked: Results said "new: 14% of its content words were in message 1" and the summary
    "2 → 3: 25% of the words again": two measures of one take. Both now compare with the earlier
    message the take repeats most, by one rule, in the same words; and the trainee's own name is
    no content on either (walked: the summary's 80% quoted "priya shah from…", Results' 75% not)."""
    campaign = campaigns["friday-monday"]
    first = "we help finance teams close the month in three days with automated reconciliation"
    second = "our audit checklist shows which invoices your auditors will question first"
    texts = {1: first, 2: second, 3: "hi marcus it's asha " + first + " and the pilot is free"}

    def heard(step: int) -> Attempt:
        transcript = Transcript(tuple(written_words(texts[step])))
        analysis = dataclasses.replace(analysis_with(len(transcript.words)), transcript=transcript)
        return dataclasses.replace(_take(step, step * 10), analysis=analysis)

    record = progress(campaign, [heard(1), heard(2), heard(3)], "Asha")
    repeats = dict(record.repetitions())
    assert sorted(repeats) == [2, 3] and repeats[3].step == 1  # not message 2, the one before
    assert repeats[3].shown() == "80% of its content words were in message 1"  # "asha" is no content
    step = campaign.step_scenario(3, record.earlier(3))
    said = Transcript(tuple(written_words(texts[3])))
    for scenario in (as_called_by(step, "Asha"), step):  # the app's campaign screen; a drill's turn
        hint = machine_hints(scenario, analysis_with(20).measurements, said, caller="Asha")["something_new"]
        assert hint.value is False and repeats[3].shown() in hint.evidence, hint


def test_a_follow_up_that_may_be_misheard_leaves_the_next_call_unsure(campaigns: dict[str, Campaign]) -> None:
    """Walked: "I'll try you Wednesday" heard as "i'll try your wednesday": the follow-up hint said
    ⚠ may be misheard, listen back, and beside it the campaign check said ✗ no "I'll try you again"."""
    scenario = campaigns["friday-monday"].step_scenario(2)
    measured = analysis_with(20).measurements

    def hints(said: str) -> dict[str, Hint]:
        heard = Transcript(tuple(written_words(f"call me on 0131 496 0852. {said}")))
        return machine_hints(scenario, measured, heard, caller="Alex Grant")

    misheard = hints("i'll try your wednesday")
    assert misheard["follow_up"].value is None and misheard["says_when"].value is None
    assert "listen back" in misheard["says_when"].caution
    assert hints("i'll try you wednesday")["says_when"].value is True
    assert hints("thanks marcus")["says_when"] == Hint(False, "no \u201cI'll try you again\u201d heard")


def test_a_cut_title_or_message_ends_at_a_word() -> None:
    """Walked: the inbox read "…Safeguard Backup yo" and the timeline "over the weekend I reali…"."""
    assert shorten("Monday: over the weekend I realised...", 34) == "Monday: over the weekend I…"
    assert shorten("Hi Marcus, it's Priya at Safeguard Backup, your audit", 42) == (
        "Hi Marcus, it's Priya at Safeguard Backup…"
    )
    assert shorten("Supercalifragilisticexpialidocious", 10) == "Supercali…"  # one long word: cut in it
    assert shorten("short", 10) == "short" and len(shorten("a " * 40, 20)) <= 20


@given(text=st.text(max_size=80), width=st.integers(-5, 90))
def test_a_cut_never_overflows_its_room(text: str, width: int) -> None:
    """However narrow the terminal: the cut fits (width 0 or less once kept nearly all the text)."""
    cut = shorten(text, width)
    assert len(cut) <= max(width, 0)
    assert cut == text or cut.endswith("…") or width <= 0
