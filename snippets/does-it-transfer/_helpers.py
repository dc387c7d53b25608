"""Shared set-up of the "Does it transfer?" examples: the two data sets, split the
same way, and the training loop they all use.

Both data sets ship with scikit-learn. Each is split as the diabetes pages split
theirs: 20 % set aside as the test set, then a quarter of the rest held out as the
validation set; the inputs are standardised on the training set. `seed` draws
the split; the examples use the same number for the network's initial weights and
the order of its batches.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.stats import spearmanr
from sklearn.base import is_classifier
from sklearn.datasets import load_diabetes, load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Split(NamedTuple):
    """The training, validation and test sets, inputs standardised."""

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray


def split(X: np.ndarray, y: np.ndarray, seed: int, stratify: bool) -> Split:
    """Set the test set aside, hold out the validation set, standardise."""
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, random_state=seed, stratify=y if stratify else None
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest,
        y_rest,
        test_size=0.25,
        random_state=seed,
        stratify=y_rest if stratify else None,
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_val, X_test = (scaler.transform(X) for X in (X_train, X_val, X_test))
    return Split(X_train, X_val, X_test, y_train, y_val, y_test)


def digits(seed: int) -> Split:
    """The 1,797 8x8 images of handwritten digits, 10 classes (stratified split)."""
    return split(*load_digits(return_X_y=True), seed, stratify=True)


def diabetes(seed: int) -> Split:
    """The 442 diabetes patients; the target in its own units, around 150."""
    return split(*load_diabetes(return_X_y=True), seed, stratify=False)


def losses_per_example(model, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A classifier's loss on each example: -log(the probability it gives the
    true class), clipped at the machine epsilon as scikit-learn's own loss clips
    it (a probability rounded to 0 costs 36, not infinity)."""
    probabilities = model.predict_proba(X)
    true_class = probabilities[np.arange(len(y)), np.searchsorted(model.classes_, y)]
    return -np.log(np.clip(true_class, np.finfo(float).eps, None))


def cross_entropy(model, X: np.ndarray, y: np.ndarray) -> float:
    """A classifier's loss: the mean of its losses per example."""
    return float(losses_per_example(model, X, y).mean())


def squared_error(model, X: np.ndarray, y: np.ndarray) -> float:
    """A regressor's loss: the mean squared error of its predictions."""
    return float(np.mean((model.predict(X) - y) ** 2))


MAX_EPOCHS = 3000


def train_past_the_lowest(
    model,
    data: Split,
    measure: Callable[..., dict[str, float]],
    patience: int = 10,
    max_epochs: int = MAX_EPOCHS,
) -> dict[str, np.ndarray]:
    """Train `model` one epoch (one `partial_fit` call) at a time; after each
    epoch, record `measure(model, data)`, a dict with `"val_loss"` among its
    numbers.

    The run stops once the lowest validation loss so far is at least `patience`
    epochs back and in the first third of the run: it goes on for at least three
    times its best epoch, long enough to see what follows the lowest point. It
    stops at `max_epochs` otherwise. Returns each number as an array, one per
    epoch.
    """
    fit_kwargs = {"classes": np.unique(data.y_train)} if is_classifier(model) else {}
    curves: dict[str, list[float]] = {}
    for epoch in range(1, max_epochs + 1):
        model.partial_fit(data.X_train, data.y_train, **fit_kwargs)
        for name, value in measure(model, data).items():
            curves.setdefault(name, []).append(value)
        best = best_epoch(curves["val_loss"])
        if epoch - best >= max(patience, 2 * best):
            break
    return {name: np.array(values) for name, values in curves.items()}


def best_epoch(val_loss: np.ndarray) -> int:
    """The epoch of the lowest validation loss; epochs count from 1."""
    return int(np.argmin(val_loss)) + 1


def trend(values: np.ndarray) -> float:
    """The rank correlation of `values` with the epoch: +1 if every epoch is
    higher than the one before, -1 if every epoch is lower, near 0 if there is no
    trend."""
    return float(spearmanr(np.arange(len(values)), values)[0])
