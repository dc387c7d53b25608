"""A noisy validation curve: too few validation examples.

The network of the learning curves trains in batches of 32, and after every epoch
its squared error is measured on each of the 89 validation patients. Averaged over
all 89, that is the validation loss. Averaged over only 10 of them, it is what a
validation set of 10 would have given: each patient's error then weighs a tenth of
the loss, so the curve changes more from one epoch to the next, its lowest point
falls at another epoch, and its level is off. The same run is read through a
thousand different sets of 10, to show how far each can be off.
"""

# %%
# Training and validation sets
# ----------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 150
BATCH_SIZE = 32
SMALL_VALIDATION = 10
NUM_SUBSETS = 1000
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    batch_size=BATCH_SIZE,
    random_state=np.random.RandomState(SEED),
)

# %%
# Train one epoch at a time; keep every validation patient's squared error
# ------------------------------------------------------------------------
squared_errors = np.empty((NUM_EPOCHS, len(y_val)))
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    squared_errors[epoch] = (model.predict(X_val) - y_val) ** 2
val_loss = squared_errors.mean(axis=1)
small_val_loss = squared_errors[:, :SMALL_VALIDATION].mean(axis=1)  # the first 10
epochs = np.arange(1, NUM_EPOCHS + 1)


# %%
# How much does each curve change from one epoch to the next?
# -----------------------------------------------------------
def roughness(curve):
    """The median relative change of a curve from one epoch to the next."""
    return float(np.median(np.abs(np.diff(curve)) / curve[:-1]))


best_epoch = int(np.argmin(val_loss)) + 1
small_best_epoch = int(np.argmin(small_val_loss)) + 1
print("| Validation set | Median change per epoch | Best epoch |")
print("|---|---:|---:|")
print(f"| {len(y_val)} patients | {roughness(val_loss):.2%} | {best_epoch} |")
print(
    f"| The first {SMALL_VALIDATION} of them | {roughness(small_val_loss):.2%} "
    f"| {small_best_epoch} |"
)

# %%
# The same run through a thousand validation sets of 10
# -----------------------------------------------------
rng = np.random.default_rng(0)
subsets = [
    rng.choice(len(y_val), SMALL_VALIDATION, replace=False) for _ in range(NUM_SUBSETS)
]
subset_curves = np.array([squared_errors[:, subset].mean(axis=1) for subset in subsets])
subset_roughness = [roughness(curve) for curve in subset_curves]
subset_best_epochs = (subset_curves.argmin(axis=1) + 1).tolist()
# How far each set of 10 puts the lowest loss, against the whole set's lowest
subset_levels = (subset_curves.min(axis=1) / val_loss.min()).tolist()
epochs_low, epochs_high = np.percentile(subset_best_epochs, [10, 90])
level_low, level_high = np.percentile(subset_levels, [10, 90])
print(
    f"\nOver {NUM_SUBSETS:,} sets of {SMALL_VALIDATION} validation patients: the "
    f"median change per epoch is {np.median(subset_roughness):.2%}; the best epoch "
    f"is between {epochs_low:.0f} and {epochs_high:.0f} for the middle 80 % of them "
    f"(all {len(y_val)}: {best_epoch}); their lowest loss is between "
    f"{level_low:.2f} and {level_high:.2f} times the lowest loss on all "
    f"{len(y_val)}."
)

# %%
# Plot both validation curves
# ---------------------------
fig, ax = plt.subplots(figsize=(5, 2.8))
ax.plot(epochs, val_loss, label=f"Validation loss, {len(y_val)} patients")
ax.plot(epochs, small_val_loss, label=f"Validation loss, {SMALL_VALIDATION} patients")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("A small validation set: a noisier curve")
ax.grid(True)
ax.legend()
plt.show()
