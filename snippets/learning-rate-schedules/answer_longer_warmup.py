"""A warm-up of 20 of the 40 epochs: the cosine over the rest still settles.

The schedules example's warm-up and cosine again, with a warm-up of 5 epochs and
of 20, with the same ten orders of the examples: how far above its lowest
validation loss does each run end?
"""

import numpy as np
from _helpers import loss, split, train, warmup_cosine

NUM_EPOCHS = 40
LEARNING_RATE = 0.05
BATCH_SIZE = 4
SEEDS = list(range(10))
WARMUPS = [5, 20]

data = split()
X_train, target_scaler = data.X_train, data.target_scaler
last_over_lowest = np.empty((len(WARMUPS), len(SEEDS)))
last_val = np.empty_like(last_over_lowest)
for row, warmup in enumerate(WARMUPS):
    rates = warmup_cosine(LEARNING_RATE, NUM_EPOCHS, warmup)
    for column, seed in enumerate(SEEDS):
        val = loss(data, train(data, rates, BATCH_SIZE, seed), data.X_val, data.y_val)
        last_over_lowest[row, column] = val[-1] / val.min() - 1
        last_val[row, column] = val[-1]

print(f"Medians over {len(SEEDS)} seeds (lowest to highest in brackets):\n")
print("| Warm-up | Last epoch above the lowest | Validation loss, last epoch |")
print("|---:|---:|---:|")
for row, warmup in enumerate(WARMUPS):
    above = last_over_lowest[row]
    print(
        f"| {warmup} epochs | {np.median(above):.0%} ({above.min():.0%} to "
        f"{above.max():.0%}) | {np.median(last_val[row]):,.0f} |"
    )
