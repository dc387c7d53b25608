"""The best number of epochs moves with the learning rate.

The network of the learning curves (one hidden layer of 128 units, Adam) trains on
the same data with four learning rates. Each run is long enough to pass its lowest
validation loss: it trains for `EPOCHS_TIMES_RATE / learning_rate` epochs. The
smaller the rate, the smaller each update, and the more epochs the network needs
to reach its lowest validation loss: the best epoch scales roughly like one over
the learning rate.
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

LEARNING_RATES = [0.001, 0.003, 0.01, 0.03]
EPOCHS_TIMES_RATE = 3
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


# %%
# Train with each learning rate, measuring the validation loss every epoch
# ------------------------------------------------------------------------
def validation_curve(learning_rate):
    """The validation loss after every epoch of one run."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=learning_rate,
        random_state=np.random.RandomState(SEED),
    )
    num_epochs = round(EPOCHS_TIMES_RATE / learning_rate)
    val_loss = np.empty(num_epochs)
    for epoch in range(num_epochs):
        model.partial_fit(X_train, y_train)
        val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    return val_loss


curves = {rate: validation_curve(rate) for rate in LEARNING_RATES}
best_epochs = [int(np.argmin(curves[rate])) + 1 for rate in LEARNING_RATES]
lowest_losses = [float(curves[rate].min()) for rate in LEARNING_RATES]
best_epoch_times_rate = [
    epoch * rate for epoch, rate in zip(best_epochs, LEARNING_RATES, strict=True)
]

print(
    "| Learning rate | Epochs trained | Best epoch | Best epoch times learning rate |",
    end="",
)
print(" Lowest validation loss |")
print("|---:|---:|---:|---:|---:|")
for rate, epoch, product, lowest in zip(
    LEARNING_RATES, best_epochs, best_epoch_times_rate, lowest_losses, strict=True
):
    print(
        f"| {rate} | {len(curves[rate]):,} | {epoch:,} | {product:.2f} "
        f"| {lowest:,.0f} |"
    )

# %%
# Plot the validation loss per epoch, and per epoch times the learning rate
# -----------------------------------------------------------------
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), layout="constrained")
for rate, epoch in zip(LEARNING_RATES, best_epochs, strict=True):
    epochs = np.arange(1, len(curves[rate]) + 1)
    (line,) = top.plot(epochs, curves[rate], label=f"Learning rate {rate}")
    top.plot(epoch, curves[rate][epoch - 1], "o", color=line.get_color())
    bottom.plot(epochs * rate, curves[rate], label=f"Learning rate {rate}")
top.set_xscale("log")
top.set_xlabel("Epoch")
top.set_title("Validation loss per epoch (dots: the best epochs)")
bottom.set_xlabel("Epoch times the learning rate")
bottom.set_title("Against epoch times the learning rate")
for ax in (top, bottom):
    ax.set_yscale("log")
    ax.set_ylabel("Validation loss (MSE)")
    ax.grid(True)
    ax.legend()
fig.suptitle("Four learning rates, one network")
plt.show()
