"""Screens that show a take's words follow the recogniser: its last words can come after the results."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode

from simulator.practice import PracticeAttempt

CHECK_S = 0.1


def when_words_heard(node: DOMNode, practice: PracticeAttempt, heard: Callable[[], None]) -> None:
    """Call ``heard`` once the practice's last words are in, if they are not yet (checked every
    0.1 s by a timer that goes with ``node``)."""
    if not practice.hearing:
        return

    def check() -> None:
        if not practice.hearing:
            timer.stop()
            heard()

    timer = node.set_interval(CHECK_S, check)
