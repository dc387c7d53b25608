"""Shared set-up of the "How sure is the best epoch?" examples: the diabetes data,
split the same way, and a small network trained in NumPy, many at once.

The 442 patients are split into a test set of 90, chosen by `test_seed`, and 352
development patients, which the examples split again into a training set of 264
and a validation set of 88 (four folds of 88). Every training set has 264
patients, so the networks of one example can be trained side by side as one stack
of arrays: one hidden layer of `HIDDEN_UNITS` ReLU units, Adam, the full batch (one
update per epoch). Each network standardises the target on its own training set
and reports its losses, mean squared errors, in the target's own units.
"""

from typing import NamedTuple

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import KFold, train_test_split

TEST_SIZE = 90
FOLDS = 4  # of the 352 development patients: 88 each, so 264 to train on
HIDDEN_UNITS = 16
LEARNING_RATE = 0.01


def development_and_test(test_seed: int):
    """The 352 development patients and the 90 test patients: X_dev, X_test,
    y_dev, y_test."""
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=TEST_SIZE, random_state=test_seed)


class Folds(NamedTuple):
    """One seed's four folds, stacked (first axis: the fold held out for
    validation), each input set standardised on its fold's training set; the test
    set is the same in every row."""

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray


def folds(seed: int) -> Folds:
    """The test set drawn by `seed`, and the development patients cut into
    `FOLDS` folds in an order drawn by `seed` too. Fold 1's row is one split: train
    on 264 patients, choose on 88."""
    X_dev, X_test, y_dev, y_test = development_and_test(seed)
    cuts = list(KFold(FOLDS, shuffle=True, random_state=seed).split(X_dev))
    X_train = np.array([X_dev[train] for train, _ in cuts])
    X_val = np.array([X_dev[val] for _, val in cuts])
    X_test = np.repeat(X_test[None], FOLDS, axis=0)
    X_train, X_val, X_test = standardise(X_train, X_val, X_test)
    y_train = np.array([y_dev[train] for train, _ in cuts])
    y_val = np.array([y_dev[val] for _, val in cuts])
    y_test = np.repeat(y_test[None], FOLDS, axis=0)
    return Folds(X_train, X_val, X_test, y_train, y_val, y_test)


def stack(parts: list[Folds]) -> Folds:
    """Several seeds' folds as one stack: seed after seed, fold after fold."""
    return Folds(*(np.concatenate(arrays) for arrays in zip(*parts, strict=True)))


def standardise(X_train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Every input set scaled by the training set's mean and SD, per network."""
    mean = X_train.mean(axis=-2, keepdims=True)
    sd = X_train.std(axis=-2, keepdims=True)
    return [(X - mean) / sd for X in (X_train, *others)]


class Network(NamedTuple):
    """A stack of networks' weights (first axis: one network each) and the mean and
    SD of the target on each one's training set."""

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    target_mean: np.ndarray
    target_sd: np.ndarray

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions in the target's own units, one row per network."""
        hidden = np.maximum(X @ self.W1 + self.b1[:, None, :], 0)
        standard = (hidden @ self.W2[:, :, None])[..., 0] + self.b2[:, None]
        return self.target_mean[:, None] + self.target_sd[:, None] * standard


def train(
    X_train: np.ndarray,
    y_train: np.ndarray,
    held_out: dict[str, tuple[np.ndarray, np.ndarray]],
    num_epochs: int,
    seeds: list[int],
    target_scaler: tuple[np.ndarray, np.ndarray],
    hidden_units: int = HIDDEN_UNITS,
    learning_rate: float = LEARNING_RATE,
) -> tuple[Network, dict[str, np.ndarray]]:
    """Train one network per row of `X_train` (shape: networks, 264, 10) with Adam
    on the full batch for `num_epochs` epochs; network i starts from weights drawn
    by `np.random.RandomState(seeds[i])`. `target_scaler` is each training set's
    target mean and SD. After every epoch, record the loss on each set of
    `held_out`, by name. Returns the networks after the last epoch and the
    losses, each of shape (networks, epochs): epoch e is column e - 1.
    """
    mean, sd = target_scaler
    target = (y_train - mean[:, None]) / sd[:, None]
    inputs = X_train.shape[-1]
    weights = []
    for seed in seeds:
        rng = np.random.RandomState(seed)
        bound1 = np.sqrt(6 / (inputs + hidden_units))  # Glorot, as scikit-learn
        bound2 = np.sqrt(6 / (hidden_units + 1))
        weights.append(
            (
                rng.uniform(-bound1, bound1, (inputs, hidden_units)),
                rng.uniform(-bound1, bound1, hidden_units),
                rng.uniform(-bound2, bound2, hidden_units),
                rng.uniform(-bound2, bound2),
            )
        )
    params = [np.array(w) for w in zip(*weights, strict=True)]
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    n = X_train.shape[-2]
    X_train_t = np.swapaxes(X_train, 1, 2)
    curves = {name: np.empty((len(seeds), num_epochs)) for name in held_out}
    for epoch in range(1, num_epochs + 1):
        W1, b1, W2, b2 = params
        hidden = np.maximum(X_train @ W1 + b1[:, None, :], 0)
        error = (hidden @ W2[:, :, None])[..., 0] + b2[:, None] - target
        grad_out = 2 * error / n
        grad_hidden = grad_out[:, :, None] * W2[:, None, :] * (hidden > 0)
        grads = [
            X_train_t @ grad_hidden,
            grad_hidden.sum(axis=1),
            (grad_out[:, None, :] @ hidden)[:, 0],
            grad_out.sum(axis=1),
        ]
        step = learning_rate * np.sqrt(1 - beta2**epoch) / (1 - beta1**epoch)
        for p, m, v, g in zip(params, moments, squares, grads, strict=True):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g**2
            p -= step * m / (np.sqrt(v) + eps)
        network = Network(*params, mean, sd)
        for name, (X, y) in held_out.items():
            curves[name][:, epoch - 1] = np.mean((network.predict(X) - y) ** 2, axis=1)
    return Network(*params, mean, sd), curves


def best_epoch(loss: np.ndarray) -> np.ndarray:
    """The epoch of the lowest loss along the last axis; epochs count from 1."""
    return np.argmin(loss, axis=-1) + 1
