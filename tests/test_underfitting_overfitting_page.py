"""The claims of the under- and overfitting page (docs/underfitting-overfitting.md)."""

import copy

import pytest

CURVES = "snippets/underfitting-overfitting/learning_curves.py"
CAPACITY = "snippets/underfitting-overfitting/capacity.py"
REGULARISATION = "snippets/underfitting-overfitting/regularisation.py"


def learning_curves(values):
    import numpy as np

    return {
        "train": np.array(values["train_loss"]),
        "val": np.array(values["val_loss"]),
        "too_few": values["TOO_FEW_EPOCHS"],
        "best": values["best_epoch"],
        "too_many": values["NUM_EPOCHS"],
        "mean_val_loss": values["mean_val_loss"],
        "mean_prediction": values["too_few_mean_prediction"],
        "y_val": np.array(values["y_val"]),
    }


@pytest.fixture(scope="module")
def curves(runs):
    return learning_curves(runs[CURVES].values)


@pytest.fixture(scope="module")
def every_curves(runs, variant_runs):
    """The learning curves as written, and with every SEED the page shows."""
    results = [runs[CURVES]] + [r for _, r in variant_runs[CURVES]]
    assert len(results) >= 6
    return [learning_curves(r.values) for r in results]


def arrays(values):
    import numpy as np

    return {name: np.array(value) for name, value in values.items()}


@pytest.fixture(scope="module")
def capacity(runs):
    return arrays(runs[CAPACITY].values)


@pytest.fixture(scope="module")
def every_capacity(runs, variant_runs):
    results = [runs[CAPACITY]] + [r for _, r in variant_runs[CAPACITY]]
    assert len(results) >= 4
    return [arrays(r.values) for r in results]


@pytest.fixture(scope="module")
def paired(runs):
    """The regularisation runs: ``weak`` and ``strong`` are (seed, train/val, epoch)."""
    return arrays(runs[REGULARISATION].values)


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


def at(curves, kind, epoch):
    return curves[kind][epoch - 1]


@pytest.mark.claim
def test_the_seed_sets_the_initial_weights_and_every_epochs_order(
    runs, variant_runs, every_curves
):
    """The runs differ in SEED only, on the same patients; a RandomState made from
    the seed draws the initial weights and then a new order every epoch: the same
    network after one epoch, given generators made from two seeds, takes different
    next epochs, and one generator gives a different order in each epoch."""
    import numpy as np
    from sklearn.neural_network import MLPRegressor

    assert {tuple(c) for c, _ in variant_runs[CURVES]} == {("SEED",)}
    first = runs[CURVES].values
    for _, result in variant_runs[CURVES]:
        for part in ("X_train", "y_train", "X_val", "y_val"):
            np.testing.assert_array_equal(result.values[part], first[part])
    X, _, y, _ = diabetes_split()

    def weights(model):
        return np.concatenate([c.ravel() for c in model.coefs_ + model.intercepts_])

    def network(seed):
        return MLPRegressor(
            hidden_layer_sizes=(16,), random_state=np.random.RandomState(seed)
        )

    initial = [weights(network(s).partial_fit(X, y)) for s in (0, 0, 1)]
    np.testing.assert_array_equal(initial[0], initial[1])
    assert not np.array_equal(initial[0], initial[2])
    model = network(0).partial_fit(X, y)
    other = copy.deepcopy(model).set_params(random_state=np.random.RandomState(1))
    assert not np.array_equal(
        weights(model.partial_fit(X, y)), weights(other.partial_fit(X, y))
    )
    # A generator draws a new order each epoch: training again in the first
    # epoch's order (a fresh generator in the same state) gives another network.
    model = network(0).partial_fit(X, y)
    again = copy.deepcopy(model).set_params(random_state=np.random.RandomState(0))
    assert not np.array_equal(
        weights(model.partial_fit(X, y)), weights(again.partial_fit(X, y))
    )


@pytest.mark.claim
def test_the_sweet_spot_is_the_lowest_validation_loss(every_curves):
    import numpy as np

    for curves in every_curves:
        assert curves["best"] == int(np.argmin(curves["val"])) + 1
        assert curves["too_few"] < curves["best"] < curves["too_many"]


