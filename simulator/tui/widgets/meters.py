"""The call's live displays: the timing bar with its target window, and the input level meter."""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from simulator.scenarios import Targets


class TimingZone(StrEnum):
    """Where a moment of the take falls against the target window."""

    UNDER = "under"
    WITHIN = "within"
    OVER = "over"


ZONE_COLOURS = {TimingZone.UNDER: "yellow", TimingZone.WITHIN: "green", TimingZone.OVER: "red"}


def timing_zone(targets: Targets, seconds: float) -> TimingZone:
    if seconds < targets.min_seconds:
        return TimingZone.UNDER
    if seconds <= targets.max_seconds:
        return TimingZone.WITHIN
    return TimingZone.OVER


class TimingBar(Widget):
    """Elapsed time against the target window (shaded) up to the voicemail's hard maximum."""

    DEFAULT_CSS = "TimingBar { height: 2; }"
    elapsed: reactive[float] = reactive(0.0)

    def __init__(self, targets: Targets, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.targets = targets

    def render(self) -> Text:
        width = max(10, self.size.width)
        scale = width / self.targets.hard_max_seconds
        low = int(self.targets.min_seconds * scale)
        high = int(self.targets.max_seconds * scale)
        filled = min(width, int(self.elapsed * scale))
        zone = timing_zone(self.targets, self.elapsed)
        colour = ZONE_COLOURS[zone]
        bar = Text()
        for column in range(width):
            in_window = low <= column < high
            if column < filled:
                bar.append("█", style=colour)
            else:
                bar.append("▒" if in_window else "░", style="green" if in_window else "grey50")
        ruler = Text(" " * width)
        for seconds, column in ((self.targets.min_seconds, low), (self.targets.max_seconds, high)):
            label = f"{seconds:g}s"
            start = min(max(0, column - len(label) // 2), width - len(label))
            ruler = ruler[:start] + Text(label, style="green") + ruler[start + len(label) :]
        end = f"{self.targets.hard_max_seconds:g}s max"
        ruler = ruler[: width - len(end)] + Text(end, style="grey50")
        return Text("\n").join([bar, ruler])


# A meter rises at once and falls back slowly, and its peak mark holds a moment (the ballistics of
# a broadcast peak meter, IEC 60268-10: about 20 dB in 1.7 s): a 50 ms block of silence between
# two words must not flash "-∞ dB" mid-sentence.
FALL_DB_PER_S = 12.0
PEAK_HOLD_S = 1.5


class LevelMeter(Widget):
    """Input level in dBFS, -60 to 0, with the peak marked."""

    DEFAULT_CSS = "LevelMeter { height: 1; }"
    rms_dbfs: reactive[float] = reactive(-120.0)
    peak_dbfs: reactive[float] = reactive(-120.0)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.shown_at_s = 0.0
        self.peak_at_s = 0.0

    def follow(self, rms_dbfs: float, peak_dbfs: float, at_s: float) -> None:
        """Show the latest block's level, measured ``at_s`` into the take: rising at once,
        falling at :data:`FALL_DB_PER_S`, the peak held :data:`PEAK_HOLD_S` first."""
        fallen = FALL_DB_PER_S * max(0.0, at_s - self.shown_at_s)
        self.shown_at_s = at_s
        self.rms_dbfs = max(rms_dbfs, self.rms_dbfs - fallen)
        if peak_dbfs >= self.peak_dbfs:
            self.peak_dbfs, self.peak_at_s = peak_dbfs, at_s
        elif at_s - self.peak_at_s > PEAK_HOLD_S:
            self.peak_dbfs = max(peak_dbfs, self.peak_dbfs - fallen)

    def render(self) -> Text:
        label = f" {self.rms_dbfs:5.0f} dB" if self.rms_dbfs > -100 else "   -∞ dB"
        width = max(10, self.size.width - len(label) - 6)
        filled = int(max(0.0, min(1.0, (self.rms_dbfs + 60) / 60)) * width)
        peak = int(max(0.0, min(1.0, (self.peak_dbfs + 60) / 60)) * width)
        bar = Text("Mic ", style="bold")
        for column in range(width):
            colour = "green" if column < width * 0.7 else "yellow" if column < width * 0.9 else "red"
            if column < filled:
                bar.append("█", style=colour)
            elif column == peak and peak > 0:
                bar.append("▏", style=colour)
            else:
                bar.append("·", style="grey35")
        bar.append(label)
        return bar


class WindowRuler(Widget):
    """A line under the loudness strip marking where the target window falls in the take."""

    DEFAULT_CSS = "WindowRuler { height: 1; }"

    def __init__(
        self, targets: Targets, duration_s: float, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.targets = targets
        self.duration_s = max(duration_s, 0.1)

    def render(self) -> Text:
        return self.line(max(10, self.size.width))

    def line(self, width: int) -> Text:
        """The ruler, ``width`` cells long."""
        if self.duration_s < self.targets.min_seconds:  # the window starts after the take ended
            starts = f"{self.targets.min_seconds:g} s"
            note = f" ▶ the window starts at {starts}: the take ended at {self.duration_s:.1f} s"[: width - 4]
            text = Text("─" * (width - len(note)), style="grey50")
            text.append(note, style="yellow")
            return text
        scale = width / self.duration_s
        low = min(width, int(self.targets.min_seconds * scale))
        high = min(width, int(self.targets.max_seconds * scale))
        text = Text("─" * low, style="grey50")
        text.append("━" * (high - low), style="green")
        text.append("─" * (width - high), style="red" if high < width else "grey50")
        return text
