"""The claims of the batches page (docs/batches.md), on the snippets' results."""

import copy

import pytest

COMPARE = "snippets/batches/compare_batch_sizes.py"
SHUFFLING = "snippets/batches/shuffling.py"
TRAP = "snippets/batches/partial_fit_shuffle.py"


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
    assert len({r.values["ORDER_SEED"] for r in results}) >= 5
    return [r.values for r in results]


@pytest.fixture(scope="module")
def trap(runs):
    import numpy as np

    return {k: np.asarray(v) for k, v in runs[TRAP].values.items()}


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
def test_smaller_batches_have_noisier_gradients_at_every_rate(every_rate):
    """At the same weights, the mean cosine of a batch's gradient to the full
    gradient: 1 for the full batch, lower for 32, lowest for 1; some single-example
    gradients point away from the full gradient, fewer of 32."""
    for compared in every_rate.values():
        cosine, away = compared["mean_cosine"], compared["share_away"]
        assert cosine[0] < cosine[1] < cosine[2]
        assert cosine[2] == pytest.approx(1, abs=1e-9)
        assert cosine[1] < 0.95  # batches of 32 are visibly noisy too
        assert away[0] > 0.05 and away[0] > away[1] and away[2] == 0


@pytest.mark.claim
def test_smaller_batches_get_further_in_the_first_epoch(every_rate):
    for compared in every_rate.values():
        first = [per_epoch[0] for per_epoch in compared["loss_per_epoch"]]
        assert first[0] < first[1] < first[2]


@pytest.mark.claim
def test_at_the_rate_shown_the_full_batch_ends_furthest_still_falling(every_rate):
    """At the rate shown the full batch ends furthest from the bottom, its loss
    falling at every epoch to the last; every batch size ends above the bottom."""
    import numpy as np

    shown = every_rate[0.01]
    assert shown["full_final"] > max(shown["sgd_final"], shown["mini_final"])
    full_per_epoch = np.array(shown["loss_per_epoch"][2])
    assert (np.diff(full_per_epoch) < 0).all()  # still falling: too few updates
    for compared in every_rate.values():
        last = [per_epoch[-1] for per_epoch in compared["loss_per_epoch"]]
        assert last == [compared[n] for n in ("sgd_final", "mini_final", "full_final")]
        assert min(last) > compared["least_squares_loss"]


@pytest.mark.claim
def test_single_examples_hover_above_the_bottom_at_a_constant_rate(every_rate):
    """Batch size 1: above the bottom at the end of each of the last 10 epochs, and
    higher than the epoch before in at least 3 of them."""
    import numpy as np

    for compared in every_rate.values():
        last = np.array(compared["loss_per_epoch"][0][-11:])
        assert (last > compared["least_squares_loss"]).all()
        assert np.sum(np.diff(last) > 0) >= 3


@pytest.mark.claim
def test_a_decaying_rate_ends_closer_where_single_examples_hover_above_the_bottom(
    every_rate,
):
    """At 0.01 (shown) and 0.03, batch size 1 ends above batch size 32, and the
    decaying rate ends at most half as far from the bottom; at 0.003 the constant
    rate's floor is within 2 % of the bottom, and decay changes it by under 1 %."""
    for rate in (0.01, 0.03):
        compared = every_rate[rate]
        assert compared["sgd_final"] > compared["mini_final"]
        bottom = compared["least_squares_loss"]
        excess = compared["sgd_decay_final"] - bottom
        assert 0 < excess < (compared["sgd_final"] - bottom) / 2
    smallest = every_rate[0.003]
    assert smallest["sgd_final"] < 1.02 * smallest["least_squares_loss"]
    change = smallest["sgd_decay_final"] / smallest["sgd_final"] - 1
    assert abs(change) < 0.01


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
    for cosine, away in zip(
        compared["mean_cosine"], compared["share_away"], strict=True
    ):
        assert f"| {cosine:.2f} | {away:.0%} |" in printed


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


def diabetes_training_split():
    """The Diabetes training split (80 %), its inputs standardised."""
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    return StandardScaler().fit_transform(X_train), y_train


def same_weights(first, second) -> bool:
    import numpy as np

    pairs = zip(
        first.coefs_ + first.intercepts_,
        second.coefs_ + second.intercepts_,
        strict=True,
    )
    return all(np.array_equal(a, b) for a, b in pairs)


def next_epoch_in_order(model, X, y, order):
    """A copy of ``model`` trained for one epoch on the examples in ``order``,
    without shuffling: what the model's own next epoch does if it takes that order."""
    twin = copy.deepcopy(model).set_params(shuffle=False)
    return twin.partial_fit(X[order], y[order])


@pytest.mark.claim
def test_partial_fit_repeats_its_order_with_an_integer_seed_not_a_generator():
    """With an integer, every partial_fit call after the first takes the order a
    fresh generator made from that integer draws: the same order every epoch. With
    a RandomState, each call takes the next order the generator draws."""
    import numpy as np
    from sklearn.neural_network import MLPRegressor
    from sklearn.utils import check_random_state, shuffle

    X, y = diabetes_training_split()
    indices = np.arange(len(X))
    for seed in (0, 7):
        model = MLPRegressor(hidden_layer_sizes=(8,), batch_size=32, random_state=seed)
        model.partial_fit(X, y)
        fresh_order = shuffle(indices, random_state=check_random_state(seed))
        for _ in range(3):
            expected = next_epoch_in_order(model, X, y, fresh_order)
            assert same_weights(model.partial_fit(X, y), expected)

        generator = np.random.RandomState(seed)
        model = MLPRegressor(
            hidden_layer_sizes=(8,), batch_size=32, random_state=generator
        )
        model.partial_fit(X, y)
        orders = []
        for _ in range(3):
            order = shuffle(indices, random_state=copy.deepcopy(generator))
            expected = next_epoch_in_order(model, X, y, order)
            assert same_weights(model.partial_fit(X, y), expected)
            orders.append(order)
        assert len({tuple(order) for order in [*orders, fresh_order]}) == 4


