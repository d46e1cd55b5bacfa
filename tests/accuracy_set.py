"""A labelled set of synthesised voicemail takes for measuring what the machine hears.

Each message is spoken by several synthesisers and voices (recognisers behave very differently on
espeak-ng and flite, shared/audio-ci.md), at several speeds, with silence before speech and some
with room noise. Labels are the truth: the hints a listener would give, and the word count as
written (a phone number is its written groups).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.scenarios import HINT_IDS

# The hints that come from the words (not from timing alone), with labels below.
TRANSCRIPT_HINTS = tuple(h for h in HINT_IDS if h not in ("word_count", "duration"))


@dataclass(frozen=True)
class Message:
    name: str
    text: str
    written_words: int
    hints: dict[str, bool] = field(default_factory=dict)


MESSAGES = [
    Message(
        "model",
        "Hi Anne, it's Sam Patel from Clearline Office Solutions. "
        "I can cut your firm's printing costs by about a third. "
        "Call me on 0 1 1 6, 4 9 6, 0 7 3 2. I'll try you again Thursday morning.",
        32,
        dict(
            prospect_name=True,
            caller_name=True,
            company=True,
            phone_number=True,
            call_to_action=True,
            follow_up=True,
            date_time=True,
            vague_phrase=False,
        ),
    ),
    Message(
        "vague",
        "Hi, it's me again. Just checking in to see if you got my email. This is my fourth message, so "
        "please get back to me.",
        24,
        dict(
            prospect_name=False,
            caller_name=False,
            company=False,
            phone_number=False,
            call_to_action=True,
            follow_up=False,
            date_time=False,
            vague_phrase=True,
        ),
    ),
    Message(
        "no-number",
        "Hello Anne, Sam Patel here from Clearline Office Solutions. "
        "I would love to talk about your printing. I'll try you again on Monday.",
        23,
        dict(
            prospect_name=True,
            caller_name=True,
            company=True,
            phone_number=False,
            call_to_action=False,
            follow_up=True,
            date_time=True,
            vague_phrase=False,
        ),
    ),
    Message(
        "guilt",
        "Anne, this is Sam. You haven't called me back and this is my third message. Call me on 0 1 1 6, "
        "4 9 6, 0 7 3 2.",
        20,
        dict(
            prospect_name=True,
            caller_name=True,
            company=False,
            phone_number=True,
            call_to_action=True,
            follow_up=False,
            date_time=False,
            vague_phrase=True,
        ),
    ),
    Message(
        "rambling",
        "Good morning, this is Sam. I am calling because our company has been in business "
        "for twenty years and we have many happy customers all over the country "
        "and we offer printers and paper and toner and service contracts and much more besides.",
        42,
        dict(
            prospect_name=False,
            caller_name=True,
            company=False,
            phone_number=False,
            call_to_action=False,
            follow_up=False,
            date_time=True,
            vague_phrase=False,
        ),
    ),
]

# (engine, voice, words per minute or None for the engine's default)
VOICES = [
    ("espeak-ng", "en-us", 160),
    ("espeak-ng", "en+f3", 150),
    ("flite", "slt", None),
    ("flite", "kal", None),
]


@dataclass(frozen=True)
class Case:
    message: Message
    engine: str
    voice: str
    speed: int | None
    lead_s: float
    noise: float  # standard deviation of added room noise (0: none)

    @property
    def id(self) -> str:
        return (
            f"{self.message.name}-{self.engine}-{self.voice}-{self.lead_s:g}s{'-noise' if self.noise else ''}"
        )


def cases() -> list[Case]:
    found = []
    for m_index, message in enumerate(MESSAGES):
        for v_index, (engine, voice, speed) in enumerate(VOICES):
            lead = (0.4, 1.0, 2.5, 0.0)[(m_index + v_index) % 4]
            noise = 0.004 if (m_index + v_index) % 3 == 0 else 0.0
            found.append(Case(message, engine, voice, speed, lead, noise))
    return found
