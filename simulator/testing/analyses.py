"""Ready-made analysis records for tests and benchmarks that need an attempt, not a real take."""

from __future__ import annotations

from simulator.analysis.record import Measurements, TakeAnalysis, Transcript

SPOKEN = Measurements(
    duration_s=20.0,
    lead_silence_s=0.4,
    trail_silence_s=0.6,
    speech_s=17.0,
    pauses=0,
    longest_pause_s=0.5,
    rms_dbfs=-20.0,
    peak_dbfs=-3.0,
    too_quiet=False,
    clipping=False,
    has_speech=True,
)


def analysis_with(
    words: int | None = None, duration_s: float = 20.0, has_speech: bool = True
) -> TakeAnalysis:
    """A take's analysis with these figures (``words`` None: nothing recognised)."""
    measurements = Measurements(**{**SPOKEN.to_dict(), "duration_s": duration_s, "has_speech": has_speech})
    transcript = None if words is None else Transcript(())
    return TakeAnalysis(measurements, transcript, {}, words=words)
