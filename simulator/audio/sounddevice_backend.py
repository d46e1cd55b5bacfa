"""Real sound devices through PortAudio (sounddevice). The only module that imports sounddevice."""

from __future__ import annotations

import threading
from time import monotonic
from types import ModuleType
from typing import Any

import numpy as np

from simulator.audio.base import (
    AudioError,
    Clip,
    DeviceInfo,
    FrameSink,
    NoInputDeviceError,
    NoOutputDeviceError,
)

_PORTAUDIO_MISSING = (
    "PortAudio is not installed, so no sound device can be opened. "
    "On Debian or Ubuntu: sudo apt-get install libportaudio2"
)


def _sounddevice() -> ModuleType:
    try:
        import sounddevice
    except OSError:
        raise AudioError(_PORTAUDIO_MISSING) from None
    return sounddevice


def refresh_devices() -> None:
    """Make PortAudio enumerate devices again (it lists them once, when first loaded)."""
    sd = _sounddevice()
    sd._terminate()
    sd._initialize()


class SoundDevicePlayback:
    """A clip streamed to an output device from PortAudio's callback."""

    def __init__(self, sd: ModuleType, device: int | None, clip: Clip) -> None:
        self._samples = clip.samples
        self._rate = clip.samplerate
        self._position = 0
        self._done = threading.Event()
        self._error: str | None = None
        self._first_sample_at: float | None = None
        try:
            self._stream = sd.OutputStream(
                device=device,
                samplerate=clip.samplerate,
                channels=1,
                dtype="float32",
                latency="high",
                callback=self._callback,
                finished_callback=self._done.set,
            )
            self._stream.start()
        except sd.PortAudioError as error:
            raise AudioError(f"cannot play on the output device: {error}") from None

    def _callback(self, outdata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        if self._first_sample_at is None:
            self._first_sample_at = monotonic()
        chunk = self._samples[self._position : self._position + frames]
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :, 0] = 0.0
        self._position += len(chunk)
        if len(chunk) < frames:
            raise _sounddevice().CallbackStop

    def is_finished(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        finished = self._done.wait(timeout)
        if finished:
            self._stream.close()
        return finished

    def stop(self) -> None:
        self._stream.abort()
        self._stream.close()
        self._done.set()

    @property
    def position_s(self) -> float:
        return self._position / self._rate

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def first_sample_at(self) -> float | None:
        return self._first_sample_at


class SoundDeviceInput:
    """A PortAudio input stream at the device's native rate, of up to two channels (the recorder mixes
    the live ones, so a stereo microphone with a dead side is heard).

    Large blocks and ``latency='high'``: with small blocks, a busy interpreter made frames vanish
    without any overflow flag (shared/audio-ci.md). The callback only hands a copy to the sink.
    """

    def __init__(self, sd: ModuleType, device: int | None, sink: FrameSink, blocksize_s: float) -> None:
        info = sd.query_devices(device, "input")
        self.samplerate = int(info["default_samplerate"])
        self._sink = sink
        try:
            self._stream = sd.InputStream(
                device=device,
                samplerate=self.samplerate,
                channels=min(2, max(1, int(info["max_input_channels"]))),  # a dead side is left out later
                dtype="float32",
                blocksize=max(1, int(self.samplerate * blocksize_s)),
                latency="high",
                callback=self._callback,
            )
        except sd.PortAudioError as error:
            raise AudioError(f"cannot open the microphone ({info['name']}): {error}. Is it in use?") from None

    def _callback(self, indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        self._sink(indata.copy(), bool(status.input_overflow))

    def start(self) -> None:
        self._stream.start()

    def stop(self) -> None:
        self._stream.stop()

    def close(self) -> None:
        self._stream.close()


class SoundDeviceBackend:
    """Microphone and speakers through PortAudio; devices chosen by name (a part of it) or index."""

    name = "sounddevice"

    def __init__(self, input_device: str | int | None = None, output_device: str | int | None = None) -> None:
        self._sd = _sounddevice()
        self.input_device = input_device
        self.output_device = output_device

    def devices(self) -> list[DeviceInfo]:
        sd = self._sd
        default_in, default_out = sd.default.device
        host_apis = sd.query_hostapis()
        return [
            DeviceInfo(
                index=index,
                name=info["name"],
                input_channels=info["max_input_channels"],
                output_channels=info["max_output_channels"],
                default_samplerate=info["default_samplerate"],
                is_default_input=index == default_in,
                is_default_output=index == default_out,
                host_api=host_apis[info["hostapi"]]["name"],
            )
            for index, info in enumerate(sd.query_devices())
        ]

    def resolve(self, wanted: str | int | None, kind: str) -> int | None:
        """The device index for a name, part of a name or index; None means PortAudio's default."""
        devices = self.devices()
        channels = "input_channels" if kind == "input" else "output_channels"
        capable = [d for d in devices if getattr(d, channels) > 0]
        missing = NoInputDeviceError if kind == "input" else NoOutputDeviceError
        what = "microphone" if kind == "input" else "output device"
        if wanted is None or wanted == "":
            if not capable:
                raise missing(
                    f"No {what} found. Connect one (or start the sound server), "
                    "check 'voicemail-sim devices', or practise without audio ('voicemail-sim --no-audio')."
                )
            default = self._sd.default.device[0 if kind == "input" else 1]
            return default if default >= 0 else capable[0].index
        if isinstance(wanted, int) or str(wanted).isdigit():
            index = int(wanted)
            if any(d.index == index for d in capable):
                return index
            raise missing(f"There is no {what} with index {index}; see 'voicemail-sim devices'.")
        matches = [d for d in capable if str(wanted).lower() in d.name.lower()]
        if not matches:
            names = ", ".join(d.name for d in capable) or "none"
            raise missing(f"No {what} matches {wanted!r}; available: {names}.")
        return matches[0].index

    def play(self, clip: Clip) -> SoundDevicePlayback:
        device = self.resolve(self.output_device, "output")
        try:
            rate = int(self._sd.query_devices(device, "output")["default_samplerate"])
        except (self._sd.PortAudioError, ValueError) as error:
            raise NoOutputDeviceError(f"cannot use the output device: {error}") from None
        return SoundDevicePlayback(self._sd, device, clip.resampled(rate))

    def open_input(self, sink: FrameSink, blocksize_s: float) -> SoundDeviceInput:
        device = self.resolve(self.input_device, "input")
        try:
            return SoundDeviceInput(self._sd, device, sink, blocksize_s)
        except (self._sd.PortAudioError, ValueError) as error:
            raise NoInputDeviceError(f"cannot use the microphone: {error}") from None
