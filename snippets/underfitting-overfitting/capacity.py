"""How the size of the network moves the learning curves.

A network with 8 hidden units learns the Diabetes data slowly: after 300 epochs its
validation loss is still falling, while one with 256 units has already passed its
lowest point and overfits. Trained ten times longer, the small network gets close to
the big one's lowest loss: it was short of epochs, not of capacity.
"""

# %%
# The same training and validation sets as the learning curves
# ------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
LONG_EPOCHS = 3000  # for the small network only
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
linear_val_loss = np.mean(
    (LinearRegression().fit(X_train, y_train).predict(X_val) - y_val) ** 2
)


# %%
# Train a small and a big network, measuring both losses after every epoch
# ------------------------------------------------------------------------
def learning_curves(hidden_units, num_epochs=NUM_EPOCHS):
    """Training and validation loss per epoch of one network."""
    model = MLPRegressor(
        hidden_layer_sizes=(hidden_units,),
        learning_rate_init=0.01,
        random_state=np.random.RandomState(SEED),
    )
    train_loss, val_loss = np.empty(num_epochs), np.empty(num_epochs)
    for epoch in range(num_epochs):
        model.partial_fit(X_train, y_train)
        train_loss[epoch] = np.mean((model.predict(X_train) - y_train) ** 2)
        val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    return train_loss, val_loss


# The small network's first NUM_EPOCHS epochs are those of its long run.
long_train, long_val = learning_curves(8, num_epochs=LONG_EPOCHS)
small_train, small_val = long_train[:NUM_EPOCHS], long_val[:NUM_EPOCHS]
big_train, big_val = learning_curves(256)

# %%
# Compare them
# ------------
networks = {
    "8 units": (small_train, small_val),
    f"8 units, {LONG_EPOCHS:,} epochs": (long_train, long_val),
    "256 units": (big_train, big_val),
}
print("| Network | Lowest validation loss | at epoch |", end="")
print(" Last epoch: training loss | validation loss | gap |")
print("|---|---:|---:|---:|---:|---:|")
for name, (train_loss, val_loss) in networks.items():
    print(
        f"| {name} | {val_loss.min():,.0f} | {np.argmin(val_loss) + 1:,} "
        f"| {train_loss[-1]:,.0f} | {val_loss[-1]:,.0f} "
        f"| {val_loss[-1] - train_loss[-1]:,.0f} |"
    )
small_min, long_min, big_min = small_val.min(), long_val.min(), big_val.min()
long_best_epoch = int(np.argmin(long_val)) + 1
print(f"\nLinear regression, for comparison: validation loss {linear_val_loss:,.0f}.")

# %%
# Plot the first NUM_EPOCHS epochs of both
# ----------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, ax = plt.subplots(figsize=(5, 3.2))
for (train_loss, val_loss), colour, name in (
    ((small_train, small_val), "C0", "8 units"),
    ((big_train, big_val), "C1", "256 units"),
):
    ax.plot(epochs, train_loss, "--", color=colour, label=f"{name}, training")
    ax.plot(epochs, val_loss, color=colour, label=f"{name}, validation")
ax.set_yscale("log")
ax.set_ylim(top=1e4)
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("Capacity: 8 or 256 hidden units")
ax.grid(True)
ax.legend()
plt.show()
