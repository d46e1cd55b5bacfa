"""One practice attempt from dial to saved assessment, independent of any user interface.

The app (and the drill) drive it: start a take, finish it (measure, save the record at once so
nothing is lost if the program dies during assessment), then add assessments, each saved as it is
made.

The recogniser hears the take while it is recorded, but words said right up to the stop key take
one more pass of Whisper (about half a second on two cores). The results do not wait for them:
:meth:`PracticeAttempt.finish` saves what is ready, and :meth:`PracticeAttempt.hear_words` adds the
last words, their hints and the transcript to the record when they come.
"""

from __future__ import annotations

import dataclasses
import errno
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from simulator.analysis.hints import disagreements, machine_hints
from simulator.analysis.measure import measure
from simulator.analysis.record import Hint, Measurements, TakeAnalysis, Transcript
from simulator.analysis.room import RoomListener
from simulator.analysis.take import PhonePreview, analyze, assemble, listening_for, transcribe_take
from simulator.analysis.transcribe import Transcriber
from simulator.attempts import (
    Assessment,
    Attempt,
    Rater,
    RaterKind,
    ScoredAssessment,
    TimingVerdict,
    score_assessment,
)
from simulator.audio.base import AudioBackend, AudioError, Clip, TakeFileError
from simulator.audio.recorder import Recorder, Take
from simulator.fileio import STORAGE_ERRNOS
from simulator.names import normalise_name
from simulator.records import load_record
from simulator.scenarios import Scenario
from simulator.store import Store, lock_path_of, new_attempt_fields, new_attempt_id


class RecordNotSavedError(OSError):
    """The take's record could not be written (a full disk, an unwritable folder). The errno is
    the failed write's, so :func:`simulator.fileio.describe_os_error` says what to do; the message
    says where the take is, which is kept whenever it holds any audio."""


@dataclass(frozen=True)
class Feedback:
    """What the results screen shows after an assessment."""

    score: float
    strongest: list[str]  # criterion labels rated at the top of their scale, that nothing speaks against
    work_on: list[tuple[str, str]]  # (label, guidance) of the one or two costliest misses
    # what the evidence says against the rating, to lead with (a timing outside the target, criteria
    # rated at the top where the machine heard less): never congratulate a take the evidence contradicts
    check_first: list[str] = dataclasses.field(default_factory=list)
    silent: bool = False  # no speech was heard in the take: nothing in it can be a strength


