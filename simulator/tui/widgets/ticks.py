"""A checkbox and a selection list whose boxes are empty when off.

Textual draws "▐X▌" for on and off alike, told apart by colour only: on a projector, or a
terminal without colour, a trainer could not see which scenarios a drill would use (walked).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

OFF = " "


class TickBox(Checkbox):
    """A checkbox whose box holds an X only when it is on."""

    def render(self) -> Content:
        self.BUTTON_INNER = Checkbox.BUTTON_INNER if self.value else OFF
        return super().render()


class TickList(SelectionList[str]):
    """A selection list whose boxes hold an X only for the options selected."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if len(segments) < 2 or segments[1].text != Checkbox.BUTTON_INNER or option.value in self.selected:
            return strip
        segments[1] = Segment(OFF, segments[1].style)
        return Strip(segments, strip.cell_length)
