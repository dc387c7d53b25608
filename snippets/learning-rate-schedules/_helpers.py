"""Shared set-up of the "Learning-rate schedules" examples: the data, the four
schedules, and the training loop they all use.

The model is the Batches page's linear model, trained by hand with mini-batch
gradient descent, so that the learning rate can change from epoch to epoch (no
scikit-learn estimator takes a cosine schedule or a warm-up). The Diabetes data
is split as on the other pages: 20 % set aside as the test set, then a quarter of
the rest held out as the validation set; inputs and target are standardised on the
training set, and every loss is measured in the target's own units.
"""

from typing import NamedTuple

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Split(NamedTuple):
    """The three sets (inputs standardised, targets in their own units) and the
    scaler that standardises the training target."""

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray
    target_scaler: StandardScaler


def split() -> Split:
    """The same split as the other diabetes pages (`random_state=42`)."""
    X, y = load_diabetes(return_X_y=True)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, random_state=42
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.25, random_state=42
    )
    scaler = StandardScaler().fit(X_train)
    target_scaler = StandardScaler().fit(y_train.reshape(-1, 1))
    return Split(
        scaler.transform(X_train),
        scaler.transform(X_val),
        scaler.transform(X_test),
        y_train,
        y_val,
        y_test,
        target_scaler,
    )


# The schedules: the learning rate of each epoch, epochs counted from 1
def constant(rate: float, num_epochs: int) -> np.ndarray:
    """The same rate for every epoch."""
    return np.full(num_epochs, rate)


def step(rate: float, num_epochs: int, at=(0.5, 0.75), factor=10.0) -> np.ndarray:
    """The rate divided by `factor` after each fraction `at` of the run."""
    epochs = np.arange(num_epochs)
    drops = sum((epochs >= round(f * num_epochs)).astype(int) for f in at)
    return rate / factor**drops


def cosine(rate: float, num_epochs: int) -> np.ndarray:
    """Half a cosine wave from `rate` at epoch 1 down towards 0 at the last."""
    return rate * 0.5 * (1 + np.cos(np.pi * np.arange(num_epochs) / num_epochs))


def warmup_cosine(rate: float, num_epochs: int, warmup: int = 5) -> np.ndarray:
    """A linear rise over the first `warmup` epochs, from rate / warmup to rate,
    then a cosine over the remaining epochs."""
    rise = rate * np.arange(1, warmup + 1) / warmup
    return np.concatenate([rise, cosine(rate, num_epochs - warmup)])


# Mini-batch gradient descent with a rate per epoch
def train(data: Split, rates: np.ndarray, batch_size: int, seed: int) -> np.ndarray:
    """Train the linear model from zero weights, epoch e at `rates[e - 1]`, with a
    new order of the examples every epoch drawn from `seed`; return the weights
    (the intercept last) after every epoch, one row an epoch."""
    rng = np.random.RandomState(seed)
    target = data.target_scaler.transform(data.y_train.reshape(-1, 1)).ravel()
    X = np.hstack([data.X_train, np.ones((len(target), 1))])
    w = np.zeros(X.shape[1])
    weights = np.empty((len(rates), len(w)))
    for epoch, rate in enumerate(rates):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            error = X[batch] @ w - target[batch]
            w -= rate * 2 * X[batch].T @ error / len(batch)
        weights[epoch] = w
    return weights


def loss(data: Split, weights: np.ndarray, X: np.ndarray, y: np.ndarray):
    """The mean squared error in the target's own units of each row of `weights`
    (one set of weights, or one row an epoch)."""
    scaled = X @ np.atleast_2d(weights)[:, :-1].T + np.atleast_2d(weights)[:, -1]
    prediction = scaled * data.target_scaler.scale_[0] + data.target_scaler.mean_[0]
    found = np.mean((prediction - y[:, None]) ** 2, axis=0)
    return found if np.ndim(weights) == 2 else float(found[0])
