"""Overfitting: the training loss keeps falling, the validation loss turns and rises.

The network of the learning curves trains on the standardised target, on which it
learns fast. The validation loss reaches its lowest point within a few dozen epochs;
after that every epoch fits the training patients more closely, the training loss
heads towards zero, and the validation loss climbs, far above its lowest point.
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

NUM_EPOCHS = 200
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
target_scaler = StandardScaler().fit(y_train.reshape(-1, 1))
target = target_scaler.transform(y_train.reshape(-1, 1)).ravel()
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    random_state=np.random.RandomState(SEED),
)

# %%
# Train one epoch at a time, measuring both losses in the target's units
# ----------------------------------------------------------------------
train_loss = np.empty(NUM_EPOCHS)
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, target)
    for X_part, y_part, losses in (
        (X_train, y_train, train_loss),
        (X_val, y_val, val_loss),
    ):
        prediction = target_scaler.inverse_transform(
            model.predict(X_part).reshape(-1, 1)
        )
        losses[epoch] = np.mean((prediction.ravel() - y_part) ** 2)
epochs = np.arange(1, NUM_EPOCHS + 1)

# %%
# The lowest validation loss, and the last epoch
# ----------------------------------------------
best_epoch = int(np.argmin(val_loss)) + 1
print("| Epoch | Training loss | Validation loss |")
print("|---:|---:|---:|")
for epoch in (best_epoch, NUM_EPOCHS):
    print(f"| {epoch} | {train_loss[epoch - 1]:,.0f} | {val_loss[epoch - 1]:,.0f} |")

# %%
# Plot the learning curves
# ------------------------
fig, ax = plt.subplots(figsize=(5, 2.8))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("Overfitting: the validation loss turns and rises")
ax.grid(True)
ax.legend()
plt.show()
