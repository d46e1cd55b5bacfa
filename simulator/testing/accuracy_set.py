"""A labelled set of synthesised voicemail takes for measuring what the machine hears.

Each message is spoken by several synthesisers and voices (recognisers behave very differently on
espeak-ng and flite, shared/audio-ci.md), at several speeds, with silence before speech and some
with room noise. Labels are the truth: the hints a listener would give, and the word count as
written (a phone number is its written groups).

Messages are split in two. Phrase lists and thresholds were tuned on the "tune" messages only;
the "held-out" messages (other scenarios, other names) were written after and are reported
separately, so the figures say how well the tuning carries over.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.analysis.record import Transcript
from simulator.audio.base import Clip
from simulator.scenarios import HINT_IDS, Scenario
from simulator.testing import rooms
from simulator.testing.speech import speak

# The hints that come from the words (not from timing alone), with labels below.
TRANSCRIPT_HINTS = tuple(h for h in HINT_IDS if h not in ("word_count", "duration"))
HINT_ORDER = ("prospect_name", "caller_name", "company", "phone_number", "call_to_action", "follow_up",
              "date_time", "vague_phrase")  # fmt: skip
# Labelled by rule from the message's own words (what the first ten words hold), not by hand.
DERIVED_HINTS = ("first_words",)
assert set(HINT_ORDER) | set(DERIVED_HINTS) == set(TRANSCRIPT_HINTS)


def labels(flags: str) -> dict[str, bool]:
    """Hint labels from a string of 8 flags ('1' said, '0' not), in HINT_ORDER."""
    assert len(flags) == len(HINT_ORDER), flags
    return {hint: flag == "1" for hint, flag in zip(HINT_ORDER, flags, strict=True)}


@dataclass(frozen=True)
class Message:
    name: str
    scenario_id: str
    caller: str
    text: str
    hints: dict[str, bool] = field(default_factory=dict)
    split: str = "tune"

    @property
    def written_words(self) -> int:
        """Words as written: a phone number's spaced digits count as their groups ("0 1 1 6" is one)."""
        return len(re.sub(r"(\d) (?=\d)", r"\1", self.text).split())


#                       prospect caller company phone cta follow_up date_time vague
MESSAGES = [
    Message(
        "model", "cold-call", "Sam Patel",
        "Hi Anne, it's Sam Patel from Clearline Office Solutions. "
        "I can cut your firm's printing costs by about a third. "
        "Call me on 0 1 1 6, 4 9 6, 0 7 3 2. I'll try you again Thursday morning.",
        labels("11111110"),
    ),
    Message(
        "vague", "cold-call", "Sam Patel",
        "Hi, it's me again. Just checking in to see if you got my email. This is my fourth message, so "
        "please get back to me.",
        labels("00001001"),
    ),
    Message(
        "no-number", "cold-call", "Sam Patel",
        "Hello Anne, Sam Patel here from Clearline Office Solutions. "
        "I would love to talk about your printing. I'll try you again on Monday.",
        labels("11100110"),
    ),
    Message(
        "guilt", "cold-call", "Sam Patel",
        "Anne, this is Sam. You haven't called me back and this is my third message. Call me on 0 1 1 6, "
        "4 9 6, 0 7 3 2.",
        labels("11011001"),
    ),
    # "Good morning" is a greeting, not a time: no date_time.
    Message(
        "rambling", "cold-call", "Sam Patel",
        "Good morning, this is Sam. I am calling because our company has been in business "
        "for twenty years and we have many happy customers all over the country "
        "and we offer printers and paper and toner and service contracts and much more besides.",
        labels("01000000"),
    ),
    Message(
        "proposal-vague", "proposal-follow-up", "Jo Marsh",
        "Hi Daniel, Jo here. Just following up on my last message about the proposal. "
        "Touching base to see if you had any thoughts. Let me know.",
        labels("11001001"),
    ),
    Message(
        "acme-model", "acme-inventory", "Steve Weinberg",
        "Peggy, this is Steve Weinberg of Acme Chemicals. I am calling on Monday the eleventh at ten thirty "
        "to discuss how we can help you reduce your inventory. Please call me at 3 1 2, 5 5 5, 0 1 4 7.",
        labels("11111010"),
    ),
    Message(
        "proposal-model", "proposal-follow-up", "Jo Marsh",
        "Hi Daniel, it's Jo Marsh from Fleetwise. Good news on the proposal I sent you last Tuesday: we can "
        "now run a free pilot on ten of your vans. Call me on 0 1 6 1, 4 9 6, 0 4 1 8. "
        "I'll ring you again on Friday afternoon.",
        labels("11111110"), "held-out",
    ),
    Message(
        "confirm-model", "meeting-confirmation", "Chris Lee",
        "Hello Priya, this is Chris Lee from Ledgerly, confirming our meeting on Thursday at two p.m. at "
        "your office on Riverside Way. If you need to move it, call me on 0 1 1 3, 4 9 6, 0 2 7 5. "
        "Otherwise, see you Thursday.",
        labels("11111110"), "held-out",
    ),
    Message(
        "confirm-rambling", "meeting-confirmation", "Chris Lee",
        "Hi, this is Chris. I wanted to say that the meeting is still on and I am really looking forward "
        "to it and I think you will love what we have been building and there is so much to show you.",
        labels("01000000"), "held-out",
    ),
    Message(
        "weekend-model", "weekend-idea", "Alex Grant",
        "Hi Marcus, Alex Grant from Safeguard again. Over the weekend I read that Penrose is opening a "
        "seventh practice in Stirling. We can back it up from day one. Ring me on 0 1 3 1, 4 9 6, "
        "0 8 5 2, and I'll try you again on Wednesday.",
        labels("11111110"), "held-out",
    ),
    Message(
        "cold-no-name", "cold-call", "Sam Patel",
        "Hello, I am calling about your office printers. We save firms like yours a lot of money. "
        "Give me a call on 0 1 1 6, 4 9 6, 0 7 3 2 when you can.",
        labels("00011000"), "held-out",
    ),
]  # fmt: skip

