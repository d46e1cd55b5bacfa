"""Everything the machine can tell about one take: measurements, transcript, pace and hints."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from simulator.analysis.hints import Hint, machine_hints
from simulator.analysis.measure import Measurements, measure
from simulator.analysis.transcribe import Transcript, transcribe
from simulator.analysis.words import find_phrase, phrase_lists, written_word_count
from simulator.audio.base import Clip
from simulator.scenarios import Scenario


def scenario_vocabulary(scenario: Scenario, caller: str = "", company: str = "") -> list[str]:
    """Names the recogniser should know for this scenario."""
    return [scenario.prospect.name, scenario.prospect.company, company or scenario.brief.company, caller]


# Few, distinctive phrases: with the whole phrase lists (80 phrases) the spotter confused them with
# each other ("monday" for "thursday"); this short list did better on the labelled set.
CORE_PHRASES = [
    "call me", "give me a call", "call me back", "get back to me", "try you again", "i'll call you",
    "just checking in", "touching base", "fourth message", "third message", "haven't called",
]  # fmt: skip


def scenario_keyphrases(scenario: Scenario, caller: str = "", company: str = "") -> list[str]:
    """Names and phrases worth spotting on their own, beside the full transcript."""
    lists = phrase_lists()
    company_name = (company or scenario.brief.company).lower()
    phrases = [caller.lower(), scenario.prospect.name.lower(), company_name, company_name.split()[0]]
    phrases += CORE_PHRASES + lists["days"][:5]
    return [p for p in dict.fromkeys(phrases) if p]


@dataclass(frozen=True)
class TakeAnalysis:
    measurements: Measurements
    transcript: Transcript | None
    hints: dict[str, Hint]

    @property
    def words(self) -> int | None:
        return written_word_count(list(self.transcript.words)) if self.transcript else None

    @property
    def wpm(self) -> float | None:
        if self.transcript is None or self.measurements.speech_s <= 0:
            return None
        return round(len(self.transcript.words) / self.measurements.speech_s * 60.0, 1)

    @property
    def fillers(self) -> list[str]:
        if self.transcript is None:
            return []
        words = list(self.transcript.words)
        return [f for f in phrase_lists()["fillers"] if find_phrase(words, f)]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.measurements.as_dict())
        data.update(
            {
                "words": self.words,
                "wpm": self.wpm,
                "fillers": self.fillers,
                "transcript": self.transcript.text if self.transcript else "",
                "word_timings": self.transcript.as_dict()["words"] if self.transcript else [],
                "hints": {k: h.value for k, h in self.hints.items()},
                "hint_evidence": {k: h.evidence for k, h in self.hints.items()},
            }
        )
        return data


def analyze(
    clip: Clip,
    scenario: Scenario,
    *,
    caller: str = "",
    company: str = "",
    transcript: Transcript | None = None,
    recognise: bool = True,
) -> TakeAnalysis:
    """Measure ``clip`` and, unless a streamed ``transcript`` is given, transcribe it (batch)."""
    if company:
        scenario = dataclasses.replace(scenario, brief=dataclasses.replace(scenario.brief, company=company))
    measurements = measure(clip)
    if transcript is None and recognise and measurements.has_speech:
        transcript = transcribe(
            clip.samples,
            clip.samplerate,
            scenario_vocabulary(scenario, caller),
            scenario_keyphrases(scenario, caller),
        )
    return TakeAnalysis(measurements, transcript, machine_hints(scenario, measurements, transcript, caller))