@pytest.mark.claim
def test_too_few_epochs_leave_both_losses_higher(every_curves):
    for curves in every_curves:
        for kind in ("train", "val"):
            too_few = at(curves, kind, curves["too_few"])
            assert too_few > at(curves, kind, curves["best"])


@pytest.mark.claim
def test_too_few_epochs_are_worse_than_the_mean_mostly_an_offset(every_curves):
    """Worse than predicting the training mean, and most of the loss is the
    squared gap between the average prediction and the average target."""
    for curves in every_curves:
        val = at(curves, "val", curves["too_few"])
        assert val > curves["mean_val_loss"]
        offset = (curves["mean_prediction"] - curves["y_val"].mean()) ** 2
        assert offset > val / 2
        assert curves["mean_prediction"] < curves["y_val"].mean() / 2


@pytest.mark.claim
def test_too_many_epochs_lower_training_and_raise_validation_loss(every_curves):
    for curves in every_curves:
        best, last = curves["best"], curves["too_many"]
        assert at(curves, "train", last) < at(curves, "train", best)
        assert at(curves, "val", last) > at(curves, "val", best)


def test_printed_baselines_and_average_prediction(runs, curves):
    values = runs[CURVES].values
    printed = runs[CURVES].markdown
    assert f"| {values['mean_val_loss']:,.0f} |" in printed
    assert f"| {values['linear_val_loss']:,.0f} |" in printed
    assert f"average {values['too_few_mean_prediction']:.0f};" in printed
    assert f"average\n{curves['y_val'].mean():.0f}" in printed.replace(" ", "\n")
    (figure,) = runs[CURVES].figures
    assert "Training mean: a horizontal line at" in figure["alt"]
    assert "Linear regression: a horizontal line at" in figure["alt"]


def test_printed_table_is_the_measured_losses(runs, curves):
    printed = runs[CURVES].markdown
    for epoch in (curves["too_few"], curves["best"], curves["too_many"]):
        train, val = at(curves, "train", epoch), at(curves, "val", epoch)
        assert f"| {epoch} | {train:,.0f} | {val:,.0f} |" in printed


def test_figure_marks_the_three_cases(runs, curves):
    (figure,) = runs[CURVES].figures
    for epoch in (curves["too_few"], curves["best"], curves["too_many"]):
        assert f"a vertical line at epoch {epoch:,}" in figure["alt"]


@pytest.mark.claim
def test_more_capacity_fits_the_training_set_closer(every_capacity):
    """After the first epoch (at epoch 1 both still predict near 0: a tie)."""
    for capacity in every_capacity:
        assert (capacity["small_train"][1:] > capacity["big_train"][1:]).all()
        assert capacity["small_val"].min() > capacity["big_val"].min()


@pytest.mark.claim
def test_the_small_network_is_still_improving_at_the_last_epoch(every_capacity):
    import numpy as np

    for capacity in every_capacity:
        assert np.argmin(capacity["small_val"]) + 1 == capacity["NUM_EPOCHS"]


@pytest.mark.claim
def test_the_small_network_was_short_of_epochs_not_capacity(every_capacity):
    """Ten times longer: within 10 % of the big network's lowest, then overfits."""
    import numpy as np

    for capacity in every_capacity:
        assert capacity["LONG_EPOCHS"] == 10 * capacity["NUM_EPOCHS"] == 3000
        np.testing.assert_array_equal(
            capacity["small_val"], capacity["long_val"][: capacity["NUM_EPOCHS"]]
        )
        assert capacity["long_min"] == capacity["long_val"].min()
        assert capacity["long_min"] < 1.1 * capacity["big_min"]
        best = capacity["long_best_epoch"]
        assert capacity["NUM_EPOCHS"] < best < capacity["LONG_EPOCHS"]
        assert capacity["long_val"][-1] > capacity["long_min"]
        assert capacity["long_train"][-1] < capacity["long_train"][best - 1]


@pytest.mark.claim
def test_overfitting_widens_the_gap(every_curves):
    for curves in every_curves:
        gap = curves["val"] - curves["train"]
        assert gap[curves["too_many"] - 1] > gap[curves["best"] - 1]


