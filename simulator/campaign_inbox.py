"""The prospect's inbox: a campaign's messages as their phone lists them, and played in order.

"Hear your campaign as Peggy will" is where a trainee hears that messages three and four sound
the same, so each message is listed with its simulated date and time, its length and its first
words, and the whole sequence is joined into one clip with a short gap between messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.analysis.phone import preview_of
from simulator.audio.base import AudioError, Clip
from simulator.campaign_progress import CampaignProgress
from simulator.campaigns import Step

GAP_S = 1.2  # between two messages: the phone moving on to the next voicemail
INBOX_WORDS = 60  # characters of first words: a phone's list shows a line, not a notification


@dataclass(frozen=True)
class InboxMessage:
    step: Step
    audio: Path | None  # the counted take's audio; None when the step has no take
    length_s: float | None
    first_words: str  # as a phone's transcription writes them; "" when none were heard

    @property
    def left(self) -> bool:
        return self.audio is not None


def inbox(record: CampaignProgress, record_paths: Mapping[str, Path]) -> list[InboxMessage]:
    """Every step, with the take that counts for it (as far as the trainee has gone)."""
    names = (record.campaign.prospect.name, record.trainee, record.campaign.brief.company)
    messages = []
    for step in record.steps:
        take = step.counted
        if take is None or take.id not in record_paths:
            messages.append(InboxMessage(step.step, None, None, ""))
            continue
        heard = take.analysis.transcript if take.analysis else None
        audio = record_paths[take.id].with_name(take.audio_file)
        messages.append(InboxMessage(step.step, audio, take.message_s, preview_of(heard, names, INBOX_WORDS)))
    return messages


@dataclass(frozen=True)
class Sequence:
    clip: Clip
    starts: tuple[tuple[float, int], ...]  # (second the message starts at, its step number)
    missing: tuple[int, ...]  # steps whose take's audio could not be read

    def playing_step(self, position_s: float) -> int | None:
        """The step whose message is playing at ``position_s``."""
        current = None
        for start, number in self.starts:
            if position_s + 1e-6 >= start:
                current = number
        return current


def joined(messages: list[InboxMessage], load: Callable[[Path], Clip], gap_s: float = GAP_S) -> Sequence:
    """The messages left, in order, as one mono clip at the first one's rate, with ``gap_s`` of
    silence between them; a take whose audio cannot be read (AudioError) is left out, and named."""
    parts: list[np.ndarray] = []
    starts: list[tuple[float, int]] = []
    missing: list[int] = []
    rate = 0
    position = 0
    for message in messages:
        if message.audio is None:
            continue
        try:
            clip = load(message.audio)
        except AudioError:
            missing.append(message.step.number)
            continue
        rate = rate or clip.samplerate
        samples = clip.resampled(rate).samples
        if parts:
            parts.append(np.zeros(int(gap_s * rate), dtype=np.float32))
            position += int(gap_s * rate)
        starts.append((position / rate, message.step.number))
        parts.append(samples)
        position += len(samples)
    rate = rate or 16_000
    samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return Sequence(Clip(samples, rate), tuple(starts), tuple(missing))
