"""Underfitting: both losses high, close together, and flat.

The network of the learning curves trains with a very strong L2 penalty,
`alpha=3000`. The penalty holds its weights so close to zero that it cannot
follow the trend in the data: both losses level off early, at about the same
height, above what a straight line fitted to the same patients reaches, on the
training patients and on the validation patients alike.
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
    alpha=ALPHA,
    learning_rate_init=0.01,
    random_state=np.random.RandomState(SEED),
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
line_val_loss = float(np.mean((line.predict(X_val) - y_val) ** 2))
# Flat: the mean over the last 50 epochs against the mean over the 50 before
train_change, val_change = (
    float(curve[-50:].mean() / curve[-100:-50].mean() - 1)
    for curve in (train_loss, val_loss)
)
print(f"- After epoch {NUM_EPOCHS}: training loss {train_loss[-1]:,.0f}, ", end="")
print(f"validation loss {val_loss[-1]:,.0f}")
print(
    f"- A straight line (linear regression): training loss {line_train_loss:,.0f}, "
    f"validation loss {line_val_loss:,.0f}"
)
print(
    f"- Mean over the last 50 epochs against the 50 before: training loss "
    f"{train_change:+.1%}, validation loss {val_change:+.1%}"
)

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
