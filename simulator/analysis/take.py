"""Everything the machine can tell about one take: measurements, transcript, pace and hints."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.analysis.hints import Hint, machine_hints
from simulator.analysis.measure import Measurements, measure
from simulator.analysis.transcribe import Listening, Transcript, transcribe
from simulator.analysis.words import fillers_in, written_word_count
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
        """The fillers said, each once, in the order first said."""
        return list(self.filler_counts)

    @property
    def filler_counts(self) -> dict[str, int]:
        """How often each filler was said, in the order first said."""
        if self.transcript is None:
            return {}
        return dict(Counter(f.text for f in fillers_in(list(self.transcript.words))))

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.measurements.as_dict())
        fillers = self.filler_counts
        data.update(
            {
                "words": self.words,
                "wpm": self.wpm,
                "fillers": list(fillers),
                "filler_counts": fillers,
                "transcript": self.transcript.text if self.transcript else "",
                "word_timings": self.transcript.as_dict()["words"] if self.transcript else [],
                "hints": {k: h.value for k, h in self.hints.items()},
                "hint_evidence": {k: h.evidence for k, h in self.hints.items()},
                "hint_cautions": {k: h.caution for k, h in self.hints.items() if h.caution},
            }
        )
        return data


def filler_summary(counts: Mapping[str, int]) -> str:
    """ "um ×2, like ×1", or "none heard"."""
    return ", ".join(f"{filler} ×{count}" for filler, count in counts.items()) or "none heard"


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
