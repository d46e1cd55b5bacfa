"""Dialling a scenario's prospect: the call audio from the cached greeting, and playing it."""

from __future__ import annotations

from simulator.audio.base import AudioBackend, Clip, Playback
from simulator.scenarios import PhoneLine, Scenario
from simulator.voice.cache import GreetingCache
from simulator.voice.call import CallAudio, compose_call


def prepare_call(
    scenario: Scenario, cache: GreetingCache, rings: int, line: PhoneLine = PhoneLine.NONE
) -> CallAudio:
    """Ringback, the prospect's greeting (rendered now if not cached) and the beep, over the
    scenario's own line, else ``line`` (the setting)."""
    prospect = scenario.prospect.on_line(line)
    greeting = Clip.load(cache.path_for(prospect))
    return compose_call(greeting, prospect.greeting, rings, prospect.voice.language, prospect.line or line)


def dial(
    scenario: Scenario,
    cache: GreetingCache,
    backend: AudioBackend,
    rings: int,
    line: PhoneLine = PhoneLine.NONE,
) -> tuple[CallAudio, Playback]:
    """Prepare the call and start playing it; returns at once, the playback runs on."""
    call = prepare_call(scenario, cache, rings, line)
    return call, backend.play(call.clip)
