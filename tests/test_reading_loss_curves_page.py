"""The claims of the reading-loss-curves page (docs/reading-loss-curves.md)."""

import pytest

FOLDER = "snippets/reading-loss-curves"
CURVES = "snippets/underfitting-overfitting/learning_curves.py"


def values(runs, name):
    import numpy as np

    return {k: np.asarray(v) for k, v in runs[f"{FOLDER}/{name}.py"].values.items()}


def diabetes_split():
    """The pages' training and validation sets, inputs standardised."""
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.25, random_state=42
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


SEEDS = range(5)  # each shape's claim holds for every one of them, not one seed's run


def rerun(run, seed, standardise_target=False, **settings):
    """The snippet's network trained one epoch at a time for its NUM_EPOCHS, with
    another seed (the initial weights and every epoch's batch order): the training
    and validation losses after each epoch, in the target's units."""
    import numpy as np
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    X_train, X_val, y_train, y_val = diabetes_split()
    target, unscale = y_train, lambda prediction: prediction
    if standardise_target:
        scaler = StandardScaler().fit(y_train.reshape(-1, 1))
        target = scaler.transform(y_train.reshape(-1, 1)).ravel()

        def unscale(prediction):
            return scaler.inverse_transform(prediction.reshape(-1, 1)).ravel()

    model = MLPRegressor(
        hidden_layer_sizes=(128,), random_state=np.random.RandomState(seed), **settings
    )
    epochs = int(run["NUM_EPOCHS"])
    train, val = np.empty(epochs), np.empty(epochs)
    for epoch in range(epochs):
        with np.errstate(over="ignore"):
            model.partial_fit(X_train, target)
        for X, y, losses in ((X_train, y_train, train), (X_val, y_val, val)):
            losses[epoch] = np.mean((unscale(model.predict(X)) - y) ** 2)
    return train, val


@pytest.mark.claim
def test_too_high_the_loss_jumps(runs):
    """The run shown and five more seeds: both losses rise on over 15 % of the
    epochs, the training loss once by over 1.5 times in one epoch."""
    import numpy as np

    run = values(runs, "too_high")
    every = [(run["train_loss"], run["val_loss"])]
    every += [
        rerun(run, s, learning_rate_init=float(run["LEARNING_RATE"])) for s in SEEDS
    ]
    for train, val in every:
        assert np.mean(np.diff(train) > 0) > 0.15
        assert np.mean(np.diff(val) > 0) > 0.15
        assert np.max(train[1:] / train[:-1]) > 1.5  # a large factor in one epoch


@pytest.mark.claim
def test_ten_times_higher_still_adam_ends_far_worse(runs):
    """The page's network at the page's rate and at ten times it, 100 epochs, five
    seeds: at ten times the rate the last validation loss is over twice as high,
    with every seed."""
    import numpy as np
    from sklearn.neural_network import MLPRegressor

    run = values(runs, "too_high")
    X_train, X_val, y_train, y_val = diabetes_split()
    for seed in range(5):
        last = []
        shown = float(run["LEARNING_RATE"])
        for rate in (shown, 10 * shown):
            model = MLPRegressor(
                hidden_layer_sizes=(128,),
                learning_rate_init=rate,
                random_state=np.random.RandomState(seed),
            )
            with np.errstate(over="ignore"):
                for _ in range(int(run["NUM_EPOCHS"])):
                    model.partial_fit(X_train, y_train)
            last.append(np.mean((model.predict(X_val) - y_val) ** 2))
        assert last[1] > 2 * last[0], seed


@pytest.mark.claim
def test_with_plain_sgd_at_this_rate_the_weights_overflow(runs):
    import numpy as np
    from sklearn.neural_network import MLPRegressor

    X_train, _, y_train, _ = diabetes_split()
    for seed in range(5):
        model = MLPRegressor(
            hidden_layer_sizes=(128,),
            solver="sgd",
            learning_rate_init=float(values(runs, "too_high")["LEARNING_RATE"]),
            random_state=np.random.RandomState(seed),
        )
        overflow = pytest.raises(ValueError, match="non-finite parameter weights")
        with overflow, np.errstate(all="ignore"):
            for _ in range(10):
                model.partial_fit(X_train, y_train)


