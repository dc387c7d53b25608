"""The claims of the batches page (docs/batches.md), on the snippets' results."""

import warnings

import pytest

COMPARE = "snippets/batches/compare_batch_sizes.py"
SHUFFLING = "snippets/batches/shuffling.py"


@pytest.fixture(scope="module")
def compared(runs):
    return runs[COMPARE].values


@pytest.fixture(scope="module")
def every_rate(runs, variant_runs):
    """The comparison at every LEARNING_RATE the page shows, by rate."""
    results = [runs[COMPARE]] + [r for _, r in variant_runs[COMPARE]]
    found = {r.values["LEARNING_RATE"]: r.values for r in results}
    assert len(found) >= 3 and min(found) < 0.01 < max(found)
    return found


@pytest.fixture(scope="module")
def every_order(runs, variant_runs):
    results = [runs[SHUFFLING]] + [r for _, r in variant_runs[SHUFFLING]]
    assert len({r.values["ORDER_SEED"] for r in results}) >= 3
    return [r.values for r in results]


@pytest.fixture(scope="module")
def shuffling(runs):
    return runs[SHUFFLING].values


@pytest.mark.claim
def test_stochastic_mini_batch_and_full_batch(compared):
    sizes = compared["batch_sizes"]
    assert sizes[0] == 1
    assert 1 < sizes[1] < sizes[2]
    assert sizes[2] == len(compared["X_train"])


@pytest.mark.claim
def test_full_batch_makes_exactly_one_update_per_epoch(compared):
    assert compared["iterations_per_epoch"][-1] == 1


@pytest.mark.claim
def test_smaller_batches_make_more_updates_per_epoch(compared):
    counts = compared["iterations_per_epoch"]
    assert counts == sorted(counts, reverse=True)
    assert len(set(counts)) == len(counts)


@pytest.mark.claim
def test_smaller_batches_are_noisier_at_every_rate(every_rate):
    """The noise figure: the share of iterations that raised the training loss."""
    for compared in every_rate.values():
        noise = compared["share_uphill"]
        assert noise[0] > noise[1] > noise[2]
        assert noise[2] == 0


@pytest.mark.claim
def test_smaller_batches_get_further_in_the_first_epoch(every_rate):
    for compared in every_rate.values():
        first = [per_epoch[0] for per_epoch in compared["loss_per_epoch"]]
        assert first[0] < first[1] < first[2]


@pytest.mark.claim
def test_which_batch_ends_closest_depends_on_the_shared_rate(every_rate):
    """At the rate shown the full batch ends furthest from the bottom; at the
    largest rate in the table it ends closest."""
    shown = every_rate[0.01]
    assert shown["full_final"] > max(shown["sgd_final"], shown["mini_final"])
    largest = every_rate[max(every_rate)]
    assert largest["full_final"] < min(largest["sgd_final"], largest["mini_final"])
    for compared in every_rate.values():
        last = [per_epoch[-1] for per_epoch in compared["loss_per_epoch"]]
        assert last == [compared[n] for n in ("sgd_final", "mini_final", "full_final")]
        assert min(last) > compared["least_squares_loss"]


@pytest.mark.claim
def test_a_decaying_rate_lowers_the_noise_floor_of_single_examples(every_rate):
    """At the rate shown, batch size 1 ends above batch size 32: its noise floor;
    wherever it does, the decaying rate ends lower, close to the bottom."""
    shown = every_rate[0.01]
    assert shown["sgd_final"] > shown["mini_final"]
    for compared in every_rate.values():
        if compared["sgd_final"] > compared["mini_final"]:
            assert compared["sgd_decay_final"] < compared["sgd_final"]
            bottom = compared["least_squares_loss"]
            excess = compared["sgd_decay_final"] - bottom
            assert excess < (compared["sgd_final"] - bottom) / 2


@pytest.mark.claim
def test_the_iteration_axis_spans_every_update(compared):
    """ "one update and 17,650 fit side by side": 50 epochs of 353 updates."""
    updates = compared["NUM_EPOCHS"] * compared["iterations_per_epoch"][0]
    assert updates == 17650


def test_one_loss_per_epoch(compared):
    for per_epoch in compared["loss_per_epoch"]:
        assert len(per_epoch) == compared["NUM_EPOCHS"]


def test_printed_noise_is_the_measured_noise(runs, compared):
    printed = runs[COMPARE].markdown
    for size, noise in zip(
        compared["batch_sizes"], compared["share_uphill"], strict=True
    ):
        assert f"| {noise:.0%} |" in printed, size


@pytest.mark.claim
def test_without_shuffling_every_epoch_ends_worse(every_order):
    import numpy as np

    for shuffling in every_order:
        never, every = (
            np.array(shuffling["sorted_per_epoch"]),
            np.array(shuffling["shuffled_per_epoch"]),
        )
        assert len(never) == len(every) == shuffling["NUM_EPOCHS"]
        assert (never > every).all()


@pytest.mark.claim
def test_without_shuffling_the_loss_rises_falls_and_climbs_back(shuffling):
    """Sorted data, last epoch: first a rise, then the low early in the epoch, then
    the climb back to more than twice the low as the highest targets come last."""
    import numpy as np

    per_epoch = shuffling["iterations_per_epoch"]
    last_epoch = np.array(shuffling["sorted_loss"][-per_epoch:])
    start = shuffling["sorted_per_epoch"][-2]
    peak, low = shuffling["sorted_peak_iteration"], shuffling["sorted_low_iteration"]
    assert last_epoch[peak - 1] == last_epoch.max() > start
    assert last_epoch[0] > start  # it rises from the first update
    assert 0 < peak < low < per_epoch // 2
    assert last_epoch[low - 1] == last_epoch.min()
    assert last_epoch[-1] > 2 * last_epoch[low - 1]


def test_printed_last_epoch_without_shuffling(runs, shuffling):
    printed = runs[SHUFFLING].markdown
    for name in ("sorted_peak", "sorted_low", "sorted_end"):
        assert f"{shuffling[name]:,.0f}" in printed
    ratio = shuffling["sorted_end"] / shuffling["sorted_low"]
    assert f"{ratio:.1f} times its low" in printed


def test_printed_shuffling_losses(runs, shuffling):
    printed = runs[SHUFFLING].markdown
    assert f"never shuffled: {shuffling['sorted_per_epoch'][-1]:,.0f}" in printed
    assert f"every epoch: {shuffling['shuffled_per_epoch'][-1]:,.0f}" in printed


@pytest.mark.claim
def test_scikit_learn_shuffles_by_default_following_random_state():
    """The admonition: shuffle=True by default; a fixed random_state, the same run."""
    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    X, y = load_diabetes(return_X_y=True)
    assert MLPRegressor().shuffle is True
    fitted = []
    for _ in range(2):
        model = MLPRegressor(
            hidden_layer_sizes=(8,), batch_size=32, max_iter=2, random_state=0
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted.append(model.fit(X, y))
    for first, second in zip(fitted[0].coefs_, fitted[1].coefs_, strict=True):
        np.testing.assert_array_equal(first, second)