class PracticeAttempt:
    """A trainee's take of a scenario: recording, measuring, saving and assessing it."""

    def __init__(
        self, store: Store, scenario: Scenario, trainee: str, prep_notes: str = "", drill_id: str = ""
    ):
        self.store = store
        self.scenario = scenario
        self.trainee = normalise_name(trainee)
        self.prep_notes = prep_notes
        self.drill_id = drill_id
        self.id = new_attempt_id()
        self.started_at: datetime | None = None
        self.audio_path: Path | None = None
        self.attempt: Attempt | None = None
        self.measurements: Measurements | None = None
        self.hints: dict[str, Hint] = {}
        self.analysis: TakeAnalysis | None = None
        self.transcriber: Transcriber | None = None
        self.room_listener = RoomListener()
        self.hearing = False  # the record was saved before the recogniser finished the last words
        # False when practising without audio: nothing is recorded, so nothing is measured or judged
        self.recorded = True
        self.preview: PhonePreview | None = None  # the take as the prospect's phone shows it (a worker's)
        self.drafts: dict[Rater, Assessment] = {}  # ratings a rater left part-way, not saved
        self._saving = threading.Lock()  # the words come in on one thread, assessments on another
        self._words_unsaved = False  # heard, but saving them failed: the next save writes them

    @classmethod
    def from_record(cls, store: Store, scenario: Scenario, record_path: Path) -> PracticeAttempt:
        """A saved attempt, ready for more assessments (a resumed drill)."""
        attempt = load_record(record_path)
        practice = cls(store, scenario, attempt.trainee, attempt.prep_notes, attempt.drill_id)
        practice.id = attempt.id
        practice.started_at = attempt.started_at
        practice.audio_path = record_path.with_name(attempt.audio_file)
        practice.attempt = attempt
        if attempt.analysis is not None:
            practice._keep(attempt.analysis)
            if not attempt.analysis.hints:  # an older record: work them out again
                practice.hints = machine_hints(scenario, attempt.analysis.measurements)
        return practice

    def start_recording(self, backend: AudioBackend) -> Recorder:
        """Open the microphone and start writing the take (at the beep)."""
        self.started_at = datetime.now().astimezone().replace(microsecond=0)
        try:
            self.audio_path = self.store.new_take_path(
                self.trainee, self.scenario.id, self.started_at, self.id
            )
        except OSError as error:
            if error.errno in STORAGE_ERRNOS:  # said as every edge says a full disk
                raise TakeFileError.from_os_error(error) from None
            raise TakeFileError(f"cannot create the take in {self.store.recordings}: {error}") from None
        self.transcriber = self._start_transcriber()
        recorder = Recorder(
            backend,
            self.audio_path,
            max_seconds=self.scenario.targets.hard_max_seconds,
            on_block=self._heard_block,
        )
        recorder.start()
        return recorder

    def _heard_block(self, block: np.ndarray, samplerate: int) -> None:
        """Each block as it is recorded: to the recogniser, and to the room listener."""
        if self.transcriber is not None:
            self.transcriber.feed(block, samplerate)
        self.room_listener.feed(block, samplerate)

    def _start_transcriber(self) -> Transcriber | None:
        """Recognition runs while the trainee speaks, so the words are ready when they stop."""
        if not self.recorded:
            return None
        try:
            return Transcriber(listening_for(self.scenario, self.trainee))
        except Exception:  # no recogniser: the take and its timing still count
            return None

    def _transcript(self) -> Transcript | None:
        if self.transcriber is None:
            return None
        try:
            return self.transcriber.finish()
        except RuntimeError:  # behind (a busy machine) or no recogniser: the take's file is whole
            pass
        if self.audio_path is None:
            return None
        # read the saved take once more, from the start, as `analyze` would (walked: with another
        # recogniser busy on the two cores the live reading missed its limit, and every word was lost)
        try:
            return transcribe_take(Clip.load(self.audio_path), self.scenario, self.trainee)
        except (RuntimeError, AudioError):  # no recogniser, or the take went away: timing still counts
            return None

    def _analyze(self, measurements: Measurements, transcript: Transcript | None) -> TakeAnalysis:
        return assemble(self.scenario, measurements, transcript, self.trainee)

    def finish(self, take: Take) -> Attempt:
        """Measure the take and save its record at once, with its words if the recogniser has them
        by then; if not, :attr:`hearing` is set and :meth:`hear_words` adds them. Blocking: use a
        worker."""
        assert self.started_at is not None and self.audio_path is not None
        if self.transcriber is not None:
            self.transcriber.end_of_audio()  # the decoder finishes its last words meanwhile
        clip = self._load_take(take)
        measurements = measure(clip)
        if not self.recorded:  # silence stood in for a microphone: its "measurements" mean nothing
            analysis = TakeAnalysis(measurements, None, {})
        elif self.transcriber is None:  # recognition did not start: try it on the whole take
            try:
                analysis = analyze(clip, self.scenario, caller=self.trainee, measurements=measurements)
            except RuntimeError:  # no recogniser: the take and its timing still count
                analysis = self._analyze(measurements, None)
        else:
            self.hearing = not self.transcriber.done()  # measuring gave it time; the review does not wait
            analysis = self._analyze(measurements, None if self.hearing else self._transcript())
        self._keep(analysis)
        self.attempt = Attempt(
            id=self.id,
            trainee=self.trainee,
            scenario_id=self.scenario.id,
            scenario_title=self.scenario.title,
            scenario_version=self.scenario.version,
            started_at=self.started_at,
            duration_s=round(take.duration_s, 3),
            audio_file=take.path.name,
            overflows=take.overflows,
            cut_off=take.cut_off,
            recording_error=take.error or "",
            prep_notes=self.prep_notes,
            drill_id=self.drill_id,
            analysis=analysis if self.recorded else None,  # nothing measured is saved as measured
            campaign_id=self.scenario.campaign.campaign_id if self.scenario.campaign else "",
            campaign_step=self.scenario.campaign.step if self.scenario.campaign else 0,
            **new_attempt_fields(),
        )
        try:
            self.store.save(self.attempt, self.audio_path)
        except OSError as error:  # the attempt stays in memory: an assessment saved later writes it
            reason = error.strerror or str(error)
            raise RecordNotSavedError(
                error.errno,
                f"{reason}; the record was not saved, the take is kept at {take.path}",
                str(self.store.record_path(self.audio_path)),
            ) from error
        return self.attempt

    def _load_take(self, take: Take) -> Clip:
        """The take's audio; an empty take file (nothing could be written to it) is removed."""
        try:
            empty = take.path.stat().st_size == 0
            if empty:
                take.path.unlink()
        except OSError as error:
            raise RecordNotSavedError(
                error.errno, f"the take cannot be read ({error})", str(take.path)
            ) from None
        if empty:
            self.abandon()
            reason = f": {take.error}" if take.error else ""
            raise RecordNotSavedError(
                errno.EIO, f"the take holds no audio and was removed{reason}", str(take.path)
            )
        try:
            return Clip.load(take.path)
        except AudioError as error:
            raise RecordNotSavedError(
                errno.EIO, f"the take cannot be read ({error})", str(take.path)
            ) from None

    def _keep(self, analysis: TakeAnalysis) -> None:
        self.analysis = analysis
        self.measurements = analysis.measurements
        self.hints = analysis.hints

    def hear_words(self) -> bool:
        """Wait for the last words (if the record was saved without them), then add them, their
        hints and the transcript to the saved record. Blocking: use a worker. True if words came.
        Raises OSError if the record cannot be written (a full disk): the words are kept and the
        next assessment saves them."""
        if not self.hearing or self.measurements is None:
            return False
        try:
            transcript = self._transcript()
            analysis = self._analyze(self.measurements, transcript)
            with self._saving:
                assert self.attempt is not None and self.audio_path is not None
                self._keep(analysis)
                self.attempt = dataclasses.replace(self.attempt, analysis=analysis)
                self._words_unsaved = True
                self.attempt = self.store.update(self.audio_path, self._merged)
                self._words_unsaved = False
        finally:
            self.hearing = False
        return transcript is not None

    def _merged(self, saved: Attempt | None, scored: ScoredAssessment | None = None) -> Attempt:
        """This session's changes applied to the record as it is on disk now: other sessions'
        assessments are kept; this rater's new assessment replaces only this rater's older one."""
        assert self.attempt is not None
        base = saved if saved is not None and saved.id == self.attempt.id else self.attempt
        if self._words_unsaved:
            base = dataclasses.replace(base, analysis=self.attempt.analysis)
        if scored is None:
            return base
        kept = [s for s in base.assessments if s.assessment.rater != scored.assessment.rater]
        return dataclasses.replace(base, assessments=(*kept, scored))

    def abandon(self) -> None:
        """Stop listening without analysing (the screen went away mid-take)."""
        if self.transcriber is not None:
            self.transcriber.close()

    def discard(self) -> None:
        """Forget an unfinished take (the trainee chose to throw it away)."""
        self.abandon()
        if self.audio_path is not None:
            record = self.store.record_path(self.audio_path)
            for path in (self.audio_path, record, lock_path_of(record)):
                path.unlink(missing_ok=True)

    def assess(self, assessment: Assessment) -> ScoredAssessment:
        """Score and save an assessment; a rater's newer assessment replaces their older one.

        The record is read again and merged under its lock, so another session's assessment of
        the same take (an instructor's, a peer's), saved meanwhile, is kept. Raises OSError if it
        cannot be written; nothing is changed then, and it can be tried again."""
        assert self.attempt is not None and self.audio_path is not None
        with self._saving:
            scored = score_assessment(self.scenario.rubric, self.scenario.targets, self.attempt, assessment)
            self.attempt = self.store.update(self.audio_path, lambda saved: self._merged(saved, scored))
            self._words_unsaved = False
        return scored

    def saved_by(self, rater: Rater) -> Assessment | None:
        """This rater's saved assessment of the take, if any (saving again replaces it)."""
        assessments = self.attempt.assessments if self.attempt else ()
        return next((s.assessment for s in reversed(assessments) if s.assessment.rater == rater), None)

    def feedback(self, kind: RaterKind = RaterKind.SELF) -> Feedback:
        assert self.attempt is not None
        hints = {} if self.hearing else self.hints
        return feedback_for(self.scenario, self.attempt.by(kind)[-1], hints, silent=self.silent)

    @property
    def silent(self) -> bool:
        """Whether the take was measured and no speech was heard in it."""
        return self.analysis is not None and not self.analysis.measurements.has_speech


