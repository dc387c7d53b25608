"""Choosing the epoch on the training loss instead of the validation loss.

The third example's run (its split, network, learning rate and seed), choosing the
epoch whose training loss is lowest. The training loss keeps falling, so that choice
lands at or near the last epoch, deep in overfitting, and the network from it does
worse on the test patients than the one chosen on the validation loss.
"""

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

model = MLPRegressor(
    hidden_layer_sizes=(128,),
    alpha=1e-4,
    solver="adam",
    learning_rate_init=LEARNING_RATE,
    random_state=np.random.RandomState(SEED),
)
train_loss, val_loss = np.empty(NUM_EPOCHS), np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    train_loss[epoch] = np.mean((model.predict(X_train) - y_train) ** 2)
    val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    if epoch == 0 or train_loss[epoch] < train_loss[:epoch].min():
        on_training = copy.deepcopy(model)
    if epoch == 0 or val_loss[epoch] < val_loss[:epoch].min():
        on_validation = copy.deepcopy(model)

training_epoch = int(np.argmin(train_loss)) + 1
validation_epoch = int(np.argmin(val_loss)) + 1
training_test_loss = float(np.mean((on_training.predict(X_test) - y_test) ** 2))
validation_test_loss = float(np.mean((on_validation.predict(X_test) - y_test) ** 2))
print(
    f"- Chosen on the training loss: epoch {training_epoch:,} of {NUM_EPOCHS:,}, "
    f"test loss {training_test_loss:,.0f}"
)
print(
    f"- Chosen on the validation loss: epoch {validation_epoch:,}, "
    f"test loss {validation_test_loss:,.0f}"
)
