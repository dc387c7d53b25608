"""A learning rate too high: the loss jumps up and down instead of settling.

The network of the learning curves trains with Adam at a learning rate of 1, a
hundred times the usual 0.01. Each update overshoots: it moves the weights past
the low point it was heading for, so the loss often rises from one epoch to the
next, by a lot, and the curves look jagged.
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

NUM_EPOCHS = 100
LEARNING_RATE = 1.0
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
    learning_rate_init=LEARNING_RATE,
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
# How often did the loss go up?
# -----------------------------
train_rises = float(np.mean(np.diff(train_loss) > 0))
val_rises = float(np.mean(np.diff(val_loss) > 0))
largest_jump = float(np.max(train_loss[1:] / train_loss[:-1]))
print(f"- Epochs that raised the training loss: {train_rises:.0%}")
print(f"- Epochs that raised the validation loss: {val_rises:.0%}")
print(f"- Largest rise of the training loss in one epoch: {largest_jump:.1f} times")

# %%
# Plot the learning curves
# ------------------------
fig, ax = plt.subplots(figsize=(5, 2.8))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("Learning rate too high: the loss jumps")
ax.grid(True)
ax.legend()
plt.show()
