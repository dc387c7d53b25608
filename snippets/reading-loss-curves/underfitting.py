"""Underfitting: both losses high, close together, and flat.

The network of the learning curves trains with a very strong L2 penalty,
``alpha=3000``. The penalty holds its weights so close to zero that it cannot
follow the trend in the data: both losses level off early, at about the same
height, above what a straight line fitted to the same patients reaches.
"""

# %%
# Training and validation sets
# ----------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
ALPHA = 3000
SEED = 42

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
model = MLPRegressor(
    hidden_layer_sizes=(128,), alpha=ALPHA, learning_rate_init=0.01, random_state=SEED
)

# %%
# Train one epoch at a time, measuring both losses
# ------------------------------------------------
train_loss = np.empty(NUM_EPOCHS)
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    train_loss[epoch] = np.mean((model.predict(X_train) - y_train) ** 2)
    val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
epochs = np.arange(1, NUM_EPOCHS + 1)

# %%
# Compare with a straight line fitted to the same patients
# --------------------------------------------------------
line = LinearRegression().fit(X_train, y_train)
line_train_loss = float(np.mean((line.predict(X_train) - y_train) ** 2))
change = float(train_loss[-1] / train_loss[-51] - 1)
print(f"- Training loss after epoch {NUM_EPOCHS}: {train_loss[-1]:,.0f}")
print(f"- Validation loss after epoch {NUM_EPOCHS}: {val_loss[-1]:,.0f}")
print(f"- Training loss of a straight line (linear regression): {line_train_loss:,.0f}")
print(f"- Change of the training loss over the last 50 epochs: {change:+.1%}")

# %%
# Plot the learning curves
# ------------------------
fig, ax = plt.subplots(figsize=(5, 2.8))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("Underfitting: both losses high and flat")
ax.grid(True)
ax.legend()
plt.show()
