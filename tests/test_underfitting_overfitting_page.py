"""The claims of the under- and overfitting page (docs/underfitting-overfitting.md)."""

import copy

import pytest

CURVES = "snippets/underfitting-overfitting/learning_curves.py"
CAPACITY = "snippets/underfitting-overfitting/capacity_and_regularisation.py"


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


def at(curves, kind, epoch):
    return curves[kind][epoch - 1]


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
def test_regularisation_narrows_the_gap_at_the_last_epoch(every_capacity):
    for capacity in every_capacity:
        big_gap = capacity["big_val"][-1] - capacity["big_train"][-1]
        regularised_gap = (
            capacity["regularised_val"][-1] - capacity["regularised_train"][-1]
        )
        assert regularised_gap < big_gap
        assert capacity["regularised_train"][-1] > capacity["big_train"][-1]
        assert capacity["regularised_val"][-1] < capacity["big_val"][-1]


@pytest.mark.claim
def test_at_their_lowest_the_penalty_is_within_seed_noise(every_capacity):
    """The paired difference of the two lowest validation losses is smaller than
    the spread of the unregularised network's lowest over the initial weights,
    and small against the loss itself."""
    lowest = [capacity["big_min"] for capacity in every_capacity]
    for capacity in every_capacity:
        gain = capacity["penalty_gain"]
        assert gain == capacity["big_min"] - capacity["regularised_min"]
        assert abs(gain) < max(lowest) - min(lowest)
        assert abs(gain) < 0.05 * capacity["big_min"]


@pytest.mark.claim
def test_no_network_beats_linear_regression_at_its_lowest(every_capacity):
    for capacity in every_capacity:
        lowest = [capacity[name] for name in ("long_min", "big_min", "regularised_min")]
        assert min(lowest) > capacity["linear_val_loss"]


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
