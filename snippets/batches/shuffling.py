"""Why the examples are shuffled at the start of every epoch.

Data often arrive in an order: here the Diabetes training split is sorted by its
target, from the patients whose disease progressed least to those whose disease
progressed most. A linear model learns it one example at a time (batch size 1),
once taking the examples in that stored order every epoch, once in a new random
order every epoch. Without shuffling, the updates at the end of every epoch all
come from the highest targets, so each epoch ends with the model pulled towards
them, and the training loss at the end of each epoch stays high.
"""

# %%
# Load, scale and sort the Diabetes training split
# ------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 30
BATCH_SIZE = 1
LEARNING_RATE = 0.01
ORDER_SEED = 0  # the random orders of the shuffled run

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
X_train = StandardScaler().fit_transform(X_train)
by_target = np.argsort(y_train)
X_train, y_train = X_train[by_target], y_train[by_target]


# %%
# Train with and without shuffling
# --------------------------------
def train(X, y, shuffle, num_epochs):
    """Train a linear model; return the training loss after every iteration."""
    rng = np.random.default_rng(ORDER_SEED)
    w, b = np.zeros(X.shape[1]), 0.0
    loss_per_iteration = []
    for _ in range(num_epochs):
        order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
        for start in range(0, len(X), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            X_batch, y_batch = X[batch], y[batch]
            error = X_batch @ w + b - y_batch
            w -= LEARNING_RATE * 2 * X_batch.T @ error / len(batch)
            b -= LEARNING_RATE * 2 * error.mean()
            loss_per_iteration.append(np.mean((X @ w + b - y) ** 2))
    return np.array(loss_per_iteration)


iterations_per_epoch = len(X_train) // BATCH_SIZE
sorted_loss = train(X_train, y_train, shuffle=False, num_epochs=NUM_EPOCHS)
shuffled_loss = train(X_train, y_train, shuffle=True, num_epochs=NUM_EPOCHS)
sorted_per_epoch = sorted_loss[iterations_per_epoch - 1 :: iterations_per_epoch]
shuffled_per_epoch = shuffled_loss[iterations_per_epoch - 1 :: iterations_per_epoch]
print(f"- Training loss after epoch {NUM_EPOCHS}, never shuffled: ", end="")
print(f"{sorted_per_epoch[-1]:,.0f}")
print(f"- Training loss after epoch {NUM_EPOCHS}, shuffled every epoch: ", end="")
print(f"{shuffled_per_epoch[-1]:,.0f}")

# %%
# The last epoch without shuffling, update by update
# --------------------------------------------------
last_epoch = sorted_loss[-iterations_per_epoch:]
sorted_start = sorted_per_epoch[-2]  # where the last epoch starts
sorted_peak, sorted_peak_iteration = last_epoch.max(), int(np.argmax(last_epoch)) + 1
sorted_low, sorted_low_iteration = last_epoch.min(), int(np.argmin(last_epoch)) + 1
sorted_end = last_epoch[-1]
shuffled_final = shuffled_per_epoch[-1]
print(
    f"- Epoch {NUM_EPOCHS} without shuffling starts at {sorted_start:,.0f}, rises to "
    f"{sorted_peak:,.0f} by iteration {sorted_peak_iteration} "
    f"({100 * (sorted_peak / sorted_start - 1):+.0f} %), falls to {sorted_low:,.0f} by "
    f"iteration {sorted_low_iteration}, and ends at {sorted_end:,.0f}, "
    f"{sorted_end / sorted_low:.1f} times its low"
)

# %%
# Plot the loss per epoch, and per update within the last epoch
# -------------------------------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
iterations = np.arange(1, iterations_per_epoch + 1)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), layout="constrained")
top.plot(epochs, sorted_per_epoch, label="Never shuffled")
top.plot(epochs, shuffled_per_epoch, label="Shuffled every epoch")
top.set_xlabel("Epoch")
top.set_title("At the end of each epoch")
bottom.plot(iterations, sorted_loss[-iterations_per_epoch:], label="Never shuffled")
bottom.plot(
    iterations, shuffled_loss[-iterations_per_epoch:], label="Shuffled every epoch"
)
bottom.set_xlabel("Iteration")
bottom.set_title(f"After each iteration of epoch {NUM_EPOCHS}")
for ax in (top, bottom):
    ax.set_yscale("log")
    ax.set_ylabel("Training loss (MSE)")
    ax.grid(True)
    ax.legend()
fig.suptitle("Training on data sorted by target, with and without shuffling")
plt.show()