# Messages with fillers, each with the fillers said in it (the messages above have none: any
# filler heard in their takes is made up). Spoken by every voice.
FILLER_MESSAGES = [
    ("Hi Anne, um, it's Sam Patel from, uh, Clearline Office Solutions. I, um, wanted to talk about "
     "your printing costs, you know.", {"um", "uh", "you know"}),
    ("Uh, hi Anne. It's Sam Patel. Um, I can, like, cut your printing costs. Er, call me on "
     "0116 496 0732.", {"uh", "um", "like", "er"}),
]  # fmt: skip

# (engine, voice, words per minute for espeak-ng or None for flite's own pace)
VOICES = [
    ("espeak-ng", "en-us", 160),
    ("espeak-ng", "en+f3", 150),
    ("flite", "slt", None),
    ("flite", "kal", None),
]
SPEED_STEPS = (-15, 0, 15)  # espeak-ng's pace varies by message around the voice's own


@dataclass(frozen=True)
class Case:
    message: Message
    engine: str
    voice: str
    speed: int | None
    lead_s: float
    noise: float  # standard deviation of added room noise (0: none)
    condition: str = "clean"  # a room or microphone from simulator/testing/rooms.py
    pause_s: float = 0.0  # a pause this long made in the take's longest gap between words

    @property
    def id(self) -> str:
        extra = "".join(
            ["-noise" if self.noise else "", f"-pause{self.pause_s:g}s" if self.pause_s else "",
             "" if self.condition == "clean" else f"-{self.condition}"]
        )  # fmt: skip
        return f"{self.message.name}-{self.engine}-{self.voice}-{self.lead_s:g}s{extra}"

    @property
    def clean(self) -> Case:
        """The same take in a quiet room on a good microphone: its labels and timings are the truth."""
        return dataclasses.replace(self, condition="clean")


# Takes that made Whisper loop before the guard (issue #16): the model message with its number said
# twice, by espeak-ng's en-us voice at 150 words a minute, looped on every run ("...seven three two
# five five five five...", 40 "five"s) and lost "I'll try you again Thursday morning".
LOOP_MESSAGE = Message(
    "number-twice", "cold-call", "Sam Patel",
    "Hi Anne, it's Sam Patel from Clearline Office Solutions. I can cut your firm's printing costs by "
    "about a third. Call me on 0 1 1 6, 4 9 6, 0 7 3 2, that's 0 1 1 6, 4 9 6, 0 7 3 2. "
    "I'll try you again Thursday morning.",
    labels("11111110"),
)  # fmt: skip
LOOP_CASES = [Case(LOOP_MESSAGE, "espeak-ng", "en-us", 150, 0.4, 0.0)]


