"""Offline speech recognition of a take with pocketsphinx, streamed while the trainee speaks.

pocketsphinx's wheel ships a US English acoustic model, dictionary and language model, so nothing
is downloaded and nothing leaves the machine. It is biased to the scenario (:class:`Listening`) in
two ways, each measured on the labelled set (bench/bench_analysis.py):

- The transcript: names the dictionary lacks are added (pronounced by espeak-ng, see
  :mod:`simulator.analysis.phonetics`), and multiword units such as "sam patel", "hi anne" or the
  digit groups of the callback number are added as single dictionary words, then split back into
  words. (pocketsphinx 5 ignores the weight given to ``NGramModel.add_word``; a unit is what makes
  the language model offer a whole name at once.)
- A keyword-spotting decoder beside it listens for phrases of two words or more, each with a
  threshold that scales with its length in phones.

Before decoding, the first seconds of the take set the channel (the cepstral mean) and, for a high
voice, a frequency warp from its pitch (vocal tract length normalisation): pocketsphinx's model
otherwise hears names through the wrong microphone and a woman's voice as noise.

Decoding runs in its own thread from a queue, so the recorder's writer never waits for it.
"""

from __future__ import annotations

import queue
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soxr

from simulator.analysis.measure import voiced_pitch_hz
from simulator.analysis.phonetics import likeness, pronounce
from simulator.audio.base import Clip

RATE = 16000
FRAME_S = 0.01  # pocketsphinx's frame
# Seconds of audio the channel (cepstral mean) is estimated from before decoding starts. On the
# labelled set, hints right: none 76 %, 2 s 76 %, 3 s 79 %, 5 s 81 %, 6 s 81 %, 7 s 81 %, the whole
# take 81 %. A take shorter than this is decoded at the stop (about 1 s for a 6 s take).
CHANNEL_S = 6.0
# Vocal tract length normalisation from the speaker's pitch (Faria and Gelbart, "Efficient
# pitch-based estimation of VTLN warp factors", Interspeech 2005): pocketsphinx's US model hears
# low voices best, so a higher voice's spectrum is compressed by a factor rising linearly with its
# median pitch, from none at LOW_VOICE_HZ to MAX_WARP at HIGH_VOICE_HZ and above.
LOW_VOICE_HZ, HIGH_VOICE_HZ, MAX_WARP = 130.0, 210.0, 1.15
# A spotted phrase of few phones false-alarmed on words that merely share a sound with it ("hi anne"
# in "hi, it's me"; "reach me" in "we save"). One that short is kept only where the transcript heard
# something like it (at most 40 % of its phones different, within 0.15 s): on the labelled set false
# alarms fell from 25 to 14 and hints right rose from 316 to 318 of 384.
SHORT_PHRASE_PHONES = 7
SHORT_PHRASE_LIKENESS = 0.6
_NEARBY_S = 0.15
_NOT_WORDS = {"<s>", "</s>", "<sil>", "[noise]", "<unk>"}
_ALTERNATIVE = re.compile(r"\(\d+\)$")


@dataclass(frozen=True)
class Word:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    spotted: tuple[Word, ...] = ()  # key phrases found by keyword spotting (a phrase per "word")

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "words": [
                {"word": w.text, "start_s": round(w.start_s, 2), "end_s": round(w.end_s, 2)}
                for w in self.words
            ],
        }


@dataclass(frozen=True)
class Listening:
    """What to listen for in one scenario's takes."""

    words: tuple[str, ...] = ()  # names and words the dictionary may lack
    units: tuple[str, ...] = ()  # multiword units the transcript may hear as one word
    # phrases for keyword spotting, each with its leniency: detected when it beats the phone loop
    # by 10^-(leniency x its phones); single words are left out (they false-alarm)
    spot: tuple[tuple[str, float], ...] = ()


