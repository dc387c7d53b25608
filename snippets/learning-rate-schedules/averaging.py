"""Averaging the weights of the last epochs does at a constant rate much of what
decay does.

At a constant rate, the weights of the last epochs scatter around where a settled
run would end; their average lies nearer it than any one of them. The example
averages the weights of the last 10 of 40 epochs, at a constant rate and with a
cosine schedule, with ten orders of the examples, and compares the average's
validation and test losses with the last epoch's, seed by seed.
"""

# %%
# Train, keeping the weights after every epoch
# --------------------------------------------
import numpy as np
from _helpers import constant, cosine, loss, split, train

NUM_EPOCHS = 40
LAST_K = 10  # how many of the last epochs' weights are averaged
SHARE = 0.8  # "most of the way": the share of the gap counted below
LEARNING_RATE = 0.05
BATCH_SIZE = 4
SEEDS = list(range(10))

data = split()
X_train, target_scaler = data.X_train, data.target_scaler
schedules = {
    "Constant": constant(LEARNING_RATE, NUM_EPOCHS),
    "Cosine": cosine(LEARNING_RATE, NUM_EPOCHS),
}
# [schedule, seed, set]: set 0 is validation, 1 is test
last = np.empty((len(schedules), len(SEEDS), 2))
averaged = np.empty_like(last)
for row, rates in enumerate(schedules.values()):
    for column, seed in enumerate(SEEDS):
        weights = train(data, rates, BATCH_SIZE, seed)
        mean_weights = weights[-LAST_K:].mean(axis=0)
        for at, (X, y) in enumerate(
            ((data.X_val, data.y_val), (data.X_test, data.y_test))
        ):
            last[row, column, at] = loss(data, weights[-1], X, y)
            averaged[row, column, at] = loss(data, mean_weights, X, y)

# %%
# The average against the last epoch, paired by seed
# --------------------------------------------------
gain = last - averaged  # above 0: the average is better
print(f"The average of the weights of the last {LAST_K} of {NUM_EPOCHS} epochs,")
print(f"against the last epoch's weights, over {len(SEEDS)} seeds:\n")
print("| Schedule | Set | Last epoch (median) | Average (median) |", end="")
print(" Seeds where the average is better | Mean gain |")
print("|---|---|---:|---:|---:|---:|")
for row, name in enumerate(schedules):
    for at, set_name in enumerate(("validation", "test")):
        print(
            f"| {name} | {set_name} | {np.median(last[row, :, at]):,.0f} "
            f"| {np.median(averaged[row, :, at]):,.0f} "
            f"| {(gain[row, :, at] > 0).sum()} of {len(SEEDS)} "
            f"| {gain[row, :, at].mean():,.0f} |"
        )

# %%
# How far averaging goes towards decay, seed by seed
# --------------------------------------------------
# The share of the way from the constant rate's last epoch to the cosine's last
# epoch that the constant rate's average covers, in the same seed (1: all of it).
CONSTANT, COSINE = 0, 1
closed = (last[CONSTANT] - averaged[CONSTANT]) / (last[CONSTANT] - last[COSINE])
seeds_past_share = (closed > SHARE).sum(axis=0)
print(
    "\nSeed by seed, the constant rate's average covered this share of the way "
    "from its last epoch to the cosine's:\n"
)
for at, set_name in enumerate(("validation", "test")):
    share = closed[:, at]
    print(
        f"- {set_name}: median {np.median(share):.0%} ({share.min():.0%} to "
        f"{share.max():.0%}), more than {SHARE:.0%} in {seeds_past_share[at]} of "
        f"{len(SEEDS)} seeds"
    )
