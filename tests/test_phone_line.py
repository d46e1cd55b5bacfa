"""The telephone line (issue #18): its band, its rate, its mu-law code, and the greeting over it."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from simulator.audio.base import Clip
from simulator.scenario_loader import ScenarioError, load_scenario, parse_scenario, scenario_to_dict
from simulator.scenarios import PhoneLine
from simulator.voice.cache import GreetingCache
from simulator.voice.line import (
    LINE_RATE,
    as_heard,
    band_limited,
    mulaw_decode,
    mulaw_encode,
    over_the_line,
)
from simulator.voice.synth import PlaceholderSynthesizer, SpeechJob

from .test_voice import ANNE


def level_db(samples: np.ndarray, rate: int, low_hz: float, high_hz: float) -> float:
    """The energy of ``samples`` between two frequencies, in dB."""
    spectrum = np.abs(np.fft.rfft(samples)) ** 2 / len(samples) ** 2  # the same for any rate and length
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(10 * np.log10(spectrum[(freqs >= low_hz) & (freqs < high_hz)].sum() + 1e-20))


def share_db(samples: np.ndarray, rate: int, low_hz: float, high_hz: float) -> float:
    """The share of the energy of ``samples`` between two frequencies, in dB."""
    return level_db(samples, rate, low_hz, high_hz) - level_db(samples, rate, 0, rate)


def sweep(rate: int, seconds: float = 4.0, low: float = 20.0, high: float = 10000.0) -> np.ndarray:
    """A logarithmic sine sweep from ``low`` to ``high`` Hz at -6 dBFS."""
    t = np.arange(int(seconds * rate)) / rate
    k = np.log(high / low)
    return (0.5 * np.sin(2 * np.pi * low * seconds / k * (np.exp(t / seconds * k) - 1))).astype(np.float32)


@pytest.mark.parametrize("line", [PhoneLine.LANDLINE, PhoneLine.MOBILE])
def test_the_line_is_8_khz_and_passes_only_the_telephone_band(line: PhoneLine) -> None:
    rate = 22050
    original = Clip(sweep(rate), rate)
    narrow = over_the_line(original, line)
    assert narrow.samplerate == LINE_RATE == 8000
    assert abs(narrow.duration_s - original.duration_s) < 0.01

    # Each band's energy against what the full-band sweep has there.
    def loss(low: float, high: float) -> float:
        return level_db(original.samples, rate, low, high) - level_db(narrow.samples, LINE_RATE, low, high)

    top = 3400 if line is PhoneLine.LANDLINE else 3000
    assert abs(loss(400, top - 100)) < 1.0  # the voice band passes
    assert loss(20, 150) > 30  # mains hum and rumble do not
    assert loss(top + 350, 4000) > 30  # nor the top of the band
    heard = as_heard(original, line)
    assert heard.samplerate == rate and len(heard.samples) == len(original.samples)
    assert level_db(heard.samples, rate, 4000, 11025) < level_db(original.samples, rate, 4000, 11025) - 50


def test_a_band_limit_keeps_the_band_and_the_phase() -> None:
    rate = 8000
    t = np.arange(rate) / rate
    tone = np.sin(2 * np.pi * 1000 * t).astype(np.float32)
    assert np.max(np.abs(band_limited(tone, rate, 300, 3400) - tone)) < 1e-3  # zero phase, unit gain
    assert len(band_limited(np.zeros(0, np.float32), rate, 300, 3400)) == 0


def test_mulaw_round_trip_is_within_its_quantisation_error() -> None:
    x = np.linspace(-1, 1, 65537).astype(np.float32)
    codes = mulaw_encode(x)
    assert codes.dtype == np.uint8
    back = mulaw_decode(codes)
    # G.711's steps double per segment: 8/32768 near zero, 1024/32768 at the top; the error is at most
    # one step (the code truncates within its step), and the sign is never lost.
    step = 2.0 ** (np.clip(np.floor(np.log2(np.abs(x) * 32768 + 132)) - 7, 0, 7) + 3) / 32768
    assert np.all(np.abs(back - x) <= step + 1e-6)
    assert np.all(np.sign(back[np.abs(x) > 0.001]) == np.sign(x[np.abs(x) > 0.001]))
    assert np.all(np.diff(back) >= 0)  # monotonic
    assert mulaw_encode(np.array([0.0]))[0] == 0xFF and mulaw_encode(np.array([1.0]))[0] == 0x80


def test_mulaw_decodes_as_the_reference_codec_does() -> None:
    """Python 3.11's audioop (the reference G.711 code, gone in 3.13) decodes every code alike."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        audioop = pytest.importorskip("audioop")
    codes = np.arange(256, dtype=np.uint8)
    reference = np.frombuffer(audioop.ulaw2lin(codes.tobytes(), 2), dtype="<i2") / 32768.0
    assert np.array_equal(mulaw_decode(codes), reference.astype(np.float32))


