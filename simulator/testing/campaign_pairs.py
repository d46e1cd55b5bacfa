"""Labelled pairs of campaign messages, for the repetition and stands-alone checks (issue #19).

Each pair is an earlier message and a later one to the same prospect, labelled by what the later
one does: ``repeat`` (the same message again, a few words changed, as trainees do by the third
try), ``new`` (a new idea, fact, email or teaser, in the trainee's usual frame: name, company,
number, follow-up) or ``chasing`` (refers back to earlier messages, seeds 000 and 002; it may
also repeat). They were written from the seeds' advice, not from the checks' output, and are
spoken by two voices in the bench and the tests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from simulator.analysis.record import Word
from simulator.campaigns import Campaign
from simulator.scenarios import EarlierMessage, Scenario


class PairKind(StrEnum):
    REPEAT = "repeat"
    NEW = "new"
    CHASING = "chasing"


@dataclass(frozen=True)
class MessagePair:
    name: str
    campaign_id: str
    step: int  # the later message's step; the earlier one is left at step - 1
    kind: PairKind
    earlier: str
    later: str

    @property
    def repeats(self) -> bool:
        return self.kind is PairKind.REPEAT

    @property
    def refers_back(self) -> bool:
        return self.kind is PairKind.CHASING


PEGGY_1 = (
    "Peggy, this is Steve Weinberg of Acme Chemicals. I am calling on Monday, January 11th at 10:35 a.m. "
    "to discuss how we can help you reduce your inventory without risking your production lines. "
    "Please call me at 312-555-0147. I'll try you again on Wednesday next week."
)
DANIEL_1 = (
    "Hi Daniel, it's Jo Marsh from Fleetwise. Good news on the tracking proposal: we can now run a free "
    "ninety-day pilot on ten of your vans, so you see the fuel savings before you commit. "
    "Call me on 0161 496 0418. I'll ring you again on Tuesday."
)
MARCUS_1 = (
    "Hi Marcus, it's Alex Grant at Safeguard Backup. Your data-protection audit is in March; we give "
    "practices the backup paperwork auditors ask for, ready on the day. Call me on 0131 496 0852. "
    "I'll try you again on Monday."
)

PAIRS = [
    MessagePair("peggy-repeat", "peggy-five-more", 2, PairKind.REPEAT, PEGGY_1,
        "Peggy, this is Steve Weinberg of Acme Chemicals, calling on Wednesday, January 20th, to discuss how "
        "we can help you reduce your inventory without risking your production lines. Please call me at "
        "312-555-0147. I'll try you again on Tuesday."),
    MessagePair("peggy-repeat-short", "peggy-five-more", 2, PairKind.REPEAT, PEGGY_1,
        "Hi Peggy, Steve Weinberg, Acme Chemicals. We can help you reduce your inventory without risking "
        "your production lines. Call me at 312-555-0147. I'll try you Tuesday."),
    # the same idea in new words: the word check misses it, and says so only by a low share
    MessagePair("peggy-repeat-reworded", "peggy-five-more", 2, PairKind.REPEAT, PEGGY_1,
        "Hello Peggy, Steve Weinberg at Acme Chemicals again. We help plants like yours carry less inventory "
        "without putting production at risk. Please ring me on 312-555-0147. I'll try you Tuesday."),
    MessagePair("peggy-new-fact", "peggy-five-more", 2, PairKind.NEW, PEGGY_1,
        "Peggy, it's Steve Weinberg at Acme Chemicals, Wednesday, January 20th. Congratulations on the "
        "automotive contract. With consignment stock you hold none of the extra resin until your lines use "
        "it. Call me at 312-555-0147. I'll try you again Tuesday."),
    MessagePair("peggy-new-teaser", "peggy-five-more", 2, PairKind.NEW, PEGGY_1,
        "Peggy, Steve Weinberg, Acme Chemicals. I have an idea for your slow season that could free up a "
        "corner of your warehouse. It only makes sense if you keep more than a month of stock on site. "
        "312-555-0147. I'll try you next Tuesday."),
    MessagePair("peggy-chasing", "peggy-five-more", 2, PairKind.CHASING, PEGGY_1,
        "Peggy, it's Steve Weinberg again from Acme Chemicals. I'm following up on my voicemail from last "
        "week, I still haven't heard back. Please call me at 312-555-0147. I'll try you Tuesday."),
    MessagePair("daniel-repeat", "proposal-teaser", 2, PairKind.REPEAT, DANIEL_1,
        "Hi Daniel, Jo Marsh from Fleetwise again. About the tracking proposal: we can run a free ninety-day "
        "pilot on ten of your vans, so you see the fuel savings before you commit. Call me on 0161 496 0418. "
        "I'll ring you next Tuesday."),
    MessagePair("daniel-new-teaser", "proposal-teaser", 2, PairKind.NEW, DANIEL_1,
        "Hi Daniel, Jo Marsh at Fleetwise. I have an idea that could cut idling on your night shift, but it "
        "only fits if your drivers take their vans home. Worth two minutes? Call me on 0161 496 0418. "
        "I'll try you again next Tuesday."),
    MessagePair("daniel-new-fact", "proposal-teaser", 2, PairKind.NEW, DANIEL_1,
        "Hi Daniel, it's Jo Marsh from Fleetwise. With diesel up six percent this month, the fuel saving in "
        "your proposal is now worth about a thousand pounds more a week. Call me on 0161 496 0418. "
        "I'll try you again next Tuesday."),
    MessagePair("daniel-chasing", "proposal-teaser", 2, PairKind.CHASING, DANIEL_1,
        "Hi Daniel, Jo Marsh from Fleetwise. This is my third message about the proposal and you haven't "
        "called me back. Please call me on 0161 496 0418 when you get this."),
    MessagePair("marcus-repeat", "friday-monday", 2, PairKind.REPEAT, MARCUS_1,
        "Hi Marcus, Alex Grant from Safeguard Backup. With your data-protection audit in March, we give "
        "practices the backup paperwork auditors ask for, ready on the day. Call me on 0131 496 0852. "
        "I'll call Wednesday at ten."),
    MessagePair("marcus-new-weekend", "friday-monday", 2, PairKind.NEW, MARCUS_1,
        "Hi Marcus, it's Alex Grant at Safeguard Backup. Over the weekend I realised your new Stirling "
        "practice opens before your audit, so we can protect it from day one. Call me on 0131 496 0852. "
        "Details are in your email; I'll call Wednesday at ten."),
    MessagePair("marcus-chasing", "friday-monday", 2, PairKind.CHASING, MARCUS_1,
        "Hi Marcus, Alex Grant, Safeguard Backup. Just following up on my last message about your audit, "
        "as I said on Friday we give practices the paperwork auditors ask for. Call me on 0131 496 0852."),
]  # fmt: skip


@dataclass(frozen=True)
class PairVerdict:
    pair: MessagePair
    new: bool | None  # the something_new check
    alone: bool | None  # the stands_alone check
    evidence: str

    @property
    def repeat_flagged(self) -> bool:
        return self.new is False

    @property
    def chasing_flagged(self) -> bool:
        return self.alone is False


def judged(pair: MessagePair, campaign: Campaign, earlier: list[str], later: list[Word]) -> PairVerdict:
    """What the campaign checks make of the later message, given the earlier one's words."""
    from simulator.analysis.campaign_hints import campaign_hints

    before = campaign.step(pair.step - 1)
    scenario = campaign.step_scenario(pair.step, (EarlierMessage(before.number, before.at, tuple(earlier)),))
    assert scenario.campaign is not None
    hints = campaign_hints(later, scenario, scenario.campaign, {})
    new, alone = hints["something_new"], hints["stands_alone"]
    return PairVerdict(pair, new.value, alone.value, f"{new.evidence} | {alone.evidence}")


