"""The same network with the target standardised: far fewer epochs.

The Diabetes target (how far the disease progressed) runs from 25 to 346, with a
mean near 150, while the network starts from small random weights that predict
values near 0. Adam moves each weight by about the learning rate per update,
whatever the size of the gradient, so the raw target takes many updates to reach,
both its average and its spread. Standardising the target, as is usual before
training a network (subtract the training mean, divide by the training standard
deviation), puts it within the network's reach: the same network, on the same
split, reaches its lowest validation loss in far fewer epochs. It keeps the first
example's two flaws, so that the target is the only change. Losses are measured in
the target's own units, as before, so the two runs compare directly.
"""

# %%
# Load, split and scale the inputs and the target
# -----------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 500
SEED = 42  # the initial weights, and the one order of the batches from epoch 2 on

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
target_scaler = StandardScaler().fit(y_train.reshape(-1, 1))
y_train_scaled = target_scaler.transform(y_train.reshape(-1, 1)).ravel()


def predict(model, X):
    """Predictions in the target's own units."""
    scaled = model.predict(X).reshape(-1, 1)
    return target_scaler.inverse_transform(scaled).ravel()


# %%
# Train one epoch at a time on the standardised target
# ----------------------------------------------------
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    alpha=1e-4,
    solver="adam",
    learning_rate_init=0.001,
    random_state=SEED,
)
train_loss = np.empty(NUM_EPOCHS)
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train_scaled)
    train_loss[epoch] = np.mean((predict(model, X_train) - y_train) ** 2)
    val_loss[epoch] = np.mean((predict(model, X_test) - y_test) ** 2)

# %%
# Find the epoch with the lowest validation loss
# ----------------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
best_epoch = int(np.argmin(val_loss)) + 1
best_val_loss = val_loss[best_epoch - 1]
print(f"- Lowest validation loss: {best_val_loss:,.0f}, after epoch {best_epoch:,}")
print(
    f"- After the last epoch ({NUM_EPOCHS:,}): training loss {train_loss[-1]:,.0f}, "
    f"validation loss {val_loss[-1]:,.0f}"
)

# %%
# Plot both losses
# ----------------
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
ax.axvline(best_epoch, linestyle="--", color="black", label="Lowest validation loss")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("The same network, trained on the standardised target")
ax.grid(True)
ax.legend()
plt.show()
