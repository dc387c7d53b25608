"""Change the batch size, and the learning rate has to change too.

The linear model of the Batches page learns the Diabetes training split with batches
of 1, 32 and all 353 patients, each with learning rates from 0.0003 to 0.3, for the
same number of epochs. For each batch size one rate ends lowest, and the best rate
grows with the batch: an average over more examples is a steadier gradient, which
bears a longer step. A rate tuned for one batch size is a poor choice for another.
"""

# %%
# Load and scale the Diabetes training split
# ------------------------------------------
import math

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 10
SEED = 0  # the order of the examples in every epoch
LEARNING_RATES = np.logspace(-3.5, -0.5, 13)

X, y = load_diabetes(return_X_y=True)
X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train = StandardScaler().fit_transform(X_train)
batch_sizes = [1, 32, len(X_train)]


# %%
# Mini-batch gradient descent, returning the training loss at the end
# -------------------------------------------------------------------
def final_loss(batch_size, learning_rate):
    """Training loss after NUM_EPOCHS epochs; infinite if the run diverged."""
    rng = np.random.default_rng(SEED)
    w, b = np.zeros(X_train.shape[1]), 0.0
    for _ in range(NUM_EPOCHS):
        order = rng.permutation(len(X_train))
        for start in range(0, len(X_train), batch_size):
            batch = order[start : start + batch_size]
            X_batch, y_batch = X_train[batch], y_train[batch]
            error = X_batch @ w + b - y_batch
            w -= learning_rate * 2 * X_batch.T @ error / len(batch)
            b -= learning_rate * 2 * error.mean()
        loss = np.mean((X_train @ w + b - y_train) ** 2)
        if not loss < 1e6:  # diverging: the loss would soon overflow
            return np.inf
    return loss


# %%
# Try every learning rate with every batch size
# ---------------------------------------------
losses = {
    size: np.array([final_loss(size, rate) for rate in LEARNING_RATES])
    for size in batch_sizes
}
best_rates = [float(LEARNING_RATES[np.argmin(losses[size])]) for size in batch_sizes]
smallest_best_rate = best_rates[0]
at_smallest = int(np.argmin(losses[batch_sizes[0]]))
lowest_losses = [float(losses[size].min()) for size in batch_sizes]
losses_at_smallest = [float(losses[size][at_smallest]) for size in batch_sizes]

updates = [NUM_EPOCHS * math.ceil(len(X_train) / size) for size in batch_sizes]

print(f"After {NUM_EPOCHS} epochs:\n")
print("| Batch size | Updates | Best learning rate | Training loss at it |", end="")
print(f" at {smallest_best_rate:.2g}, the best rate for batch size 1 |")
print("|---:|---:|---:|---:|---:|")
for size, count, rate, lowest, at_rate in zip(
    batch_sizes, updates, best_rates, lowest_losses, losses_at_smallest, strict=True
):
    print(f"| {size} | {count:,} | {rate:.2g} | {lowest:,.0f} | {at_rate:,.0f} |")

# %%
# Plot the final loss against the learning rate
# ---------------------------------------------
fig, ax = plt.subplots(figsize=(5, 3.2))
for size, rate in zip(batch_sizes, best_rates, strict=True):
    (line,) = ax.plot(LEARNING_RATES, losses[size], "-", label=f"Batch size {size}")
    ax.plot(rate, losses[size].min(), "o", color=line.get_color())
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("Learning rate")
ax.set_ylabel(f"Training loss after {NUM_EPOCHS} epochs")
ax.set_title("Each batch size has its own best learning rate")
ax.grid(True)
ax.legend()
plt.show()
