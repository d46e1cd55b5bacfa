"""Dial to first greeting sample: a cached greeting against synthesising it on demand.

Both are measured in this process, alternating, through the same audio device (the real one via a
private PulseAudio server where it can start). Prints medians of 20 dials and the ratio.
Goal: cached at most 20 ms, at least 10 times faster than on demand.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _common import line, median_ms, real_sound_server

from simulator.audio.base import AudioBackend
from simulator.audio.file_device import FileBackend
from simulator.dialing import dial
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.voice.cache import GreetingCache
from simulator.voice.synth import Pyttsx3Synthesizer


def time_dial(scenario, cache: GreetingCache, backend: AudioBackend) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    _, playback = dial(scenario, cache, backend, rings=0)  # no ringback: the first sample is the greeting's
    while playback.first_sample_at is None and not playback.is_finished():
        time.sleep(0.0005)
    elapsed = (playback.first_sample_at or time.monotonic()) - start
    playback.stop()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dials", type=int, default=20)
    args = parser.parse_args()
    scenario = load_library([shipped_scenarios_dir()]).get("cold-call")
    synthesizer = Pyttsx3Synthesizer()
    with real_sound_server() as server, tempfile.TemporaryDirectory() as tmp:
        if server is not None:
            from simulator.audio.sounddevice_backend import SoundDeviceBackend

            backend: AudioBackend = SoundDeviceBackend()
        else:
            backend = FileBackend()
        warm = GreetingCache(Path(tmp) / "warm", synthesizer)
        warm.warm([scenario.prospect])
        cached, on_demand = [], []
        for n in range(args.dials):
            cold_folder = Path(tmp) / f"cold-{n}"
            on_demand.append(time_dial(scenario, GreetingCache(cold_folder, synthesizer), backend))
            shutil.rmtree(cold_folder)
            cached.append(time_dial(scenario, warm, backend))
    print(f"Dial to first greeting sample ({backend.name} device, median of {args.dials} dials)")
    line("synthesised on demand (baseline)", f"{median_ms(on_demand):8.1f} ms")
    line("cached greeting", f"{median_ms(cached):8.1f} ms")
    ratio = median_ms(on_demand) / median_ms(cached)
    line("ratio (on demand / cached)", f"{ratio:8.1f} x   goal >= 10 x, cached <= 20 ms")


if __name__ == "__main__":
    main()
