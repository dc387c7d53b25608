"""The claims of the page docs/does-it-transfer.md.

Every claim is checked on all five seeds its example runs; none pins a number one
seed happened to give. Cells of the page's closing table are checked twice: the
word the build printed, and the condition behind it, recomputed from the runs.
"""

import ast
import math
import re

import pytest
from conftest import ROOT

FOLDER = "snippets/does-it-transfer"
DIGITS = f"{FOLDER}/loss_per_epoch.py"
SIDE = f"{FOLDER}/side_by_side.py"
DIABETES_ROW, DIGITS_ROW = 0, 1  # the rows of side_by_side's arrays


def helpers():
    """The page's shared set-up module, imported as its examples import it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_helpers", ROOT / FOLDER / "_helpers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(markdown):
    """The closing table as printed: {lesson: [diabetes word, digits word]}."""
    found = {}
    for line in markdown.splitlines():
        parts = [part.strip() for part in line.strip().strip("|").split("|")]
        if len(parts) == 3 and parts[1].startswith("**"):
            found[parts[0]] = [re.match(r"\*\*(\w+)\*\*", p)[1] for p in parts[1:]]
    return found


def row(runs, start):
    """The printed words of the table row whose lesson starts with ``start``."""
    (words,) = [
        w
        for lesson, w in cells(runs[SIDE].markdown).items()
        if lesson.startswith(start)
    ]
    return words


# -- the setting --------------------------------------------------------------


@pytest.mark.claim
def test_the_two_settings_are_as_the_table_says(runs):
    import numpy as np

    module = helpers()
    digits, diabetes = module.digits(0), module.diabetes(0)
    assert len(digits.X_train) + len(digits.X_val) + len(digits.X_test) == 1797
    assert digits.X_train.shape[1] == 64 and len(np.unique(digits.y_train)) == 10
    assert (len(digits.X_train), len(digits.X_val), len(digits.X_test)) == (
        1077,
        360,
        360,
    )
    assert (len(diabetes.X_train), len(diabetes.X_val), len(diabetes.X_test)) == (
        264,
        89,
        89,
    )
    assert diabetes.X_train.shape[1] == 10
    assert 140 < np.mean(diabetes.y_train) < 160  # a score around 150, unscaled
    values, side = runs[DIGITS].values, runs[SIDE].values
    assert values["BATCH_SIZE"] == 32 and values["updates_per_epoch"] == 34
    assert side["DIGITS_BATCH_SIZES"][0] == 32
    assert side["DIABETES_BATCH_SIZES"][-1] == 200 and math.ceil(264 / 200) == 2
    assert values["LEARNING_RATE"] == side["DIGITS_LEARNING_RATE"] == 0.005
    assert side["DIABETES_LEARNING_RATE"] == 0.01
    # the inputs are standardised on the training set
    assert np.allclose(digits.X_train.mean(axis=0), 0)
    assert np.allclose(diabetes.X_train.std(axis=0), 1)


@pytest.mark.claim
def test_one_partial_fit_call_is_one_epoch_of_34_updates():
    import numpy as np
    from sklearn.neural_network import MLPClassifier

    data = helpers().digits(0)
    model = MLPClassifier(
        hidden_layer_sizes=(128,), batch_size=32, random_state=np.random.RandomState(0)
    )
    model.partial_fit(data.X_train, data.y_train, classes=np.arange(10))
    assert model.n_iter_ == 1  # scikit-learn's "iteration": one epoch
    assert model.t_ == len(data.X_train)  # every training image seen once
    assert model._optimizer.t == math.ceil(len(data.X_train) / 32) == 34  # updates


def shuffled_orders(monkeypatch, random_state, calls, fit=False):
    """The order in which each epoch takes the examples, as scikit-learn draws it
    (its shuffle is watched): ``calls`` partial_fit calls, or one fit call of
    ``calls`` epochs."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor
    from sklearn.neural_network import _multilayer_perceptron as mlp

    drawn = []
    shuffle = mlp.shuffle

    def watched(*arrays, **kwargs):
        result = shuffle(*arrays, **kwargs)
        drawn.append(result.copy())
        return result

    monkeypatch.setattr(mlp, "shuffle", watched)
    X = np.random.default_rng(0).normal(size=(20, 3))
    y = X.sum(axis=1)
    model = MLPRegressor(
        hidden_layer_sizes=(4,), batch_size=5, random_state=random_state
    )
    if fit:
        model.set_params(max_iter=calls, n_iter_no_change=calls)
        with pytest.warns(ConvergenceWarning):  # it stops at max_iter, as asked
            model.fit(X, y)
    else:
        for _ in range(calls):
            model.partial_fit(X, y)
    monkeypatch.undo()
    return drawn


