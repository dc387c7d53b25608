"""The claims of the reading-loss-curves page (docs/reading-loss-curves.md)."""

import pytest

FOLDER = "snippets/reading-loss-curves"


def values(runs, name):
    import numpy as np

    return {k: np.asarray(v) for k, v in runs[f"{FOLDER}/{name}.py"].values.items()}


@pytest.mark.claim
def test_too_high_the_loss_jumps(runs):
    import numpy as np

    run = values(runs, "too_high")
    train, val = run["train_loss"], run["val_loss"]
    assert np.mean(np.diff(train) > 0) > 0.15
    assert np.mean(np.diff(val) > 0) > 0.15
    assert np.max(train[1:] / train[:-1]) > 1.5  # a large factor in one epoch


@pytest.mark.claim
def test_higher_still_with_plain_sgd_the_weights_overflow():
    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.neural_network import MLPRegressor

    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    model = MLPRegressor(
        hidden_layer_sizes=(128,), solver="sgd", learning_rate_init=1.0, random_state=0
    )
    overflow = pytest.raises(ValueError, match="non-finite parameter weights")
    with overflow, np.errstate(all="ignore"):
        for _ in range(10):
            model.partial_fit(X, y)


@pytest.mark.claim
def test_too_low_still_falling_at_the_end_above_the_mean(runs):
    import numpy as np

    run = values(runs, "too_low")
    for curve in (run["train_loss"], run["val_loss"]):
        assert (np.diff(curve) < 0).all()
    assert run["val_loss"][-1] > run["mean_loss"]


@pytest.mark.claim
def test_plateau_flat_at_the_means_loss_then_falling(runs, variant_runs):
    import numpy as np

    name = f"{FOLDER}/plateau.py"
    every = [runs[name].values] + [r.values for _, r in variant_runs[name]]
    assert len(every) == 4
    for run in every:
        train = np.asarray(run["train_loss"])
        start, end = run["plateau_start"], run["plateau_end"]
        assert end - start >= 15
        flat = train[start - 1 : end]
        assert (np.abs(flat / run["mean_loss"] - 1) < 0.03).all()  # no gap in it
        assert run["train_loss_at_end"] < 0.7 * run["mean_loss"]


@pytest.mark.claim
def test_small_validation_set_is_noisier_and_picks_another_epoch(runs):
    import numpy as np

    run = values(runs, "noisy_validation")
    small, full = run["small_val_loss"], run["val_loss"]

    def roughness(curve):
        return np.median(np.abs(np.diff(curve)) / curve[:-1])

    assert roughness(small) > 1.5 * roughness(full)
    assert run["small_best_epoch"] != run["best_epoch"]


@pytest.mark.claim
def test_underfitting_high_flat_close(runs):
    run = values(runs, "underfitting")
    train, val = run["train_loss"], run["val_loss"]
    assert train[-1] > run["line_train_loss"]
    for curve in (train, val):
        assert abs(curve[-1] / curve[-51] - 1) < 0.03
    assert abs(val[-1] - train[-1]) < 0.25 * train[-1]


@pytest.mark.claim
def test_overfitting_turns_and_rises(runs):
    run = values(runs, "overfitting")
    train, val, best = run["train_loss"], run["val_loss"], int(run["best_epoch"])
    assert 1 < best < run["NUM_EPOCHS"] // 4  # early
    assert val[-1] > 1.3 * val[best - 1]
    assert train[-1] < train[best - 1]
    gap = val - train
    assert gap[-1] > gap[best - 1]