@pytest.mark.claim
def test_too_low_still_falling_at_the_end_above_the_mean(runs):
    """The run shown and five more seeds: both losses fall at every epoch, and the
    last validation loss is above that of predicting the training mean."""
    import numpy as np

    run = values(runs, "too_low")
    every = [(run["train_loss"], run["val_loss"])]
    every += [
        rerun(run, s, learning_rate_init=float(run["LEARNING_RATE"])) for s in SEEDS
    ]
    for train, val in every:
        for curve in (train, val):
            assert (np.diff(curve) < 0).all()
        assert val[-1] > run["mean_loss"]


@pytest.mark.claim
def test_plateau_flat_at_the_means_loss_then_falling(runs, variant_runs):
    import numpy as np

    name = f"{FOLDER}/plateau.py"
    every = [runs[name].values] + [r.values for _, r in variant_runs[name]]
    assert len(every) >= 5
    for run in every:
        train = np.asarray(run["train_loss"])
        start, end = run["plateau_start"], run["plateau_end"]
        assert end - start >= 15
        flat = train[start - 1 : end]
        assert (np.abs(flat / run["mean_loss"] - 1) < 0.03).all()  # no gap in it
        assert run["train_loss_at_end"] < 0.7 * run["mean_loss"]


@pytest.mark.claim
def test_small_validation_sets_are_noisier_and_scatter_the_best_epoch(runs):
    """Over the sets of 10: the median change per epoch above 1.5 times the whole
    set's; the best epochs of the middle 80 % spread over at least 30 epochs."""
    import numpy as np

    run = values(runs, "noisy_validation")
    assert run["NUM_SUBSETS"] >= 1000 and run["SMALL_VALIDATION"] == 10

    def roughness(curve):
        return np.median(np.abs(np.diff(curve)) / curve[:-1])

    assert np.median(run["subset_roughness"]) > 1.5 * roughness(run["val_loss"])
    low, high = np.percentile(run["subset_best_epochs"], [10, 90])
    assert high - low >= 30
    first = run["squared_errors"][:, :10].mean(axis=1)
    np.testing.assert_allclose(first, run["small_val_loss"])


@pytest.mark.claim
def test_small_validation_sets_put_the_level_far_off_either_way(runs):
    """The lowest loss on a set of 10 against the lowest on all: the 10th
    percentile below 0.8, the 90th above 1.2."""
    import numpy as np

    run = values(runs, "noisy_validation")
    low, high = np.percentile(run["subset_levels"], [10, 90])
    assert low < 0.8 and high > 1.2
    assert (
        f"between {low:.2f} and {high:.2f} times"
        in runs[f"{FOLDER}/noisy_validation.py"].markdown
    )


@pytest.mark.claim
def test_underfitting_high_flat_close(runs):
    """The run shown and five more seeds: higher than the straight line on both
    sets; the mean over the last 50 epochs within 3 % of the mean over the 50
    before, for both; and the two within a quarter of each other."""
    run = values(runs, "underfitting")
    every = [(run["train_loss"], run["val_loss"])]
    every += [
        rerun(run, s, alpha=float(run["ALPHA"]), learning_rate_init=0.01) for s in SEEDS
    ]
    for train, val in every:
        assert train[-1] > run["line_train_loss"]
        assert val[-1] > run["line_val_loss"]
        for curve in (train, val):
            assert abs(curve[-50:].mean() / curve[-100:-50].mean() - 1) < 0.03
        assert abs(val[-1] - train[-1]) < 0.25 * train[-1]


