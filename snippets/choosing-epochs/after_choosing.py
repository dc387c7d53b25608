"""After choosing the epoch: train again on training and validation data together.

Once the number of epochs is chosen, the validation patients have done their job,
and a network trained on them too has a quarter more examples to learn from. The
chosen number of epochs does not say how long to train on the larger set, though
(Goodfellow, Bengio and Courville, *Deep Learning*, section 7.8): the same number
of epochs makes more updates there, in batches of the same size. So the network is
trained again from its initial weights both ways, for the same number of epochs and
for the same number of updates (their algorithm 7.2); and, their algorithm 7.3,
the chosen network goes on training on all the data until its loss on the
validation patients falls to the training loss it had when chosen. Each is tested
once on the test set.
"""

# %%
# Training, validation and test sets
# ----------------------------------
import copy
import math

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 150
BATCH_SIZE = 32
SEED = 42

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)


def network():
    """A fresh network, with the same initial weights every time."""
    return MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=0.01,
        batch_size=BATCH_SIZE,
        random_state=SEED,
    )


def loss(model, scaler, X_part, y_part):
    return float(np.mean((model.predict(scaler.transform(X_part)) - y_part) ** 2))


# %%
# Choose the epoch on the validation set
# --------------------------------------
scaler = StandardScaler().fit(X_train)
model = network()
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(1, NUM_EPOCHS + 1):
    model.partial_fit(scaler.transform(X_train), y_train)
    val_loss[epoch - 1] = loss(model, scaler, X_val, y_val)
    if val_loss[epoch - 1] == val_loss[:epoch].min():
        best_model, best_epoch = copy.deepcopy(model), epoch
updates_per_epoch = math.ceil(len(X_train) / BATCH_SIZE)
best_updates = best_epoch * updates_per_epoch
train_loss_at_best = loss(best_model, scaler, X_train, y_train)
chosen_test_loss = loss(best_model, scaler, X_test, y_test)

# %%
# Train again on training and validation data: same epochs, or same updates
# -------------------------------------------------------------------------
all_updates_per_epoch = math.ceil(len(X_rest) / BATCH_SIZE)
same_updates_epochs = round(best_updates / all_updates_per_epoch)
all_scaler = StandardScaler().fit(X_rest)
retrained = {}
for epochs in (best_epoch, same_updates_epochs):
    model = network()
    for _ in range(epochs):
        model.partial_fit(all_scaler.transform(X_rest), y_rest)
    retrained[epochs] = loss(model, all_scaler, X_test, y_test)
same_epochs_test_loss = retrained[best_epoch]
same_updates_test_loss = retrained[same_updates_epochs]

# %%
# Or go on training the chosen network on all of it (algorithm 7.3)
# -----------------------------------------------------------------
# It keeps the scaler it was trained with, and stops at the latest after
# NUM_EPOCHS more epochs: the validation loss need not ever fall that low.
model = copy.deepcopy(best_model)
continued_epochs = 0
while (
    loss(model, scaler, X_val, y_val) > train_loss_at_best
    and continued_epochs < NUM_EPOCHS
):
    model.partial_fit(scaler.transform(X_rest), y_rest)
    continued_epochs += 1
continued_test_loss = loss(model, scaler, X_test, y_test)

# %%
# Compare them on the test set, once each
# ---------------------------------------
print(f"Chosen on validation: epoch {best_epoch}, after {best_updates} updates.\n")
print("| Network | Trained on | Epochs | Updates | Test loss |")
print("|---|---:|---:|---:|---:|")
rows = [
    ("Chosen on validation", len(X_train), best_epoch, best_updates, chosen_test_loss),
    (
        "Trained again, same epochs",
        len(X_rest),
        best_epoch,
        best_epoch * all_updates_per_epoch,
        same_epochs_test_loss,
    ),
    (
        "Trained again, same updates",
        len(X_rest),
        same_updates_epochs,
        same_updates_epochs * all_updates_per_epoch,
        same_updates_test_loss,
    ),
    (
        "Chosen network, training continued",
        len(X_rest),
        f"+{continued_epochs}",
        f"+{continued_epochs * all_updates_per_epoch}",
        continued_test_loss,
    ),
]
for name, examples, epochs, updates, test_loss in rows:
    print(f"| {name} | {examples} | {epochs} | {updates} | {test_loss:,.0f} |")
