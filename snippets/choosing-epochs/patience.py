"""Early stopping by hand: stop once the validation loss has not improved for a while.

The loop trains one epoch at a time and measures the validation loss. Whenever the
loss is the lowest so far it keeps a copy of the network. Once `PATIENCE` epochs
have passed without a new lowest loss, it stops, and goes back to the copy: the
network from the best epoch, not the one from the last. That network is then
measured once on the test set.
"""

# %%
# Training, validation and test sets
# ----------------------------------
import copy

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

MAX_EPOCHS = 300
PATIENCE = 10
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (scaler.transform(part) for part in (X_train, X_val, X_test))

# %%
# Train until the validation loss stops improving
# -----------------------------------------------
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    random_state=np.random.RandomState(SEED),
)
val_loss = []
best_epoch = 0
for epoch in range(1, MAX_EPOCHS + 1):
    model.partial_fit(X_train, y_train)
    val_loss.append(np.mean((model.predict(X_val) - y_val) ** 2))
    if val_loss[-1] == min(val_loss):
        best_model, best_epoch = copy.deepcopy(model), epoch
    elif epoch - best_epoch >= PATIENCE:
        break
stop_epoch = epoch

# %%
# Restore the best network and test it, once
# ------------------------------------------
model = best_model
test_loss = np.mean((model.predict(X_test) - y_test) ** 2)
print(f"- Epochs trained: {stop_epoch} (patience: {PATIENCE} epochs)")
print(f"- Epoch restored (lowest validation loss): {best_epoch}")
print(f"- Test loss of the restored network: {test_loss:,.0f}")

# %%
# Plot the validation loss, the best epoch and the patience window
# ----------------------------------------------------------------
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(np.arange(1, stop_epoch + 1), val_loss, label="Validation loss")
ax.axvspan(best_epoch, stop_epoch, color="grey", alpha=0.25)  # the patience window
ax.axvline(best_epoch, linestyle="--", color="black", label="Best epoch, restored")
ax.axvline(stop_epoch, linestyle=":", color="black", label="Training stopped")
ax.set_yscale("log")  # the first epochs' loss is ten times the lowest
ax.set_xlim(1, stop_epoch + 1)
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title(f"Early stopping: {PATIENCE} epochs of patience (shaded) after the best")
ax.grid(True)
ax.legend()
plt.show()
