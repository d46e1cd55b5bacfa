"""Analysing one take: measure it, hear it (unless its words came while it was recorded), and
assemble the :class:`~simulator.analysis.record.TakeAnalysis`."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping

from simulator.analysis.hints import machine_hints
from simulator.analysis.measure import measure, with_spans
from simulator.analysis.phone import NumberCheck, check_number, preview_of, written
from simulator.analysis.record import Measurements, TakeAnalysis, Transcript, Word
from simulator.analysis.transcribe import Listening, transcribe
from simulator.analysis.words import fillers_in, written_word_count
from simulator.audio.base import Clip
from simulator.scenarios import PhoneLine, Scenario
from simulator.voice.line import over_the_line


def listening_for(scenario: Scenario, caller: str = "", company: str = "") -> Listening:
    """What the recogniser listens for in this scenario's takes: its names."""
    names = [scenario.prospect.name, scenario.prospect.company, caller, company or scenario.brief.company]
    return Listening(tuple(dict.fromkeys(n for n in names if n)))


def assemble(
    scenario: Scenario, measurements: Measurements, transcript: Transcript | None, caller: str = ""
) -> TakeAnalysis:
    """The analysis of a take from its measurements and words: pace, word count, fillers and the
    rubric hints, worked out here and nowhere else."""
    counts: dict[str, int] = {}
    words = wpm = None
    if transcript is not None and measurements.speech_spans is not None:
        measurements = without_a_stray_start(measurements, transcript)
        transcript = the_trainees_words(transcript, measurements.speech_spans or ())
    if transcript is not None:
        heard = list(transcript.words)
        words = written_word_count(heard)
        if measurements.speech_s > 0:
            wpm = round(len(heard) / measurements.speech_s * 60.0, 1)
        counts = dict(Counter(f.text for f in fillers_in(heard)))
    hints = machine_hints(scenario, measurements, transcript, caller)
    return TakeAnalysis(measurements, transcript, hints, words, wpm, counts)


ROOM_MARGIN_S = 0.25  # Whisper's word times are good to about this (its 20 ms steps, smeared)


def the_trainees_words(transcript: Transcript, spans: tuple[tuple[float, float], ...]) -> Transcript:
    """The transcript without the words heard where the trainee was not speaking: a neighbour's
    "Hi Anne, it's Sam Patel" in the trainee's pause must not earn the trainee a ✓ (issue #16).
    Those words are kept apart, as :attr:`Transcript.room`."""

    def theirs(word: Word) -> bool:
        return any(word.start_s < end + ROOM_MARGIN_S and word.end_s > start - ROOM_MARGIN_S
                   for start, end in spans)  # fmt: skip

    kept = tuple(within_the_speech(w, spans) for w in transcript.words if theirs(w))
    room = tuple(w for w in transcript.words if not theirs(w))
    if kept == transcript.words:
        return transcript
    return dataclasses.replace(transcript, words=kept, room=transcript.room + room)


def within_the_speech(word: Word, spans: tuple[tuple[float, float], ...]) -> Word:
    """``word`` with its start and end moved inside the speech it overlaps: Whisper's word times
    smear by a few tenths of a second, and Results read "“Hi Anne” at 7.5 s" beside "Silence
    before speaking: 7.8 s". The measured speech is the truer clock."""
    near = [(s, e) for s, e in spans if word.start_s < e + ROOM_MARGIN_S and word.end_s > s - ROOM_MARGIN_S]
    start = max(word.start_s, near[0][0])
    end = min(word.end_s, near[-1][1])
    if end <= start or (start, end) == (word.start_s, word.end_s):
        return word
    return dataclasses.replace(word, start_s=start, end_s=end)


STRAY_S = 0.25  # a sound this short, alone before the speech, with no word in it, is not the start
STRAY_GAP_S = 1.0


def without_a_stray_start(measurements: Measurements, transcript: Transcript) -> Measurements:
    """The timings without a stray sound before the trainee starts: a click, a cough or a
    neighbour's syllable (at most :data:`STRAY_S` long, then a second or more of silence) in which
    the recogniser heard no word. It would make the silence before speaking 0.6 s where the
    trainee began at 2.3 s (a loud room, issue #16); a first word the recogniser did hear keeps it."""
    spans = list(measurements.speech_spans or ())
    while len(spans) > 1 and not _words_in(transcript, spans[0]):
        (start, end), (after, _) = spans[0], spans[1]
        if end - start > STRAY_S or after - end < STRAY_GAP_S:
            break
        spans.pop(0)
    if len(spans) == len(measurements.speech_spans or ()):
        return measurements
    return with_spans(measurements, tuple(spans))


def _words_in(transcript: Transcript, span: tuple[float, float]) -> bool:
    start, end = span
    return any(w.start_s < end + ROOM_MARGIN_S and w.end_s > start - ROOM_MARGIN_S for w in transcript.words)


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
        transcript = transcribe_take(clip, scenario, caller)
    return assemble(scenario, measurements, transcript, caller)


def transcribe_take(clip: Clip, scenario: Scenario, caller: str = "") -> Transcript:
    """The whole take read at once (batch), listening for the scenario's names; raises
    RuntimeError if the recogniser is missing or too slow."""
    return transcribe(clip.samples, clip.samplerate, listening_for(scenario, caller))


@dataclasses.dataclass(frozen=True)
class PhonePreview:
    """The take as the prospect's phone presents it: heard over the line, its first words shown in
    a notification (issue #18)."""

    line: PhoneLine
    caller_id: str  # the callback number from the brief, or "Unknown"
    length_s: float
    first_words: str  # about 90 characters, as the notification shows them
    transcript: Transcript
    whole: str = ""  # the whole transcript, written as the phone writes it

    def to_dict(self) -> dict[str, object]:
        return {
            "line": self.line.value,
            "from": self.caller_id,
            "length_s": round(self.length_s, 1),
            "first_words": self.first_words,
            "transcript": self.transcript.text,
            "doubtful": [{"start_s": a, "end_s": b} for a, b in self.transcript.doubtful],
        }


def preview_line(scenario: Scenario, setting: PhoneLine = PhoneLine.NONE) -> PhoneLine:
    """The line the preview is heard over: the scenario's, else the setting's, else a landline
    (a phone's transcription never hears the full band)."""
    for line in (scenario.prospect.line, setting):
        if line is not None and line is not PhoneLine.NONE:
            return line
    return PhoneLine.LANDLINE


def hear_as_prospect(
    clip: Clip, scenario: Scenario, caller: str = "", setting: PhoneLine = PhoneLine.NONE
) -> PhonePreview:
    """Transcribe the take as it arrives over the line, as the prospect's phone would. Blocking
    (a second or two of the recogniser): run it after the results are on screen."""
    line = preview_line(scenario, setting)
    narrow = over_the_line(clip, line)
    listening = listening_for(scenario, caller)
    heard = transcribe(narrow.samples, narrow.samplerate, listening)
    return PhonePreview(
        line,
        scenario.brief.callback_number or "Unknown",
        clip.duration_s,
        preview_of(heard, listening.names),
        heard,
        written(list(heard.words), listening.names),
    )


def number_check_of(scenario: Scenario, transcript: Transcript | None) -> NumberCheck | None:
    """The brief's callback number against the take's words; None with no number or no words."""
    if transcript is None or not scenario.brief.callback_number:
        return None
    return check_number(scenario.brief.callback_number, list(transcript.words))
