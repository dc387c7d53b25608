"""A warm-up of 20 of the 40 epochs: the cosine over the rest still settles, and
neither warm-up changes the test loss of the last epoch.

The schedules example's warm-up and cosine again, with a warm-up of 5 epochs and
of 20, and the cosine of 40 epochs without one, with the same ten orders of the
examples: how far above its lowest validation loss does each run end, and how
does its last epoch's test loss compare, seed by seed, with no warm-up's?
"""

import numpy as np
from _helpers import cosine, loss, split, train, warmup_cosine
from scipy import stats

NUM_EPOCHS = 40
LEARNING_RATE = 0.05
BATCH_SIZE = 4
SEEDS = list(range(10))
WARMUPS = [0, 5, 20]  # 0: the cosine without a warm-up

data = split()
X_train, target_scaler = data.X_train, data.target_scaler
last_over_lowest = np.empty((len(WARMUPS), len(SEEDS)))
last_test = np.empty_like(last_over_lowest)
for row, warmup in enumerate(WARMUPS):
    if warmup:
        rates = warmup_cosine(LEARNING_RATE, NUM_EPOCHS, warmup)
    else:
        rates = cosine(LEARNING_RATE, NUM_EPOCHS)
    for column, seed in enumerate(SEEDS):
        weights = train(data, rates, BATCH_SIZE, seed)
        val = loss(data, weights, data.X_val, data.y_val)
        last_over_lowest[row, column] = val[-1] / val.min() - 1
        last_test[row, column] = loss(data, weights[-1], data.X_test, data.y_test)

print(f"Medians over {len(SEEDS)} seeds (lowest to highest in brackets):\n")
print("| Warm-up | Last epoch above the lowest | Test loss, last epoch |")
print("|---:|---:|---:|")
for row, warmup in enumerate(WARMUPS):
    above = last_over_lowest[row]
    print(
        f"| {warmup} epochs | {np.median(above):.0%} ({above.min():.0%} to "
        f"{above.max():.0%}) | {np.median(last_test[row]):,.0f} |"
    )

# Paired by seed: each warm-up's test loss against no warm-up's, in percent
difference = 100 * (last_test[1:] / last_test[0] - 1)
low, high = stats.ttest_1samp(difference, 0, axis=1).confidence_interval(0.95)
print("\nTest loss of the last epoch against no warm-up, seed by seed:\n")
for row, warmup in enumerate(WARMUPS[1:]):
    print(
        f"- warm-up of {warmup}: {difference[row].mean():+.2f} % on average "
        f"(95 % interval {low[row]:+.2f} % to {high[row]:+.2f} %)"
    )
