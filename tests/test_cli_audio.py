"""The audio commands as a person runs them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.cli import main


def test_greet_writes_the_call(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "call.wav"
    assert main(["greet", "cold-call", "--out", str(out), "--rings", "1"]) == 0
    info = sf.info(str(out))
    assert 5.0 < info.duration < 8.0
    assert "beep at" in capsys.readouterr().out


def test_greet_plays_on_the_file_device(spoken_take: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["greet", "cold-call", "--rings", "0", "--device-file", str(spoken_take)]) == 0
    assert "This is Anne, please leave a message." in capsys.readouterr().out


def test_record_from_the_file_device(
    tmp_path: Path, spoken_take: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "take.wav"
    assert main(["record", str(out), "--seconds", "1.5", "--device-file", str(spoken_take)]) == 0
    assert sf.info(str(out)).duration == pytest.approx(1.5, abs=0.001)
    assert "0 input overflows" in capsys.readouterr().out


def test_no_microphone_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # with no sound server and no sound card, PortAudio finds no input device
    code = main(["record", str(tmp_path / "take.wav"), "--seconds", "1", "--input", "no-such-microphone"])
    assert code == 1
    err = capsys.readouterr().err
    assert "voicemail-sim:" in err and "Traceback" not in err
    assert "microphone" in err.lower()


def test_doctor_passes_with_the_file_device(
    tmp_path: Path, spoken_take: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", "--device-file", str(spoken_take), "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "Everything works." in out


def test_doctor_says_what_to_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--input", "no-such-microphone", "--data", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  microphone" in out and "Fix the FAIL lines" in out


def test_voices_lists_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["voices"]) == 0
    assert "gmw/en-us" in capsys.readouterr().out


def test_devices_lists_the_file_device(spoken_take: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "--device-file", str(spoken_take)]) == 0
    assert "file input" in capsys.readouterr().out


def test_devices_remember_the_choice(spoken_take: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.config import load_settings

    args = [
        "devices",
        "--device-file",
        str(spoken_take),
        "--input",
        "USB headset",
        "--output",
        "2",
        "--remember",
    ]
    assert main(args) == 0
    settings = load_settings()
    assert (settings.input_device, settings.output_device) == ("USB headset", "2")
    assert "Remembered: microphone USB headset" in capsys.readouterr().out


@pytest.mark.realaudio
def test_remembering_an_unknown_device_is_refused(sound_server, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from simulator.config import load_settings

    assert main(["devices", "--input", "no-such-microphone", "--remember"]) == 1
    assert "No microphone matches 'no-such-microphone'" in capsys.readouterr().err
    assert load_settings().input_device == ""


def test_doctor_checks_the_recogniser_and_a_silent_microphone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A microphone that sends only silence is not "ok … peak 0.000" (issue #17); the recogniser is
    checked by hearing a synthesised phrase; the way on names --no-audio."""
    silent = tmp_path / "silent.wav"
    sf.write(str(silent), np.zeros(48000, dtype=np.float32), 16000)
    assert main(["doctor", "--device-file", str(silent), "--data", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  microphone (1 s test recording): it sent only silence" in out and "--no-audio" in out
    assert "ok    speech recognition (hearing a test phrase)" in out


def test_no_sound_devices_is_an_error_with_a_way_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import simulator.cli.audio as cli_audio

    class NoDevices:
        name = "sounddevice"

        def devices(self) -> list[object]:
            return []

    monkeypatch.setattr(cli_audio, "open_devices", lambda *args, **kwargs: NoDevices())
    assert main(["devices"]) == 1
    captured = capsys.readouterr()
    assert "No sound devices found" in captured.err and "--no-audio" in captured.err
    assert "< marks the defaults" not in captured.out  # no legend for an empty list
