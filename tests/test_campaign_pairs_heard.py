"""The repetition and stands-alone checks on the labelled message pairs, spoken by two synthetic
voices and heard by the recogniser (issue #19). Measured: 8 of 10 repeats flagged (the reworded
repeat is missed by every voice, as written), 6 of 6 chases, and no false alarm on the 10 new
messages. The floors leave room for another CPU's recogniser to hear a few words differently."""

from __future__ import annotations

import pytest

from simulator.analysis.record import Word
from simulator.campaign_loader import load_campaigns
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.testing.campaign_pairs import PAIR_VOICES, PAIRS, PairKind, PairVerdict, heard_words, judged


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> list[PairVerdict]:
    folder = tmp_path_factory.mktemp("pairs")
    library = load_library([shipped_scenarios_dir()])
    campaigns = load_campaigns([shipped_scenarios_dir()], library.scenarios).campaigns
    found = []
    for voice in PAIR_VOICES:  # one take at a time: Whisper already uses both cores
        heard: dict[str, list[Word]] = {}
        for pair in PAIRS:
            campaign = campaigns[pair.campaign_id]
            for text in (pair.earlier, pair.later):
                if text not in heard:
                    heard[text] = heard_words(text, library.get(campaign.prospect_from), voice, folder)
            found.append(judged(pair, campaign, [w.text for w in heard[pair.earlier]], heard[pair.later]))
    return found


def _of(verdicts: list[PairVerdict], kind: PairKind) -> list[PairVerdict]:
    return [v for v in verdicts if v.pair.kind is kind]


def test_repeats_are_flagged_and_new_messages_are_not(verdicts: list[PairVerdict]) -> None:
    repeats, new = _of(verdicts, PairKind.REPEAT), _of(verdicts, PairKind.NEW)
    assert sum(v.repeat_flagged for v in repeats) >= 0.6 * len(repeats), repeats
    assert sum(v.repeat_flagged for v in new) <= 1, [v for v in new if v.repeat_flagged]


def test_chasing_is_flagged_and_new_messages_stand_alone(verdicts: list[PairVerdict]) -> None:
    chases, new = _of(verdicts, PairKind.CHASING), _of(verdicts, PairKind.NEW)
    assert sum(v.chasing_flagged for v in chases) >= len(chases) - 1, chases
    assert sum(v.chasing_flagged for v in new) <= 1, [v for v in new if v.chasing_flagged]
