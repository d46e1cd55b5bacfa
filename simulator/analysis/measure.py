"""Timing, silences and loudness of a take, from voice activity detection.

Voice activity comes from WebRTC's VAD (webrtcvad-wheels): a proven speech detector that is fast,
offline and robust to steady room noise. An energy gate on top keeps quiet noise bursts out, and
short gaps are bridged, so a breath between words is not a "pause".

Pitch comes from Praat's autocorrelation pitch tracker (Boersma 1993) through praat-parselmouth,
the tool phoneticians use, rather than a hand-written tracker. Variation is the spread of the
voiced pitch between its 5th and 95th percentiles, in semitones: robust to the odd octave error at
the tails, and it separates a flat voice from a lively one where the standard deviation did not
(espeak-ng's normal voice has a standard deviation of 1.9 semitones but a spread of 6.6; the same
voice flattened with SSML ``range="x-low"`` a spread of 1.5).
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise

import numpy as np
import parselmouth
import webrtcvad

from simulator.analysis.record import Measurements, Room
from simulator.audio.base import Clip, dbfs

VAD_RATE = 16000
FRAME_S = 0.02
LONG_PAUSE_S = 1.2
_BRIDGE_S = 0.3  # gaps shorter than this are inside a phrase
_MIN_SPEECH_S = 0.1  # shorter bursts are clicks or breaths
TOO_QUIET_DBFS = -35.0  # speech RMS below this is hard to hear on a phone
CLIPPING_PEAK = 0.999
PITCH_RATE = 8000
MONOTONE_BELOW_ST = 2.0  # a pitch spread narrower than this sounds flat
_MIN_VOICED_FRAMES = 100  # 1 s of voiced pitch before judging it
QUIET_DBFS = -55.0  # frames quieter than this are never speech
TRAINEE_GATE_DB = 15.0  # speech this far below the take's own loud speech is someone else's
_LEVEL_FRAMES = 5  # 100 ms
TOO_LOUD_MARGIN_DB = 2.0  # a room within this of the trainee gate makes timings unreliable
_ROOM_MARGIN_FRAMES = 10  # 0.2 s either side of speech is its onset, echo or tail, not the room
_ROOM_MIN_FRAMES = 15  # 0.3 s of room before judging it
_ROOM_STRETCH_FRAMES = 10  # the room is read in stretches of 0.2 s or more away from speech
_ROOM_FLOOR_PERCENTILE = 2  # the deepest dips between words: a neighbour fills them, an echo dies away
NEIGHBOUR_RUN_DB = 6.0  # a stretch of "speech" whose loud moments stay this far below the trainee's
ROOM_CUT_DB = 20.0  # how far the room is turned down in what Whisper hears between the trainee's words


def voiced_pitch_hz(clip: Clip) -> np.ndarray:
    """The pitch of every voiced 10 ms frame, in Hz (Praat's tracker, 75-500 Hz)."""
    if clip.duration_s < 0.1:
        return np.zeros(0)
    clip = clip.resampled(PITCH_RATE)  # ample for voices below 500 Hz, and 3x faster than 22 kHz
    sound = parselmouth.Sound(clip.samples.astype(np.float64), sampling_frequency=clip.samplerate)
    f0 = sound.to_pitch(time_step=0.01, pitch_floor=75.0, pitch_ceiling=500.0).selected_array["frequency"]
    return f0[f0 > 0]


def pitch_variation_st(clip: Clip) -> float | None:
    """Spread of the voiced pitch (5th to 95th percentile) in semitones, or None if barely voiced."""
    f0 = voiced_pitch_hz(clip)
    if len(f0) < _MIN_VOICED_FRAMES:
        return None
    semitones = 12.0 * np.log2(f0 / np.median(f0))
    return float(np.percentile(semitones, 95) - np.percentile(semitones, 5))


def frame_levels(samples: np.ndarray) -> np.ndarray:
    """The level of every 20 ms frame of 16 kHz samples, in dBFS (about each frame's mean: a DC
    offset is no sound)."""
    size = int(VAD_RATE * FRAME_S)
    count = len(samples) // size
    frames = samples[: count * size].reshape(count, size).astype(np.float64)
    return 10 * np.log10(np.var(frames, axis=1) + 1e-12)


def vad_flags(samples: np.ndarray, aggressiveness: int = 2) -> np.ndarray:
    """WebRTC's VAD on 16 kHz samples: one bool per 20 ms frame, is anyone speaking?"""
    size = int(VAD_RATE * FRAME_S)
    count = len(samples) // size
    frames = samples[: count * size].reshape(count, size)
    frames = frames - frames.mean(axis=1, keepdims=True)  # a cheap headset's DC offset
    pcm = (np.clip(frames, -1, 1) * 32767).astype("<i2")
    vad = webrtcvad.Vad(aggressiveness)
    return np.fromiter((vad.is_speech(f.tobytes(), VAD_RATE) for f in pcm), dtype=bool, count=count)


def speech_frames(clip: Clip) -> np.ndarray:
    """One bool per 20 ms frame: is the trainee speaking?"""
    audio = clip.resampled(VAD_RATE).samples
    return trainee_mask(vad_flags(audio), frame_levels(audio))


def trainee_mask(voiced: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Of the frames the VAD says someone speaks in, those where the trainee does.

    The trainee is the near voice: their speech is 15 dB or more above a neighbour's at a headset
    (issue #16), so a frame whose level over 100 ms is :data:`TRAINEE_GATE_DB` below the take's own
    loud speech (the 90th percentile of its voiced frames) is the room. Relative, so a quiet laptop
    microphone is judged as a loud headset is. Measured on the labelled set's babble rooms, this
    put the silence before speaking within 0.15 s on every take with neighbours 20 dB down, where
    the VAD alone (with an absolute gate) was 2.3 s out on one in twelve.
    """
    if not len(level):
        return voiced
    voiced = voiced & (level > max(float(np.percentile(level, 10)) + 10.0, QUIET_DBFS))
    if voiced.any():
        near = trainee_levels(level)
        voiced &= near > float(np.percentile(near[voiced], 90)) - TRAINEE_GATE_DB
    return _smooth(voiced)


def centred_mean(values: np.ndarray, width: int) -> np.ndarray:
    """The mean of each value and its neighbours, ``width`` in all (fewer at the ends); as long as
    ``values``, however short."""
    if not len(values):
        return values.astype(np.float64)
    ones = np.ones(width)
    sums = np.convolve(values, ones)[width // 2 : width // 2 + len(values)]
    counts = np.convolve(np.ones(len(values)), ones)[width // 2 : width // 2 + len(values)]
    return sums / counts


def trainee_levels(level: np.ndarray) -> np.ndarray:
    """Frame levels averaged over 100 ms (in power): steadier than a syllable's."""
    power = centred_mean(10 ** (level / 10), _LEVEL_FRAMES)
    return 10 * np.log10(power + 1e-12)


def room_gains(levels: np.ndarray, speech_levels: np.ndarray) -> np.ndarray:
    """A gain per frame that turns the room down where the trainee is not speaking: frames whose
    level (over 90 ms) is more than :data:`TRAINEE_GATE_DB` below the trainee's loud speech so far
    (the 90th percentile of the voiced frames), and not within 90 ms of a louder one, are made
    :data:`ROOM_CUT_DB` quieter, so Whisper does not write down a neighbour in the trainee's pause."""
    if not len(speech_levels) or not len(levels):
        return np.ones(len(levels))
    power = centred_mean(10 ** (levels / 10), 3)
    near = 10 * np.log10(power + 1e-12) > float(np.percentile(speech_levels, 90)) - TRAINEE_GATE_DB
    kept = centred_mean(near.astype(np.float64), 7) > 0
    return np.where(kept, 1.0, 10 ** (-ROOM_CUT_DB / 20))


def room_of(level: np.ndarray, voiced: np.ndarray) -> Room:
    """How loud the room is around the trainee: the level its loud moments reach (the 90th
    percentile over 100 ms) in the frames well away (0.2 s) from the trainee's speech, and whether
    that comes within 2 dB of the trainee gate, where neighbours start to pass for the trainee
    (on the labelled set: never with neighbours 20 dB down, half the takes at 15 dB), or a stretch
    of "speech" is a neighbour's (:func:`_a_neighbour_passed`). The room is read only where it
    lasts 0.2 s or more: in the middle of a short gap between words, a soft sound of the trainee's
    own (flite's awb voice, which the labelled set does not use) called 6 of 196 takes in quiet
    rooms loud (a fan, a headset, neighbours 20 and 25 dB down), and it is none of them now.

    Where neighbours talk so loud and so long that nothing is left away from "speech" (10 dB
    down), the room is the floor of the whole take instead: the deepest dips between words (the
    2nd percentile of its levels), which neighbours fill. Not the 10th: a laptop's microphone
    across a reverberant room fills the shallower dips with the trainee's own echo, and that
    called 5 of the 49 labelled takes through a laptop loud, in a quiet room."""
    near = trainee_levels(level)
    close = centred_mean(voiced.astype(np.float64), 2 * _ROOM_MARGIN_FRAMES + 1) > 0
    apart = ~close
    for start, end in _runs(apart):
        if end - start < _ROOM_STRETCH_FRAMES:  # a short gap's middle: a soft sound of the trainee's
            apart[start:end] = False
    away = near[apart]
    if len(away) >= _ROOM_MIN_FRAMES:
        background = float(np.percentile(away, 90))
    elif len(near) >= _ROOM_MIN_FRAMES:
        background = float(np.percentile(near, _ROOM_FLOOR_PERCENTILE))
    else:
        return Room(None, False)
    if not voiced.any():
        return Room(round(background, 1), False)
    speech = float(np.percentile(near[voiced], 90))
    drowned = speech - background < TRAINEE_GATE_DB + TOO_LOUD_MARGIN_DB
    return Room(round(background, 1), drowned or _a_neighbour_passed(near, voiced, speech))


def _a_neighbour_passed(near: np.ndarray, voiced: np.ndarray, speech: float) -> bool:
    """Whether a stretch taken for the trainee's speech has its loud moments (the 90th percentile
    over 100 ms) :data:`NEIGHBOUR_RUN_DB` below the take's: a neighbour loud enough to pass the gate,
    counted as the trainee.

    On the labelled set, every stretch of the trainee's own is within 4 dB of the take's (clean
    takes, and through a headset, a laptop, a fan), and the neighbours that passed the gate were
    8.5 to 13 dB below (neighbours 10 and 15 dB down): there the silence before speaking came out
    0.18 s for 2.5 s, and the room's floor alone did not say the room was loud."""
    return any(
        float(np.percentile(near[start:end], 90)) < speech - NEIGHBOUR_RUN_DB for start, end in _runs(voiced)
    )


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) frame index pairs of the True runs."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return list(zip(edges[::2], edges[1::2], strict=True))


def _smooth(voiced: np.ndarray) -> np.ndarray:
    smoothed = voiced.copy()
    runs = _runs(voiced)
    for (_, end), (start, _) in pairwise(runs):
        if (start - end) * FRAME_S < _BRIDGE_S:
            smoothed[end:start] = True
    for start, end in _runs(smoothed):
        if (end - start) * FRAME_S < _MIN_SPEECH_S:
            smoothed[start:end] = False
    return smoothed


def measure(clip: Clip) -> Measurements:
    """Everything timing and loudness can tell about a take; the take starts at the beep."""
    duration = clip.duration_s
    audio = clip.resampled(VAD_RATE).samples
    level = frame_levels(audio)
    voiced = trainee_mask(vad_flags(audio), level)
    runs = _runs(voiced)
    peak = float(np.max(np.abs(clip.samples))) if len(clip.samples) else 0.0
    if not runs:
        return Measurements(duration, duration, 0.0, 0.0, 0, 0.0, -120.0, dbfs(peak), True, False, False,
                            room=room_of(level, voiced))  # fmt: skip
    first, last = float(runs[0][0] * FRAME_S), float(runs[-1][1] * FRAME_S)
    gaps = [float((start - end) * FRAME_S) for (_, end), (start, _) in pairwise(runs)]
    long_gaps = [g for g in gaps if g > LONG_PAUSE_S]
    size = int(clip.samplerate * FRAME_S)
    mask = np.repeat(voiced, size)[: len(clip.samples)]
    centred = clip.samples.astype(np.float64) - float(np.mean(clip.samples))  # without a DC offset
    speech = centred[: len(mask)][mask]
    rms = dbfs(float(np.sqrt(np.mean(speech**2)))) if len(speech) else -120.0
    variation = pitch_variation_st(clip)
    return Measurements(
        duration_s=round(duration, 3),
        lead_silence_s=round(first, 3),
        trail_silence_s=round(max(0.0, duration - last), 3),
        speech_s=round(float(np.sum(voiced)) * FRAME_S, 3),
        pauses=len(long_gaps),
        longest_pause_s=round(max(gaps, default=0.0), 3),
        rms_dbfs=round(rms, 1),
        peak_dbfs=round(dbfs(peak), 1),
        too_quiet=rms < TOO_QUIET_DBFS,
        room=room_of(level, voiced),
        speech_spans=tuple((round(float(a) * FRAME_S, 2), round(float(b) * FRAME_S, 2)) for a, b in runs),
        clipping=peak >= CLIPPING_PEAK,
        has_speech=True,
        pitch_variation_st=None if variation is None else round(variation, 1),
        monotone=None if variation is None else variation < MONOTONE_BELOW_ST,
    )


def with_spans(measurements: Measurements, spans: tuple[tuple[float, float], ...]) -> Measurements:
    """``measurements`` with the timings worked out again from these speech spans."""
    if not spans:
        return measurements
    gaps = [start - end for (_, end), (start, _) in pairwise(spans)]
    return dataclasses.replace(
        measurements,
        lead_silence_s=round(spans[0][0], 3),
        trail_silence_s=round(max(0.0, measurements.duration_s - spans[-1][1]), 3),
        speech_s=round(sum(end - start for start, end in spans), 3),
        pauses=sum(gap > LONG_PAUSE_S for gap in gaps),
        longest_pause_s=round(max(gaps, default=0.0), 3),
        speech_spans=spans,
    )


def loudness_strip(clip: Clip, columns: int) -> list[float]:
    """RMS per column across the take, for a waveform-like strip."""
    if columns <= 0 or not len(clip.samples):
        return []
    chunks = np.array_split(clip.samples.astype(np.float64), columns)
    return [float(np.sqrt(np.mean(c**2))) if len(c) else 0.0 for c in chunks]
