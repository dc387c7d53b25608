"""A noisy validation curve: too few validation examples.

The network of the learning curves trains in batches of 32, and its validation
loss is measured twice after every epoch: on all 89 validation patients, and on
only the first 10 of them. On 10 patients, each patient's error weighs a tenth of
the loss, so the curve changes more from one epoch to the next and its lowest
point falls at another epoch: the best epoch read from it is partly chance.
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
SMALL_VALIDATION = 10
SEED = 42

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
    batch_size=32,
    random_state=SEED,
)

# %%
# Train one epoch at a time; measure on all validation patients and on a few
# --------------------------------------------------------------------------
val_loss = np.empty(NUM_EPOCHS)
small_val_loss = np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    squared_errors = (model.predict(X_val) - y_val) ** 2
    val_loss[epoch] = squared_errors.mean()
    small_val_loss[epoch] = squared_errors[:SMALL_VALIDATION].mean()
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
    f"| {SMALL_VALIDATION} patients | {roughness(small_val_loss):.2%} "
    f"| {small_best_epoch} |"
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
