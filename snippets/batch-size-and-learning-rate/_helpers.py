"""Shared set-up of the batch-size examples: the data, the linear model's loss, and a
mini-batch training loop that runs many learning rates and seeds side by side.

The model is the linear model of the Batches page: the Diabetes training split (353
patients), inputs standardised, the target in its own units, plain mini-batch
gradient descent from zero weights, a new order of the examples every epoch. Its
loss is a quadratic, so the training loss after any update is computed exactly from
the weights' distance to the least-squares solution, without a pass over the data.
"""

from typing import NamedTuple

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DIVERGED = 1e7
"""A training loss above this counts as a run that diverged."""


class Problem(NamedTuple):
    """The training split, with a column of ones for the intercept, and its bottom."""

    X_train: np.ndarray  # the standardised inputs, one row a patient
    A: np.ndarray  # the inputs and a column of ones: weights and intercept together
    y_train: np.ndarray
    best_weights: np.ndarray  # least squares: the lowest training loss there is
    bottom: float  # that loss
    curvature: np.ndarray  # A'A / N: the loss is bottom + d' curvature d


def load_problem() -> Problem:
    """The Diabetes training split of the Batches page and its least-squares bottom."""
    X, y = load_diabetes(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train = StandardScaler().fit_transform(X_train)
    A = np.column_stack([X_train, np.ones(len(X_train))])
    best_weights = np.linalg.lstsq(A, y_train, rcond=None)[0]
    bottom = float(np.mean((A @ best_weights - y_train) ** 2))
    return Problem(X_train, A, y_train, best_weights, bottom, A.T @ A / len(A))


def loss(problem: Problem, weights: np.ndarray) -> np.ndarray:
    """The training loss (MSE) of weights whose last axis is a weight vector."""
    distance = weights - problem.best_weights
    return problem.bottom + np.sum((distance @ problem.curvature) * distance, axis=-1)


def example_gradients(problem: Problem, weights: np.ndarray) -> np.ndarray:
    """The gradient of each example's squared error at `weights`, one row each."""
    error = problem.A @ weights - problem.y_train
    return 2 * problem.A * error[:, None]


def largest_stable_rate(problem: Problem) -> float:
    """2 / the largest eigenvalue of the loss's Hessian: above it, full-batch
    gradient descent diverges."""
    return float(2 / np.linalg.eigvalsh(2 * problem.curvature).max())


def training_losses(
    problem: Problem,
    batch_size: int,
    rates: np.ndarray,
    seeds: list[int],
    target: float,
    warmup_updates: int = 0,
    max_updates: int = 1000,
) -> np.ndarray:
    """Train from zero weights with every rate and every seed (the order of the
    examples) at once; return the training loss after each update, by update, seed
    and rate, infinite once a run has diverged. Training stops when every run has
    reached `target` (or diverged), or after `max_updates`. With `warmup_updates`,
    the rate rises linearly from rate / warmup_updates to the full rate over them."""
    N = len(problem.A)
    rates = np.asarray(rates, dtype=float)
    weights = np.zeros((len(seeds), len(rates), problem.A.shape[1]))
    reached = np.zeros(weights.shape[:2], dtype=bool)
    diverged = np.zeros(weights.shape[:2], dtype=bool)
    generators = [np.random.default_rng(seed) for seed in seeds]
    losses, start = [], N
    for t in range(1, max_updates + 1):
        if start >= N:  # a new epoch: a new order of the examples for every seed
            orders = np.stack([g.permutation(N) for g in generators])
            start = 0
        batch = orders[:, start : start + batch_size]
        start += batch_size
        A_batch, y_batch = problem.A[batch], problem.y_train[batch]
        error = weights @ A_batch.transpose(0, 2, 1) - y_batch[:, None, :]
        gradient = 2 * error @ A_batch / batch.shape[1]
        rate = rates * min(1.0, t / warmup_updates) if warmup_updates else rates
        weights -= rate[None, :, None] * gradient
        now = loss(problem, weights)
        diverged |= ~(now < DIVERGED)
        weights[diverged] = 0.0  # no overflow; their losses are set to infinity
        now[diverged] = np.inf
        losses.append(now)
        reached |= now <= target
        if (reached | diverged).all():
            break
    return np.array(losses)


def updates_to_target(
    problem: Problem,
    batch_size: int,
    rates: np.ndarray,
    seeds: list[int],
    target: float,
    warmup_updates: int = 0,
    max_updates: int = 1000,
) -> np.ndarray:
    """The number of updates each run of `training_losses` took to bring the
    training loss to `target` or below, by seed and rate; infinite where it
    diverged first or had not got there after `max_updates`."""
    losses = training_losses(
        problem, batch_size, rates, seeds, target, warmup_updates, max_updates
    )
    below = losses <= target
    return np.where(below.any(axis=0), below.argmax(axis=0) + 1, np.inf)


def critical_batch_size(
    batch_sizes: list[int], updates: list[float]
) -> tuple[float, float]:
    """Fit updates = S_min (1 + B_crit / B) to the fewest updates at each batch size
    (by least squares on their logarithms); return S_min, the fewest updates any
    batch size needs, and B_crit, the critical batch size, where twice as many are
    needed: below it, twice the batch takes about half the updates."""
    from scipy.optimize import curve_fit

    def model(B, fewest, critical):
        return np.log(fewest * (1 + critical / B))

    sizes = np.asarray(batch_sizes, dtype=float)
    (fewest, critical), _ = curve_fit(model, sizes, np.log(updates), p0=(5, 10))
    return float(fewest), float(critical)