def cases(split: str | None = None) -> list[Case]:
    """Every message in every voice (or only those of one split), and the takes that looped."""
    found = [] if split == "held-out" else list(LOOP_CASES)
    for m_index, message in enumerate(MESSAGES):
        if split is not None and message.split != split:
            continue
        for v_index, (engine, voice, speed) in enumerate(VOICES):
            lead = (0.4, 1.0, 2.5, 0.0)[(m_index + v_index) % 4]
            noise = (0.004, 0.0, 0.0, 0.01, 0.0, 0.0)[(m_index + v_index) % 6]
            pace = speed + SPEED_STEPS[m_index % 3] if speed else None
            found.append(Case(message, engine, voice, pace, lead, noise))
    return found


# Room conditions are applied to a representative subset: tune and held-out messages, with and
# without names, numbers and follow-ups, in every voice. The babble rooms (where timings go wrong)
# get three messages; the others two, or one for the dead channel. The device rates have the guilt
# message, whose first word "Anne" Whisper hears as "and" in a quiet room too, and a model message,
# so their figure is not that one word's alone.
ROOM_MESSAGES = {
    "babble": ("model", "vague", "proposal-model"),
    "fan": ("model", "confirm-rambling"), "headset": ("no-number", "confirm-model"),
    "laptop": ("model", "weekend-model"), "rate": ("guilt", "proposal-model"), "stereo": ("acme-model",),
}  # fmt: skip
ROOM_PAUSE_S = 1.6  # every other room take has a long pause, so pause counts are put to the test


def room_cases(condition: str | None = None) -> list[Case]:
    """The subset's takes in every room condition (or one)."""
    found = []
    for room in rooms.CONDITIONS if condition is None else (condition,):
        names = ROOM_MESSAGES[room.split("-")[0]]
        for index, case in enumerate(c for c in cases() if c.message.name in names):
            pause = ROOM_PAUSE_S if index % 2 else 0.0
            found.append(dataclasses.replace(case, condition=room, pause_s=pause))
    return found


def clip_for(case: Case, folder: Path) -> Clip:
    """The take: the message spoken, after the case's silence, with its room noise, then recorded in
    the case's room."""
    path = speak(case.message.text, folder / f"{case.id}.wav", case.voice, case.speed or 175, case.engine)
    clip = Clip.load(path)
    speech = clip.samples
    if case.pause_s:
        speech = _with_pause(clip, case.pause_s)
    samples = np.concatenate([np.zeros(int(case.lead_s * clip.samplerate), np.float32), speech])
    if case.noise:
        samples = samples + np.random.default_rng(len(case.clean.id)).normal(0, case.noise, len(samples))
    take = Clip(samples.astype(np.float32), clip.samplerate)
    if case.condition == "clean":
        return take
    return rooms.recorded_in(case.condition, take, folder, seed=len(case.id))


