"""The drill being run: its saved state, and the takes it has produced. No user interface here:
the drill screens drive it, and show what it says."""

from __future__ import annotations

from simulator.attempts import Attempt
from simulator.drill import Drill, DrillStore, Turn
from simulator.fileio import describe_os_error
from simulator.practice import PracticeAttempt
from simulator.scenario_loader import Library
from simulator.store import Listing, Store, list_attempts


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
