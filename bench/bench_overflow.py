"""Lost frames and input overflows over a long recording through the virtual microphone.

Both cores are kept busy by other processes and a CPU-bound thread runs in the recording process.
The program's recorder (50 ms blocks, high latency, callback only queues) is compared with a naive
baseline in the same run (PortAudio's defaults: blocksize 0, low latency, writing in the callback).
Lost frames = wall-clock time of the take minus the audio recorded. Goal: 0 for the recorder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import line, real_sound_server

from simulator.audio.recorder import Recorder
from simulator.audio.sounddevice_backend import SoundDeviceBackend


def burn(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(i * i for i in range(20_000))


def feed_forever(server, wav: Path, stop: threading.Event) -> None:  # type: ignore[no-untyped-def]
    while not stop.is_set():
        feeder = server.feed_microphone(wav)
        while feeder.poll() is None:
            if stop.wait(0.1):
                feeder.kill()
        feeder.wait()


def run_recorder(folder: Path, seconds: float) -> tuple[float, float, int]:
    recorder = Recorder(SoundDeviceBackend(), folder / "recorder.wav")
    recorder.start()
    time.sleep(seconds)
    take = recorder.stop()
    return take.wall_clock_s, take.duration_s, take.overflows


def run_naive(folder: Path, seconds: float) -> tuple[float, float, int]:
    import sounddevice as sd
    import soundfile as sf

    rate = int(sd.query_devices(None, "input")["default_samplerate"])
    overflows = 0
    with sf.SoundFile(folder / "naive.wav", "w", samplerate=rate, channels=1) as out:

        def callback(indata, frames, time_info, status) -> None:  # type: ignore[no-untyped-def]
            nonlocal overflows
            overflows += bool(status.input_overflow)
            out.write(indata.copy())

        stream = sd.InputStream(samplerate=rate, channels=1, dtype="float32", callback=callback)
        start = time.monotonic()
        stream.start()
        time.sleep(seconds)
        stream.stop()
        wall = time.monotonic() - start
        stream.close()
        frames = out.frames
    return wall, frames / rate, overflows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the recorder's take")
    parser.add_argument("--baseline-seconds", type=float, default=60.0)
    args = parser.parse_args()
    with real_sound_server() as server, tempfile.TemporaryDirectory() as tmp:
        if server is None:
            sys.exit("this benchmark needs the sound server (pulseaudio): ./dev bench installs it")
        folder = Path(tmp)
        speech = folder / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-w", str(speech), "Hi Anne, it's Sam from Clearline. Call me on 0116 496 0732."],
            check=True,
        )
        stop = threading.Event()
        burners = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)
        ]  # both cores busy
        threads = [
            threading.Thread(target=burn, args=(stop,), daemon=True),
            threading.Thread(target=feed_forever, args=(server, speech, stop), daemon=True),
        ]
        for thread in threads:
            thread.start()
        try:
            naive = run_naive(folder, min(args.baseline_seconds, args.seconds))
            ours = run_recorder(folder, args.seconds)
        finally:
            stop.set()
            for process in burners:
                process.kill()
            threads[1].join(5)
    print("Recording under load: 2 busy processes + a CPU-bound thread in the recording process")
    rates = []
    for label, (wall, recorded, overflows) in (("naive baseline", naive), ("recorder", ours)):
        lost = wall - recorded  # negative: the stream delivered a block after the clock stopped
        per_minute = max(0.0, lost) / wall * 60.0
        rates.append(per_minute)
        line(
            f"{label} ({wall:.0f} s)",
            f"wall - recorded {lost * 1000:+7.0f} ms ({per_minute * 1000:6.0f} ms/min lost), "
            f"{overflows} overflows",
        )
    ratio = rates[0] / rates[1] if rates[1] > 0 else float("inf")
    line("ratio of loss rates (baseline / recorder)", f"{ratio:.1f} x   goal: recorder loses 0")


if __name__ == "__main__":
    main()
