"""The room, live: how loud it is around the trainee while they record (issue #16).

The same judgement as the review's (:func:`simulator.analysis.measure.room_of`), made once a second
over the last 20 s of the take as it is recorded, so the call screen can say "the room is loud"
while there is still time to move or wait, rather than after a take whose timings cannot be trusted.
"""

from __future__ import annotations

import numpy as np
import soxr

from simulator.analysis.measure import FRAME_S, VAD_RATE, frame_levels, room_of, trainee_mask, vad_flags
from simulator.analysis.record import Room

_FRAME = int(VAD_RATE * FRAME_S)
_WINDOW_FRAMES = int(20 / FRAME_S)
_EVERY_FRAMES = int(1 / FRAME_S)
MIN_SPEECH_FRAMES = int(1 / FRAME_S)  # a second of the trainee's voice before judging the room


class RoomListener:
    """Fed the take's blocks as they are recorded (from one thread); :attr:`room` may be read from any."""

    def __init__(self) -> None:
        self._resampler: soxr.ResampleStream | None = None
        self._carry = np.zeros(0, dtype=np.float32)
        self._voiced: list[bool] = []
        self._levels: list[float] = []
        self._since = 0
        self.room: Room | None = None  # None: not enough heard yet

    def feed(self, block: np.ndarray, samplerate: int) -> None:
        if self._resampler is None:
            self._resampler = soxr.ResampleStream(samplerate, VAD_RATE, 1, dtype="float32")
        samples = np.concatenate([self._carry, self._resampler.resample_chunk(block.astype(np.float32))])
        whole = len(samples) // _FRAME * _FRAME
        self._carry = samples[whole:]
        if not whole:
            return
        self._voiced += vad_flags(samples[:whole]).tolist()
        self._levels += frame_levels(samples[:whole]).tolist()
        self._since += whole // _FRAME
        if self._since >= _EVERY_FRAMES:
            self._since = 0
            self._judge()

    def _judge(self) -> None:
        level = np.array(self._levels[-_WINDOW_FRAMES:])
        voiced = trainee_mask(np.array(self._voiced[-_WINDOW_FRAMES:]), level)
        if voiced.sum() >= MIN_SPEECH_FRAMES:
            self.room = room_of(level, voiced)
