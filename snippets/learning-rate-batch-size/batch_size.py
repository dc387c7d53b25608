"""Epochs or updates: what carries over between batch sizes.

The network of the learning curves trains with three batch sizes, 16, 64 and the
whole training set (264 patients), at one learning rate. A smaller batch makes
more updates per epoch, so it reaches its lowest validation loss after far fewer
epochs. Counted in updates instead, the three runs need numbers of the same order:
the number of updates carries over between batch sizes much better than the number
of epochs.
"""

# %%
# Training and validation sets
# ----------------------------
import math

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

BATCH_SIZES = [16, 64, 264]
LEARNING_RATE = 0.01
NUM_UPDATES = round(12 / LEARNING_RATE)  # enough to pass every run's lowest point
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


# %%
# Train with each batch size for the same number of updates
# ---------------------------------------------------------
def validation_curve(batch_size):
    """The validation loss after every epoch, and the updates per epoch."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=LEARNING_RATE,
        batch_size=batch_size,
        random_state=np.random.RandomState(SEED),
    )
    updates_per_epoch = math.ceil(len(X_train) / batch_size)
    num_epochs = math.ceil(NUM_UPDATES / updates_per_epoch)
    val_loss = np.empty(num_epochs)
    for epoch in range(num_epochs):
        model.partial_fit(X_train, y_train)
        val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    return val_loss, updates_per_epoch


runs = {size: validation_curve(size) for size in BATCH_SIZES}
best_epochs = [int(np.argmin(runs[size][0])) + 1 for size in BATCH_SIZES]
best_updates = [
    epoch * runs[size][1] for size, epoch in zip(BATCH_SIZES, best_epochs, strict=True)
]
epoch_ratio = max(best_epochs) / min(best_epochs)
update_ratio = max(best_updates) / min(best_updates)

print(f"Learning rate {LEARNING_RATE}:\n")
print("| Batch size | Updates per epoch | Best epoch | Updates to the best epoch |")
print("|---:|---:|---:|---:|")
for size, epoch, updates in zip(BATCH_SIZES, best_epochs, best_updates, strict=True):
    print(f"| {size} | {runs[size][1]} | {epoch:,} | {updates:,} |")
print(
    f"\nLargest over smallest: {epoch_ratio:.1f} times in epochs, "
    f"{update_ratio:.1f} times in updates."
)

# %%
# Plot the validation loss per epoch, and per update
# --------------------------------------------------
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), layout="constrained")
for size in BATCH_SIZES:
    val_loss, updates_per_epoch = runs[size]
    epochs = np.arange(1, len(val_loss) + 1)
    top.plot(epochs, val_loss, label=f"Batch size {size}")
    bottom.plot(epochs * updates_per_epoch, val_loss, label=f"Batch size {size}")
top.set_xlabel("Epoch")
top.set_title("Validation loss per epoch")
bottom.set_xlabel("Update")
bottom.set_title("The same curves per update")
for ax in (top, bottom):
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(top=1e4)
    ax.set_ylabel("Validation loss (MSE)")
    ax.grid(True)
    ax.legend()
fig.suptitle(f"Three batch sizes, learning rate {LEARNING_RATE}")
plt.show()