@pytest.mark.claim
def test_more_capacity_overfits(every_capacity):
    import numpy as np

    for capacity in every_capacity:
        small_gap = capacity["small_val"][-1] - capacity["small_train"][-1]
        big_gap = capacity["big_val"][-1] - capacity["big_train"][-1]
        assert big_gap > small_gap
        assert np.argmin(capacity["big_val"]) + 1 < capacity["NUM_EPOCHS"]
        best = np.argmin(capacity["big_val"])
        assert capacity["big_val"][-1] > capacity["big_val"][best]
        assert capacity["big_train"][-1] < capacity["big_train"][best]


@pytest.mark.claim
def test_regularisation_narrows_the_gap_at_the_last_epoch_in_every_seed(paired):
    weak, strong = paired["weak"], paired["strong"]
    assert len(paired["SEEDS"]) >= 10 and list(paired["ALPHAS"]) == [0.0001, 100]
    assert (strong[:, 0, -1] > weak[:, 0, -1]).all()  # training loss higher
    assert (strong[:, 1, -1] < weak[:, 1, -1]).all()  # validation loss lower
    assert (paired["strong_last_gap"] < paired["weak_last_gap"]).all()


@pytest.mark.claim
def test_at_their_lowest_the_penalty_helps_a_little_paired_over_seeds(runs, paired):
    """Paired over ten seeds: positive in most, under 5 % in every seed, a paired
    t-test's p below 0.01; the mean gain smaller than the range of one setting's
    lowest loss over the seeds, and some pair of different seeds in which the
    penalised run is the worse one (what one unpaired comparison could show)."""
    import numpy as np
    from scipy import stats

    weak_lowest = paired["weak"][:, 1].min(axis=1)
    strong_lowest = paired["strong"][:, 1].min(axis=1)
    gains = weak_lowest - strong_lowest
    np.testing.assert_allclose(gains, paired["penalty_gains"])
    assert np.sum(gains > 0) >= 0.7 * len(gains)
    assert gains.mean() > 0 and (gains < 0.05 * weak_lowest).all()
    test = stats.ttest_rel(weak_lowest, strong_lowest)
    assert test.pvalue < 0.01 and test.statistic > 0
    assert gains.mean() < np.ptp(weak_lowest)
    seeds = range(len(gains))
    assert any(
        strong_lowest[j] > weak_lowest[i] for i in seeds for j in seeds if i != j
    )
    printed = runs[REGULARISATION].markdown
    assert f"in {paired['gains_positive']} of {len(gains)} seeds" in printed
    assert f"({paired['relative_gain']:.1%};" in printed


@pytest.mark.claim
def test_at_their_lowest_the_networks_are_level_with_linear_regression(paired):
    linear = paired["linear_val_loss"]
    for name in ("weak", "strong"):
        lowest = paired[name][:, 1].min(axis=1)
        assert (abs(lowest / linear - 1) < 0.05).all(), name


def test_every_run_passes_its_lowest_point(paired):
    for name in ("weak_best_epochs", "strong_best_epochs"):
        assert max(paired[name]) < paired["NUM_EPOCHS"]


@pytest.mark.claim
def test_alpha_is_weighed_against_the_loss_on_a_standardised_target_it_flattens():
    """alpha=100 with the 256-unit network, 100 epochs: relative to the targets'
    spread, its predictions spread at least four times less on the standardised
    target than on the raw one, and under a sixth of the targets' spread there."""
    import numpy as np
    from sklearn.neural_network import MLPRegressor

    X_train, X_val, y_train, _ = diabetes_split()
    spread = {}
    for scale in ("raw", "standardised"):
        target = (
            y_train if scale == "raw" else (y_train - y_train.mean()) / y_train.std()
        )
        model = MLPRegressor(
            hidden_layer_sizes=(256,),
            alpha=100,
            learning_rate_init=0.01,
            random_state=np.random.RandomState(0),
        )
        for _ in range(100):
            model.partial_fit(X_train, target)
        spread[scale] = model.predict(X_val).std() / target.std()
    assert spread["standardised"] < spread["raw"] / 4
    assert spread["standardised"] < 1 / 6


