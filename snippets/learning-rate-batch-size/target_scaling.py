"""The best number of epochs moves with the scale of the target.

The same network at the same learning rate trains twice: once on the disease
progression as it is (values around 150), once on the progression standardised
(mean 0, standard deviation 1, its predictions turned back into the original units
before they are measured). Nothing about the patients changes, yet the number of
epochs to the lowest validation loss does: with targets near 0 the network's
output, which starts near 0, has no long way to go before it fits the trend.
"""

# %%
# Training and validation sets, and a scaler for the target
# ---------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
LEARNING_RATE = 0.01
SEED = 42

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
target_scaler = StandardScaler().fit(y_train.reshape(-1, 1))


# %%
# Train on the target as it is, and standardised
# ----------------------------------------------
def validation_curve(scale_target):
    """The validation loss (in the target's own units) after every epoch."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,), learning_rate_init=LEARNING_RATE, random_state=SEED
    )
    target = y_train
    if scale_target:
        target = target_scaler.transform(y_train.reshape(-1, 1)).ravel()
    val_loss = np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, target)
        prediction = model.predict(X_val)
        if scale_target:
            prediction = target_scaler.inverse_transform(prediction.reshape(-1, 1))
        val_loss[epoch] = np.mean((prediction.ravel() - y_val) ** 2)
    return val_loss


raw_val_loss = validation_curve(scale_target=False)
scaled_val_loss = validation_curve(scale_target=True)
raw_best_epoch = int(np.argmin(raw_val_loss)) + 1
scaled_best_epoch = int(np.argmin(scaled_val_loss)) + 1

print("| Target | Best epoch | Lowest validation loss |")
print("|---|---:|---:|")
print(f"| As it is | {raw_best_epoch} | {raw_val_loss.min():,.0f} |")
print(f"| Standardised | {scaled_best_epoch} | {scaled_val_loss.min():,.0f} |")

# %%
# Plot both validation curves
# ---------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, ax = plt.subplots(figsize=(5, 3.2))
for val_loss, best, label in (
    (raw_val_loss, raw_best_epoch, "Target as it is"),
    (scaled_val_loss, scaled_best_epoch, "Target standardised"),
):
    (line,) = ax.plot(epochs, val_loss, label=label)
    ax.plot(best, val_loss[best - 1], "o", color=line.get_color())
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Validation loss (MSE)")
ax.set_title("One network, the target as it is or standardised")
ax.grid(True)
ax.legend()
plt.show()
