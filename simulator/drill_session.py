"""The drill being run: its saved state, and the takes it has produced. No user interface here:
the drill screens drive it, and show what it says."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import soundfile as sf

from simulator.attempts import Attempt
from simulator.audio.recorder import Take
from simulator.drill import Drill, DrillStore, Turn
from simulator.fileio import describe_os_error
from simulator.practice import PracticeAttempt
from simulator.scenario_loader import Library
from simulator.store import Listing, Store, list_attempts, slugify


class DrillSession:
    """A drill, where it is saved, and the library and store its takes come from."""

    def __init__(self, drill: Drill, store: Store, library: Library) -> None:
        self.drill = drill
        self.store = store
        self.library = library
        self.drills = DrillStore(store.data_dir)
        self.problem = ""  # why the last save failed, if it did

    def save(self) -> bool:
        """Save the drill's state. On a full disk or read-only folder the drill goes on in memory
        (every step rewrites the whole state, so the next save that works catches up): False, with
        :attr:`problem` saying why."""
        try:
            self.drills.save(self.drill)
        except OSError as error:
            self.problem = describe_os_error(error, self.drills.folder / f"{self.drill.id}.toml")
            return False
        self.problem = ""
        return True

    def takes(self, listing: Listing) -> dict[str, Attempt]:
        """This drill's attempts among ``listing``'s, by id."""
        return {a.id: a for a in listing.attempts if a.drill_id == self.drill.id}

    def practice_for(self, turn: Turn) -> PracticeAttempt | None:
        """The turn's latest take, ready for more scores; None if it has none. Blocking: it reads
        the records (use a worker)."""
        listing = list_attempts([self.store])
        if turn.attempt_id not in self.takes(listing):
            return None
        scenario = self.library.get(turn.scenario_id)
        return PracticeAttempt.from_record(self.store, scenario, listing.paths[turn.attempt_id])

    def interrupted_take(self, turn: Turn) -> Path | None:
        """A take of this turn's left on disk without a record (the program was killed while it
        recorded): the latest since the drill began, or None. Never lost: it can be kept or set aside."""
        folder = self.store.recordings / slugify(turn.trainee)
        since = self.drill.created_at.timestamp()
        found = [
            wav for wav in folder.glob(f"*/*-{slugify(turn.scenario_id)}-*.wav")
            if not wav.name.endswith(SET_ASIDE) and not self.store.record_path(wav).exists()
            and _stat(wav, since)
        ]  # fmt: skip
        return max(found, key=lambda p: p.stat().st_mtime, default=None)

    def keep_interrupted(self, turn: Turn, wav: Path) -> PracticeAttempt:
        """Give the interrupted take a record (measured and heard as any take) and make it the
        turn's take. Blocking: use a worker. Raises OSError or AudioError if it cannot be read."""
        info = sf.info(str(wav))
        scenario = self.library.get(turn.scenario_id)
        practice = PracticeAttempt(self.store, scenario, turn.trainee, "", self.drill.id)
        practice.audio_path = wav
        ended = datetime.fromtimestamp(wav.stat().st_mtime).astimezone()
        practice.started_at = (ended - timedelta(seconds=info.duration)).replace(microsecond=0)
        problem = "the program stopped while this was recorded; the take was kept when the drill resumed"
        take = Take(wav, info.samplerate, info.frames, 0, False, info.duration, problem)
        practice.finish(take)
        self.drill.record(practice.id)
        self.save()
        return practice

    def set_aside(self, wav: Path) -> Path:
        """Keep an interrupted take the instructor chose not to use, out of the way (never deleted)."""
        aside = wav.with_name(wav.name.removesuffix(".wav") + SET_ASIDE)
        wav.rename(aside)
        return aside


SET_ASIDE = ".interrupted.wav"  # an interrupted take set aside: kept, never offered again


def _stat(wav: Path, since: float) -> bool:
    """Whether ``wav`` holds audio (more than a WAV header) and was written since ``since``."""
    try:
        status = wav.stat()
    except OSError:
        return False
    return status.st_size > 44 and status.st_mtime >= since
