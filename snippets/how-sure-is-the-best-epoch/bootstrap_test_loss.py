"""A bootstrap interval for the test loss of the chosen network.

The first seed's network trained on one split (fold 1 held out), stopped at the
epoch 4-fold cross-validation chose, is tested once on the 90 test patients. Its
test loss is the mean of 90 squared errors, and another 90 patients would have
given another mean. The bootstrap estimates how much: it draws 90 of the same
patients with replacement, again and again, and takes the mean of each draw; the
middle 95 % of those means is the interval. The same is done for every seed's
network, and the bootstrap's standard error is set beside the spread of the test
loss over the seeds, each of which has a test set of its own.
"""

# %%
# Choose each seed's epoch by 4-fold cross-validation, then train to it
# ---------------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import FOLDS, best_epoch, folds, stack, train

NUM_SEEDS = 20  # each seed: the test set, the folds, the initial weights
SEED = 0  # the seed whose interval is shown
NUM_EPOCHS = 200
NUM_RESAMPLES = 2000

seeds = range(NUM_SEEDS)
data = stack([folds(seed) for seed in seeds])
X_train, y_train = data.X_train, data.y_train
train_size = X_train.shape[1]  # patients in every training set: 264
batch_sizes = [train_size]  # the full batch: one update per epoch
target_mean, target_sd = y_train.mean(axis=1), y_train.std(axis=1)
_, losses = train(
    X_train,
    y_train,
    {"val": (data.X_val, data.y_val)},
    NUM_EPOCHS,
    seeds=[seed for seed in seeds for _ in range(FOLDS)],
    target_scaler=(target_mean, target_sd),
)
chosen_epochs = best_epoch(losses["val"].reshape(NUM_SEEDS, FOLDS, -1).mean(axis=1))
# Full-batch training draws nothing at random after the start: training a seed's
# fold-1 network for its chosen epochs gives that epoch's network of the run above.
errors_by_seed = []
for seed in seeds:
    row = seed * FOLDS  # the seed's network trained with fold 1 held out
    network, _ = train(
        X_train[row : row + 1],
        y_train[row : row + 1],
        {},
        int(chosen_epochs[seed]),
        seeds=[seed],
        target_scaler=(target_mean[row : row + 1], target_sd[row : row + 1]),
    )
    predictions = network.predict(data.X_test[row : row + 1])[0]
    errors_by_seed.append((predictions - data.y_test[row]) ** 2)
errors_by_seed = np.array(errors_by_seed)  # seeds, test patients
chosen_epoch = int(chosen_epochs[SEED])
squared_errors = errors_by_seed[SEED]
test_loss = float(squared_errors.mean())


# %%
# Resample the test patients
# --------------------------
def resample(errors, seed):
    """The means of NUM_RESAMPLES draws, with replacement, of `errors`."""
    rng = np.random.RandomState(seed)
    draws = rng.randint(0, len(errors), size=(NUM_RESAMPLES, len(errors)))
    return errors[draws].mean(axis=1)


resampled = resample(squared_errors, SEED)
low, high = np.percentile(resampled, [2.5, 97.5])
standard_error = float(resampled.std(ddof=1))
print("The first seed's network:\n")
print(f"- Epoch chosen by {FOLDS}-fold cross-validation: {chosen_epoch}")
print(f"- Test loss on {len(squared_errors)} patients: {test_loss:,.0f}")
print(
    f"- 95 % bootstrap interval ({NUM_RESAMPLES:,} resamples): {low:,.0f} to "
    f"{high:,.0f}, {100 * (low / test_loss - 1):+.0f} % to "
    f"{100 * (high / test_loss - 1):+.0f} %"
)
print(f"- Bootstrap standard error: {standard_error:,.0f}")
print(
    f"- The largest squared error of one patient: {squared_errors.max():,.0f}, "
    f"{squared_errors.max() / test_loss:.1f} times the mean"
)

# %%
# Every seed's network: the bootstrap error against the spread over test sets
# ---------------------------------------------------------------------------
# On all 90 test patients, and on the first 45 of each seed's test set.
TEST_SIZES = [90, 45]
RATIO = 1.5  # "close": within this factor either way
test_losses = []  # per test-set size: each seed's test loss
standard_errors = []  # per test-set size: each seed's bootstrap standard error
for patients in TEST_SIZES:
    errors = errors_by_seed[:, :patients]
    test_losses.append(errors.mean(axis=1))
    standard_errors.append([resample(errors[seed], seed).std(ddof=1) for seed in seeds])
test_losses, standard_errors = np.array(test_losses), np.array(standard_errors)
spread = test_losses.std(axis=1, ddof=1)  # over the seeds' test sets
ratios = standard_errors / spread[:, None]
close = ((ratios > 1 / RATIO) & (ratios < RATIO)).sum(axis=1)
# Each seed's interval on all 90 patients, as fractions of its test loss.
intervals = np.array(
    [np.percentile(resample(errors_by_seed[seed], seed), [2.5, 97.5]) for seed in seeds]
)
below = 1 - intervals[:, 0] / test_losses[0]
above = intervals[:, 1] / test_losses[0] - 1
print(f"\nEvery seed's network ({NUM_SEEDS} seeds, each with its own test set):\n")
print(
    "| Test patients | Bootstrap standard error: median (range) "
    f"| Spread of the test loss over the seeds | Within a factor of {RATIO} |"
)
print("|---:|---:|---:|---:|")
for patients, errors, sd, n_close in zip(
    TEST_SIZES, standard_errors, spread, close, strict=True
):
    print(
        f"| {patients} | {np.median(errors):,.0f} ({errors.min():,.0f} to "
        f"{errors.max():,.0f}) | {sd:,.0f} | {n_close} of {NUM_SEEDS} |"
    )
print(
    f"\n- The 95 % interval on 90 patients reaches {100 * below.min():.0f} to "
    f"{100 * below.max():.0f} % below the test loss and {100 * above.min():.0f} to "
    f"{100 * above.max():.0f} % above it; further above than below for "
    f"{int((above > below).sum())} of {NUM_SEEDS} seeds"
)

# %%
# Plot the resampled test losses
# ------------------------------
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.hist(resampled, bins=40, color="C0", alpha=0.7)
ax.axvline(test_loss, color="C1", linewidth=2, label="Test loss")
ax.axvline(low, color="C2", linestyle="--", label="2.5 %")
ax.axvline(high, color="C2", linestyle="--", label="97.5 %")
ax.set_xlabel("Test loss of a resample (MSE)")
ax.set_ylabel("Resamples")
ax.set_title(f"{NUM_RESAMPLES:,} resamples of the {len(squared_errors)} test patients")
plt.show()
