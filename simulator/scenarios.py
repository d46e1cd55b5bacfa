"""The scenario model: a prospect to call, the trainee's brief, targets and a rubric.

Pure values; reading them from TOML lives in :mod:`simulator.scenario_loader`.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ScenarioKind(StrEnum):
    COLD_CALL = "cold-call"
    PROPOSAL_FOLLOW_UP = "proposal-follow-up"
    MEETING_CONFIRMATION = "meeting-confirmation"
    CUSTOM = "custom"


class Scale(StrEnum):
    """How a criterion is rated."""

    YES_NO = "yes-no"
    ZERO_TO_TWO = "0-2"

    @property
    def levels(self) -> tuple[int, ...]:
        return (0, 1) if self is Scale.YES_NO else (0, 1, 2)

    @property
    def top(self) -> int:
        return self.levels[-1]

    def label(self, level: int) -> str:
        if self is Scale.YES_NO:
            return "yes" if level else "no"
        return str(level)


# Automatic checks the analysis provides; a criterion's ``hint`` names one or more of these.
HINT_IDS: tuple[str, ...] = (
    "prospect_name",
    "caller_name",
    "company",
    "first_words",
    "phone_number",
    "call_to_action",
    "follow_up",
    "date_time",
    "vague_phrase",
    "word_count",
    "duration",
)
# Checks of a campaign's step (simulator.analysis.campaign_hints): only a campaign's criteria name them.
CAMPAIGN_HINT_IDS: tuple[str, ...] = ("stands_alone", "something_new", "says_when", "contact")


# Who wrote each seed article (shared/seeds/README.md). Scenario files cite "(seed 001)" so an
# instructor can trace every criterion; a trainee does not know what a seed is, and reads who said it.
SEED_AUTHORS = {
    "000": "a UK telesales trainer", "001": "a telesales coach", "002": "a sales-software blog",
    "003": "a sales forum thread", "004": "a sales consultant",
}  # fmt: skip
_SEED_CITATION = re.compile(r"\(seeds? (\d{3}(?:(?:, | and )\d{3})*)\)")


def as_advice(text: str, cited: bool = False) -> str:
    """``text`` as a trainee reads it: "(seed 001)" becomes "(from a telesales coach)"; ``cited``
    keeps the seed for instructors' reports: "(from a telesales coach, seed 001)"."""

    def named(match: re.Match[str]) -> str:
        seeds = re.findall(r"\d{3}", match.group(1))
        who = " and ".join(dict.fromkeys(SEED_AUTHORS.get(seed, "a sales trainer") for seed in seeds))
        return f"(from {who}, {match.group(0)[1:-1]})" if cited else f"(from {who})"

    return _SEED_CITATION.sub(named, text)


class PhoneLine(StrEnum):
    """The telephone line the prospect's greeting, and the trainee's message, travel over."""

    NONE = "none"  # full band: what the microphone recorded
    LANDLINE = "landline"  # G.711 mu-law at 8 kHz, 300-3,400 Hz (ITU-T G.712)
    MOBILE = "mobile"  # narrower, with a lost packet concealed now and then


@dataclass(frozen=True)
class Voice:
    """Hints for synthesising the prospect's greeting."""

    gender: str = "female"  # "female" | "male"
    language: str = "en-gb"  # BCP 47-ish, matched against the engine's voices
    rate: int = 165  # words per minute
    variant: str = ""  # an espeak-ng variant such as "f2" or "m3"; empty picks one by gender


@dataclass(frozen=True)
class Prospect:
    name: str
    role: str
    company: str
    greeting: str
    voice: Voice = field(default_factory=Voice)
    line: PhoneLine | None = None  # None: the line chosen in the settings

    def on_line(self, default: PhoneLine) -> Prospect:
        """This prospect as called: over their own line if the scenario names one, else ``default``."""
        return dataclasses.replace(self, line=self.line or default)


