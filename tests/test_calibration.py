"""The confidence calibration is what its fitting code gives today, and is fitted on no held-aside question."""

from pathlib import Path

from bot.calibration import fit, load_calibration

PROJECT = Path(__file__).resolve().parent.parent


def test_the_calibration_is_current():
    """Refit as bench/calibrate.py does: a change to the features or the rankings must be followed by a refit."""
    written = load_calibration()
    refitted = fit(PROJECT, list(written.fitted_on))
    assert refitted.close_to(written), "run python bench/calibrate.py"


def test_one_weight_per_feature(shipped_bot):
    from bot.sessions import Session

    dialogue = shipped_bot.dialogue
    query, candidates = dialogue.retrieve("is it safe", "is it safe", Session("x"))
    assert len(load_calibration().coefficients) == len(dialogue.features(query, candidates))


def test_the_calibration_never_sees_a_held_aside_file():
    fitted_on = load_calibration().fitted_on
    assert len(fitted_on) >= 4 and {s.split(":")[0] for s in fitted_on} == {"knowledge", "examples/hearing-aids"}
    assert not [s for s in fitted_on if "holdout" in s]