def _with_pause(clip: Clip, pause_s: float) -> np.ndarray:
    """The speech with ``pause_s`` of silence added in the middle of its longest gap between words."""
    from simulator.analysis.measure import FRAME_S, speech_frames

    voiced = np.concatenate([[False], speech_frames(clip), [False]]).astype(np.int8)
    starts, ends = np.flatnonzero(np.diff(voiced) == 1), np.flatnonzero(np.diff(voiced) == -1)
    gaps = [(start - end, (start + end) // 2) for end, start in zip(ends, starts[1:], strict=False)]
    gap, middle = max(gaps, default=(0, 0))
    cut = int(middle * FRAME_S * clip.samplerate) if gap > 0 else len(clip.samples) // 2
    silence = np.zeros(int(pause_s * clip.samplerate), np.float32)
    return np.concatenate([clip.samples[:cut], silence, clip.samples[cut:]])


@dataclass(frozen=True)
class Outcome:
    """What the machine made of one labelled take."""

    case: Case
    wrong: tuple[str, ...]  # the hints it judged wrongly (✓ or ✗ against the label)
    words: int
    transcript: str
    lead_error_s: float
    fillers: tuple[str, ...] = ()
    pauses_right: bool = True
    too_loud: bool = False
    first_words_heard: float = 1.0  # of the message's first two words, the share heard first
    early_name_heard: bool | None = None  # None: the prospect's name is not said in the first words
    number_verdict: str | None = None  # the brief's number against the digits heard; None: not said
    expected: dict[str, bool] = field(default_factory=dict)  # every hint's label (labelled_hints)
    unsure: tuple[str, ...] = ()  # the hints that could not judge (⚠ listen back, or ?): not right

    @property
    def not_right(self) -> tuple[str, ...]:
        return self.wrong + self.unsure

    @property
    def right(self) -> int:
        return len(TRANSCRIPT_HINTS) - len(self.not_right)

    @property
    def word_error(self) -> float:
        return abs(self.words - self.case.message.written_words) / self.case.message.written_words

    @property
    def timings_right(self) -> bool:
        return self.lead_error_s <= 0.15 and self.pauses_right


EARLY_WORDS = 6  # the prospect's name among the first six words is said in the first two seconds


def outcome(case: Case, folder: Path) -> Outcome:
    """Analyse one labelled take exactly as the app does (measure, transcribe, hints)."""
    from simulator.analysis.measure import measure
    from simulator.analysis.take import analyze
    from simulator.locations import shipped_scenarios_dir
    from simulator.scenario_loader import load_library

    scenario = load_library([shipped_scenarios_dir()]).get(case.message.scenario_id)
    clip = clip_for(case, folder)
    if case.condition == "clean" and not case.pause_s:
        unpadded = Clip(clip.samples[int(case.lead_s * clip.samplerate) :], clip.samplerate)
        truth = measure(unpadded)
        lead, pauses = case.lead_s + truth.lead_silence_s, truth.pauses
    else:  # the same take in a quiet room, measured as above, is the truth
        truth = measure(clip_for(case.clean, folder))
        lead, pauses = truth.lead_silence_s, truth.pauses
    result = analyze(clip, scenario, caller=case.message.caller)
    expected = labelled_hints(case.message, scenario)
    values = {h: result.hints[h].value for h in TRANSCRIPT_HINTS}
    wrong = tuple(h for h, value in values.items() if value is not None and value != expected[h])
    heard = [w.text for w in result.transcript.words] if result.transcript else []
    said = spelled_words(case.message.text)
    first_name = scenario.prospect.name.split()[0].lower()
    room = result.measurements.room
    return Outcome(
        case,
        wrong,
        result.words or 0,
        " ".join(heard),
        abs(result.measurements.lead_silence_s - lead),
        tuple(result.fillers),
        pauses_right=result.measurements.pauses == pauses,
        too_loud=bool(room and room.too_loud),
        first_words_heard=sum(w in heard[:4] for w in said[:2]) / 2,
        early_name_heard=first_name in heard[: EARLY_WORDS + 2] if first_name in said[:EARLY_WORDS] else None,
        number_verdict=_number_verdict(case.message, scenario, result.transcript),
        expected=expected,
        unsure=tuple(h for h, value in values.items() if value is None),
    )


def _number_verdict(message: Message, scenario: Scenario, transcript: Transcript | None) -> str | None:
    """What the number check made of the take, when the message says the brief's number."""
    from simulator.analysis.phone import digit_groups
    from simulator.analysis.take import number_check_of

    digits = "".join(digit_groups(scenario.brief.callback_number))
    if not digits or digits not in "".join(digit_groups(message.text)):
        return None
    check = number_check_of(scenario, transcript)
    return check.verdict.value if check else "not heard"


def labelled_hints(message: Message, scenario: Scenario) -> dict[str, bool]:
    """The message's hand labels, and :data:`DERIVED_HINTS` worked out from its true words (as the
    recogniser would write them, perfectly heard)."""
    from simulator.analysis.hints import first_words_hint, hint_phrases
    from simulator.analysis.record import Word
    from simulator.analysis.spoken import spoken_words

    said = [word for token in message.text.split() for word in spoken_words(token)]
    words = [Word(text, n * 0.3, n * 0.3 + 0.25) for n, text in enumerate(said)]
    phrases = hint_phrases(scenario, message.caller)
    opening = first_words_hint(words, scenario, phrases, message.caller).value
    return {**message.hints, "first_words": bool(opening)}


def spelled_words(text: str) -> list[str]:
    """The words of a message as the transcript spells them ("Hi Anne," -> ["hi", "anne"])."""
    return re.findall(r"[a-z']+", text.lower())


def fillers_heard(folder: Path) -> tuple[int, int]:
    """Of the fillers said in FILLER_MESSAGES by every voice: (how many were heard, how many said)."""
    from simulator.analysis.take import analyze
    from simulator.locations import shipped_scenarios_dir
    from simulator.scenario_loader import load_library

    scenario = load_library([shipped_scenarios_dir()]).get("cold-call")
    heard = said = 0
    for index, (text, fillers) in enumerate(FILLER_MESSAGES):
        for engine, voice, speed in VOICES:
            path = folder / f"fillers-{index}-{voice}.wav"
            clip = Clip.load(speak(text, path, voice, speed or 175, engine))
            heard += len(fillers & set(analyze(clip, scenario, caller="Sam Patel").fillers))
            said += len(fillers)
    return heard, said
