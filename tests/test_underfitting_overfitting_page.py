"""The claims of the under- and overfitting page (docs/underfitting-overfitting.md)."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

CURVES = "snippets/underfitting-overfitting/learning_curves.py"
CAPACITY = "snippets/underfitting-overfitting/capacity_and_regularisation.py"


@pytest.fixture(scope="module")
def curves(runs):
    values = runs[CURVES].values
    return {
        "train": np.array(values["train_loss"]),
        "val": np.array(values["val_loss"]),
        "too_few": values["TOO_FEW_EPOCHS"],
        "best": values["best_epoch"],
        "too_many": values["NUM_EPOCHS"],
    }


@pytest.fixture(scope="module")
def capacity(runs):
    return {name: np.array(value) for name, value in runs[CAPACITY].values.items()}


def at(curves, kind, epoch):
    return curves[kind][epoch - 1]


def test_the_sweet_spot_is_the_lowest_validation_loss(curves):
    assert curves["best"] == int(np.argmin(curves["val"])) + 1
    assert curves["too_few"] < curves["best"] < curves["too_many"]


def test_too_few_epochs_leave_both_losses_higher(curves):
    for kind in ("train", "val"):
        assert at(curves, kind, curves["too_few"]) > at(curves, kind, curves["best"])


def test_too_many_epochs_lower_training_and_raise_validation_loss(curves):
    assert at(curves, "train", curves["too_many"]) < at(curves, "train", curves["best"])
    assert at(curves, "val", curves["too_many"]) > at(curves, "val", curves["best"])


def test_printed_table_is_the_measured_losses(runs, curves):
    printed = runs[CURVES].markdown
    for epoch in (curves["too_few"], curves["best"], curves["too_many"]):
        train, val = at(curves, "train", epoch), at(curves, "val", epoch)
        assert f"| {epoch} | {train:,.0f} | {val:,.0f} |" in printed


def test_figure_marks_the_three_cases(runs, curves):
    (figure,) = runs[CURVES].figures
    for epoch in (curves["too_few"], curves["best"], curves["too_many"]):
        assert f"a vertical line at epoch {epoch:,}" in figure["alt"]


def test_more_capacity_fits_the_training_set_closer(capacity):
    assert (capacity["small_train"] > capacity["big_train"]).all()
    assert capacity["small_val"].min() > capacity["big_val"].min()


def test_the_small_network_is_still_improving_at_the_last_epoch(capacity):
    assert np.argmin(capacity["small_val"]) + 1 == capacity["NUM_EPOCHS"]


def test_overfitting_widens_the_gap(curves):
    gap = curves["val"] - curves["train"]
    assert gap[curves["too_many"] - 1] > gap[curves["best"] - 1]


def test_more_capacity_overfits(capacity):
    small_gap = capacity["small_val"][-1] - capacity["small_train"][-1]
    big_gap = capacity["big_val"][-1] - capacity["big_train"][-1]
    assert big_gap > small_gap
    assert np.argmin(capacity["big_val"]) + 1 < capacity["NUM_EPOCHS"]
    best = np.argmin(capacity["big_val"])
    assert capacity["big_val"][-1] > capacity["big_val"][best]
    assert capacity["big_train"][-1] < capacity["big_train"][best]


def test_regularisation_narrows_the_gap(capacity):
    big_gap = capacity["big_val"][-1] - capacity["big_train"][-1]
    regularised_gap = (
        capacity["regularised_val"][-1] - capacity["regularised_train"][-1]
    )
    assert regularised_gap < big_gap
    assert capacity["regularised_train"][-1] > capacity["big_train"][-1]
    assert capacity["regularised_val"][-1] < capacity["big_val"][-1]


def test_loss_curve_is_half_the_mse_before_the_update_plus_the_penalty():
    """The admonition, and how scikit-learn adds the L2 penalty to the loss."""
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
