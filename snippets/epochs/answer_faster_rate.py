"""The first example again, with a learning rate ten times larger.

Only the learning rate changes: 0.01 instead of 0.001, the same raw target, split,
network and seed. Adam's steps are about the learning rate in size, so each update
goes ten times as far, and the validation loss reaches its lowest value after far
fewer epochs.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 1000
LEARNING_RATE = 0.01
SEED = 42  # as in the first example: the initial weights, and the order

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

model = MLPRegressor(
    hidden_layer_sizes=(128,),
    alpha=1e-4,
    solver="adam",
    learning_rate_init=LEARNING_RATE,
    random_state=SEED,
)
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    val_loss[epoch] = np.mean((model.predict(X_test) - y_test) ** 2)

best_epoch = int(np.argmin(val_loss)) + 1
best_val_loss = float(val_loss[best_epoch - 1])
print(
    f"- Learning rate {LEARNING_RATE}: lowest validation loss {best_val_loss:,.0f}, "
    f"after epoch {best_epoch:,} of {NUM_EPOCHS:,}"
)
