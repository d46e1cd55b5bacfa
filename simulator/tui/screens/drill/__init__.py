"""Instructor-led drill screens: set-up, the presenter view of each turn, the take with its scores,
the reveal and the summary. The drill itself (:class:`simulator.drill_session.DrillSession`) is
UI-free; these screens drive it and show it."""

from simulator.tui.screens.drill.reveal import RevealScreen
from simulator.tui.screens.drill.setup import DrillSetupScreen
from simulator.tui.screens.drill.summary import DrillSummaryScreen
from simulator.tui.screens.drill.take import DrillTakeScreen, PeerPicker
from simulator.tui.screens.drill.turn import DrillTurnScreen

__all__ = [
    "DrillSetupScreen",
    "DrillSummaryScreen",
    "DrillTakeScreen",
    "DrillTurnScreen",
    "PeerPicker",
    "RevealScreen",
]
