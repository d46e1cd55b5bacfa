"""Offline speech recognition of a take with Whisper, streamed while the trainee speaks.

The recogniser itself, and its checks on one window, are in :mod:`simulator.analysis.whisper`.

Whisper hears best with the scenario's names in its prompt (:class:`Listening`): names it has never
seen are spelled the way the scenario spells them.

Whisper reads up to 30 s at a time and its encoder costs the same for any length (0.2-0.3 s on two
cores), so a take is cut at its pauses as it is recorded: each stretch of speech that ends in a
pause (:data:`PAUSES`) is transcribed while the trainee goes on speaking, and at the stop only
the words since the last pause are left. Cuts are made per 30 ms voice-activity frame, so the
same audio gives the same transcript however it was cut into blocks (streamed == batch).

Each stretch is read in one window. A second pass is made only when Whisper stopped a second or
more before the speech did (:data:`UNHEARD_S`), and then it is given the words so far as its
prompt; two seconds or more of voice between two words heard in a row is read again on its own.

Decoding runs in its own thread from a queue, so the recorder's writer never waits for it. When
the program ends with words still being read (the trainee quits straight after a take, Ctrl+C on
``analyze``), each recogniser stops after the stretch it is reading and is waited for: a thread
still inside CTranslate2 while Python shuts down crashed the process (a segfault, exit 139).
"""

from __future__ import annotations

import atexit
import queue
import re
import threading
import time
from collections import deque
from dataclasses import dataclass

import numpy as np
import soxr
import webrtcvad

from simulator.analysis import whisper
from simulator.analysis.made_up import MIN_WORD_S, SKIPPED_S, skipped_stretches
from simulator.analysis.measure import QUIET_DBFS, room_gains
from simulator.analysis.record import Transcript, Word
from simulator.analysis.whisper import RATE, heard_without_loops

VAD_FRAME = 480  # 30 ms at 16 kHz, one of webrtcvad's frame sizes
FRAME_S = VAD_FRAME / RATE
# A stretch of speech is transcribed as soon as it ends in a pause: the longer the stretch, the
# shorter the pause that ends it (seconds of stretch, seconds of pause). Sentences end in pauses of
# 0.3 s or more; a synthetic voice barely pauses at all (flite: 0.15 s between sentences), so a long
# stretch is cut at its next breath. A pause of 0.6 s after any speech is the trainee finishing:
# its words are transcribed while they reach for the stop key.
PAUSES = ((0.0, 0.6), (3.0, 0.3), (8.0, 0.12))
PAUSE_S = PAUSES[1][1]
MIN_STRETCH_S = PAUSES[1][0]
MAX_STRETCH_S = 25.0  # Whisper's window is 30 s
MIN_SPEECH_FRAMES = 5  # 150 ms of voice: less is a click or a breath, not words
LEAD_IN_FRAMES = 10  # 0.3 s of silence kept before speech, so its first sound is not cut
UNHEARD_S = 1.0  # speech left after Whisper's last word that is worth another pass
REREAD_TAIL_S = 0.15  # speech skipped is read again up to just past the next word's start
DUPLICATE_S = 0.3  # the same word heard in both readings, this close: once
BRIDGE_FRAMES = 10  # 0.3 s: a run of speech goes on over shorter gaps
MAX_PASSES = 3  # passes over one stretch at most
EXIT_WAIT_S = 10.0  # at exit, how long the recognisers still reading may take to stop (one stretch)
# How long the last words may take after the end of the audio. Live, reading keeps pace with the
# take, so what is left is its last stretch; a whole file fed at once (batch) is read only then, so
# its limit grows with its length (a take is read in about a twentieth of its length on two cores
# alone, but two recognisers at once on two cores once took one past 30 s for a 25 s take).
FINISH_WAIT_S = 30.0
BATCH_WAIT_PER_AUDIO_S = 2.0


@dataclass(frozen=True)
class Listening:
    """What to listen for in one scenario's takes."""

    names: tuple[str, ...] = ()  # the prospect, their company, the caller and the caller's company

    @property
    def prompt(self) -> str:
        """Whisper's prompt: the names, spelled as the scenario spells them, in a sentence with
        fillers. Whisper writes what it expects, and leaves out "um" and "uh" unless its prompt has
        them: with this prompt it heard 23 of 28 fillers in synthesised takes (9 without), made up
        none in the 48 labelled takes, and got 372 hints of 384 right (367 without)."""
        names = ", ".join(n for n in self.names if n)
        return f"Um, a voicemail message, uh{f', for {names}' if names else ''}. Er, like, you know, hmm."


def spelled(phrase: str) -> str:
    """A phrase as the transcript spells it: lower case, words only ("Hi, Anne!" -> "hi anne")."""
    return " ".join(re.findall(r"[a-z']+", phrase.lower()))


