"""What the drill screens share: the presenter's large text, and saving the drill with a warning."""

from __future__ import annotations

from rich.text import Text
from textual.dom import DOMNode

from simulator.drill_session import DrillSession


def big(text: str, style: str = "bold") -> Text:
    return Text(text, style=style)


def save_drill(node: DOMNode, session: DrillSession, notify: bool = True) -> bool:
    """Save the drill's state; if that fails the drill goes on, and (if ``notify``) the room is told."""
    if session.save():
        return True
    if notify:
        node.app.notify(
            f"The drill's progress is not saved: {session.problem} "
            "The drill goes on; its progress is saved again at the next step.",
            severity="error",
            timeout=15,
        )
    return False
