"""The claims of the batches page (docs/batches.md), on the snippets' results."""

import numpy as np
import pytest

COMPARE = "snippets/batches/compare_batch_sizes.py"
SHUFFLING = "snippets/batches/shuffling.py"


@pytest.fixture(scope="module")
def compared(runs):
    return runs[COMPARE].values


@pytest.fixture(scope="module")
def shuffling(runs):
    return runs[SHUFFLING].values


def test_stochastic_mini_batch_and_full_batch(compared):
    sizes = compared["batch_sizes"]
    assert sizes[0] == 1
    assert 1 < sizes[1] < sizes[2]
    assert sizes[2] == len(compared["X_train"])


def test_full_batch_makes_exactly_one_update_per_epoch(compared):
    assert compared["iterations_per_epoch"][-1] == 1


def test_smaller_batches_make_more_updates_per_epoch(compared):
    counts = compared["iterations_per_epoch"]
    assert counts == sorted(counts, reverse=True)
    assert len(set(counts)) == len(counts)


def test_smaller_batches_are_noisier(compared):
    """The noise figure: the share of iterations that raised the training loss."""
    noise = compared["share_uphill"]
    assert noise[0] > noise[1] > noise[2]
    assert noise[2] == 0


def test_smaller_batches_get_further_in_the_first_epoch(compared):
    after_first_epoch = [per_epoch[0] for per_epoch in compared["loss_per_epoch"]]
    assert after_first_epoch[0] < after_first_epoch[1] < after_first_epoch[2]


def test_full_batch_is_furthest_from_the_bottom_after_the_last_epoch(compared):
    last = [per_epoch[-1] for per_epoch in compared["loss_per_epoch"]]
    assert last[2] > max(last[0], last[1])


def test_one_loss_per_epoch(compared):
    for per_epoch in compared["loss_per_epoch"]:
        assert len(per_epoch) == compared["NUM_EPOCHS"]


def test_printed_noise_is_the_measured_noise(runs, compared):
    printed = runs[COMPARE].markdown
    for size, noise in zip(
        compared["batch_sizes"], compared["share_uphill"], strict=True
    ):
        assert f"| {noise:.0%} |" in printed, size


def test_without_shuffling_every_epoch_ends_worse(shuffling):
    never, every = (
        np.array(shuffling["sorted_per_epoch"]),
        np.array(shuffling["shuffled_per_epoch"]),
    )
    assert len(never) == len(every) == shuffling["NUM_EPOCHS"]
    assert (never > every).all()


def test_without_shuffling_the_loss_climbs_back_within_each_epoch(shuffling):
    """Sorted data: the loss falls, then rises as the highest targets come last."""
    per_epoch = shuffling["iterations_per_epoch"]
    last_epoch = np.array(shuffling["sorted_loss"][-per_epoch:])
    lowest = int(np.argmin(last_epoch))
    assert 0 < lowest < per_epoch // 2
    assert last_epoch[-1] > 2 * last_epoch[lowest]


def test_printed_shuffling_losses(runs, shuffling):
    printed = runs[SHUFFLING].markdown
    assert f"never shuffled: {shuffling['sorted_per_epoch'][-1]:,.0f}" in printed
    assert f"every epoch: {shuffling['shuffled_per_epoch'][-1]:,.0f}" in printed
