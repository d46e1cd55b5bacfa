"""Typed access to the app from any screen or widget: one cast, in one place.

Screens see the app through :class:`AppContext`, what they may ask of it, rather than through the
app's own class: the app imports the screens, so the screens must not import the app, not even for
a type checker.
"""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from simulator.audio.base import AudioBackend
from simulator.practice import PracticeAttempt
from simulator.scenarios import Scenario
from simulator.tui.services import Services


class AppContext(Protocol):
    """What the screens and the navigator ask of the app (``VoicemailApp`` provides it)."""

    services: Services
    trainee: str

    def audio(self) -> AudioBackend:
        """The sound devices, or silence without audio; raises AudioError."""

    def practise_without_audio(self) -> None: ...

    def remember_trainee(self, name: str) -> None: ...

    def read_attempts(self, reader: DOMNode) -> None:
        """The records, sent to ``reader`` as AttemptsLoaded from a worker."""

    def hear_last_words(self, practice: PracticeAttempt) -> None: ...

    def action_go_start(self) -> None: ...

    def action_go_campaign(self) -> None:
        """Back to the campaign timeline the screens above it were opened from."""

    def scenario_after(self, scenario: Scenario) -> Scenario: ...


def voicemail_app(node: DOMNode) -> AppContext:
    """The app ``node`` runs in, as what the screens may ask of it."""
    return cast("AppContext", node.app)
