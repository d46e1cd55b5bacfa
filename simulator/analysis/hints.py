"""Rubric hints: what the machine can say about each automatic check, with its evidence.

Timing hints come from the measurements; the others from the transcript (when there is one).
Each hint is shown beside the trainee's own rating, never instead of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.analysis.campaign_hints import campaign_hints
from simulator.analysis.closing import call_to_action_hint, date_time_hint, follow_up_hint, other_day_caution
from simulator.analysis.evidence import evidence_of, phrase_hint, quoted_at
from simulator.analysis.phone import digits_run_on, phone_hint
from simulator.analysis.record import Hint, Measurements, Transcript, Word
from simulator.analysis.sounds_like import (
    TITLES,
    before_here,
    first_name,
    greeted,
    heard_like,
    in_callers_place,
    names_place,
    sound_like_the_name,
)
from simulator.analysis.transcribe import spelled
from simulator.analysis.words import (
    filler_sounds,
    find_phrase,
    phrase_lists,
    spoken_before,
    written_word_count,
)
from simulator.scenarios import CAMPAIGN_HINT_IDS, HINT_IDS, Scenario, as_called_by

_STOP = {"the", "and", "of", "co", "ltd", "inc", "group", "&"}


NOT_HEARD = Hint(None, "the words of this take could not be made out: listen back")
# What each hint checks, where a sentence names it ("? your name, the ask: …").
HINT_NAMES = {
    "prospect_name": "their name", "caller_name": "your name", "company": "your company",
    "first_words": "the first ten words", "phone_number": "the number", "call_to_action": "the ask",
    "follow_up": "the follow-up", "date_time": "the day or time", "vague_phrase": "vague words",
    "word_count": "the word count", "duration": "the length", "stands_alone": "standing alone",
    "something_new": "something new", "says_when": "the next call", "contact": "the contact",
}  # fmt: skip
# Short names for a hint where several share a narrow table cell ("them ✓ you ✗ firm ✓").
SHORT_LABELS = {
    "prospect_name": "them", "caller_name": "you", "company": "firm", "phone_number": "number",
    "first_words": "early",
    "call_to_action": "ask", "follow_up": "follow-up", "date_time": "when", "vague_phrase": "vague",
    "word_count": "words", "duration": "time",
    "stands_alone": "alone", "something_new": "new", "says_when": "next", "contact": "contact",
}  # fmt: skip
# Hints whose detection is bad news for the take (shown as a cross when detected).
DETECTED_IS_BAD = frozenset({"vague_phrase"})
NO_SPEECH = "no speech was heard in the take"


def is_good(hint_id: str, hint: Hint) -> bool | None:
    """Whether the hint speaks for the take (True), against it (False), or cannot tell (None)."""
    if hint.value is None:
        return None
    return (not hint.value) if hint_id in DETECTED_IS_BAD else hint.value


def mark(hint_id: str, hint: Hint) -> str:
    """The hint's mark: ✓ for the take, ⚠ for it with a caution, ✗ against it, ? cannot tell."""
    good = is_good(hint_id, hint)
    if good is None:
        return "⚠" if hint.caution else "?"  # ⚠: the words there could not be trusted
    return ("⚠" if hint.caution else "✓") if good else "✗"


MARK_STYLES = {"✓": "green", "⚠": "yellow", "✗": "red", "?": "dim"}


@dataclass(frozen=True)
class Disagreement:
    """A criterion where a rating and what the machine heard point different ways."""

    criterion_id: str
    label: str
    rating: str  # the level given, as the scale names it
    generous: bool  # rated at the top although the machine heard a problem (else: rated at the bottom)
    evidence: tuple[tuple[str, str], ...]  # the machine's marks, each with what it heard
    unsure: bool = False  # every hint shown could not judge (⚠ listen back): doubt, not evidence


def disagreements(
    scenario: Scenario, ratings: Mapping[str, int], hints: Mapping[str, Hint]
) -> list[Disagreement]:
    """Criteria rated at the top that a hint speaks against (✗ or ⚠), or rated at the bottom that
    every hint speaks for: where a trainee should listen back before trusting either."""
    found = []
    for criterion in scenario.rubric.criteria:
        level = ratings.get(criterion.id)
        checked = [(h, hints[h]) for h in criterion.hints if h in hints and mark(h, hints[h]) != "?"]
        if level is None or not checked:
            continue
        against = [(h, hint) for h, hint in checked if mark(h, hint) != "✓"]
        if level == criterion.scale.top and against:
            shown, generous = against, True
        elif level == criterion.scale.levels[0] and not against:
            shown, generous = checked, False
        else:
            continue
        # once each: the first-words check repeats the name check's caution ("where their name goes")
        evidence = tuple(dict.fromkeys((mark(h, hint), hint.caution or hint.evidence) for h, hint in shown))
        unsure = all(is_good(h, hint) is None for h, hint in shown)  # not "✓ but say it twice"
        label = criterion.scale.label(level)
        found.append(Disagreement(criterion.id, criterion.label, label, generous, evidence, unsure))
    return found