@pytest.mark.claim
def test_underfitting_costs_more_than_every_sweet_spot(runs, variant_runs):
    """Its validation loss over its last 50 epochs, against the lowest validation
    loss of every run of the learning curves (at least five seeds)."""
    run = values(runs, "underfitting")
    sweet = [runs[CURVES].values["best_val_loss"]]
    sweet += [result.values["best_val_loss"] for _, result in variant_runs[CURVES]]
    assert len(sweet) >= 5
    assert run["val_loss"][-50:].min() > max(sweet)


@pytest.mark.claim
def test_overfitting_turns_and_rises(runs):
    """The run shown and five more seeds: the lowest validation loss in the first
    quarter of the epochs, the last over 1.3 times it; the training loss lower at
    the end, and the gap between the two wider."""
    import numpy as np

    run = values(runs, "overfitting")
    assert int(run["best_epoch"]) == np.argmin(run["val_loss"]) + 1
    every = [(run["train_loss"], run["val_loss"])]
    every += [
        rerun(run, s, standardise_target=True, learning_rate_init=0.01) for s in SEEDS
    ]
    for train, val in every:
        best = int(np.argmin(val)) + 1
        assert 1 < best < run["NUM_EPOCHS"] // 4  # early
        assert val[-1] > 1.3 * val[best - 1]
        assert train[-1] < train[best - 1]
        gap = val - train
        assert gap[-1] > gap[best - 1]


@pytest.mark.claim
def test_answer_a_tenth_of_the_rate_shrinks_the_jumps(runs):
    """Exercise 1: the rate of 1 reproduces the first example's largest jump; at a
    tenth of it the largest rise is far smaller, the share of rising epochs
    within ten points of the first."""
    answer = values(runs, "answer_a_tenth_of_the_rate")
    page = values(runs, "too_high")
    assert list(answer["LEARNING_RATES"]) == [page["LEARNING_RATE"], 0.1]
    assert answer["largest_jumps"][0] == pytest.approx(page["largest_jump"])
    assert answer["rises"][0] == pytest.approx(page["train_rises"])
    assert answer["largest_jumps"][1] - 1 < 0.5 * (answer["largest_jumps"][0] - 1)
    assert abs(answer["rises"][1] - answer["rises"][0]) < 0.1


@pytest.mark.claim
def test_answer_less_penalty_lowers_both_losses_and_opens_the_gap(runs):
    """Exercise 2: alpha=3000 is the underfitting example's run; with alpha=30
    both last losses are lower, and the validation loss is above the training
    loss, which it was not; so too with five more seeds."""
    answer = values(runs, "answer_less_penalty")
    page = values(runs, "underfitting")
    (train_as_ran, val_as_ran), (train_less, val_less) = answer["losses"]
    assert answer["ALPHAS"][0] == page["ALPHA"]
    assert train_as_ran == pytest.approx(page["train_loss"][-1])
    assert val_as_ran == pytest.approx(page["val_loss"][-1])
    assert train_less < train_as_ran and val_less < val_as_ran
    assert val_as_ran < train_as_ran and val_less > train_less
    for seed in SEEDS:  # the same with five more seeds
        as_ran, less = (
            rerun(answer, seed, alpha=float(alpha), learning_rate_init=0.01)
            for alpha in answer["ALPHAS"]
        )
        assert less[0][-1] < as_ran[0][-1] and less[1][-1] < as_ran[1][-1], seed
        assert as_ran[1][-1] < as_ran[0][-1] and less[1][-1] > less[0][-1], seed


@pytest.mark.claim
def test_answer_larger_validation_sets_narrow_the_best_epoch(runs):
    """Exercise 3: the sets of 10 give the example's range of best epochs; the
    sets of 40 a narrower one, but not four times narrower."""
    answer = values(runs, "answer_larger_validation_subsets")
    page = values(runs, "noisy_validation")
    (low_10, high_10), (low_40, high_40) = answer["ranges"]
    assert (low_10, high_10) == (page["epochs_low"], page["epochs_high"])
    assert high_40 - low_40 < high_10 - low_10
    assert high_40 - low_40 > (high_10 - low_10) / 4
