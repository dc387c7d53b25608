"""Iterations per epoch are ⌈N / B⌉: counted on a real training loop.

A mini-batch training loop in NumPy updates a linear model once per batch, and
counts its iterations. For every training-set size N and batch size B tried, an
epoch takes N / B iterations rounded up: when B does not divide N, the examples left
over form one last, smaller batch. A loop that drops that partial batch takes N / B
rounded down instead, and leaves a few examples out of every epoch.
"""

# %%
# A mini-batch training loop that counts its iterations
# -----------------------------------------------------
import math

import matplotlib.pyplot as plt
import numpy as np

NUM_EPOCHS = 5
LEARNING_RATE = 0.01


def train(X, y, batch_size, num_epochs, drop_last=False):
    """Train a linear model by mini-batch gradient descent; count the iterations."""
    rng = np.random.default_rng(0)
    w, b = np.zeros(X.shape[1]), 0.0
    num_iterations = 0
    for _ in range(num_epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            if drop_last and len(batch) < batch_size:
                continue
            X_batch, y_batch = X[batch], y[batch]
            error = X_batch @ w + b - y_batch
            w -= LEARNING_RATE * 2 * X_batch.T @ error / len(batch)
            b -= LEARNING_RATE * 2 * error.mean()
            num_iterations += 1
    return num_iterations


def make_data(num_examples):
    """A regression problem with three features and a little noise."""
    rng = np.random.default_rng(num_examples)
    X = rng.normal(size=(num_examples, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(0, 0.1, num_examples)
    return X, y


# %%
# Count the iterations of 5 epochs, for several N and B
# -----------------------------------------------------
# 1,000 examples in batches of 100 is the textbook case. 353 is the size of the
# Diabetes training split used on the other pages, and 200 the batch size that
# scikit-learn picks for it by default.
CASES = [(1000, 100), (353, 200), (353, 32), (353, 353), (10, 4)]

iterations, iterations_dropping_last = [], []
print("| N | B | ⌈N / B⌉ | Last batch |", end="")
print(f" Iterations in {NUM_EPOCHS} epochs | The same, dropping the last batch |")
print("|---:|---:|---:|---:|---:|---:|")
for num_examples, batch_size in CASES:
    X, y = make_data(num_examples)
    iterations.append(train(X, y, batch_size, NUM_EPOCHS))
    iterations_dropping_last.append(train(X, y, batch_size, NUM_EPOCHS, drop_last=True))
    per_epoch = math.ceil(num_examples / batch_size)
    last_batch = num_examples - (per_epoch - 1) * batch_size
    print(
        f"| {num_examples:,} | {batch_size} | {per_epoch} | {last_batch} "
        f"| {iterations[-1]} | {iterations_dropping_last[-1]} |"
    )

# %%
# Count the iterations of one epoch over 353 examples, for every batch size
# -------------------------------------------------------------------------
NUM_EXAMPLES = 353
batch_size_range = np.arange(1, NUM_EXAMPLES + 1)
X, y = make_data(NUM_EXAMPLES)
per_epoch = [train(X, y, size, 1) for size in batch_size_range]
per_epoch_dropping_last = [
    train(X, y, size, 1, drop_last=True) for size in batch_size_range
]

fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(batch_size_range, per_epoch, label="Keeping the last partial batch")
ax.plot(
    batch_size_range,
    per_epoch_dropping_last,
    linestyle="--",
    label="Dropping the last partial batch",
)
ax.set_xscale("log")  # the small batch sizes, where the count changes most, spread out
ax.set_yscale("log")
ax.set_xlabel("Batch size")
ax.set_ylabel("Iterations per epoch")
ax.set_title(f"Iterations in one epoch over {NUM_EXAMPLES} examples")
ax.grid(True)
ax.legend()
plt.show()
