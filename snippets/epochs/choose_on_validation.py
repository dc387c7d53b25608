"""Choose the epoch on validation data, then test once.

The previous example picked its best epoch by looking at the test split, so the
loss it reports at that epoch is flattering: it was chosen for being low. Here the
training data is split again. The network trains on one part, the epoch is chosen on
the other part (validation), and the test split is used exactly once, at the end, to
measure the network from the chosen epoch.
"""

# %%
# Split the data three ways
# -------------------------
# 80 % for training and validation, 20 % for the final test (the same test split as
# before); then a quarter of the first part becomes the validation set.
import copy

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 5000

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (scaler.transform(part) for part in (X_train, X_val, X_test))

# %%
# Train, keeping a copy of the network from the best epoch so far
# ---------------------------------------------------------------
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    alpha=1e-4,
    solver="adam",
    learning_rate_init=0.001,
    random_state=42,
)
val_loss = np.empty(NUM_EPOCHS)
best_model = None
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    if best_model is None or val_loss[epoch] < val_loss[:epoch].min():
        best_model = copy.deepcopy(model)

# %%
# Test the chosen network, once
# -----------------------------
best_epoch = int(np.argmin(val_loss)) + 1
best_val_loss = float(val_loss[best_epoch - 1])
test_loss = float(np.mean((best_model.predict(X_test) - y_test) ** 2))
print(f"- Epoch chosen on validation data: {best_epoch:,}")
print(f"- Validation loss at that epoch: {best_val_loss:,.0f}")
print(f"- Test loss of the network from that epoch: {test_loss:,.0f}")
