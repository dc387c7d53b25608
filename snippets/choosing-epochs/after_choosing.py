"""After choosing the epoch: train again on training and validation data together.

Once the number of epochs is chosen, the validation patients have done their job,
and a network trained on them too has a third more examples to learn from. The
chosen number of epochs does not say how long to train on the larger set, though
(Goodfellow, Bengio and Courville, *Deep Learning*, section 7.8): the same number
of epochs makes more updates there, in batches of the same size. So the network is
trained again from its initial weights both ways, for the same number of epochs and
for the same number of updates (their algorithm 7.2); and, their algorithm 7.3,
the chosen network goes on training on all the data until its loss on the
validation patients falls to the training loss it had when chosen. Each is tested
once on the test set, and the whole comparison is repeated with ten seeds, so that
the rules are compared in pairs, seed by seed.
"""

# %%
# Training, validation and test sets
# ----------------------------------
import copy
import math

import numpy as np
from scipy import stats
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 100
BATCH_SIZE = 32
SEEDS = list(range(10))  # the initial weights and the orders of the batches

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
# Inputs scaled for the networks trained on X_train, and for those trained on all
# of X_rest: each network sees every set through the scaler of its training data.
scaler, all_scaler = StandardScaler().fit(X_train), StandardScaler().fit(X_rest)
train, val, rest, test = (scaler.transform(p) for p in (X_train, X_val, X_rest, X_test))
all_rest, all_test = all_scaler.transform(X_rest), all_scaler.transform(X_test)
updates_per_epoch = math.ceil(len(X_train) / BATCH_SIZE)
all_updates_per_epoch = math.ceil(len(X_rest) / BATCH_SIZE)


def network(seed):
    """A fresh network: the same initial weights for the same seed."""
    return MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=0.01,
        batch_size=BATCH_SIZE,
        random_state=np.random.RandomState(seed),
    )


def loss(model, X_part, y_part):
    return float(np.mean((model.predict(X_part) - y_part) ** 2))


# %%
# Choose the epoch on the validation set, then train on all of it, three ways
# ---------------------------------------------------------------------------
# Trained again from the initial weights for the same epochs or the same updates
# (algorithm 7.2), or the chosen network trained on (algorithm 7.3).
def choose(seed):
    """The network from the epoch with the lowest validation loss, and that epoch."""
    model = network(seed)
    val_loss = np.empty(NUM_EPOCHS)
    for epoch in range(1, NUM_EPOCHS + 1):
        model.partial_fit(train, y_train)
        val_loss[epoch - 1] = loss(model, val, y_val)
        if val_loss[epoch - 1] == val_loss[:epoch].min():
            best_model, best_epoch = copy.deepcopy(model), epoch
    return best_model, best_epoch


def train_again(seed, num_epochs):
    """A fresh network trained on all of X_rest; its test loss."""
    model = network(seed)
    for _ in range(num_epochs):
        model.partial_fit(all_rest, y_rest)
    return loss(model, all_test, y_test)


def continue_training(chosen):
    """The chosen network trained on all of X_rest until its validation loss is at
    most its training loss when chosen; its test loss and the epochs it took. It
    keeps the scaler it was trained with, and stops at the latest after NUM_EPOCHS
    more epochs: the validation loss need not ever fall that low."""
    model = copy.deepcopy(chosen)
    target = loss(chosen, train, y_train)
    epochs = 0
    while loss(model, val, y_val) > target and epochs < NUM_EPOCHS:
        model.partial_fit(rest, y_rest)
        epochs += 1
    return loss(model, test, y_test), epochs


# %%
# All four, with every seed, each tested once
# -------------------------------------------
best_epochs, same_updates_epochs, continued_epochs = [], [], []
test_losses = {"chosen": [], "same epochs": [], "same updates": [], "continued": []}
for seed in SEEDS:
    chosen, best_epoch = choose(seed)
    epochs_for_same_updates = round(
        best_epoch * updates_per_epoch / all_updates_per_epoch
    )
    continued_loss, epochs = continue_training(chosen)
    best_epochs.append(best_epoch)
    same_updates_epochs.append(epochs_for_same_updates)
    continued_epochs.append(epochs)
    test_losses["chosen"].append(loss(chosen, test, y_test))
    test_losses["same epochs"].append(train_again(seed, best_epoch))
    test_losses["same updates"].append(train_again(seed, epochs_for_same_updates))
    test_losses["continued"].append(continued_loss)
best_updates = [epoch * updates_per_epoch for epoch in best_epochs]
chosen_test_loss, same_epochs_test_loss, same_updates_test_loss, continued_test_loss = (
    np.array(losses) for losses in test_losses.values()
)

print(f"Updates per epoch: {updates_per_epoch} on {len(X_train)} patients, ", end="")
print(f"{all_updates_per_epoch} on {len(X_rest)}.\n")
print(
    "| Seed | Epoch chosen | Test loss: chosen | trained again, same epochs |", end=""
)
print(" same updates (epochs) | chosen, training continued (epochs) |")
print("|---:|---:|---:|---:|---:|---:|")
for i, seed in enumerate(SEEDS):
    print(
        f"| {seed} | {best_epochs[i]} | {chosen_test_loss[i]:,.0f} "
        f"| {same_epochs_test_loss[i]:,.0f} "
        f"| {same_updates_test_loss[i]:,.0f} ({same_updates_epochs[i]}) "
        f"| {continued_test_loss[i]:,.0f} (+{continued_epochs[i]}) |"
    )

# %%
# Compare the rules in pairs, seed by seed
# ----------------------------------------
comparisons = {
    "the chosen network beat training again for the same epochs": (
        chosen_test_loss,
        same_epochs_test_loss,
    ),
    "the chosen network beat training again for the same updates": (
        chosen_test_loss,
        same_updates_test_loss,
    ),
    "the same epochs beat the same updates": (
        same_epochs_test_loss,
        same_updates_test_loss,
    ),
}
wins, paired_p = {}, {}
print()
for name, (first, second) in comparisons.items():
    wins[name] = int(np.sum(first < second))
    paired_p[name] = float(stats.ttest_rel(first, second).pvalue)
    print(
        f"- {name} in {wins[name]} of {len(SEEDS)} seeds, by "
        f"{np.mean(second - first):,.0f} on average (paired t-test: "
        f"p = {paired_p[name]:.2g})"
    )
chosen_wins_same_epochs, chosen_wins_same_updates, epochs_win_updates = wins.values()
