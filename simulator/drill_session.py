"""The drill being run: its saved state, and the takes it has produced. No user interface here:
the drill screens drive it, and show what it says."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import soundfile as sf

from simulator.attempts import Attempt
from simulator.audio.recorder import Take
from simulator.campaign_loader import Campaigns, with_steps
from simulator.campaign_progress import progress
from simulator.campaigns import step_of
from simulator.drill import Drill, DrillStore, Turn
from simulator.fileio import describe_os_error
from simulator.practice import PracticeAttempt
from simulator.scenario_loader import Library
from simulator.scenarios import Scenario
from simulator.store import Listing, Store, list_attempts, slugify


class DrillSession:
    """A drill, where it is saved, and the library and store its takes come from."""

    def __init__(
        self, drill: Drill, store: Store, library: Library, campaigns: Campaigns | None = None
    ) -> None:
        self.drill = drill
        self.store = store
        self.campaigns = campaigns or Campaigns()
        self.library = with_steps(library, self.campaigns)  # a campaign step's rubric, by its id
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

    def scenario_for(self, turn: Turn, listing: Listing | None = None) -> Scenario:
        """The turn's scenario; a campaign's step (``"friday-monday.2"``) as this trainee leaves it,
        its checks comparing with their own earlier steps. Blocking for a step (it reads the records)."""
        place = step_of(turn.scenario_id)
        campaign = self.campaigns.campaigns.get(place[0]) if place else None
        if place is None or campaign is None:
            return self.library.get(turn.scenario_id)
        attempts = (listing or list_attempts([self.store])).attempts
        return campaign.step_scenario(place[1], progress(campaign, attempts, turn.trainee).earlier(place[1]))

    def earlier_take(self, turn: Turn, listing: Listing | None = None) -> Path | None:
        """The audio of the trainee's own message at the step before a campaign step's turn, if any:
        what they hear before they leave the next one."""
        place = step_of(turn.scenario_id)
        campaign = self.campaigns.campaigns.get(place[0]) if place else None
        if place is None or campaign is None or place[1] < 2:
            return None
        listing = listing or list_attempts([self.store])
        before = progress(campaign, listing.attempts, turn.trainee).steps[place[1] - 2].counted
        if before is None or before.id not in listing.paths:
            return None
        return listing.paths[before.id].with_name(before.audio_file)

    def takes(self, listing: Listing) -> dict[str, Attempt]:
        """This drill's attempts among ``listing``'s, by id."""
        return {a.id: a for a in listing.attempts if a.drill_id == self.drill.id}

    def practice_for(self, turn: Turn) -> PracticeAttempt | None:
        """The turn's latest take, ready for more scores; None if it has none. Blocking: it reads
        the records (use a worker)."""
        listing = list_attempts([self.store])
        if turn.attempt_id not in self.takes(listing):
            return None
        scenario = self.scenario_for(turn, listing)
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
        scenario = self.scenario_for(turn)
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
