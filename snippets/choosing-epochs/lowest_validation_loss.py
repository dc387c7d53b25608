"""Choose the epoch with the lowest validation loss over a fixed run.

The network trains for a fixed number of epochs; after each one its loss on the
validation set is measured, and a copy of the network is kept whenever that loss is
the lowest so far. At the end, the copy from the best epoch is measured once on the
test set. Simple, but every run goes to the last epoch, long after the best one.
"""

# %%
# Training, validation and test sets
# ----------------------------------
import copy

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (scaler.transform(part) for part in (X_train, X_val, X_test))

# %%
# Train for every epoch, keeping the best network so far
# ------------------------------------------------------
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    random_state=np.random.RandomState(SEED),
)
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(1, NUM_EPOCHS + 1):
    model.partial_fit(X_train, y_train)
    val_loss[epoch - 1] = np.mean((model.predict(X_val) - y_val) ** 2)
    if val_loss[epoch - 1] == val_loss[:epoch].min():
        best_model, best_epoch = copy.deepcopy(model), epoch

# %%
# Test the chosen network, once
# -----------------------------
test_loss = np.mean((best_model.predict(X_test) - y_test) ** 2)
print(f"- Epochs trained: {NUM_EPOCHS}")
print(f"- Epoch chosen (lowest validation loss): {best_epoch}")
print(f"- Test loss of the network from that epoch: {test_loss:,.0f}")