class NoiseSynthesizer(PlaceholderSynthesizer):
    """Renders white noise: energy at every frequency, to see what the line leaves."""

    engine_id = "noise-1"

    def render(self, jobs: list[SpeechJob]) -> None:
        rng = np.random.default_rng(1)
        for job in jobs:
            Clip((0.3 * rng.uniform(-1, 1, 22050 * 2)).astype(np.float32), 22050).save(job.out)


def test_the_greeting_is_cached_over_its_line(tmp_path: Path) -> None:
    cache = GreetingCache(tmp_path, NoiseSynthesizer())
    plain = cache.path_for(ANNE)
    landline = cache.path_for(ANNE.on_line(PhoneLine.LANDLINE))
    assert plain != landline and cache.cached_path(ANNE.on_line(PhoneLine.NONE)) == plain
    assert cache.warm([ANNE.on_line(PhoneLine.LANDLINE)]) == 0  # rendered once
    clip = Clip.load(landline)
    assert clip.samplerate == Clip.load(plain).samplerate  # played like any greeting
    assert share_db(clip.samples, clip.samplerate, 4000, clip.samplerate / 2) < -50


def test_a_scenarios_own_line_wins_over_the_setting() -> None:
    assert ANNE.on_line(PhoneLine.MOBILE).line is PhoneLine.MOBILE
    assert ANNE.on_line(PhoneLine.MOBILE).on_line(PhoneLine.LANDLINE).line is PhoneLine.MOBILE


def test_a_scenario_names_its_line_and_a_wrong_one_is_a_file_line_error(shipped_dir: Path) -> None:
    cold = load_scenario(shipped_dir / "cold-call.toml")
    assert cold.prospect.line is PhoneLine.LANDLINE
    text = (shipped_dir / "cold-call.toml").read_text(encoding="utf-8")
    assert parse_scenario(text, "x.toml") == cold
    line_no = text.splitlines().index('line = "landline"  # an office phone at a law firm') + 1
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text.replace('line = "landline"', 'line = "fax"'), "bad.toml")
    shown = str(error.value.problems[0])
    assert f"bad.toml:{line_no}" in shown and "prospect.line" in shown and "landline" in shown
    assert scenario_to_dict(cold)["prospect"]["line"] == "landline"


def test_greet_renders_the_call_over_a_line(tmp_path: Path) -> None:
    out = tmp_path / "call.wav"
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "greet", "acme-inventory", "--line=landline", f"--out={out}"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    clip = Clip.load(out)
    assert share_db(clip.samples, clip.samplerate, 4000, clip.samplerate / 2) < -50
    missing = subprocess.run(
        [sys.executable, "-m", "simulator", "greet", "acme-inventory", f"--out={tmp_path / 'no' / 'c.wav'}"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 1 and "Traceback" not in missing.stderr and "no" in missing.stderr