ROOM_LOUD_CAUTION = "the room was loud: where your last word ends may be off; listen back"


def duration_hint(scenario: Scenario, measurements: Measurements) -> Hint:
    targets = scenario.targets
    seconds = measurements.duration_s - measurements.trail_silence_s
    within = targets.min_seconds <= seconds <= targets.max_seconds
    loud = measurements.room is not None and measurements.room.too_loud
    return Hint(
        within,
        f"{seconds:.1f} s from the beep to your last word; "
        f"target {targets.min_seconds:g}-{targets.max_seconds:g} s",
        ROOM_LOUD_CAUTION if loud else "",
    )


def _name_hint(words: list[Word], name: str, phrases: list[str], what: str) -> Hint:
    parts = [p for p in _words_of(name) if p not in _STOP and p not in TITLES and len(p) > 1]
    if not parts:
        return Hint(None, f"{what}: nothing in {name!r} to listen for")
    for candidate in [*phrases, *parts]:
        evidence = evidence_of(words, candidate)
        if evidence:
            return Hint(True, f"{what}: {evidence}")
    return Hint(False, f"did not hear {what} ({name})")


COMPANY_GOES = 2  # the company's words straight after "from", as far as they matter


def _company_hint(words: list[Word], company: str, caller: str) -> Hint:
    """Whether the company was heard; where it goes in the opening, unsure (⚠ listen back), not ✗,
    when words the recogniser doubted stand there (:func:`_companys_place_doubted`)."""
    parts = [p for p in _words_of(company) if p not in _STOP and len(p) > 2]
    heard = [(p, find_phrase(words, p)) for p in parts]
    found = [(p, where) for p, where in heard if where]
    if parts and (found and (len(found) * 2 >= len(parts) or found[0][0] == parts[0])):
        start, end = found[0][1]  # type: ignore[misc]
        return Hint(True, f"your company: {quoted_at(words, start, end)}")
    doubted = _companys_place_doubted(_opening(words), caller)
    if doubted is None:
        return Hint(False, f"did not hear your company ({company})")
    place, after = doubted
    caution = f"{place}, after {after}, may be {company} misheard: listen back"
    return Hint(None, f"your company ({company}): not made out for sure", caution)


def _companys_place_doubted(opening: list[Word], caller: str) -> tuple[str, str] | None:
    """Where the company goes in the opening holds words the recogniser doubted, those words quoted
    and what they follow: the two after "from" ("from harrow? lyle?"); the word after the caller's
    full name, unless one said there otherwise ("alex grant franca?", not "sam patel just?")."""
    own = [w for w in _words_of(caller) if w not in TITLES]
    named = find_phrase(opening, " ".join(own)) if len(own) >= 2 else None
    places = [(at + 1, "\u201cfrom\u201d") for at, w in enumerate(opening[:-1]) if w.text == "from"]
    if named and named[1] < len(opening):
        after_name = opening[named[1]]
        if after_name.unclear and after_name.text not in phrase_lists()["said_after_a_name"]:
            places.append((named[1], "your name"))
    for start, after in sorted(places):
        if any(w.unclear for w in opening[start : start + COMPANY_GOES]):
            return quoted_at(opening, start, start + COMPANY_GOES), after
    return None


def caller_name_hint(
    words: list[Word], caller: str, phrases: list[str], what: str, company: str = ""
) -> Hint:
    """Whether the caller's own name was heard; where the recogniser was unsure of the word after
    "this is" or "it's" in the opening, where it goes, or heard other words between it and "from"
    the company, or a word like the name before "here", unsure (⚠ listen back), not ✗."""
    hint = _name_hint(words, caller, phrases, what)
    if hint.value is not False:
        return hint
    opening = words[:FIRST_WORDS]  # fillers too
    place = in_callers_place(opening, company) or before_here(opening, caller)
    if not place:
        return hint
    caution = f"{quoted_at(place, 0, len(place))} may be your name misheard: listen back"
    return Hint(None, f"{what} ({caller}): not made out for sure", caution)


