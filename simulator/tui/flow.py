"""Where each screen leads: the app's navigator.

Screens never push the screen after them. A screen that is done dismisses with its result
(``Screen[T]``), and the callback here decides what comes next; a screen that stays beneath the
next one (the start screen, the brief, the review) asks with a message, which the app hands here.
The circle brief → call → review → assess → results → brief lives in this one module.

Every push here is made from the app's own message loop (a message handler or a result callback
the app asked for), so the result callbacks run on the app, never on a screen that is gone.
"""

from __future__ import annotations

from textual.app import App

from simulator.attempts import ScoredAssessment
from simulator.campaigns import Campaign
from simulator.drill import Drill, DrillStore, paused_summary
from simulator.drill_session import DrillSession
from simulator.practice import PracticeAttempt
from simulator.scenarios import Scenario
from simulator.tui.context import AppContext
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.brief import BriefScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.campaign import CampaignScreen
from simulator.tui.screens.dialogs import ConfirmScreen
from simulator.tui.screens.drill import DrillSetupScreen, DrillTurnScreen
from simulator.tui.screens.drill.common import save_drill
from simulator.tui.screens.results import ResultsChoice, ResultsScreen
from simulator.tui.screens.review import ReviewChoice, ReviewScreen
from simulator.tui.startup import DrillResumeStart, DrillSetupStart, StartRequest

_NEW_DRILL = DrillSetupStart()


class Flow:
    """The app's navigation, from the start request to each screen's result."""

    def __init__(self, app: App[None], context: AppContext) -> None:
        self.app = app  # pushes the screens
        self.context = context  # the same app, as what the flow asks of it

    def open(self, start: StartRequest) -> None:
        """What the app opens on, over the start screen (which the app has pushed)."""
        if isinstance(start, DrillSetupStart):
            self.drill_setup(start)
        elif isinstance(start, DrillResumeStart):
            self.run_drill(start.drill, resumed=True)

    # -- practice ---------------------------------------------------------------------------------
    def brief(self, scenario: Scenario, notes: str = "") -> None:
        self.app.push_screen(BriefScreen(scenario, notes))

    def dial(self, scenario: Scenario, notes: str) -> None:
        """The call, over the brief (back to it if the trainee hangs up)."""
        self.app.push_screen(CallScreen(scenario, notes), self.call_ended)

    def call_ended(self, practice: PracticeAttempt | None) -> None:
        if practice is not None:
            self.app.push_screen(ReviewScreen(practice), lambda choice: self.reviewed(practice, choice))

    def reviewed(self, practice: PracticeAttempt, choice: ReviewChoice | None) -> None:
        if choice is ReviewChoice.RERECORD:
            self.dial(practice.scenario, practice.prep_notes)

    def assess(self, practice: PracticeAttempt) -> None:
        """The self-assessment, over the review; then the results."""
        self.app.push_screen(AssessScreen(practice), lambda scored: self.assessed(practice, scored))

    def assessed(self, practice: PracticeAttempt, scored: ScoredAssessment | None) -> None:
        if scored is not None:
            self.app.push_screen(ResultsScreen(practice), lambda choice: self.chosen(practice, choice))

    def chosen(self, practice: PracticeAttempt, choice: ResultsChoice | None) -> None:
        if practice.scenario.campaign is not None and choice is not None:
            self.back_to_campaign()  # the timeline, read again: the step just left shows as done
            if choice is ResultsChoice.RETRY:
                self.brief(practice.scenario, practice.prep_notes)
            return
        if choice is ResultsChoice.RETRY:
            self.context.action_go_start()
            self.brief(practice.scenario, practice.prep_notes)
        elif choice is ResultsChoice.NEXT:
            self.context.action_go_start()
            self.brief(self.context.scenario_after(practice.scenario))

    # -- campaigns --------------------------------------------------------------------------------
    def campaign(self, campaign: Campaign) -> None:
        """A campaign's timeline, over the start screen; it stays beneath the steps it plays."""
        self.app.push_screen(CampaignScreen(campaign))

    def back_to_campaign(self) -> None:
        while len(self.app.screen_stack) > 2 and not isinstance(self.app.screen, CampaignScreen):
            self.app.pop_screen()

    # -- the drill --------------------------------------------------------------------------------
    def drill_setup(self, start: DrillSetupStart = _NEW_DRILL) -> None:
        """A new drill's set-up; from the start screen (``d``), a paused drill is offered first
        (walked: it could only be resumed from a shell, with ``drill --resume``). The drills are
        read in a worker: the data folder may be a slow network share."""
        if start is not _NEW_DRILL:
            self.new_drill(start)
            return
        self.app.run_worker(self._find_paused_drill, thread=True, exclusive=True, group="paused-drill")

    def _find_paused_drill(self) -> None:
        try:
            paused = DrillStore(self.context.services.store.data_dir).latest_unfinished()
        except OSError:  # the folder went while it was read: there is nothing to resume
            paused = None
        self.app.call_from_thread(self._offer_paused_drill, paused)

    def _offer_paused_drill(self, paused: Drill | None) -> None:
        if paused is None:
            self.new_drill(_NEW_DRILL)
            return
        question = f"{paused_summary(paused)}\nResume it, or set up a new drill?"
        self.app.push_screen(
            ConfirmScreen(question, yes="Resume it", no="New drill"),
            lambda resume: self.run_drill(paused, resumed=True) if resume else self.new_drill(_NEW_DRILL),
        )

    def new_drill(self, start: DrillSetupStart) -> None:
        screen = DrillSetupScreen(
            list(start.roster), list(start.scenario_ids), start.rounds, start.shuffle, start.prep_s
        )
        self.app.push_screen(screen, self.drill_planned)

    def drill_planned(self, drill: Drill | None) -> None:
        if drill is not None:
            self.run_drill(drill)

    def run_drill(self, drill: Drill, resumed: bool = False) -> None:
        """The presenter view of the drill's turns; a new drill is saved first."""
        services = self.context.services
        session = DrillSession(drill, services.store, services.library, services.campaigns)
        if not resumed:
            save_drill(self.app, session)
        self.app.push_screen(DrillTurnScreen(session, resumed=resumed))
