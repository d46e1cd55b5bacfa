"""The HTML class report in a real headless browser (Debian's Chromium): it renders, it is
screenshotted, and the DOM it builds shows every trainee's scores (issue #17).

Skipped where Chromium is not installed, except in CI (CI=true), where ./dev installs it.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from simulator.attempts import RaterKind
from simulator.campaign_loader import load_campaigns
from simulator.cli import main
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.store import Store

from .app_support import campaign_practices
from .test_export_report import save, scored

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
if BROWSER is None and os.environ.get("CI") != "true":
    pytest.skip("Chromium is not installed (./dev test installs it)", allow_module_level=True)
HEADLESS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None, "CI needs Chromium (Debian's chromium package)"
    command = [BROWSER, *HEADLESS, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    room = tmp_path_factory.mktemp("class") / "room"
    store = Store(room)
    high, low = [2, 2, 1, 1, 1, 2, 1, 2, 1], [1, 0, 1, 0, 0, 1, 0, 1, 1]
    save(store, 1, "Sam Patel", 0, scored(RaterKind.SELF, high, 100.0),
         scored(RaterKind.INSTRUCTOR, low, 50.0, "Ms Hall"))  # fmt: skip
    save(store, 2, "Sam Patel", 1, scored(RaterKind.SELF, low, 60.0))
    save(store, 3, "Priya", 2, scored(RaterKind.SELF, high, 90.0))  # one attempt only
    out = room.parent / "report.html"
    assert main(["report", str(room), "--html", str(out)]) == 0
    return out


def test_the_browser_draws_every_trainees_scores(page: Path) -> None:
    dom = _chromium("--dump-dom", page.as_uri()).stdout
    assert "<h1>Voicemail Simulator: class report</h1>" in dom
    assert dom.count('class="self"') == 3  # Sam twice and Priya once: a one-attempt trainee is a dot
    assert dom.count('class="instructor"') == 1  # the instructor's score is drawn too
    assert '<text class="tick"' in dom and ">2</text>" in dom  # the attempts axis has its ticks
    assert 'id="self-against-instructor"' in dom and "Self against instructor, by criterion" in dom
    assert "the instructor's ratings" in dom  # what the class misses says whose ratings it counts
    assert 'width="100%"' in dom  # the charts take the page's width


def test_the_report_renders_to_a_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    _chromium("--window-size=1280,1800", f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the PNG's IHDR
    assert (width, height) == (1280, 1800)
    assert len(data) > 20_000  # a drawn page, not a blank one


def test_the_campaign_section_renders(tmp_path: Path, spoken_take: Path) -> None:
    store = Store(tmp_path / "room")
    library = load_library([shipped_scenarios_dir()])
    campaign = load_campaigns([shipped_scenarios_dir()], library.scenarios).get("friday-monday")
    campaign_practices(store, spoken_take, campaign)
    out = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "room"), "--html", str(out)]) == 0
    dom = _chromium("--dump-dom", out.as_uri()).stdout
    assert '<h2 id="campaigns">Campaigns</h2>' in dom
    row = dom[dom.index('<h2 id="campaigns">') :]
    assert "Alex Grant" in row and "friday-monday" in row and "2 of 3" in row and "1: 60  2: 65" in row
