"""Shared set-up of the "Early stopping is regularisation" examples: the data, and
the two ways of holding a linear model back that the page compares.

The 442 diabetes patients are split as the other diabetes pages split them: 20 %
set aside as the test set, then a quarter of the rest held out as the validation
set, so 264 patients to train on. The 10 measurements are standardised on the
training set, and the target is centred on its training mean, which is the
model's intercept and is not penalised (as scikit-learn's Ridge leaves its
intercept alone). The model is linear: a prediction is the training mean plus
x @ w.

Both methods minimise the same loss, half the mean squared error on the training
set, (1/2N) |X w - y|^2, whose curvature (second derivative) is the matrix
C = X^T X / N: for standardised measurements, their correlation matrix.
"""

from typing import NamedTuple

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

FEATURES = load_diabetes().feature_names


class Split(NamedTuple):
    """The three sets, measurements standardised, and the training mean."""

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray
    mean: float


def diabetes(seed: int) -> Split:
    """Split the 442 patients with `seed`; standardise on the training set."""
    X, y = load_diabetes(return_X_y=True)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, random_state=seed
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.25, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_val, X_test = (scaler.transform(X) for X in (X_train, X_val, X_test))
    return Split(X_train, X_val, X_test, y_train, y_val, y_test, y_train.mean())


def curvature(X: np.ndarray, y: np.ndarray, mean: float):
    """C = X^T X / N and the gradient's constant part X^T (y - mean) / N: the
    loss's gradient at w is C @ w - b."""
    return X.T @ X / len(X), X.T @ (y - mean) / len(X)


def gradient_descent(
    C: np.ndarray, b: np.ndarray, rate: float, num_epochs: int, alpha=0.0
) -> np.ndarray:
    """Full-batch gradient descent from zero weights on the loss plus the penalty
    (alpha / 2) |w|^2: one update per epoch. Returns the weights after each epoch,
    one row per epoch (epoch 1 first). An array of alphas trains one model per
    alpha side by side (the last axis)."""
    alpha = np.asarray(alpha, dtype=float)
    w = np.zeros(b.shape + alpha.shape)
    path = []
    for _ in range(num_epochs):
        gradient = C @ w - (b if alpha.ndim == 0 else b[:, None]) + alpha * w
        w = w - rate * gradient
        path.append(w)
    return np.array(path)


def ridge(C: np.ndarray, b: np.ndarray, alpha) -> np.ndarray:
    """The weights that minimise the loss plus (alpha / 2) |w|^2, exactly:
    (C + alpha I)^-1 b. An array of alphas gives one row of weights per alpha,
    from C's eigenvectors Q and eigenvalues lam: Q diag(1 / (lam + alpha)) Q^T b."""
    if np.ndim(alpha) == 0:
        return np.linalg.solve(C + alpha * np.eye(len(b)), b)
    lam, Q = np.linalg.eigh(C)
    return (Q @ ((Q.T @ b)[:, None] / (lam[:, None] + np.asarray(alpha)))).T


def squared_error(X: np.ndarray, y: np.ndarray, mean: float, w) -> np.ndarray:
    """The mean squared error of the predictions mean + X @ w (one per column of
    w, if it has several)."""
    predictions = mean + X @ w
    errors = predictions - (y if np.ndim(w) == 1 else y[:, None])
    return np.mean(errors**2, axis=0)
