"""Averaging the last 20 epochs at a constant rate, against the last 10.

The averaging example again at the constant rate, averaging the weights of the last
20 of the 40 epochs as well as the last 10, with the same ten orders of the
examples.
"""

import numpy as np
from _helpers import constant, loss, split, train

NUM_EPOCHS = 40
LEARNING_RATE = 0.05
BATCH_SIZE = 4
SEEDS = list(range(10))
WINDOWS = [10, 20]

data = split()
X_train, target_scaler = data.X_train, data.target_scaler
# [window, seed]: the validation loss of the average of the last `window` epochs
averaged_val = np.empty((len(WINDOWS), len(SEEDS)))
for column, seed in enumerate(SEEDS):
    weights = train(data, constant(LEARNING_RATE, NUM_EPOCHS), BATCH_SIZE, seed)
    for row, window in enumerate(WINDOWS):
        mean_weights = weights[-window:].mean(axis=0)
        averaged_val[row, column] = loss(data, mean_weights, data.X_val, data.y_val)

twenty_better = int((averaged_val[1] < averaged_val[0]).sum())
print(f"Validation loss of the average, medians over {len(SEEDS)} seeds:\n")
print("| Epochs averaged | Validation loss |")
print("|---:|---:|")
for row, window in enumerate(WINDOWS):
    print(f"| last {window} | {np.median(averaged_val[row]):,.0f} |")
print(
    f"\nThe average of the last 20 was the better one in {twenty_better} of "
    f"{len(SEEDS)} seeds."
)
