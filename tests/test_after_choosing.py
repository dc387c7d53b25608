"""The claims of "After choosing the epoch" (docs/choosing-epochs.md, last section)."""

import math

import pytest

AFTER = "snippets/choosing-epochs/after_choosing.py"
RULES = (
    "chosen_test_loss",
    "same_epochs_test_loss",
    "same_updates_test_loss",
    "continued_test_loss",
)


@pytest.fixture(scope="module")
def after(runs):
    import numpy as np

    return {k: np.asarray(v) for k, v in runs[AFTER].values.items()}


@pytest.mark.claim
def test_the_two_sets_make_different_numbers_of_updates_per_epoch(after):
    assert after["updates_per_epoch"] == math.ceil(264 / after["BATCH_SIZE"])
    assert after["all_updates_per_epoch"] == math.ceil(353 / after["BATCH_SIZE"])
    assert after["all_updates_per_epoch"] > after["updates_per_epoch"]


@pytest.mark.claim
def test_same_updates_means_fewer_epochs_same_epochs_more_updates(after):
    assert (after["same_updates_epochs"] < after["best_epochs"]).all()
    updates = after["same_updates_epochs"] * after["all_updates_per_epoch"]
    assert (
        abs(updates - after["best_updates"]) <= after["all_updates_per_epoch"]
    ).all()
    assert (
        after["best_epochs"] * after["all_updates_per_epoch"] > after["best_updates"]
    ).all()


def test_the_epoch_is_chosen_inside_the_run(after):
    assert (after["best_epochs"] > 1).all()
    assert (after["best_epochs"] < after["NUM_EPOCHS"]).all()


def test_continued_training_stops_at_the_chosen_training_loss(after):
    assert (after["continued_epochs"] < after["NUM_EPOCHS"]).all()


@pytest.mark.claim
def test_which_does_best_differs_between_seeds(after):
    import numpy as np

    losses = np.array([after[name] for name in RULES])  # rule, seed
    assert len(after["SEEDS"]) >= 10
    assert len(set(np.argmin(losses, axis=0))) > 1


@pytest.mark.claim
def test_over_seeds_training_again_did_not_beat_the_chosen_network(runs, after):
    """Paired over ten seeds: the chosen network's test loss is lower than the one
    trained again for the same updates in most seeds, with a paired t-test's p
    below 0.05; than the one trained again for the same epochs in most seeds too,
    with a larger p."""
    import numpy as np
    from scipy import stats

    chosen = after["chosen_test_loss"]
    p = {}
    for rule in ("same_updates_test_loss", "same_epochs_test_loss"):
        assert np.sum(chosen < after[rule]) > len(chosen) / 2, rule
        test = stats.ttest_rel(chosen, after[rule])
        assert test.statistic < 0, rule
        p[rule] = test.pvalue
    assert p["same_updates_test_loss"] < 0.05
    assert p["same_epochs_test_loss"] > p["same_updates_test_loss"]
    printed = runs[AFTER].markdown
    assert f"same updates in {after['chosen_wins_same_updates']} of 10" in printed


def test_printed_test_losses(runs, after):
    printed = runs[AFTER].markdown
    for name in RULES:
        for value in after[name]:
            assert f"{value:,.0f}" in printed