@pytest.mark.claim
def test_an_integer_random_state_repeats_the_order_every_call(monkeypatch):
    import numpy as np

    repeated = shuffled_orders(monkeypatch, 0, 4)
    assert len(repeated) == 4
    assert not np.array_equal(repeated[0], repeated[1])  # the first differs
    for order in repeated[2:]:
        assert np.array_equal(order, repeated[1])  # then the same every epoch
    for orders in (
        shuffled_orders(monkeypatch, np.random.RandomState(0), 4),
        shuffled_orders(monkeypatch, 0, 4, fit=True),
    ):
        assert len(orders) == 4
        assert len({tuple(order) for order in orders}) == 4  # a new order each time


@pytest.mark.claim
def test_the_examples_pass_a_random_state_instance():
    """Every network built in the page's examples gets random_state=
    np.random.RandomState(seed)."""
    built = 0
    for path in sorted((ROOT / FOLDER).glob("[!_]*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and any(
                k.arg == "hidden_layer_sizes" for k in node.keywords
            ):
                built += 1
                (state,) = [k.value for k in node.keywords if k.arg == "random_state"]
                assert ast.unparse(state) == "np.random.RandomState(seed)", path.name
    assert built >= 2


# -- what follows the lowest validation loss, on digits -----------------------


@pytest.mark.claim
def test_every_run_goes_on_for_three_times_its_best_epoch(runs):
    values = runs[DIGITS].values
    for best, epochs in zip(values["best_epochs"], values["num_epochs"], strict=True):
        assert epochs == best + max(10, 2 * best)  # stopped by the rule
    assert all(all(row) for row in runs[SIDE].values["ended_by_the_rule"])


@pytest.mark.claim
def test_digits_reach_their_lowest_validation_loss_within_a_few_tens_of_epochs(runs):
    import numpy as np

    values = runs[DIGITS].values
    best = values["best_epochs"]
    assert len(best) == 5
    assert max(best) < 50 and np.median(best) < 20
    updates = [epoch * values["updates_per_epoch"] for epoch in best]
    assert min(updates) >= 100


@pytest.mark.claim
def test_on_digits_the_validation_loss_rises_slowly_while_the_training_loss_falls(
    runs,
):
    values = runs[DIGITS].values
    assert len(values["val_trend"]) == 5
    for up, down, fall, rise in zip(
        values["val_trend"],
        values["train_trend"],
        values["train_fall"],
        values["val_rise"],
        strict=True,
    ):
        assert up > 0.8 and down < -0.9  # steadily up, steadily down
        assert fall > 3  # "several times over"
        assert rise < 0.15  # "a few percent"


@pytest.mark.claim
def test_on_digits_the_test_loss_does_not_follow_the_validation_loss(runs):
    values = runs[DIGITS].values
    assert sum(change > 0 for change in values["test_change"]) < 5
    for test_best, best in zip(
        values["test_best_epochs"], values["best_epochs"], strict=True
    ):
        assert test_best != best


@pytest.mark.claim
def test_on_digits_the_accuracy_holds_while_the_validation_loss_rises(runs):
    """Paired, seed by seed: the accuracy at the last epoch against the accuracy
    at the lowest validation loss; the rise is the trend, not the endpoint."""
    values = runs[DIGITS].values
    assert len(values["accuracy_change"]) == 5
    for change, up in zip(values["accuracy_change"], values["val_trend"], strict=True):
        assert change >= 0 and up > 0.8


@pytest.mark.claim
def test_over_confidence_lowers_the_loss_when_right_and_raises_it_when_wrong(runs):
    values = runs[DIGITS].values
    for name in ("confidence_change", "right_change", "wrong_change"):
        assert len(values[name]) == 5
    assert all(change > 0 for change in values["confidence_change"])
    assert all(change < 0 for change in values["right_change"])
    assert all(change > 0 for change in values["wrong_change"])


@pytest.mark.claim
def test_sklearn_early_stopping_scores_a_classifier_by_its_accuracy():
    """Each validation score is a count of right answers over the validation set."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    X = X / 16
    model = MLPClassifier(
        hidden_layer_sizes=(16,), early_stopping=True, max_iter=5, random_state=0
    )
    with pytest.warns(Warning):  # five epochs are too few to converge
        model.fit(X, y)
    num_val = math.ceil(0.1 * len(X))
    scores = np.array(model.validation_scores_) * num_val
    assert np.allclose(scores, np.round(scores)) and len(scores) == 5
    assert scores.min() > 0 and scores.max() <= num_val


# -- where each lesson holds ----------------------------------------------------


def test_the_table_has_every_lesson_for_both_data_sets(runs):
    found = cells(runs[SIDE].markdown)
    assert len(found) == 5
    for words in found.values():
        assert all(word in {"holds", "differs", "mixed", "unclear"} for word in words)


def test_both_examples_agree_on_the_digits_runs(runs):
    side = runs[SIDE].values
    assert side["shown_best_epochs"][DIGITS_ROW] == runs[DIGITS].values["best_epochs"]


@pytest.mark.claim
def test_overfitting_follows_the_lowest_point_on_both_data_sets(runs):
    side = runs[SIDE].values
    for data_set in (DIABETES_ROW, DIGITS_ROW):
        assert len(side["val_trend"][data_set]) == 5
        assert all(up > 0.5 for up in side["val_trend"][data_set])
        assert all(down < -0.5 for down in side["train_trend"][data_set])
    assert row(runs, "After its lowest point") == ["holds", "holds"]


@pytest.mark.claim
def test_the_test_loss_rises_on_diabetes_and_not_in_every_seed_on_digits(runs):
    change = runs[SIDE].values["test_change"]
    assert all(c > 0 for c in change[DIABETES_ROW])
    assert 0 < sum(c > 0 for c in change[DIGITS_ROW]) < 5
    assert row(runs, "The test loss") == ["holds", "mixed"]


@pytest.mark.claim
def test_hundreds_of_epochs_hold_on_diabetes_only(runs):
    import numpy as np

    best = runs[SIDE].values["shown_best_epochs"]
    assert min(best[DIABETES_ROW]) >= 100 and max(best[DIGITS_ROW]) < 100
    assert np.median(best[DIABETES_ROW]) > 5 * np.median(best[DIGITS_ROW])
    assert row(runs, "The lowest validation loss") == ["holds", "differs"]


@pytest.mark.claim
def test_updates_carry_over_on_diabetes_but_not_on_digits(runs):
    """Paired by seed: each seed's exponent comes from its own runs at both batch
    sizes; the verdicts are about the mean of the five and its standard error."""
    import numpy as np

    side = runs[SIDE].values
    mean, error = side["exponent"], side["exponent_error"]
    for data_set in (DIABETES_ROW, DIGITS_ROW):
        exponents = side["exponents"][data_set]
        assert len(exponents) == 5
        assert mean[data_set] == pytest.approx(np.mean(exponents))
    assert abs(mean[DIABETES_ROW]) < 2 * error[DIABETES_ROW]
    assert mean[DIABETES_ROW] - 2 * error[DIABETES_ROW] > -0.5
    # digits: fewer updates with the larger batch, and yet more epochs
    assert -1 + 2 * error[DIGITS_ROW] < mean[DIGITS_ROW] < -2 * error[DIGITS_ROW]
    # while the best epoch moved several times over on diabetes (200 against 50)
    epochs = np.array(side["best_epochs"][DIABETES_ROW])
    assert np.median(epochs[:, 1] / epochs[:, 0]) > 2
    assert row(runs, "At one learning rate") == ["holds", "differs"]


@pytest.mark.claim
def test_a_rising_validation_loss_means_worse_predictions_on_diabetes_only(runs):
    change = runs[SIDE].values["error_change"]
    assert len(change[DIABETES_ROW]) == len(change[DIGITS_ROW]) == 5
    assert all(c > 0 for c in change[DIABETES_ROW])  # mean absolute error rose
    assert all(c <= 0 for c in change[DIGITS_ROW])  # error rate did not
    assert row(runs, "As the validation loss rises") == ["holds", "differs"]
