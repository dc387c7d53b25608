"""The patience loop's rule with more patience, on the same run.

The patience example's network, data and seed, trained for its 300 epochs once; the
rule "stop after PATIENCE epochs without a new lowest validation loss, restore the
best network" is then applied to that one validation curve with three patiences.
More patience trains longer, and it restores a later epoch only where a lower point
comes within the longer wait.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

MAX_EPOCHS = 300
PATIENCES = [10, 30, 100]
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    random_state=np.random.RandomState(SEED),
)
val_loss = np.empty(MAX_EPOCHS)
for epoch in range(MAX_EPOCHS):
    model.partial_fit(X_train, y_train)
    val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)


def early_stop(val_loss, patience):
    """The epoch the rule stops at, and the epoch it restores (both from 1)."""
    best_epoch = 1
    for epoch in range(1, len(val_loss) + 1):
        if val_loss[epoch - 1] <= val_loss[:epoch].min():
            best_epoch = epoch
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_loss), best_epoch


stops, restored = zip(*(early_stop(val_loss, p) for p in PATIENCES), strict=True)
stop_epochs, restored_epochs = list(stops), list(restored)
restored_losses = [float(val_loss[epoch - 1]) for epoch in restored_epochs]
print("| Patience | Epochs trained | Epoch restored | Its validation loss |")
print("|---:|---:|---:|---:|")
for patience, stop, best, loss in zip(
    PATIENCES, stop_epochs, restored_epochs, restored_losses, strict=True
):
    print(f"| {patience} | {stop} | {best} | {loss:,.0f} |")
