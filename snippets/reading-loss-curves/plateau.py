"""A plateau: the loss stays flat for a while, then falls again.

A network with three hidden layers of 16 logistic (sigmoid) units trains with Adam
on the standardised target. For its first epochs it predicts about the same value
for every patient, and its loss stays level at the loss of predicting the average;
then it finds a direction that helps, and the loss drops. Stopping on the plateau
would have kept a network that has learned nothing.
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
    hidden_layer_sizes=(16, 16, 16),
    activation="logistic",
    learning_rate_init=0.001,
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
# Find the plateau: epochs within 3 % of the loss of predicting the mean
# ----------------------------------------------------------------------
mean_loss = float(np.mean((y_train.mean() - y_train) ** 2))
on_plateau = np.flatnonzero(np.abs(train_loss / mean_loss - 1) < 0.03) + 1
plateau_start, plateau_end = int(on_plateau[0]), int(on_plateau[-1])
train_loss_at_end = float(train_loss[-1])
print(f"- Predicting the training mean for everyone: {mean_loss:,.0f} (training loss)")
print(
    f"- Training loss within 3 % of that from epoch {plateau_start} "
    f"to epoch {plateau_end}"
)
print(f"- Training loss after epoch {NUM_EPOCHS}: {train_loss_at_end:,.0f}")

# %%
# Plot the learning curves
# ------------------------
fig, ax = plt.subplots(figsize=(5, 2.8))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("A plateau, then the loss falls again")
ax.grid(True)
ax.legend()
plt.show()
