"""A batch size between 1 and 32: where its loss is after the first epoch.

The first example's linear model, loop and order of the examples, for one epoch in
batches of 1, 8 and 32. Batches of 8 make ⌈353 / 8⌉ = 45 updates per epoch, between
the 353 of batch size 1 and the 12 of batch size 32, and their training loss after
the first epoch falls between those two.
"""

import math

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

BATCH_SIZES = [1, 8, 32]
LEARNING_RATE = 0.01  # the rate of the first example as shown
ORDER_SEED = 0  # the order of the examples in the epoch

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
X_train = StandardScaler().fit_transform(X_train)


def first_epoch_loss(X, y, batch_size):
    """The training loss of a linear model after one epoch in batches."""
    rng = np.random.default_rng(ORDER_SEED)
    w, b = np.zeros(X.shape[1]), 0.0
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        X_batch, y_batch = X[batch], y[batch]
        error = X_batch @ w + b - y_batch
        w -= LEARNING_RATE * 2 * X_batch.T @ error / len(batch)
        b -= LEARNING_RATE * 2 * error.mean()
    return float(np.mean((X @ w + b - y) ** 2))


after_epoch_1 = [first_epoch_loss(X_train, y_train, size) for size in BATCH_SIZES]
updates_per_epoch = [math.ceil(len(X_train) / size) for size in BATCH_SIZES]
print("| Batch size | Updates in the epoch | Training loss after epoch 1 |")
print("|---:|---:|---:|")
for size, updates, loss in zip(
    BATCH_SIZES, updates_per_epoch, after_epoch_1, strict=True
):
    print(f"| {size} | {updates} | {loss:,.0f} |")
