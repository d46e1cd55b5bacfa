"""Rubric hints: what the machine can say about each automatic check, with its evidence.

Timing hints come from the measurements; the others from the transcript (when there is one).
Each hint is shown beside the trainee's own rating, never instead of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.analysis.measure import Measurements
from simulator.analysis.transcribe import Transcript, Word
from simulator.analysis.words import find_phrase, number_runs, phrase_lists, written_word_count
from simulator.scenarios import HINT_IDS, Scenario

_STOP = {"the", "and", "of", "co", "ltd", "inc", "group", "&"}


@dataclass(frozen=True)
class Hint:
    value: bool | None  # None: the machine cannot tell
    evidence: str

    def as_dict(self) -> dict[str, object]:
        if self.value is None:
            return {"evidence": self.evidence}
        return {"value": self.value, "evidence": self.evidence}


NOT_HEARD = Hint(None, "needs the words of the take (speech recognition)")
# Hints whose detection is bad news for the take (shown as a cross when detected).
DETECTED_IS_BAD = frozenset({"vague_phrase"})


def is_good(hint_id: str, hint: Hint) -> bool | None:
    """Whether the hint speaks for the take (True), against it (False), or cannot tell (None)."""
    if hint.value is None:
        return None
    return (not hint.value) if hint_id in DETECTED_IS_BAD else hint.value


def duration_hint(scenario: Scenario, measurements: Measurements) -> Hint:
    targets = scenario.targets
    seconds = measurements.duration_s - measurements.trail_silence_s
    within = targets.min_seconds <= seconds <= targets.max_seconds
    return Hint(
        within,
        f"{seconds:.1f} s from the beep to your last word; "
        f"target {targets.min_seconds:g}-{targets.max_seconds:g} s",
    )


def _heard(words: list[Word], spotted: list[Word], phrase: str) -> str | None:
    """Evidence that ``phrase`` was said: in the transcript, or found by keyword spotting."""
    found = find_phrase(words, phrase)
    if found:
        return _said(words, *found)
    for spot in spotted:
        if spot.text == phrase.lower():
            return f"\u201c{spot.text}\u201d at {spot.start_s:.1f} s (spotted)"
    return None


def _said(words: list[Word], start: int, end: int) -> str:
    return f"\u201c{' '.join(w.text for w in words[start:end])}\u201d at {words[start].start_s:.1f} s"


def _name_hint(words: list[Word], spotted: list[Word], name: str, what: str) -> Hint:
    parts = [p for p in re.findall(r"[a-z']+", name.lower()) if p not in _STOP and len(p) > 1]
    if not parts:
        return Hint(None, f"no {what} to listen for")
    for candidate in [name.lower(), *parts]:
        evidence = _heard(words, spotted, candidate)
        if evidence:
            return Hint(True, f"{what}: {evidence}")
    return Hint(False, f"did not hear {what} ({name})")


def _company_hint(words: list[Word], spotted: list[Word], company: str) -> Hint:
    for candidate in (company.lower(), company.lower().split()[0] if company else ""):
        if candidate and any(s.text == candidate for s in spotted):
            return Hint(True, f"your company: {_heard(words, spotted, candidate)}")
    parts = [p for p in re.findall(r"[a-z']+", company.lower()) if p not in _STOP and len(p) > 2]
    heard = [(p, find_phrase(words, p)) for p in parts]
    found = [(p, where) for p, where in heard if where]
    if parts and (found and (len(found) * 2 >= len(parts) or found[0][0] == parts[0])):
        start, end = found[0][1]  # type: ignore[misc]
        return Hint(True, f"your company: {_said(words, start, end)}")
    return Hint(False, f"did not hear your company ({company})")


def _phrase_hint(words: list[Word], spotted: list[Word], phrases: list[str], what: str, absent: str) -> Hint:
    for phrase in phrases:
        if any(s.text == phrase or (s.text in phrase and len(s.text.split()) > 1) for s in spotted):
            return Hint(True, f"{what}: {_heard(words, spotted, phrase) or phrase}")
        evidence = _heard(words, spotted, phrase)
        if evidence:
            return Hint(True, f"{what}: {evidence}")
    return Hint(False, absent)


def phone_hint(words: list[Word]) -> Hint:
    runs = [run for run in number_runs(words) if len(run.digits) >= 7]
    if not runs:
        return Hint(False, "no phone number heard (7 or more digits)")
    first = runs[0]
    seconds = max(0.1, first.end_s - first.start_s)
    rate = len(first.digits) / seconds
    twice = (
        any(run.digits == first.digits for run in runs[1:])
        or first.digits[: len(first.digits) // 2] * 2 == first.digits
    )
    pace = "slowly enough to write down" if rate <= 2.5 else "fast: hard to write down"
    return Hint(
        True,
        f"{first.digits} at {first.start_s:.1f} s, {rate:.1f} digits a second ({pace})"
        + (", said twice" if twice else ", said once"),
    )


def date_time_hint(words: list[Word], spotted: list[Word]) -> Hint:
    lists = phrase_lists()
    return _phrase_hint(words, spotted, lists["days"] + lists["months"] + lists["clock"], "when",
                        "no day, date or time heard")  # fmt: skip


def machine_hints(
    scenario: Scenario, measurements: Measurements, transcript: Transcript | None = None, caller: str = ""
) -> dict[str, Hint]:
    """Every hint id, with what the measurements and the transcript can tell."""
    if not measurements.has_speech:
        return dict.fromkeys(HINT_IDS, Hint(False, "no speech was heard in the take"))
    hints = dict.fromkeys(HINT_IDS, NOT_HEARD)
    hints["duration"] = duration_hint(scenario, measurements)
    if transcript is None:
        return hints
    words = list(transcript.words)
    spotted = list(transcript.spotted)
    lists = phrase_lists()
    count = written_word_count(words)
    hints["word_count"] = Hint(
        count <= scenario.targets.max_words, f"about {count} words; at most {scenario.targets.max_words}"
    )
    hints["prospect_name"] = _name_hint(words, spotted, scenario.prospect.name, "the prospect's name")
    hints["caller_name"] = (
        _name_hint(words, spotted, caller, "your name") if caller else Hint(None, "your name is not known")
    )
    hints["company"] = _company_hint(words, spotted, scenario.brief.company)
    hints["phone_number"] = phone_hint(words)
    hints["call_to_action"] = _phrase_hint(
        words, spotted, lists["call_to_action"], "a call to action", "no call to action heard"
    )
    hints["follow_up"] = _phrase_hint(
        words, spotted, lists["follow_up"], "when you'll try again", "no follow-up heard"
    )
    hints["vague_phrase"] = _phrase_hint(
        words, spotted, lists["vague_phrase"], "vague or chasing", "nothing vague heard"
    )
    hints["date_time"] = date_time_hint(words, spotted)
    return hints
