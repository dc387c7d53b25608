"""Batch size 1, a mini-batch and the full batch, on the same problem.

A linear model learns the Diabetes training split (353 patients) by gradient
descent, three times: in batches of 1 example (stochastic gradient descent), of 32
(mini-batch) and of all 353 (full batch). The learning rate and the number of epochs
are the same; only the batch size changes. Smaller batches take more iterations per
epoch, so they get further in each epoch; but each of their updates follows the
gradient of a few examples only, so the training loss zigzags from one iteration to
the next. That noise is measured directly: at the same weights, how closely the
gradient of a batch points where the gradient of the whole training set points. The
bottom is the lowest training loss a linear model can reach (least squares); at a
constant learning rate, single-example updates never settle on it, and here a rate
that decays over the updates brings them closer.
"""

# %%
# Load and scale the Diabetes training split
# ------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 50
LEARNING_RATE = 0.01  # the same for every batch size
ORDER_SEED = 0  # the order of the examples in each epoch

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
X_train = StandardScaler().fit_transform(X_train)
batch_sizes = [1, 32, len(X_train)]
least_squares = LinearRegression().fit(X_train, y_train)
least_squares_loss = np.mean((least_squares.predict(X_train) - y_train) ** 2)


# %%
# Mini-batch gradient descent, measuring the loss after every iteration
# ---------------------------------------------------------------------
def train(X, y, batch_size, num_epochs, decay=False):
    """Train a linear model; return the training loss after every iteration, and the
    weights and intercept after every epoch. With `decay`, the rate after t
    updates is LEARNING_RATE / (1 + t / len(X))."""
    rng = np.random.default_rng(ORDER_SEED)
    w, b = np.zeros(X.shape[1]), 0.0
    loss_per_iteration, weights_per_epoch = [], []
    for _ in range(num_epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            X_batch, y_batch = X[batch], y[batch]
            error = X_batch @ w + b - y_batch
            t = len(loss_per_iteration)
            rate = LEARNING_RATE / (1 + t / len(X)) if decay else LEARNING_RATE
            w -= rate * 2 * X_batch.T @ error / len(batch)
            b -= rate * 2 * error.mean()
            loss_per_iteration.append(np.mean((X @ w + b - y) ** 2))
        weights_per_epoch.append((w.copy(), b))
    return np.array(loss_per_iteration), weights_per_epoch


# %%
# Train with each batch size
# --------------------------
# The loss at the end of an epoch is the loss after that epoch's last iteration.
runs = {size: train(X_train, y_train, size, NUM_EPOCHS) for size in batch_sizes}
curves = {size: curve for size, (curve, _) in runs.items()}
iterations_per_epoch = [len(curves[size]) // NUM_EPOCHS for size in batch_sizes]
loss_per_epoch = [
    curves[size][n - 1 :: n]
    for size, n in zip(batch_sizes, iterations_per_epoch, strict=True)
]
sgd_final, mini_final, full_final = (per_epoch[-1] for per_epoch in loss_per_epoch)
sgd_decay_final = train(X_train, y_train, 1, NUM_EPOCHS, decay=True)[0][-1]


# %%
# The noise of a batch's gradient, measured at the same weights for every size
# ----------------------------------------------------------------------------
# At the weights the full-batch run had after each of its epochs, every batch of a
# shuffled epoch is compared with the gradient of the whole training set: the
# cosine of the angle between them is 1 when they point the same way, 0 when the
# batch's gradient is at right angles to it, negative when it points away.
def example_gradients(X, y, w, b):
    """The gradient of each example's squared error, by weight and intercept."""
    error = X @ w + b - y
    return 2 * np.column_stack([X * error[:, None], error])


rng = np.random.default_rng(ORDER_SEED)
cosines = {size: [] for size in batch_sizes}
for w, b in runs[len(X_train)][1]:
    gradients = example_gradients(X_train, y_train, w, b)
    full = gradients.mean(axis=0)
    order = rng.permutation(len(X_train))
    for size in batch_sizes:
        for start in range(0, len(X_train), size):
            batch = gradients[order[start : start + size]].mean(axis=0)
            cosine = batch @ full / (np.linalg.norm(batch) * np.linalg.norm(full))
            cosines[size].append(cosine)
mean_cosine = [float(np.mean(cosines[size])) for size in batch_sizes]
share_away = [float(np.mean(np.array(cosines[size]) < 0)) for size in batch_sizes]

print("| Batch size | Iterations per epoch | Training loss after epoch 1 |", end="")
print(f" after epoch {NUM_EPOCHS} | Cosine to the full gradient |", end="")
print(" Batches pointing away |")
print("|---:|---:|---:|---:|---:|---:|")
for size, n, per_epoch, cosine, away in zip(
    batch_sizes,
    iterations_per_epoch,
    loss_per_epoch,
    mean_cosine,
    share_away,
    strict=True,
):
    print(
        f"| {size} | {n} | {per_epoch[0]:,.0f} | {per_epoch[-1]:,.0f} "
        f"| {cosine:.2f} | {away:.0%} |"
    )
print(f"\nThe bottom (least squares): {least_squares_loss:,.0f}.", end=" ")
print(
    f"Batch size 1 with a decaying rate ends at {sgd_decay_final:,.0f}, "
    f"against {sgd_final:,.0f} at the constant rate {LEARNING_RATE}."
)

# %%
# Plot the loss per epoch, and per iteration
# ------------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), layout="constrained")
for size, per_epoch in zip(batch_sizes, loss_per_epoch, strict=True):
    curve = curves[size]
    top.plot(epochs, per_epoch, label=f"Batch size {size}")
    bottom.plot(
        np.arange(1, len(curve) + 1), curve, linewidth=0.8, label=f"Batch size {size}"
    )
top.axhline(least_squares_loss, linestyle=":", color="black", label="The bottom")
top.set_xlabel("Epoch")
top.set_title("Training loss at the end of each epoch")
bottom.set_xlabel("Iteration")
bottom.set_xscale("log")
bottom.set_title("Training loss after each iteration")
for ax in (top, bottom):
    ax.set_yscale("log")
    ax.set_ylabel("Training loss (MSE)")
    ax.grid(True)
    ax.legend()
fig.suptitle(f"Learning rate {LEARNING_RATE}, {NUM_EPOCHS} epochs, three batch sizes")
plt.show()
