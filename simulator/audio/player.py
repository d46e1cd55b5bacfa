"""Play, pause and seek within a clip on any backend (pausing stops and resumes from the position)."""

from __future__ import annotations

from simulator.audio.base import AudioBackend, Clip, Playback


class Player:
    def __init__(self, backend: AudioBackend, clip: Clip) -> None:
        self._backend = backend
        self._clip = clip
        self._offset = 0.0  # where the current (or next) playback starts, in seconds
        self._playback: Playback | None = None

    @property
    def clip(self) -> Clip:
        """What is played (the take, or the take as the prospect hears it)."""
        return self._clip

    @property
    def duration_s(self) -> float:
        return self._clip.duration_s

    @property
    def playing(self) -> bool:
        return self._playback is not None and not self._playback.is_finished()

    @property
    def position_s(self) -> float:
        if self._playback is None:
            return self._offset
        position = self._offset + self._playback.position_s
        if self._playback.is_finished() and position >= self.duration_s - 0.05:
            return self.duration_s
        return min(position, self.duration_s)

    def play(self) -> None:
        if self.playing:
            return
        if self.position_s >= self.duration_s:
            self._offset = 0.0
        else:
            self._offset = self.position_s
        start = int(self._offset * self._clip.samplerate)
        self._playback = self._backend.play(Clip(self._clip.samples[start:], self._clip.samplerate))

    def pause(self) -> None:
        if self._playback is not None:
            position = self.position_s
            self._playback.stop()
            self._playback = None
            self._offset = position

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, delta_s: float) -> None:
        was_playing = self.playing
        position = min(max(0.0, self.position_s + delta_s), self.duration_s)
        self.pause()
        self._offset = position
        if was_playing:
            self.play()

    def switch_to(self, clip: Clip) -> None:
        """Play ``clip`` (the same take, processed: as the prospect hears it) from where this one is,
        still playing if it was."""
        was_playing = self.playing
        position = self.position_s
        self.pause()
        self._clip = clip
        self._offset = min(position, self.duration_s)
        if was_playing:
            self.play()

    def stop(self) -> None:
        self.pause()
        self._offset = 0.0
