"""The prospect's phone: its notification of the trainee's message (issue #18).

The card hears the take over the phone line in a worker, once the words of the take are in (it
never delays the review), keeps the result on the attempt so the next screen shows it at once,
and switches between the first words and the whole message.
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual import work
from textual.widgets import Static

from simulator.analysis.take import PhonePreview
from simulator.audio.base import AudioError, Clip
from simulator.practice import PracticeAttempt
from simulator.tui.context import voicemail_app
from simulator.tui.messages import PreviewHeard


def preview_card(preview: PhonePreview, whole: bool = False) -> str:
    """A phone's voicemail notification: who it is from, how long, and its first words (or the
    whole message as the phone's recogniser heard it over the line)."""
    words = preview.whole if whole else preview.first_words
    heard = f"\u201c{words}\u201d" if words else "(no words heard over the line)"
    minutes, seconds = divmod(round(preview.length_s), 60)
    return f"Voicemail from {preview.caller_id} · {minutes}:{seconds:02d}\n{heard}"


class PreviewCard(Static):
    """Shown only for a recorded take with speech."""

    def __init__(self, practice: PracticeAttempt, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)
        self.practice = practice
        self.whole = False  # the whole line transcript, not the first words

    def on_mount(self) -> None:
        # the phone's own transcript, not the coach's: it reads the line, and reads it worse
        self.border_title = f"{self.practice.scenario.prospect.name.split()[0]}'s phone: its own transcript"
        self.start()

    def start(self) -> None:
        """Hear the take over the line now, unless its words are still coming (then call again)."""
        measured = self.practice.measurements
        if self.practice.preview is not None:
            self.display = True
            self.show()
            return
        if not self.practice.recorded or measured is None or not measured.has_speech:
            self.display = False
            return
        self.display = True
        self.update("Hearing it as their phone does…")
        if not self.practice.hearing:
            self.hear()

    @work(thread=True, exclusive=True, group="preview")
    def hear(self) -> None:
        assert self.practice.audio_path is not None
        services = voicemail_app(self).services
        try:
            clip = Clip.load(self.practice.audio_path)
            preview = services.hear_as_prospect(
                clip, self.practice.scenario, self.practice.trainee, services.settings.phone_line
            )
        except (AudioError, RuntimeError) as error:  # no recogniser, or the take went away
            self.post_message(PreviewHeard(None, str(error)))
            return
        if self.practice.attempt is not None:  # as long as the campaign inbox says it is (walked:
            # 0:20 here, 0:18 there): to the last word, since a caller hangs up after it, not
            # when the trainee's hand reaches the stop key
            preview = dataclasses.replace(preview, length_s=self.practice.attempt.message_s)
        self.post_message(PreviewHeard(preview))

    def on_preview_heard(self, message: PreviewHeard) -> None:
        if message.preview is None:
            self.update(Text(f"Their phone's preview could not be made: {message.problem}"))
            return
        self.practice.preview = message.preview
        self.show()

    def show(self) -> None:
        if self.practice.preview is not None:
            self.update(preview_card(self.practice.preview, self.whole))
            self.border_subtitle = "v: first words" if self.whole else "v: the whole message"

    def toggle_whole(self) -> None:
        self.whole = not self.whole
        self.show()
