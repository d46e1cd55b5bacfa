"""Typed access to the app from any screen or widget: one cast, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:  # the app imports the screens; the screens only need its type
    from simulator.tui.app import VoicemailApp


def voicemail_app(node: DOMNode) -> VoicemailApp:
    """The app ``node`` runs in, with its services, as its own type."""
    return cast("VoicemailApp", node.app)
