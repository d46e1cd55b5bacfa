"""A private PulseAudio daemon with virtual devices, so tests use real sound devices on any machine.

``speaker`` is a null sink and the default output: what the program plays can be captured from
``speaker.monitor``. ``vmic_feed`` is a null sink whose monitor is the default input, the virtual
microphone: audio played into ``vmic_feed`` is what the program records. ``norewinds=1`` matters:
without it, audio recorded from the virtual microphone came back scrambled (shared/audio-ci.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CONFIG = """\
load-module module-native-protocol-unix auth-anonymous=1 socket={run}/native
load-module module-null-sink sink_name=speaker rate=48000 channels=2 norewinds=1
load-module module-null-sink sink_name=vmic_feed rate=48000 channels=1 norewinds=1
set-default-sink speaker
set-default-source vmic_feed.monitor
"""


class SoundServerError(RuntimeError):
    """The sound server could not be started."""


@dataclass
class SoundServer:
    """A running daemon; :meth:`env` is what a child process needs to reach it."""

    folder: Path
    process: subprocess.Popen[bytes]

    @property
    def server(self) -> str:
        return f"unix:{self.folder / 'run' / 'native'}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PULSE_SERVER": self.server,
            "PULSE_RUNTIME_PATH": str(self.folder / "run"),
        }

    def run(self, *command: str, timeout: float = 30.0) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(command, env=self.env(), capture_output=True, timeout=timeout, check=True)

    def feed_microphone(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start playing ``wav`` into the virtual microphone; returns the paplay process."""
        return subprocess.Popen(["paplay", "--device=vmic_feed", str(wav)], env=self.env())

    def capture_speaker(self, rate: int = 16000) -> SpeakerCapture:
        return SpeakerCapture(self, rate)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class SpeakerCapture:
    """Records what is played on the ``speaker`` sink (its monitor) as float32 mono.

    parec is asked for a short latency and read as it goes, and :meth:`finish` waits until the
    capture has caught up with the clock: with parec's default fragment size the last second or more
    sat in its buffer and was lost when it was stopped (a CI run captured 0.85 s of a 3 s greeting).
    """

    def __init__(self, server: SoundServer, rate: int) -> None:
        self.rate = rate
        self._started = time.monotonic()
        self._chunks: list[bytes] = []
        self._process = subprocess.Popen(
            [
                "parec",
                "--device=speaker.monitor",
                "--raw",
                "--format=float32le",
                f"--rate={rate}",
                "--channels=1",
                "--latency-msec=20",
            ],
            env=server.env(),
            stdout=subprocess.PIPE,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        while chunk := self._process.stdout.read1(65536):
            self._chunks.append(chunk)

    def _captured_s(self) -> float:
        return sum(len(chunk) for chunk in list(self._chunks)) / 4 / self.rate

    def finish(self, slack_s: float = 0.5, timeout_s: float = 5.0) -> np.ndarray:
        """Stop once all but ``slack_s`` of the time since the start is captured (or ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._captured_s() >= time.monotonic() - self._started - slack_s:
                break
            time.sleep(0.05)
        self._process.terminate()
        self._process.wait(timeout=10)
        self._reader.join(timeout=10)
        return np.frombuffer(b"".join(self._chunks), dtype="<f4").copy()


def start_sound_server(timeout_s: float = 10.0) -> SoundServer:
    """Start PulseAudio with the virtual devices; raises :class:`SoundServerError` with the reason."""
    for program in ("pulseaudio", "pactl", "paplay", "parec"):
        if shutil.which(program) is None:
            raise SoundServerError(
                f"{program} is not installed (apt-get install pulseaudio pulseaudio-utils)"
            )
    folder = Path(tempfile.mkdtemp(prefix="vmsim-pulse-"))
    (folder / "run").mkdir()
    (folder / "state").mkdir()
    (folder / "ci.pa").write_text(CONFIG.format(run=folder / "run"), encoding="utf-8")
    env = {
        **os.environ,
        "PULSE_RUNTIME_PATH": str(folder / "run"),
        "PULSE_STATE_PATH": str(folder / "state"),
        "HOME": str(folder),
    }
    process = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "-F",
            str(folder / "ci.pa"),
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disable-shm=yes",
            f"--log-target=file:{folder / 'pulse.log'}",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = SoundServer(folder, process)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (
                (folder / "pulse.log").read_text(errors="replace")[-800:]
                if (folder / "pulse.log").exists()
                else ""
            )
            server.stop()
            raise SoundServerError(f"pulseaudio exited with status {process.returncode}: {log}")
        probe = subprocess.run(["pactl", "info"], env=server.env(), capture_output=True, check=False)
        if probe.returncode == 0:
            return server
        time.sleep(0.05)
    server.stop()
    raise SoundServerError(f"pulseaudio did not answer within {timeout_s:g} s")


@contextlib.contextmanager
def using_sound_server() -> Iterator[SoundServer]:
    """Start the server, point this process's PortAudio at it, and undo both afterwards.

    Raises :class:`SoundServerError` when it cannot start.
    """
    from simulator.audio.sounddevice_backend import refresh_devices

    server = start_sound_server()
    previous = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server.server
    refresh_devices()  # PortAudio lists devices once; make it see the new server
    try:
        yield server
    finally:
        server.stop()
        if previous is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = previous
        refresh_devices()


@contextlib.contextmanager
def busy_interpreter() -> Iterator[None]:
    """A CPU-bound thread in this process for as long as the block runs (the UI or analysis
    holding the GIL), to prove that no recorded frames vanish meanwhile."""
    stop = threading.Event()

    def burn() -> None:
        while not stop.is_set():
            sum(i * i for i in range(20_000))

    thread = threading.Thread(target=burn, name="busy-interpreter")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
