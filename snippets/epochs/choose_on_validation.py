"""Choose the epoch on validation data, then test once.

The previous example picked its best epoch by looking at the test split, so the
loss it reports at that epoch is flattering: it was chosen for being low. Here the
training data is split again. The network trains on one part, the epoch is chosen on
the other part (validation), and the test split is used once, at the end, to
measure the network from the chosen epoch. The network is also given a random
generator instead of an integer seed, so that every epoch takes its examples in a
new order. To show what the first flaw costs, the run also records the test loss
after every epoch, which a real run would not: the lowest of those is what choosing
on the test set would have reported.
"""

# %%
# Split the data three ways
# -------------------------
# 80 % for training and validation, 20 % for the final test; then a quarter of the
# first part becomes the validation set. SPLIT_SEED decides who lands where.
import copy

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 500
LEARNING_RATE = 0.01
SEED = 42  # the network's initial weights and the order of its batches every epoch
SPLIT_SEED = 42  # which patients are in the training, validation and test sets

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(
    X, y, test_size=0.2, random_state=SPLIT_SEED
)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=SPLIT_SEED
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
    learning_rate_init=LEARNING_RATE,
    random_state=np.random.RandomState(SEED),  # a generator: a new order every epoch
)
val_loss = np.empty(NUM_EPOCHS)
test_curve = np.empty(NUM_EPOCHS)  # only to show what the flaw would report
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    test_curve[epoch] = np.mean((model.predict(X_test) - y_test) ** 2)
    if epoch == 0 or val_loss[epoch] < val_loss[:epoch].min():
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

# %%
# What choosing on the test set would have reported
# -------------------------------------------------
flattering_epoch = int(np.argmin(test_curve)) + 1
flattering_test_loss = float(test_curve.min())
flattery = test_loss - flattering_test_loss  # never negative: a minimum over epochs
flattery_percent = round(100 * flattery / flattering_test_loss, 1)
print(
    f"- Lowest test loss of the run: {flattering_test_loss:,.0f}, after epoch "
    f"{flattering_epoch:,}; the honest test loss is {flattery:,.0f} higher "
    f"({flattery_percent:.1f} %)"
)
