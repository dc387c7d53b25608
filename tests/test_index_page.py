"""The claims of the home page (docs/index.md), checked on the snippet's results."""

import math

import pytest

TIMELINE = "snippets/index/training_timeline.py"


@pytest.fixture(scope="module", params=range(6), ids=lambda n: f"run{n}")
def run(request, runs, variant_runs):
    """The run as written (batches of 4), then every batch size the slider offers."""
    every = [runs[TIMELINE].values] + [r.values for _, r in variant_runs[TIMELINE]]
    return every[request.param]


def test_the_slider_offers_from_single_examples_to_the_full_batch(variant_runs):
    sizes = [constants["BATCH_SIZE"] for constants, _ in variant_runs[TIMELINE]]
    assert min(sizes) == 1 and max(sizes) == 10


@pytest.mark.claim
def test_the_run_as_written_has_a_last_partial_batch(runs):
    run = runs[TIMELINE].values
    assert run["NUM_EXAMPLES"] % run["BATCH_SIZE"], "the prose says so"


@pytest.mark.claim
def test_an_epoch_is_ceil_n_over_b_iterations(run):
    n, b = run["NUM_EXAMPLES"], run["BATCH_SIZE"]
    assert run["iterations_per_epoch"] == math.ceil(n / b)
    assert run["num_iterations"] == run["NUM_EPOCHS"] * run["iterations_per_epoch"]


@pytest.mark.claim
def test_batches_are_full_but_the_last(run):
    import numpy as np

    n, b = run["NUM_EXAMPLES"], run["BATCH_SIZE"]
    per_epoch = run["iterations_per_epoch"]
    sizes = np.reshape(run["batch_sizes"], (run["NUM_EPOCHS"], per_epoch))
    assert (sizes[:, :-1] == b).all()
    assert (sizes[:, -1] == n - (per_epoch - 1) * b).all()
    assert (sizes[:, -1] < b).all() == bool(n % b)  # smaller iff B does not divide N


@pytest.mark.claim
def test_every_epoch_uses_every_example_once(run):
    import numpy as np

    uses = np.array(run["uses"])
    for epoch in range(1, run["NUM_EPOCHS"] + 1):
        examples = uses[uses[:, 1] == epoch, 2]
        assert sorted(examples) == list(range(run["NUM_EXAMPLES"]))


@pytest.mark.claim
def test_every_epoch_takes_the_examples_in_a_new_order(run):
    import numpy as np

    uses = np.array(run["uses"])
    epochs = range(1, run["NUM_EPOCHS"] + 1)
    orders = [tuple(uses[uses[:, 1] == epoch, 2]) for epoch in epochs]
    assert len(set(orders)) == run["NUM_EPOCHS"] == 3


def test_epochs_and_iterations_count_from_one(run):
    import numpy as np

    uses = np.array(run["uses"])
    assert uses[:, 0].min() == 1
    assert uses[:, 0].max() == run["num_iterations"]
    assert run["epoch_of_iteration"][0] == 1


def test_printed_counts_are_the_counted_ones(runs, variant_runs):
    for result in [runs[TIMELINE]] + [r for _, r in variant_runs[TIMELINE]]:
        run, printed = result.values, result.markdown
        assert f"Iterations per epoch: {run['iterations_per_epoch']} =" in printed
        assert f"Iterations in the whole run: {run['num_iterations']}" in printed
        (figure,) = result.figures
        count = run["iterations_per_epoch"]
        assert f"{count} iteration{'' if count == 1 else 's'}" in figure["caption"]
        assert "1 iterations" not in figure["caption"]


@pytest.mark.claim
def test_training_loss_falls_over_the_run(run):
    assert run["loss"][-1] < run["loss"][0]