def _pause_ending(stretch_s: float) -> float:
    """How long a pause ends a stretch of this length (see :data:`PAUSES`)."""
    return min(pause for length, pause in PAUSES if stretch_s >= length)


def _starts(words: list[Word], offset_s: float) -> list[float]:
    return [w.start_s - offset_s for w in words]


def _run_start(voiced: list[bool], at_s: float) -> float:
    """Where the run of speech holding (or just before) ``at_s`` began, less a lead-in (seconds
    from the start of ``voiced``, one flag per :data:`FRAME_S`); runs go on over short gaps."""
    index = min(len(voiced), int(at_s / FRAME_S))
    gap = 0
    while index > 0 and gap <= BRIDGE_FRAMES:
        index -= 1
        gap = 0 if voiced[index] else gap + 1
    return max(0.0, (index + gap - LEAD_IN_FRAMES) * FRAME_S) if index else 0.0


class Transcriber:
    """Feed audio as it is recorded (any rate), then :meth:`finish` for the transcript."""

    def __init__(self, listening: Listening = Listening()) -> None:
        self._listening = listening
        self._queue: queue.SimpleQueue[tuple[np.ndarray, int] | None] = queue.SimpleQueue()
        self._resampler: soxr.ResampleStream | None = None
        self._vad = webrtcvad.Vad(2)
        self._carry = np.zeros(0, dtype=np.float32)  # samples short of a whole frame
        self._stretch: deque[np.ndarray] = deque()  # frames not transcribed yet
        self._levels: deque[float] = deque()  # each of those frames' level (dB)
        self._voiced: deque[bool] = deque()  # and whether anyone speaks in it (the VAD)
        self._speech_levels: list[float] = []  # the level of every voiced frame so far
        self._stretch_start = 0  # frame index of the stretch's first frame
        self._speech_frames = 0  # voiced frames in the stretch
        self._silent_run = 0  # unvoiced frames at the stretch's end
        self._words: list[Word] = []
        self._doubtful: list[tuple[float, float]] = []  # stretches of speech whose words failed the checks
        self._result: Transcript | None = None
        self._error: Exception | None = None
        self._done = threading.Event()
        self._stopping = threading.Event()
        self._ended = False
        self._all_taken = False
        self._thread = threading.Thread(target=self._run, name="transcriber", daemon=True)
        with _RUNNING_LOCK:
            _RUNNING.add(self)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._read_all()
        except Exception as error:  # reported by finish(); a take is never lost for want of words
            self._error = error
            while not self._all_taken and self._queue.get() is not None:
                pass
        with _RUNNING_LOCK:
            _RUNNING.discard(self)
        self._done.set()

    def _read_all(self) -> None:
        whisper.whisper_model()
        while (item := self._queue.get()) is not None:
            if not self._stopping.is_set():
                self._take_in(self._pcm(*item, last=False))
        self._all_taken = True  # the end of the audio is taken from the queue: nothing more comes
        if self._stopping.is_set():
            raise RuntimeError("speech recognition was stopped: the program is closing")
        self._take_in(self._pcm(np.zeros(0, dtype=np.float32), RATE, last=True))
        if len(self._carry):
            self._stretch.append(np.pad(self._carry, (0, VAD_FRAME - len(self._carry))))
            self._levels.append(self._levels[-1] if self._levels else QUIET_DBFS)
            self._voiced.append(False)
        if self._speech_frames >= MIN_SPEECH_FRAMES:
            self._transcribe_stretch()
        self._result = Transcript(tuple(self._words), tuple(self._doubtful))

    def _take_in(self, samples: np.ndarray) -> None:
        """Add 16 kHz samples frame by frame, transcribing each stretch that ends in a pause."""
        samples = np.concatenate([self._carry, samples])
        whole = len(samples) // VAD_FRAME * VAD_FRAME
        self._carry = samples[whole:]
        for frame in samples[:whole].reshape(-1, VAD_FRAME):
            if self._stopping.is_set():
                return
            self._stretch.append(frame)
            if self._is_speech(frame):  # (also notes the frame's level)
                self._speech_frames += 1
                self._silent_run = 0
            else:
                self._silent_run += 1
            seconds = len(self._stretch) * FRAME_S
            if self._speech_frames < MIN_SPEECH_FRAMES:
                if self._silent_run > LEAD_IN_FRAMES:
                    self._speech_frames = 0  # a click long past
                while self._speech_frames == 0 and len(self._stretch) > LEAD_IN_FRAMES:
                    self._drop_first_frame()  # silence before any words: nothing to hear
            elif self._silent_run * FRAME_S >= _pause_ending(seconds) or seconds >= MAX_STRETCH_S:
                self._transcribe_stretch()

    def _drop_first_frame(self) -> None:
        self._stretch.popleft()
        self._levels.popleft()
        self._voiced.popleft()
        self._stretch_start += 1

    def _is_speech(self, frame: np.ndarray) -> bool:
        level = 10 * np.log10(float(np.var(frame.astype(np.float64))) + 1e-12)  # a DC offset is no sound
        self._levels.append(level)
        pcm = (np.clip(frame, -1, 1) * 32767).astype("<i2").tobytes()
        speech = level > QUIET_DBFS and self._vad.is_speech(pcm, RATE)
        self._voiced.append(speech)
        if speech:
            self._speech_levels.append(level)
        return speech

    def _transcribe_stretch(self) -> None:
        gains = room_gains(np.array(self._levels), np.array(self._speech_levels))
        audio = (np.concatenate(self._stretch) * np.repeat(gains, VAD_FRAME)).astype(np.float32)
        voiced_s = (len(self._stretch) - self._silent_run) * FRAME_S
        offset_s = self._stretch_start * FRAME_S
        from_s, looped = 0.0, False
        stretch_words: list[Word] = []
        doubtful: list[tuple[float, float]] = []
        for _ in range(MAX_PASSES):  # once, unless Whisper stopped short of the speech (or looped)
            said_before = " ".join(w.text for w in [*self._words, *stretch_words][-30:])
            prompt = f"{self._listening.prompt} {said_before}".strip()
            heard, looped, unsure = heard_without_loops(
                audio[int(from_s * RATE) :], prompt, offset_s + from_s
            )
            stretch_words += heard
            doubtful += unsure
            heard_until_s = heard[-1].end_s - offset_s if heard else (from_s if looped else voiced_s)
            if voiced_s - heard_until_s < UNHEARD_S or heard_until_s - 0.1 <= from_s:
                break
            from_s = heard_until_s - 0.1  # from just before the last word's end, not to lose a sound
        if looped and voiced_s - heard_until_s >= UNHEARD_S:  # speech whose words are not known
            doubtful.append((round(offset_s + heard_until_s, 2), round(offset_s + voiced_s, 2)))
        trainees = [bool(v and g == 1.0) for v, g in zip(self._voiced, gains, strict=True)]  # not the room
        stretch_words, skipped = self._read_skipped_again(audio, trainees, stretch_words, offset_s)
        doubtful += skipped
        self._words += stretch_words
        # doubtful: time enough to have said a word there, and not read again in a later pass
        self._doubtful += [
            (start, end)
            for start, end in doubtful
            if end - start >= MIN_WORD_S and not any(start <= w.start_s < end for w in stretch_words)
        ]
        self._stretch_start += len(self._stretch)
        self._stretch.clear()
        self._levels.clear()
        self._voiced.clear()
        self._speech_frames = self._silent_run = 0

    def _read_skipped_again(
        self, audio: np.ndarray, voiced: list[bool], heard: list[Word], offset_s: float
    ) -> tuple[list[Word], list[tuple[float, float]]]:
        """The stretch's words with speech Whisper skipped (:func:`skipped_stretches`) read again on
        its own: from the start of the run of speech it lies in (the words before it may be out of
        place: "i would" heard over "Hello Anne, Sam Patel here..."), else from a second before it
        (keeping the word it follows).
        Where every reading still skips :data:`SKIPPED_S` or more, that speech is doubtful (start,
        end), so no hint says it was not said; a shorter stretch before the first word (from
        :data:`~simulator.analysis.made_up.SKIPPED_FIRST_S`) is only read again: with neighbours
        15 dB down, their voices before the trainee's pass for it, and would make every ✗ "listen
        back"."""
        doubtful: list[tuple[float, float]] = []
        for start, end in skipped_stretches(_starts(heard, offset_s), voiced, FRAME_S)[:MAX_PASSES]:
            run_start = _run_start(voiced, start)
            for read_from, keep_from in dict.fromkeys(
                [(run_start, run_start), (max(0.0, start - 1.0), start + FRAME_S)]
            ):
                again, unsure = self._heard_again(audio, heard, offset_s, (read_from, keep_from, end))
                if again is not None:
                    heard, doubtful = again, doubtful + unsure
                skips = skipped_stretches(_starts(heard, offset_s), voiced, FRAME_S)
                if not any(a < end and b > start for a, b in skips):
                    break
        for start, end in skipped_stretches(_starts(heard, offset_s), voiced, FRAME_S, SKIPPED_S):
            spoke = [w.end_s for w in heard if w.start_s - offset_s <= start]  # the word before it
            doubtful.append((round(max([offset_s + start, *spoke]), 2), round(offset_s + end, 2)))
        return heard, doubtful

    def _heard_again(
        self, audio: np.ndarray, heard: list[Word], offset_s: float, where: tuple[float, float, float]
    ) -> tuple[list[Word] | None, list[tuple[float, float]]]:
        """The stretch's words with those from ``keep_from`` to ``end`` (seconds into the stretch)
        read again, the audio from ``read_from`` (``where``), if that hears more of them (else None),
        and the doubtful parts of the reading. Words the first reading put past the audio's end go."""
        read_from, keep_from, end = where
        before = [w for w in heard if w.start_s - offset_s < keep_from]
        after = [w for w in heard if end <= w.start_s - offset_s < len(audio) / RATE]
        said_before = " ".join(w.text for w in [*self._words, *before][-30:])
        window = audio[int(read_from * RATE) : int((end + REREAD_TAIL_S) * RATE)]
        prompt = f"{self._listening.prompt} {said_before}".strip()
        again, _, unsure = heard_without_loops(window, prompt, offset_s + read_from)
        again = [w for w in again if w.start_s - offset_s < end]
        # what both readings heard before ``keep_from``: up to the last word kept heard again, or
        # where its time says (Whisper's word times are good to a word or so)
        early = [i for i, w in enumerate(again) if w.start_s - offset_s < keep_from + DUPLICATE_S]
        same = [i for i in early if before and again[i].text == before[-1].text]
        again = (
            again[same[-1] + 1 :]
            if same
            else [w for w in again if w.start_s - offset_s >= keep_from - DUPLICATE_S]
        )
        if (
            again
            and after
            and again[-1].text == after[0].text
            and after[0].start_s - again[-1].start_s < DUPLICATE_S
        ):
            again.pop()
        if len(again) <= len(heard) - len(before) - len(after):
            return None, []
        return [*before, *again, *after], unsure

    def _pcm(self, frames: np.ndarray, rate: int, last: bool) -> np.ndarray:
        if self._resampler is None:
            self._resampler = soxr.ResampleStream(rate, RATE, 1, dtype="float32")
        return self._resampler.resample_chunk(frames.astype(np.float32), last=last)

    def feed(self, frames: np.ndarray, samplerate: int) -> None:
        """Queue a block of mono float samples; returns at once."""
        self._queue.put((frames, samplerate))

    def end_of_audio(self) -> None:
        """No more audio: the recogniser finishes on its own while the caller does other work."""
        if not self._ended:
            self._ended = True
            self._queue.put(None)

    def close(self) -> None:
        """Stop without a transcript (the take was thrown away); frees the recogniser's thread."""
        if not self._done.is_set():
            self.end_of_audio()
            self._done.wait(5.0)

    def stop(self) -> None:
        """Give up the words: stop after the stretch being read (returns at once; see :meth:`done`)."""
        self._stopping.set()
        self.end_of_audio()

    def done(self, within_s: float = 0.0) -> bool:
        """Whether recognition has ended (with words or an error), waiting up to ``within_s``."""
        return self._done.wait(within_s)

    def finish(self, timeout: float = FINISH_WAIT_S) -> Transcript:
        """The transcript of everything fed; raises RuntimeError if recognition failed or took
        longer than ``timeout`` seconds."""
        self.end_of_audio()
        if not self._done.wait(timeout):
            self.stop()
            raise RuntimeError(
                f"speech recognition did not finish within {timeout:.3g} s (is the machine busy, "
                "or another recogniser running?)"
            )
        if self._result is None:
            raise RuntimeError(f"speech recognition failed: {self._error}")
        return self._result


_RUNNING: set[Transcriber] = set()  # the recognisers whose thread has not ended
_RUNNING_LOCK = threading.Lock()


@atexit.register
def _stop_reading_at_exit() -> None:
    """Stop every recogniser still reading, and wait (up to :data:`EXIT_WAIT_S` in all) for their
    threads to leave CTranslate2 before Python shuts down."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for transcriber in running:
        transcriber.stop()
    deadline = time.monotonic() + EXIT_WAIT_S
    for transcriber in running:
        transcriber.done(max(0.0, deadline - time.monotonic()))


def transcribe(samples: np.ndarray, samplerate: int, listening: Listening = Listening()) -> Transcript:
    """A whole take at once (batch): the same recogniser, fed in 100 ms blocks."""
    transcriber = Transcriber(listening)
    block = max(1, samplerate // 10)
    for start in range(0, len(samples), block):
        transcriber.feed(samples[start : start + block], samplerate)
    return transcriber.finish(FINISH_WAIT_S + BATCH_WAIT_PER_AUDIO_S * len(samples) / max(1, samplerate))
