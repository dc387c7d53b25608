"""A constant rate ten times smaller: a lower floor, still above the cosine's end.

The noise-floor example again, at a constant rate of 0.005 beside 0.05, with the
same ten orders of the examples; the cosine schedule from 0.05 for comparison.
"""

import numpy as np
from _helpers import constant, cosine, loss, split, train

NUM_EPOCHS = 40
LAST_EPOCHS = 10
BATCH_SIZE = 4
SEEDS = list(range(10))

data = split()
X_train, target_scaler = data.X_train, data.target_scaler
schedules = {
    "Constant 0.05": constant(0.05, NUM_EPOCHS),
    "Constant 0.005": constant(0.005, NUM_EPOCHS),
    "Cosine from 0.05": cosine(0.05, NUM_EPOCHS),
}
floor_val = np.empty((len(schedules), len(SEEDS)))
last_val = np.empty_like(floor_val)
for row, rates in enumerate(schedules.values()):
    for column, seed in enumerate(SEEDS):
        val = loss(data, train(data, rates, BATCH_SIZE, seed), data.X_val, data.y_val)
        floor_val[row, column] = val[-LAST_EPOCHS:].mean()
        last_val[row, column] = val[-1]

print(f"Validation loss, medians over {len(SEEDS)} seeds:\n")
print(f"| Schedule | Last {LAST_EPOCHS} epochs | Last epoch |")
print("|---|---:|---:|")
for row, name in enumerate(schedules):
    print(
        f"| {name} | {np.median(floor_val[row]):,.0f} "
        f"| {np.median(last_val[row]):,.0f} |"
    )
