"""How the size of the network and the strength of regularisation move the curves.

Capacity: a network with 8 hidden units learns the Diabetes data slowly and its
training loss stays high, while one with 256 units drives its training loss far
lower and then overfits: its validation loss climbs away from its training loss.
Regularisation: the same 256-unit network with a strong L2 penalty on its weights
(``alpha=100`` instead of the default ``0.0001``) cannot fit the training set as
closely, and the gap between its two losses stays small.
"""

# %%
# The same training and validation sets as the learning curves
# ------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


# %%
# Train three networks, measuring both losses after every epoch
# -------------------------------------------------------------
def learning_curves(hidden_units, alpha):
    """Training and validation loss per epoch of one network."""
    model = MLPRegressor(
        hidden_layer_sizes=(hidden_units,),
        alpha=alpha,
        learning_rate_init=0.01,
        random_state=42,
    )
    train_loss, val_loss = np.empty(NUM_EPOCHS), np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, y_train)
        train_loss[epoch] = np.mean((model.predict(X_train) - y_train) ** 2)
        val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    return train_loss, val_loss


small_train, small_val = learning_curves(hidden_units=8, alpha=0.0001)
big_train, big_val = learning_curves(hidden_units=256, alpha=0.0001)
regularised_train, regularised_val = learning_curves(hidden_units=256, alpha=100)

# %%
# Compare them
# ------------
networks = {
    "8 units, `alpha=0.0001`": (small_train, small_val),
    "256 units, `alpha=0.0001`": (big_train, big_val),
    "256 units, `alpha=100`": (regularised_train, regularised_val),
}
print("| Network | Lowest validation loss | at epoch |", end="")
print(f" Epoch {NUM_EPOCHS}: training loss | validation loss | gap |")
print("|---|---:|---:|---:|---:|---:|")
for name, (train_loss, val_loss) in networks.items():
    print(
        f"| {name} | {val_loss.min():,.0f} | {np.argmin(val_loss) + 1} "
        f"| {train_loss[-1]:,.0f} | {val_loss[-1]:,.0f} "
        f"| {val_loss[-1] - train_loss[-1]:,.0f} |"
    )


# %%
# Plot them: capacity above, regularisation below
# -----------------------------------------------
def plot_curves(ax, train_loss, val_loss, colour, name):
    """Training loss dashed, validation loss solid, in one colour."""
    epochs = np.arange(1, NUM_EPOCHS + 1)
    ax.plot(epochs, train_loss, "--", color=colour, label=f"{name}, training")
    ax.plot(epochs, val_loss, color=colour, label=f"{name}, validation")


fig, (top, bottom) = plt.subplots(
    2, 1, sharex=True, sharey=True, figsize=(5, 6), layout="constrained"
)
plot_curves(top, small_train, small_val, "C0", "8 units")
plot_curves(top, big_train, big_val, "C1", "256 units")
plot_curves(bottom, big_train, big_val, "C1", "alpha 0.0001")
plot_curves(bottom, regularised_train, regularised_val, "C2", "alpha 100")
top.set_title("Capacity: 8 or 256 hidden units")
bottom.set_title("Regularisation: 256 units, weak or strong L2 penalty")
for ax in (top, bottom):
    ax.set_yscale("log")
    ax.set_ylim(top=1e4)
    ax.set_xlabel("Epoch")
    ax.set_ylabel("Mean squared error")
    ax.grid(True)
    ax.legend()
plt.show()
