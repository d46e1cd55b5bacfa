"""Playing a saved take from a screen: the one way a screen starts a clip it loads from disk."""

from __future__ import annotations

from pathlib import Path

from textual.dom import DOMNode

from simulator.audio.base import AudioError, Clip
from simulator.audio.player import Player
from simulator.tui.context import voicemail_app


def play(node: DOMNode, audio: Path | Clip, playing: Player | None = None) -> Player | None:
    """Stop ``playing``, then play ``audio`` (a file, or a clip already loaded) on the app's
    speakers; None, with the reason notified, when it cannot be read or played."""
    if playing is not None:
        playing.stop()
    try:
        clip = audio if isinstance(audio, Clip) else Clip.load(audio)
        player = Player(voicemail_app(node).audio(), clip)
    except AudioError as error:
        node.app.notify(str(error), severity="warning")
        return None
    player.play()
    return player
