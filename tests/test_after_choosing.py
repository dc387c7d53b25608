"""The claims of "After choosing the epoch" (docs/choosing-epochs.md, last section)."""

import math

import pytest

AFTER = "snippets/choosing-epochs/after_choosing.py"


@pytest.fixture(scope="module")
def every(runs, variant_runs):
    return [runs[AFTER].values] + [r.values for _, r in variant_runs[AFTER]]


@pytest.mark.claim
def test_the_two_sets_make_different_numbers_of_updates_per_epoch(every):
    for values in every:
        assert values["updates_per_epoch"] == math.ceil(264 / values["BATCH_SIZE"])
        assert values["all_updates_per_epoch"] == math.ceil(353 / values["BATCH_SIZE"])
        assert values["all_updates_per_epoch"] > values["updates_per_epoch"]


@pytest.mark.claim
def test_same_updates_means_fewer_epochs_same_epochs_more_updates(every):
    for values in every:
        assert values["same_updates_epochs"] < values["best_epoch"]
        updates = values["same_updates_epochs"] * values["all_updates_per_epoch"]
        assert abs(updates - values["best_updates"]) <= values["all_updates_per_epoch"]
        assert (
            values["best_epoch"] * values["all_updates_per_epoch"]
            > values["best_updates"]
        )


def test_the_epoch_is_chosen_inside_the_run(every):
    for values in every:
        assert 1 < values["best_epoch"] < values["NUM_EPOCHS"]


def test_continued_training_stops_at_the_chosen_training_loss(every):
    for values in every:
        assert 1 <= values["continued_epochs"] < values["NUM_EPOCHS"]


@pytest.mark.claim
def test_which_does_best_differs_between_initial_weights(every):
    names = (
        "chosen_test_loss",
        "same_epochs_test_loss",
        "same_updates_test_loss",
        "continued_test_loss",
    )
    winners = {min(names, key=values.get) for values in every}
    assert len(winners) > 1


def test_printed_test_losses(runs):
    result = runs[AFTER]
    for name in ("chosen_test_loss", "same_epochs_test_loss", "same_updates_test_loss"):
        assert f"| {result.values[name]:,.0f} |" in result.markdown