def written_words(text: str) -> list[Word]:
    """``text`` as a recogniser that heard every word would write it, a word every 0.3 s."""
    from simulator.analysis.spoken import spoken_words
    from simulator.analysis.transcribe import spelled

    said = [w for token in spelled(text.replace("-", " ")).split() for w in spoken_words(token)]
    return [Word(w, i * 0.3, i * 0.3 + 0.24) for i, w in enumerate(said)]


def heard_words(
    text: str, scenario: Scenario, voice: tuple[str, str, int | None], folder: Path
) -> list[Word]:
    """``text`` spoken by ``voice`` (engine, voice, words a minute) and heard as the app hears a
    take of ``scenario``."""
    from simulator.analysis.take import analyze
    from simulator.audio.base import Clip
    from simulator.testing.speech import speak

    engine, name, speed = voice
    key = hashlib.sha256(f"{engine}|{name}|{speed}|{text}".encode()).hexdigest()[:16]
    clip = Clip.load(speak(text, folder / f"pair-{key}.wav", name, speed or 175, engine))
    heard = analyze(clip, scenario, caller=scenario.brief.caller).transcript
    return list(heard.words) if heard else []


# (engine, voice, words a minute or None for flite's own pace): a synthetic man and woman
PAIR_VOICES = [("espeak-ng", "en-us", 160), ("flite", "slt", None)]