SILENT_TAKE = "No speech was heard in this take: if you spoke, check the microphone, then record again"


def feedback_for(
    scenario: Scenario,
    scored: ScoredAssessment,
    hints: Mapping[str, Hint] | None = None,
    silent: bool = False,
) -> Feedback:
    """The score, the strengths and what to work on; what the timing and the machine's hints say
    against the rating comes first, and takes its criteria out of the strengths. A ``silent`` take
    (no speech heard) has no strengths (walked: a silent take rated at the top was praised for its
    tone), and says so first."""
    ratings = scored.assessment.ratings
    criteria = scenario.rubric.criteria
    generous = [d for d in disagreements(scenario, ratings, hints or {}) if d.generous]
    against = [d.label for d in generous if not d.unsure]
    unsure = [d.label for d in generous if d.unsure]  # the machine only doubts what it heard
    check_first = [SILENT_TAKE] if silent else []
    if scored.timing_verdict is not TimingVerdict.WITHIN_TARGET:
        check_first.append(f"Timing: {scored.timing_verdict.value} (target {scenario.targets.min_seconds:g}-"
                           f"{scenario.targets.max_seconds:g} s)")  # fmt: skip
    if against:
        check_first.append(f"The machine heard less than you rated on: {', '.join(against)}")
    if unsure:
        check_first.append(f"The machine could not make out for sure: {', '.join(unsure)}")
    doubted = against + unsure
    strongest = [c.label for c in criteria if ratings[c.id] == c.scale.top and c.label not in doubted]
    strongest = [] if silent else strongest
    shortfalls = sorted(
        ((c.weight * (1 - ratings[c.id] / c.scale.top), i, c) for i, c in enumerate(criteria)),
        key=lambda item: (-item[0], item[1]),
    )
    work_on = [(c.label, c.advice) for cost, _, c in shortfalls[:2] if cost > 0]
    return Feedback(scored.score, strongest, work_on, check_first, silent)


def previous_scores(attempts: Iterable[Attempt], trainee: str, scenario_id: str) -> list[float]:
    """The trainee's self-scores on a scenario, oldest first."""
    return [
        a.self_score
        for a in attempts
        if a.trainee == trainee and a.scenario_id == scenario_id and a.self_score is not None
    ]
