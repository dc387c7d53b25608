"""Choosing on the test set among fewer epochs: less flattery.

The optimism example's fifty runs, choosing only among every 20th epoch (10
candidates instead of 200), both on the validation set and on the first half of
the test set. The lowest of fewer noisy losses is less often a lucky one, so the
flattery, the first half's loss at the validation epoch minus its lowest, shrinks.
"""

import numpy as np
from _helpers import FOLDS, best_epoch, folds, stack, train

NUM_SEEDS = 50
NUM_EPOCHS = 200
HALF = 45
EVERY = 20  # candidate epochs: 20, 40, ..., 200

seeds = range(NUM_SEEDS)
data = stack([folds(seed) for seed in seeds])
one_split = slice(None, None, FOLDS)
X_train, y_train = data.X_train[one_split], data.y_train[one_split]
X_test, y_test = data.X_test[one_split], data.y_test[one_split]
_, losses = train(
    X_train,
    y_train,
    {
        "val": (data.X_val[one_split], data.y_val[one_split]),
        "first": (X_test[:, :HALF], y_test[:, :HALF]),
    },
    NUM_EPOCHS,
    seeds=list(seeds),
    target_scaler=(y_train.mean(axis=1), y_train.std(axis=1)),
)
rows = np.arange(NUM_SEEDS)
mean_flattery = []
for step in (1, EVERY):
    candidates = np.arange(step, NUM_EPOCHS + 1, step)  # epochs, from 1
    val, first = losses["val"][:, candidates - 1], losses["first"][:, candidates - 1]
    val_choice = best_epoch(val) - 1  # index among the candidates
    flattery = first[rows, val_choice] - first.min(axis=1)
    mean_flattery.append(float(flattery.mean()))
    print(f"- {len(candidates)} candidate epochs: mean flattery {flattery.mean():,.0f}")
flattery_ratio = mean_flattery[1] / mean_flattery[0]
print(f"- Every {EVERY}th epoch: {flattery_ratio:.2f} of the flattery")
