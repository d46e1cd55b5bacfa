"""Messages between the app, its workers and its screens.

Workers report with messages (never a timer polling a flag). A screen that stays beneath the next
one asks the app for it with a message; a screen that is done dismisses with its result. Either way
the app decides where to go next (:mod:`simulator.tui.flow`).
"""

from __future__ import annotations

from textual.message import Message

from simulator.analysis.take import PhonePreview
from simulator.campaigns import Campaign
from simulator.practice import PracticeAttempt
from simulator.scenarios import Scenario
from simulator.store import Listing


class WordsHeard(Message, bubble=False):
    """The recogniser's last words for ``practice`` are in (or hearing them failed): screens
    showing its words, hints or transcript show them now. Sent to every screen on the stack."""

    def __init__(self, practice: PracticeAttempt) -> None:
        super().__init__()
        self.practice = practice


class PreviewHeard(Message, bubble=False):
    """The take, heard over the phone line as the prospect's phone would (a worker's result), or
    ``problem`` saying why it could not be."""

    def __init__(self, preview: PhonePreview | None, problem: str = "") -> None:
        super().__init__()
        self.preview = preview
        self.problem = problem


class AttemptsLoaded(Message, bubble=False):
    """The records, read in a worker (parsing them is too slow for the UI thread)."""

    def __init__(self, listing: Listing) -> None:
        super().__init__()
        self.listing = listing


class BriefWanted(Message):
    """The start screen asks for a scenario's brief."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario


class CampaignWanted(Message):
    """The start screen asks for a campaign's timeline."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign


class DialWanted(Message):
    """The brief asks for the call, with the trainee's notes (the brief stays beneath it)."""

    def __init__(self, scenario: Scenario, notes: str) -> None:
        super().__init__()
        self.scenario = scenario
        self.notes = notes


class AssessWanted(Message):
    """The review asks for the self-assessment (the review, its player paused, stays beneath)."""

    def __init__(self, practice: PracticeAttempt) -> None:
        super().__init__()
        self.practice = practice