def prospect_name_hint(
    words: list[Word], scenario: Scenario, phrases: dict[str, list[str]], caller: str, what: str
) -> Hint:
    """Whether the prospect's name was heard; where a word that sounds like it ("and this is sam"),
    or one the recogniser doubted that is not said instead of a name ("there"), was heard in the
    name's place, unsure (⚠ listen back), not ✗."""
    name = scenario.prospect.name
    hint = _name_hint(words, name, phrases["prospect_name"], what)
    if hint.value is not False:
        return hint
    opening = _opening(words)
    place = names_place(opening, name, caller)
    lists = phrase_lists()
    instead = lists["instead_of_a_name"]  # "hello there? this is sam": no name misheard
    if not greeted(opening):  # "again? this is steve" for "Peggy, this is Steve": not "hi again"
        instead = [w for w in instead if w not in lists["only_after_a_greeting"]]
    doubted = any(w.unclear and w.text not in instead for w in place)  # "but? again" for "hello anne"
    if not (doubted or sound_like_the_name(place, name)):  # a doubted "um" there ("um? this is sam")
        place = names_place(_opening(words, with_fillers=True), name, caller)
        doubted = any(w.unclear and w.text in lists["filler_sounds"] for w in place)
    if not place or not (doubted or sound_like_the_name(place, name)):
        return hint
    heard = quoted_at(place, 0, len(place))
    caution = f"{heard}, where their name goes, may be {first_name(name)} misheard: listen back"
    return Hint(None, f"{what} ({name}): not made out for sure", caution)


FIRST_WORDS = 10  # "the first 5, maybe 10 words" decide whether they call back (seed 001)


def _opening(words: list[Word], with_fillers: bool = False) -> list[Word]:
    """The first :data:`FIRST_WORDS` words, and (``with_fillers``) the filler sounds among them."""
    sounds = filler_sounds()
    spoken = [i for i, w in enumerate(words) if w.text not in sounds][:FIRST_WORDS]
    if with_fillers:
        return words[: spoken[-1] + 1] if spoken else []
    return [words[i] for i in spoken]


def first_words_hint(
    words: list[Word], scenario: Scenario, phrases: dict[str, list[str]], caller: str
) -> Hint:
    """Whether the first :data:`FIRST_WORDS` words hold the prospect's name, and the caller's name
    or company (seed 000's three-part intro): what a phone's preview shows, and the prospect reads."""
    opening = _opening(words)
    if not opening:
        return Hint(False, "no words heard at the start")
    said_so_far = [w for w in words if w.start_s <= opening[-1].start_s]  # with its fillers
    them = prospect_name_hint(said_so_far, scenario, phrases, caller, "them")
    company = scenario.brief.company
    you = (
        caller_name_hint(said_so_far, caller, phrases["caller_name"], "you", company)
        if caller
        else Hint(False, "")
    )
    firm = _company_hint(opening, company, caller)
    missing = [] if them.value else ["their name"]
    if not (you.value or firm.value):
        missing.append("your name or company")
    said = "\u201c" + " ".join(w.text for w in opening) + "\u201d"
    lacking = f"; not in them: {' or '.join(missing)}" if missing else ""
    evidence = f"the first {len(opening)} words: {said}{lacking}"
    unsure = [them.caution] if them.value is None and them.caution else []
    if missing[-1:] == ["your name or company"]:
        unsure += [h.caution for h in (you, firm) if h.value is None and h.caution][:1]
    if missing and len(unsure) == len(missing):  # what is missing may be there, misheard
        return Hint(None, evidence, unsure[0])
    return Hint(not missing, evidence)


def _words_of(text: str) -> list[str]:
    return spelled(text).split()


def hint_phrases(scenario: Scenario, caller: str = "") -> dict[str, list[str]]:
    """The phrases each word hint listens for in this scenario: names with the words around them
    in a voicemail ("hi anne", "this is sam"), which make the evidence read naturally, and the
    phrase lists of phrases.toml."""
    lists = phrase_lists()
    found: dict[str, list[str]] = {"prospect_name": [], "caller_name": []}  # kept for names without letters
    if prospect := _words_of(scenario.prospect.name):
        first, full = first_name(" ".join(prospect)) or prospect[0], " ".join(prospect)
        found["prospect_name"] = [full, f"hi {first}", f"hello {first}", f"{first} this is"]
    if own := _words_of(caller):
        first, full = own[0], " ".join(own)
        found["caller_name"] = [full, f"this is {first}", f"it's {first}", f"{first} here", f"{full} from"]
    for hint in ("call_to_action", "follow_up", "vague_phrase"):
        found[hint] = lists[hint]
    return {hint: list(dict.fromkeys(p for p in phrases if p.strip())) for hint, phrases in found.items()}