@dataclass(frozen=True)
class Brief:
    """What the trainee reads before dialling."""

    caller_role: str  # who you are
    company: str  # the trainee's company
    offer: str  # what you sell, in a sentence
    situation: str  # who you are calling and why
    history: str  # what happened before this call ("" for a first contact)
    goal: str  # what a good outcome is
    callback_number: str = ""  # the number the trainee leaves
    email: str = ""  # an alternative way to reach the trainee
    caller: str = ""  # the name the model message and email are written in ("Sam Patel")
    meeting_day: str = ""  # a booked meeting's day ("Thursday"): the day the message must name


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Targets:
    min_seconds: float
    max_seconds: float
    hard_max_seconds: float
    max_words: int


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    question: str
    guidance: str
    weight: float = 1.0
    scale: Scale = Scale.YES_NO
    anchors: tuple[str, ...] = ()  # one description per level of the scale, lowest first
    hints: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # seed files (or "measured") the criterion comes from

    def anchor(self, level: int) -> str:
        return self.anchors[level] if level < len(self.anchors) else ""

    @property
    def advice(self) -> str:
        """The guidance as a trainee reads it, its sources named as the trainers they are."""
        return as_advice(self.guidance)

    @property
    def cited_advice(self) -> str:
        """The guidance for an instructor: who said it, and which seed article."""
        return as_advice(self.guidance, cited=True)


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)


@dataclass(frozen=True)
class EarlierMessage:
    """A message the trainee left at an earlier step, as the checks of a later step see it."""

    step: int
    at: datetime
    words: tuple[str, ...] | None  # what was heard in it; None: its take is missing or unheard


@dataclass(frozen=True)
class CampaignPlace:
    """Where a step's take sits in its campaign: what the campaign-level checks compare it with."""

    campaign_id: str
    step: int
    steps: int
    at: datetime
    next_at: datetime | None  # None: the last step
    earlier: tuple[EarlierMessage, ...] = ()


@dataclass(frozen=True)
class Scenario:
    id: str
    version: int
    title: str
    kind: ScenarioKind
    brief: Brief
    prospect: Prospect
    targets: Targets
    rubric: Rubric
    model_message: str
    source_path: str = field(default="", compare=False)
    campaign: CampaignPlace | None = None  # a campaign's step (simulator.campaigns), else None

    def words_in_model_message(self) -> int:
        return len(self.model_message.split())


def as_called_by(scenario: Scenario, trainee: str) -> Scenario:
    """The scenario as this trainee leaves it: they speak as themself, so the model message and the
    email are in their name, as the name check expects ("it's Asha Rao", asha.rao@clearline.example).
    Unchanged when the scenario names no caller, or the trainee is that caller."""
    persona, trainee = scenario.brief.caller.strip(), " ".join(trainee.split())
    if not persona or not trainee or persona.casefold() == trainee.casefold():
        return scenario
    model = re.sub(re.escape(persona), lambda _: trainee, scenario.model_message, flags=re.IGNORECASE)
    first, own_first = persona.split()[0], trainee.split()[0]

    def first_name(match: re.Match[str]) -> str:  # "Jo here", "email jo at fleetwise"
        return own_first.lower() if match.group(0).islower() else own_first

    model = re.sub(rf"\b{re.escape(first)}\b", first_name, model, flags=re.IGNORECASE)
    brief = dataclasses.replace(
        scenario.brief, caller=trainee, email=_email_for(scenario.brief.email, trainee)
    )
    return dataclasses.replace(scenario, model_message=model, brief=brief)


def _email_for(email: str, trainee: str) -> str:
    """The brief's email with the trainee's name before the @ ("Chloé Martin": chloe.martin@...;
    a name with no Latin letters: trainee@...)."""
    if "@" not in email:
        return email
    ascii_name = unicodedata.normalize("NFKD", trainee).encode("ascii", "ignore").decode().lower()
    local = ".".join(re.findall(r"[a-z0-9]+", ascii_name)) or "trainee"
    return f"{local}@{email.split('@', 1)[1]}"