@pytest.mark.claim
def test_fit_draws_a_new_order_every_epoch_from_one_generator():
    """fit with an integer seed: the generator is made once, the initial weights
    are drawn from it, and then every epoch reshuffles the previous order with the
    generator's next draw; two fits with the same seed are the same run."""
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor
    from sklearn.utils import shuffle

    X, y = diabetes_training_split()
    assert MLPRegressor().shuffle is True

    def network(**params):
        return MLPRegressor(hidden_layer_sizes=(8,), batch_size=32, **params)

    fitted = []
    for _ in range(2):
        model = network(max_iter=2, n_iter_no_change=100, random_state=3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted.append(model.fit(X, y))
    assert same_weights(*fitted)
    # The generator after the initial weights: a network that does not shuffle
    # draws nothing else from it.
    after_weights = np.random.RandomState(3)
    network(shuffle=False, random_state=after_weights).partial_fit(X, y)
    first = shuffle(np.arange(len(X)), random_state=after_weights)
    second = shuffle(first, random_state=after_weights)
    assert not np.array_equal(first, second)
    one_epoch = network(random_state=np.random.RandomState(3)).partial_fit(X, y)
    expected = next_epoch_in_order(one_epoch, X, y, second)
    assert same_weights(fitted[0], expected)


@pytest.mark.claim
def test_reshuffling_lowers_the_lowest_validation_loss_paired_over_seeds(runs, trap):
    """Paired by seed, over at least ten seeds: the lowest validation loss is
    higher with the same order in most seeds, with a paired t-test's p below 0.01;
    and its range over the seeds is wider with the same order."""
    import numpy as np
    from scipy import stats

    assert len(trap["SEEDS"]) >= 10
    differences = trap["same_lowest"] - trap["reshuffled_lowest"]
    np.testing.assert_allclose(differences, trap["differences"])
    assert np.sum(differences > 0) >= 0.7 * len(differences)
    assert trap["lower_reshuffled"] == np.sum(differences > 0)
    test = stats.ttest_rel(trap["same_lowest"], trap["reshuffled_lowest"])
    assert test.statistic > 0 and test.pvalue < 0.01
    assert trap["paired_p"] == pytest.approx(test.pvalue)
    spread = [np.ptp(trap[name]) for name in ("same_lowest", "reshuffled_lowest")]
    assert spread[0] > spread[1]
    for curve in [*trap["same_order"], *trap["reshuffled"]]:
        assert np.argmin(curve) + 1 < trap["NUM_EPOCHS"]  # every run passed its best
    printed = runs[TRAP].markdown
    assert f"lower in {trap['lower_reshuffled']} of {len(trap['SEEDS'])}" in printed


@pytest.mark.claim
def test_reshuffling_moves_the_best_epoch(trap):
    """Typically by tens of epochs (a median shift of at least 10), both ways."""
    import numpy as np

    shift = trap["reshuffled_best_epochs"] - trap["same_best_epochs"]
    assert np.median(np.abs(shift)) >= 10
    assert (shift > 0).any() and (shift < 0).any()


@pytest.mark.claim
def test_answer_batches_of_8_land_between_1_and_32(runs, compared):
    """Exercise 1: the answer reproduces the first example's losses after epoch 1
    for batch sizes 1 and 32, and batches of 8 fall strictly between them."""
    answer = runs["snippets/batches/answer_batch_of_8.py"].values
    assert answer["BATCH_SIZES"] == [1, 8, 32]
    assert answer["LEARNING_RATE"] == compared["LEARNING_RATE"]
    sgd, eight, mini = answer["after_epoch_1"]
    assert sgd == pytest.approx(compared["loss_per_epoch"][0][0])
    assert mini == pytest.approx(compared["loss_per_epoch"][1][0])
    assert sgd < eight < mini
    assert answer["updates_per_epoch"] == [353, 45, 12]


@pytest.mark.claim
def test_answer_the_closest_batch_size_changes_with_the_rate(runs, every_rate):
    """Exercise 2: the answer's final losses are the first example's at each rate,
    and the closest batch size is 1, then 32, then the full batch."""
    answer = runs["snippets/batches/answer_closest_to_the_bottom.py"].values
    assert sorted(every_rate) == answer["LEARNING_RATES"]
    rates, final_losses = answer["LEARNING_RATES"], answer["final_losses"]
    for rate, losses in zip(rates, final_losses, strict=True):
        values = every_rate[rate]
        finals = [values["sgd_final"], values["mini_final"], values["full_final"]]
        assert losses == pytest.approx(finals)
    assert answer["closest"] == [1, 32, 353]


@pytest.mark.claim
def test_answer_reversed_order_still_ends_every_epoch_worse(runs):
    """Exercise 3: sorted the other way, every unshuffled epoch still ends above
    the shuffled run's loss."""
    answer = runs["snippets/batches/answer_reversed_order.py"].values
    assert answer["worse_epochs"] == answer["NUM_EPOCHS"] == 30
