"""Everything the machine can tell about one take: measurements, transcript, pace and hints."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from simulator.analysis.hints import Hint, machine_hints
from simulator.analysis.measure import Measurements, measure
from simulator.analysis.transcribe import Listening, Transcript, transcribe
from simulator.analysis.words import find_phrase, phrase_lists, written_word_count
from simulator.audio.base import Clip
from simulator.scenarios import Scenario


def listening_for(scenario: Scenario, caller: str = "", company: str = "") -> Listening:
    """What the recogniser listens for in this scenario's takes: its names."""
    names = [scenario.prospect.name, scenario.prospect.company, caller, company or scenario.brief.company]
    return Listening(tuple(dict.fromkeys(n for n in names if n)))


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
                "hint_cautions": {k: h.caution for k, h in self.hints.items() if h.caution},
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
    measurements: Measurements | None = None,
    recognise: bool = True,
) -> TakeAnalysis:
    """Measure ``clip`` (unless already measured) and, unless a streamed ``transcript`` is given,
    transcribe it (batch)."""
    if company:
        scenario = dataclasses.replace(scenario, brief=dataclasses.replace(scenario.brief, company=company))
    measurements = measurements or measure(clip)
    if transcript is None and recognise and measurements.has_speech:
        transcript = transcribe(clip.samples, clip.samplerate, listening_for(scenario, caller))
    return TakeAnalysis(measurements, transcript, machine_hints(scenario, measurements, transcript, caller))