def phones_of(decoder, phrase: str) -> str | None:  # type: ignore[no-untyped-def]
    """The phrase's phones from the dictionary, or espeak-ng for words it lacks."""
    phones = []
    for word in phrase.split():
        found = decoder.lookup_word(word) or pronounce(word)
        if not found:
            return None
        phones.append(found)
    return " ".join(phones)


def spelled(phrase: str) -> str:
    """A phrase as the recogniser spells it: lower case, words only ("Hi, Anne!" -> "hi anne")."""
    return " ".join(re.findall(r"[a-z']+", phrase.lower()))


def vocabulary_words(phrases: Iterable[str]) -> list[str]:
    """The single lower-case words of names and phrases, as the recogniser spells them."""
    words: list[str] = []
    for phrase in phrases:
        for word in spelled(phrase).split():
            if word not in words:
                words.append(word)
    return words


def warp_for(pcm: bytes) -> float:
    """The frequency warp for the voice in 16 kHz PCM (1.0: none), from its median pitch."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    f0 = voiced_pitch_hz(Clip(samples, RATE))
    if len(f0) < 50:  # under half a second of voice: leave the spectrum alone
        return 1.0
    share = (float(np.median(f0)) - LOW_VOICE_HZ) / (HIGH_VOICE_HZ - LOW_VOICE_HZ)
    return round(1.0 + (MAX_WARP - 1.0) * min(1.0, max(0.0, share)), 3)


# pocketsphinx keeps the warp in C globals shared by every decoder in the process, and skips a
# setting equal to the last one it was given, even when a neutral decoder was built in between, so
# the same warp twice in a row was silently not applied. Decoders are therefore built (and their
# features re-initialised) under one lock, and each warp is written differently from the last.
class _FeatureSettings:
    """The lock decoders are built under, and warp settings that always differ from the last."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._last_text = ""

    def warped(self, warp: float) -> dict[str, str]:
        """Decoder settings for ``warp``; call with :attr:`lock` held."""
        if warp == 1.0:
            return {}
        text = f"{warp:.3f}"
        if text == self._last_text:
            text += "0"  # the same number, but not the same string
        self._last_text = text
        return {"warp_type": "inverse_linear", "warp_params": text}


_FEATURES = _FeatureSettings()


def channel_mean(pcm: bytes, warp: float = 1.0) -> str:
    """The cepstral mean of 16 kHz PCM, as pocketsphinx's ``set_cmn`` takes it.

    pocketsphinx's live mean starts from the model's default and first moves after 8 s of audio, so
    the names at the start of a message were heard through the wrong channel (a different
    microphone, room or voice). A features-only decoder computes the mean of the whole window; it
    is thrown away after, as reusing a decoder after a whole-utterance pass crashed pocketsphinx 5.
    """
    from pocketsphinx import Decoder, get_model_path

    with _FEATURES.lock:
        features = Decoder(samprate=RATE, loglevel="FATAL", lm=None, dict=None, **_FEATURES.warped(warp),
                           allphone=str(Path(get_model_path()) / "en-us" / "en-us-phone.lm.bin"))  # fmt: skip
    features.start_utt()
    features.process_raw(pcm, True, True)  # no search, whole window: the mean is known at once
    return str(features.get_cmn(False))


