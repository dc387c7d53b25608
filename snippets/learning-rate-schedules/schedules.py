"""With a decaying learning rate the last epoch is a good one; at a constant rate
it is not.

The linear model of the Batches page learns the Diabetes training set in batches of
4 patients, 40 epochs long, with four schedules: a constant rate, a step schedule
that divides it by 10 halfway and again at three quarters, a cosine that falls
smoothly to 0, and a cosine after a linear warm-up of 5 epochs. Every schedule
starts from the same rate, and every run is repeated with ten orders of the
examples (the seeds), the same ten for every schedule, so that the schedules can
be compared seed by seed. After every epoch the validation and test losses are
measured: where is the validation loss lowest, and how far above that is the last
epoch?
"""

# %%
# The data and the schedules
# --------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import constant, cosine, loss, split, step, train, warmup_cosine

NUM_EPOCHS = 40  # the length of every schedule
LEARNING_RATE = 0.05  # every schedule's highest rate
BATCH_SIZE = 4
SEEDS = list(range(10))  # the order of the examples in every epoch

data = split()
X_train, target_scaler = data.X_train, data.target_scaler
print(
    f"{len(data.X_train)} training patients, {len(data.X_val)} validation, "
    f"{len(data.X_test)} test.\n"
)
schedules = {
    "Constant": constant(LEARNING_RATE, NUM_EPOCHS),
    "Step": step(LEARNING_RATE, NUM_EPOCHS),
    "Cosine": cosine(LEARNING_RATE, NUM_EPOCHS),
    "Warm-up, cosine": warmup_cosine(LEARNING_RATE, NUM_EPOCHS),
}
schedule_names = list(schedules)
rates_per_epoch = np.array(list(schedules.values()))  # one row a schedule

# %%
# Train every schedule with every seed
# ------------------------------------
# One row a schedule, one column a seed, one entry an epoch.
val_loss = np.empty((len(schedules), len(SEEDS), NUM_EPOCHS))
test_loss = np.empty_like(val_loss)
for row, rates in enumerate(schedules.values()):
    for column, seed in enumerate(SEEDS):
        weights = train(data, rates, BATCH_SIZE, seed)
        val_loss[row, column] = loss(data, weights, data.X_val, data.y_val)
        test_loss[row, column] = loss(data, weights, data.X_test, data.y_test)

best_epochs = val_loss.argmin(axis=2) + 1  # counted from 1
lowest_val = val_loss.min(axis=2)
last_val = val_loss[:, :, -1]
last_over_lowest = last_val / lowest_val - 1
seeds_best_in_last_quarter = (best_epochs > 0.75 * NUM_EPOCHS).sum(axis=1)
# The test loss of the network each run would keep: the epoch of its lowest
# validation loss, or simply its last epoch.
test_at_best = np.take_along_axis(test_loss, best_epochs[..., None] - 1, 2)[..., 0]
test_at_last = test_loss[:, :, -1]

print(f"{NUM_EPOCHS} epochs, batches of {BATCH_SIZE}, highest rate {LEARNING_RATE};")
print(f"medians over {len(SEEDS)} seeds (lowest to highest in brackets):\n")
print(
    "| Schedule | Epoch of the lowest validation loss | Seeds with it in the last",
    end="",
)
print(" quarter | Last epoch above the lowest | Test loss, lowest epoch |", end="")
print(" Test loss, last epoch |")
print("|---|---:|---:|---:|---:|---:|")
for row, name in enumerate(schedules):
    best = best_epochs[row]
    print(
        f"| {name} | {np.median(best):.0f} ({best.min()} to {best.max()}) "
        f"| {seeds_best_in_last_quarter[row]} of {len(SEEDS)} "
        f"| {np.median(last_over_lowest[row]):.0%} "
        f"({last_over_lowest[row].min():.0%} to {last_over_lowest[row].max():.0%}) "
        f"| {np.median(test_at_best[row]):,.0f} | {np.median(test_at_last[row]):,.0f} |"
    )

# %%
# Paired by seed: the constant rate's chosen epoch against the cosine's last
# --------------------------------------------------------------------------
CONSTANT, COSINE = 0, 2
same_best_epoch = int((best_epochs[COSINE] == best_epochs[CONSTANT]).sum())
print(
    f"\nThe cosine's lowest validation loss fell at the very epoch of the constant "
    f"rate's in {same_best_epoch} of {len(SEEDS)} seeds."
)
# The seeds whose lowest at the constant rate fell in the first half: there, every
# falling schedule's validation loss at that very epoch, against the constant
# rate's, and the epoch's rank in the falling schedule's own run (1 = its lowest).
early_seeds = np.flatnonzero(best_epochs[CONSTANT] <= NUM_EPOCHS / 2)
at_early = np.take_along_axis(val_loss, best_epochs[CONSTANT][None, :, None] - 1, 2)
early_gap = (at_early[1:, early_seeds, 0] / at_early[0, early_seeds, 0] - 1).ravel()
early_rank = (val_loss[1:, early_seeds] < at_early[1:, early_seeds]).sum(2).ravel() + 1
if len(early_seeds):
    print(
        f"\nIn the {len(early_seeds)} seeds whose lowest validation loss at the "
        f"constant rate fell in the first half of the run, every falling schedule's "
        f"validation loss at that same epoch was within {abs(early_gap).max():.1%} "
        f"of the constant rate's, and that epoch was among its own "
        f"{early_rank.max()} lowest."
    )
paired = test_at_best[CONSTANT] - test_at_last[COSINE]
paired_t = paired.mean() / (paired.std(ddof=1) / np.sqrt(len(paired)))
cosine_wins = int((paired > 0).sum())
print(
    f"\nSeed by seed, the cosine's last epoch had a lower test loss than the epoch "
    f"the validation set chose at the constant rate in {cosine_wins} of "
    f"{len(SEEDS)} seeds; the difference was {paired.mean():,.0f} on average "
    f"(paired t = {paired_t:.1f})."
)
# Medians over the seeds, in percent, for the table under the control
constant_last_over_lowest = float(100 * np.median(last_over_lowest[CONSTANT]))
cosine_last_over_lowest = float(100 * np.median(last_over_lowest[COSINE]))
cosine_test_at_last = float(np.median(test_at_last[COSINE]))

# %%
# Plot the schedules and the validation loss of the first seed
# ------------------------------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 6), sharex=True)
for row, (name, rates) in enumerate(schedules.items()):
    top.plot(epochs, rates, label=name)
    bottom.plot(epochs, val_loss[row, 0], label=name)
top.set_ylabel("Learning rate")
top.set_title("Four schedules, and the validation loss they give")
top.legend()
bottom.set_ylabel("Validation loss (MSE)")
bottom.set_xlabel("Epoch")
bottom.legend()
for axes in (top, bottom):
    axes.grid(True)
plt.show()
