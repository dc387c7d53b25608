"""A learning rate too low: the loss falls, but slowly, and is still falling at the end.

The same network trains with Adam at a learning rate of 0.0001, a hundred times
smaller than the usual 0.01. Every update is tiny: after hundreds of epochs both
losses are still falling steadily, far above where the network could get, and
above the loss of simply predicting the average target.
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

NUM_EPOCHS = 300
LEARNING_RATE = 0.0001
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
# Where is it at the end?
# -----------------------
mean_loss = float(np.mean((y_train.mean() - y_val) ** 2))
last_tenth = NUM_EPOCHS // 10
fall = float(1 - val_loss[-1] / val_loss[-last_tenth - 1])
print(f"- Validation loss after epoch {NUM_EPOCHS}: {val_loss[-1]:,.0f}")
print(f"- Predicting the training mean for every validation patient: {mean_loss:,.0f}")
print(f"- Fall of the validation loss over the last {last_tenth} epochs: {fall:.1%}")

# %%
# Plot the learning curves
# ------------------------
fig, ax = plt.subplots(figsize=(5, 2.8))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("Learning rate too low: still falling at the end")
ax.grid(True)
ax.legend()
plt.show()
