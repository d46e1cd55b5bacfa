"""What the app's screens share: the scenario library, the store, the greetings and the devices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from simulator.analysis.take import PhonePreview, hear_as_prospect
from simulator.audio.base import AudioBackend, Clip
from simulator.campaign_loader import Campaigns, with_steps
from simulator.config import Settings
from simulator.scenario_loader import Library
from simulator.scenarios import PhoneLine, Scenario
from simulator.store import Store
from simulator.voice.cache import GreetingCache


@dataclass
class Services:
    """Everything the screens use; tests build one with a file-backed device."""

    library: Library
    store: Store
    greetings: GreetingCache
    open_audio: Callable[[], AudioBackend]  # raises AudioError when no device can be used
    settings: Settings = field(default_factory=Settings)
    save_settings: Callable[[Settings], None] = lambda settings: None
    startup_notes: list[str] = field(default_factory=list)
    # the take heard over the phone line by the recogniser (blocking: a worker calls it)
    hear_as_prospect: Callable[[Clip, Scenario, str, PhoneLine], PhonePreview] = hear_as_prospect
    campaigns: Campaigns = field(default_factory=Campaigns)  # follow-up campaigns (issue #19)

    @cached_property
    def rubric_library(self) -> Library:
        """The scenarios with every campaign's steps among them, for what reads a take's rubric by
        id (history, reports): built once."""
        return with_steps(self.library, self.campaigns)