def machine_hints(
    scenario: Scenario, measurements: Measurements, transcript: Transcript | None = None, caller: str = ""
) -> dict[str, Hint]:
    """Every hint id, with what the measurements and the transcript can tell."""
    ids = HINT_IDS + (CAMPAIGN_HINT_IDS if scenario.campaign else ())
    if not measurements.has_speech:  # nothing said: nothing vague said either, but that is no ✓
        silent = Hint(False, NO_SPEECH)
        return {h: Hint(None, NO_SPEECH) if h in DETECTED_IS_BAD else silent for h in ids}
    hints = dict.fromkeys(ids, NOT_HEARD)
    hints["duration"] = duration_hint(scenario, measurements)
    if transcript is None:
        return hints
    words = list(transcript.words)
    hints["word_count"] = word_count_hint(words, scenario.targets.max_words)
    phrases = hint_phrases(scenario, caller)
    hints["prospect_name"] = prospect_name_hint(words, scenario, phrases, caller, "the prospect's name")
    hints["caller_name"] = (
        caller_name_hint(words, caller, phrases["caller_name"], "your name", scenario.brief.company)
        if caller
        else Hint(None, "your name is not known")
    )
    hints["company"] = _company_hint(words, scenario.brief.company, caller)
    hints["first_words"] = first_words_hint(words, scenario, phrases, caller)
    hints["phone_number"] = phone_hint(words, scenario.brief.callback_number)
    hints["call_to_action"] = call_to_action_hint(words, phrases["call_to_action"])
    hints["follow_up"] = follow_up_hint(words, phrases["follow_up"])
    hints["vague_phrase"] = vague_hint(words, phrases["vague_phrase"])
    hints["date_time"] = date_time_hint(words, phrases["follow_up"])
    if hints["date_time"].value and (wrong_day := other_day_caution(words, scenario.brief.meeting_day)):
        hints["date_time"] = Hint(True, hints["date_time"].evidence, wrong_day)
    if scenario.campaign is not None:
        # the trainee's own name is no content, as the summary counts it (scenarios.as_called_by)
        hints |= campaign_hints(words, as_called_by(scenario, caller), scenario.campaign, hints)
    run_on = digits_run_on(scenario.brief.callback_number, words)  # None without a number
    return _unsure_where_doubtful(hints, transcript.doubtful + ((run_on,) if run_on else ()))


def vague_hint(words: list[Word], phrases: list[str]) -> Hint:
    """Vague or chasing words heard (against the criterion); where none were heard but words sound
    like them ("touching the bass"), unsure (⚠ listen back): the words may be misheard, so no ✓."""
    hint = phrase_hint(words, phrases, "vague or chasing", "nothing vague heard", _a_condition)
    if hint.value is not False:
        return hint
    for phrase in phrases:
        if (near := heard_like(words, phrase)) and not _a_condition(words, *near):
            caution = f"{quoted_at(words, *near)} may be \u201c{phrase}\u201d misheard: listen back"
            return Hint(None, "vague words: not made out for sure", caution)
    return hint


def _a_condition(words: list[Word], start: int, end: int) -> bool:
    """Whether a vague phrase found at ``start`` is a plain condition ("if I haven't heard back by
    Thursday"): after one of phrases.toml's ``not_vague_after`` in the two words before it."""
    before = " ".join(words[i].text for i in spoken_before(words, start, 2))
    return any(f" {word} " in f" {before} " for word in phrase_lists()["not_vague_after"])


def word_count_hint(words: list[Word], most: int) -> Hint:
    """Whether the take keeps to ``most`` words. Over it only by words the recogniser doubted (the
    words it was sure of are within it), unsure (⚠ listen back), not ✗: through a laptop's echo a
    32-word message came back as 38 words, 13 of them doubted ("called beyond here on well and")."""
    count = written_word_count(words)
    evidence = f"about {count} words; at most {most}"
    if count <= most:
        return Hint(True, evidence)
    sure = written_word_count([w for w in words if not w.unclear])
    if sure <= most:
        doubt = f"only {sure} of the {count} words heard for sure, so the count may be off: listen back"
        return Hint(None, evidence, doubt)
    return Hint(False, evidence)


def _unsure_where_doubtful(
    hints: dict[str, Hint], doubtful: tuple[tuple[float, float], ...]
) -> dict[str, Hint]:
    """Where some of the take's words could not be trusted, a check that found nothing, and the word
    count, cannot say the take lacks it: they say so, and to listen back, instead of ✗ or ✓."""
    if not doubtful:
        return hints
    where = ", ".join(f"{start:.1f}-{end:.1f} s" for start, end in doubtful)
    unsure = f"unsure what was said at {where}: listen back"
    for hint_id, hint in hints.items():
        if hint_id == "duration" or hint.value is None:
            continue
        if hint_id == "word_count" or hint.value is False:  # False: nothing heard (vague: nothing vague)
            hints[hint_id] = Hint(None, f"{hint.evidence} (in the words made out)", unsure)
    return hints