@pytest.mark.claim
def test_loss_curve_is_half_the_mse_before_the_update_plus_the_penalty():
    """The admonition, with the full batch (where the batch is all N examples)."""
    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    alpha = 1.0
    model = MLPRegressor(
        hidden_layer_sizes=(8,), alpha=alpha, batch_size=len(X), random_state=0
    )
    model.partial_fit(X, y)
    mse_before = np.mean((model.predict(X) - y) ** 2)
    squared_weights = sum(np.sum(coef**2) for coef in model.coefs_)
    model.partial_fit(X, y)
    mse_after = np.mean((model.predict(X) - y) ** 2)
    penalty = alpha * squared_weights / (2 * len(X))
    assert model.loss_curve_[-1] == pytest.approx(mse_before / 2 + penalty)
    assert model.loss_curve_[-1] != pytest.approx(mse_after / 2 + penalty)


def one_epoch_of_penalty(batch_size, alpha):
    """A network after one epoch, with its weights, MSE and intercepts just before
    it: an epoch at a learning rate so small that the weights do not move."""
    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    model = MLPRegressor(
        hidden_layer_sizes=(8,),
        alpha=alpha,
        batch_size=batch_size,
        solver="sgd",
        momentum=0,
        learning_rate_init=1e-12,
        shuffle=False,
        random_state=0,
    )
    model.partial_fit(X, y)
    weights = sum(np.sum(coef**2) for coef in model.coefs_)
    intercepts = sum(np.sum(b**2) for b in model.intercepts_)
    mse = np.mean((model.predict(X) - y) ** 2)
    model.partial_fit(X, y)
    return model, len(X), weights, intercepts, mse


@pytest.mark.claim
def test_the_l2_penalty_is_divided_by_the_batch_size_weights_only():
    """Batches of 50 of N = 442: each batch's loss gets alpha * |W|^2 / (2 * 50)
    (the last batch's, over its own size), intercepts not included; so an epoch's
    loss_curve_ has k times the penalty over N, for k batches, not once."""
    alpha, batch_size = 1000.0, 50
    model, n, weights, intercepts, mse = one_epoch_of_penalty(batch_size, alpha)
    sizes = [min(batch_size, n - start) for start in range(0, n, batch_size)]
    per_batch = sum(alpha * weights / (2 * size) * size / n for size in sizes)
    assert per_batch == pytest.approx(len(sizes) * alpha * weights / (2 * n))
    assert model.loss_curve_[-1] == pytest.approx(mse / 2 + per_batch, rel=1e-9)
    # The page's old sentence, "divided by twice the number of examples":
    once = alpha * weights / (2 * n)
    assert model.loss_curve_[-1] != pytest.approx(mse / 2 + once, rel=1e-6)
    # Intercepts penalised too would give:
    with_intercepts = len(sizes) * alpha * (weights + intercepts) / (2 * n)
    assert model.loss_curve_[-1] != pytest.approx(mse / 2 + with_intercepts, rel=1e-6)


@pytest.mark.claim
def test_smaller_batches_pull_the_weights_harder_with_the_same_alpha():
    """One SGD epoch from the same weights, with and without the penalty: the
    weights differ by the learning rate times alpha * W summed over the batches,
    each over its own size (not alpha * W / N); the intercepts do not differ."""
    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    n, batch_size, alpha, rate = len(X), 50, 1.0, 1e-9
    sizes = [min(batch_size, n - start) for start in range(0, n, batch_size)]
    model = MLPRegressor(
        hidden_layer_sizes=(8,),
        alpha=0.0,
        batch_size=batch_size,
        solver="sgd",
        momentum=0,
        learning_rate_init=rate,
        shuffle=False,
        random_state=0,
    )
    model.partial_fit(X, y)  # initialises the weights
    start = [coef.copy() for coef in model.coefs_]
    plain = copy.deepcopy(model)
    penalised = copy.deepcopy(model).set_params(alpha=alpha)
    plain.partial_fit(X, y)
    penalised.partial_fit(X, y)
    pull = rate * alpha * sum(1 / size for size in sizes)
    assert pull > 50 * rate * alpha / n  # far more than alpha * W / N
    for w0, w_plain, w_penalised in zip(
        start, plain.coefs_, penalised.coefs_, strict=True
    ):
        np.testing.assert_allclose(w_plain - w_penalised, pull * w0, rtol=1e-3)
    for b_plain, b_penalised in zip(
        plain.intercepts_, penalised.intercepts_, strict=True
    ):
        np.testing.assert_allclose(b_plain, b_penalised, rtol=1e-9)
