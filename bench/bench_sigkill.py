"""Audio lost when the recording process is killed (SIGKILL) mid-take.

Kills ``voicemail-sim record`` at random moments and measures, with Python's strict ``wave`` reader,
how much of the take survives. Baseline in the same run: a naive writer (soundfile with default
settings, writing as frames arrive). Goal: at most 0.5 s lost.
"""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

from _common import line

NAIVE = """
import sys, time, soundfile as sf
from pathlib import Path
from simulator.audio.file_device import FileBackend
source, out = Path(sys.argv[1]), sys.argv[2]
backend = FileBackend(source)
with sf.SoundFile(out, "w", samplerate=22050, channels=1, subtype="PCM_16") as f:
    stream = backend.open_input(lambda frames, _: f.write(frames), 0.05)
    stream.start()
    print("Recording to", out, file=sys.stderr, flush=True)
    time.sleep(3600)
"""


def survived_seconds(path: Path) -> float:
    try:
        with wave.open(str(path)) as handle:
            return handle.getnframes() / handle.getframerate()
    except (wave.Error, EOFError, OSError):
        return 0.0


def kill_once(command: list[str], out: Path, after_s: float) -> float:
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    process.stderr.readline()
    started = time.monotonic()
    time.sleep(after_s)
    process.send_signal(signal.SIGKILL)
    interval = time.monotonic() - started
    process.wait()
    return interval - survived_seconds(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "speech.wav"
        text = "Hi Anne, it's Sam Patel from Clearline Office Solutions. Call me on 0116 496 0732. " * 6
        subprocess.run(["espeak-ng", "-w", str(source), text], check=True)
        ours, naive = [], []
        for n in range(args.kills):
            after = rng.uniform(1.0, 4.0)
            out = folder / f"ours-{n}.wav"
            ours.append(
                kill_once(
                    [sys.executable, "-m", "simulator", "record", str(out), "--device-file", str(source)],
                    out,
                    after,
                )
            )
            out = folder / f"naive-{n}.wav"
            naive.append(kill_once([sys.executable, "-c", NAIVE, str(source), str(out)], out, after))
    print(f"Audio lost on SIGKILL mid-take ({args.kills} kills at random moments, file-backed microphone)")
    line(
        "naive writer (baseline): median / worst", f"{statistics.median(naive):6.2f} s / {max(naive):6.2f} s"
    )
    line("recorder: median / worst", f"{statistics.median(ours):6.2f} s / {max(ours):6.2f} s")
    # The measurement cannot resolve less than one 50 ms block, so the recorder's loss counts as that.
    resolution = 0.05
    ratio = statistics.median(naive) / max(statistics.median(ours), resolution)
    bound = ">=" if statistics.median(ours) < resolution else "  "
    line("ratio of medians (baseline / recorder)", f"{bound}{ratio:5.1f} x   goal: worst <= 0.5 s")


if __name__ == "__main__":
    main()