class Transcriber:
    """Feed audio as it is recorded (any rate), then :meth:`finish` for the transcript."""

    def __init__(self, listening: Listening = Listening()) -> None:
        self._listening = listening
        self._queue: queue.SimpleQueue[tuple[np.ndarray, int] | None] = queue.SimpleQueue()
        self._resampler: soxr.ResampleStream | None = None
        self._rate = 0
        self._result: Transcript | None = None
        self._error: Exception | None = None
        self._ready = threading.Event()
        self._done = threading.Event()
        self._ended = False
        self._thread = threading.Thread(target=self._run, name="transcriber", daemon=True)
        self._thread.start()

    def _decoder(self):  # type: ignore[no-untyped-def]
        from pocketsphinx import Decoder

        # No second "fwdflat" pass: it made the stop-to-words wait 0.74 s on a 30 s take, against
        # 0.02 s without, for the same words on the labelled set (bench/bench_analysis.py).
        with _FEATURES.lock:
            decoder = Decoder(samprate=RATE, loglevel="FATAL", fwdflat=False)
        words = vocabulary_words(self._listening.words)
        units = list(dict.fromkeys(spelled(u) for u in self._listening.units))
        if not words and not units:
            return decoder
        language_model = decoder.get_lm()
        for word in words:
            if decoder.lookup_word(word) is None and (phones := pronounce(word)):
                decoder.add_word(word, phones, False)
                language_model.add_word(word, 1.0)
        for unit in units:
            if " " in unit and (phones := phones_of(decoder, unit)):
                decoder.add_word(unit.replace(" ", "_"), phones, False)
                language_model.add_word(unit.replace(" ", "_"), 1.0)
        decoder.add_lm("scenario", language_model)
        decoder.activate_search("scenario")
        return decoder

    def _spotter(self):  # type: ignore[no-untyped-def]
        """A second decoder in keyword-spotting mode, for names and phrases the transcript often
        mis-hears."""
        from pocketsphinx import Decoder

        with _FEATURES.lock:
            spotter = Decoder(samprate=RATE, loglevel="FATAL")
        lines = []
        for listed, leniency in dict(self._listening.spot).items():
            phrase = spelled(listed)
            if len(phrase.split()) < 2:
                continue
            for word in phrase.split():
                if spotter.lookup_word(word) is None and (phones := pronounce(word)):
                    spotter.add_word(word, phones, False)
            if phones := phones_of(spotter, phrase):
                lines.append(f"{phrase} /1e-{max(1, round(leniency * len(phones.split())))}/\n")
        if not lines:
            return None
        with tempfile.NamedTemporaryFile("w", suffix=".kws", delete=False) as listing:
            listing.writelines(lines)
        try:
            spotter.add_kws("phrases", listing.name)
        finally:
            Path(listing.name).unlink(missing_ok=True)
        spotter.activate_search("phrases")
        return spotter

    def _run(self) -> None:
        try:
            decoders = [self._decoder()]
            try:
                spotter = self._spotter() if self._listening.spot else None
                if spotter is not None:
                    decoders.append(spotter)
            except Exception:  # the transcript alone still gives hints
                pass
        except Exception as error:  # reported by finish(); a take is never lost for want of words
            self._error = error
            self._ready.set()
            self._drain()
            return
        self._ready.set()
        opening: bytearray | None = bytearray()  # the first seconds, held until the channel is known
        window = int(CHANNEL_S * RATE) * 2  # bytes of 16-bit samples
        while True:
            item = self._queue.get()
            if item is None:
                break
            frames, rate = item
            try:
                pcm = self._pcm(frames, rate, last=False)
                if opening is not None:
                    opening += pcm
                    if len(opening) < window:
                        continue
                    # the same window however the audio was cut into blocks: streamed == batch
                    self._start_on_channel(decoders, bytes(opening[:window]))
                    pcm, opening = bytes(opening[window:]), None
                for decoder in decoders:
                    decoder.process_raw(pcm, False, False)
            except Exception as error:
                self._error = error
        try:
            tail = self._pcm(np.zeros(0, dtype=np.float32), self._rate or RATE, last=True)
            if opening is not None:  # a take shorter than the estimate's window
                self._start_on_channel(decoders, bytes(opening) + tail)
            elif tail:
                for decoder in decoders:
                    decoder.process_raw(tail, False, False)
            for decoder in decoders:
                decoder.end_utt()
            words = self._words(decoders[0]).words
            found = self._words(decoders[1]).words if len(decoders) > 1 else ()
            spotted = [Word(w.text.strip(), w.start_s, w.end_s) for w in found]
            confirmed = tuple(s for s in spotted if self._confirmed(s, words, decoders[0]))
            self._result = Transcript(words, confirmed)
        except Exception as error:
            self._error = error
        self._done.set()

    @staticmethod
    def _confirmed(spot: Word, words: tuple[Word, ...], decoder: Any) -> bool:
        """Whether a spotted phrase is long enough to trust, or the transcript heard it too."""
        target = (phones_of(decoder, spot.text) or "").split()
        if len(target) >= SHORT_PHRASE_PHONES:
            return True
        nearby = [
            w.text for w in words if w.end_s > spot.start_s - _NEARBY_S and w.start_s < spot.end_s + _NEARBY_S
        ]
        heard = " ".join(filter(None, (phones_of(decoder, w) for w in nearby))).split()
        return likeness(target, heard) >= SHORT_PHRASE_LIKENESS

    @staticmethod
    def _start_on_channel(decoders: list[Any], opening: bytes) -> None:
        """Decode the opening seconds with the voice's warp and channel estimated from them (see
        :func:`warp_for` and :func:`channel_mean`)."""
        warp = warp_for(opening)
        mean = channel_mean(opening, warp)
        for decoder in decoders:
            if warp != 1.0:
                with _FEATURES.lock:
                    config = decoder.config
                    for key, value in _FEATURES.warped(warp).items():
                        config[key] = value
                    decoder.reinit_feat(config)
            decoder.set_cmn(mean)
            decoder.start_utt()
            decoder.process_raw(opening, False, False)

    def _drain(self) -> None:
        while self._queue.get() is not None:
            pass
        self._done.set()

    def _pcm(self, frames: np.ndarray, rate: int, last: bool) -> bytes:
        if self._resampler is None:
            self._rate = rate
            self._resampler = soxr.ResampleStream(rate, RATE, 1, dtype="float32")
        samples = self._resampler.resample_chunk(frames.astype(np.float32), last=last)
        return (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()

    @staticmethod
    def _words(decoder) -> Transcript:  # type: ignore[no-untyped-def]
        words = []
        for segment in decoder.seg() or []:
            text = _ALTERNATIVE.sub("", segment.word.lower())
            if text in _NOT_WORDS or text.startswith(("[", "<", "+")):
                continue
            start, end = segment.start_frame * FRAME_S, (segment.end_frame + 1) * FRAME_S
            parts = text.split("_")  # a multiword unit: its words share its time evenly
            step = (end - start) / len(parts)
            words += [Word(part, start + i * step, start + (i + 1) * step) for i, part in enumerate(parts)]
        return Transcript(tuple(words))

    def feed(self, frames: np.ndarray, samplerate: int) -> None:
        """Queue a block of mono float samples; returns at once."""
        self._queue.put((frames, samplerate))

    def end_of_audio(self) -> None:
        """No more audio: the decoder finishes on its own while the caller does other work."""
        if not self._ended:
            self._ended = True
            self._queue.put(None)

    def close(self) -> None:
        """Stop without a transcript (the take was thrown away); frees the decoder's thread."""
        if not self._done.is_set():
            self.end_of_audio()
            self._done.wait(5.0)
        self._resampler = None

    def finish(self, timeout: float = 30.0) -> Transcript:
        """The transcript of everything fed; raises RuntimeError if recognition failed."""
        self.end_of_audio()
        if not self._done.wait(timeout):
            raise RuntimeError("speech recognition did not finish in time")
        self._resampler = None
        if self._result is None:
            raise RuntimeError(f"speech recognition failed: {self._error}")
        return self._result


def transcribe(samples: np.ndarray, samplerate: int, listening: Listening = Listening()) -> Transcript:
    """A whole take at once (batch): the same decoders, fed in 100 ms blocks."""
    transcriber = Transcriber(listening)
    block = max(1, samplerate // 10)
    for start in range(0, len(samples), block):
        transcriber.feed(samples[start : start + block], samplerate)
    return transcriber.finish()
