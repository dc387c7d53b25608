"""Batches of 32, between the batch-size example's 16 and 64.

The batch-size example's network, split, learning rate and seed, in batches of 32:
⌈264 / 32⌉ = 9 updates per epoch. Its best epoch, counted in epochs, falls between
those of batches of 16 and 64; counted in updates, it is of the same order as
theirs.
"""

import math

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

BATCH_SIZE = 32
LEARNING_RATE = 0.01
NUM_UPDATES = round(12 / LEARNING_RATE)  # as in the batch-size example
SEED = 42

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
    batch_size=BATCH_SIZE,
    random_state=np.random.RandomState(SEED),
)
updates_per_epoch = math.ceil(len(X_train) / BATCH_SIZE)
num_epochs = math.ceil(NUM_UPDATES / updates_per_epoch)
val_loss = np.empty(num_epochs)
for epoch in range(num_epochs):
    model.partial_fit(X_train, y_train)
    val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
best_epoch = int(np.argmin(val_loss)) + 1
best_updates = best_epoch * updates_per_epoch
print(
    f"- Batches of {BATCH_SIZE}: {updates_per_epoch} updates per epoch; best epoch "
    f"{best_epoch}, after {best_updates:,} updates"
)
