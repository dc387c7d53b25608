"""Two ways of choosing the epoch, compared over seeds: paired, and unpaired.

Does the epoch chosen by 4-fold cross-validation give a lower test loss than the
epoch chosen on one split? For each seed, the network trained on one split (fold 1
held out) is tested at both epochs: the same network, the same test set, two
settings. The test loss moves a lot from seed to seed, since each seed draws its
own test set; the difference between the two settings, taken seed by seed, moves
far less. A paired test uses that; an unpaired one, which compares the two lists
of losses as if they came from different seeds, cannot. From the paired spread
the example then works out how many seeds a difference of a given size needs.
"""

# %%
# The same networks, tested at two epochs
# ---------------------------------------
import numpy as np
from _helpers import FOLDS, best_epoch, folds, stack, train
from scipy import stats

NUM_SEEDS = 20  # each seed: the test set, the folds, the initial weights
NUM_EPOCHS = 200

seeds = range(NUM_SEEDS)
data = stack([folds(seed) for seed in seeds])
X_train, y_train = data.X_train, data.y_train
train_size = X_train.shape[1]  # patients in every training set: 264
batch_sizes = [train_size]  # the full batch: one update per epoch
_, losses = train(
    X_train,
    y_train,
    {"val": (data.X_val, data.y_val), "test": (data.X_test, data.y_test)},
    NUM_EPOCHS,
    seeds=[seed for seed in seeds for _ in range(FOLDS)],
    target_scaler=(y_train.mean(axis=1), y_train.std(axis=1)),
)
val_loss = losses["val"].reshape(NUM_SEEDS, FOLDS, NUM_EPOCHS)
test_curve = losses["test"].reshape(NUM_SEEDS, FOLDS, NUM_EPOCHS)[:, 0]  # fold 1's
one_split_epochs = best_epoch(val_loss[:, 0])
k_fold_epochs = best_epoch(val_loss.mean(axis=1))
rows = np.arange(NUM_SEEDS)
one_split_loss = test_curve[rows, one_split_epochs - 1]
k_fold_loss = test_curve[rows, k_fold_epochs - 1]
difference = one_split_loss - k_fold_loss  # > 0: the 4-fold epoch tested better

# %%
# Unpaired and paired
# -------------------
unpaired_t, unpaired_p = stats.ttest_ind(one_split_loss, k_fold_loss, equal_var=False)
paired_t, paired_p = stats.ttest_rel(one_split_loss, k_fold_loss)
paired_sd = float(difference.std(ddof=1))
unpaired_sd = float(np.sqrt((one_split_loss.var(ddof=1) + k_fold_loss.var(ddof=1)) / 2))
mean_difference = float(difference.mean())
half_width = stats.t.ppf(0.975, NUM_SEEDS - 1) * paired_sd / np.sqrt(NUM_SEEDS)
effect_size = mean_difference / paired_sd  # the paired difference in its SDs
print(f"Test loss of the network trained on one split, over {NUM_SEEDS} seeds:\n")
print("| Tested at | Mean | SD over seeds |")
print("|---|---:|---:|")
for name, loss in [
    ("the one split's epoch", one_split_loss),
    (f"the {FOLDS}-fold epoch", k_fold_loss),
]:
    print(f"| {name} | {loss.mean():,.0f} | {loss.std(ddof=1):,.0f} |")
print(f"| difference, seed by seed | {mean_difference:+,.0f} | {paired_sd:,.0f} |")
print(f"\n- Unpaired (Welch's t-test): t = {unpaired_t:.2f}, p = {unpaired_p:.2f}")
print(
    f"- Paired (t-test on the differences): t = {paired_t:.2f}, "
    f"p = {paired_p:.3f}; mean difference {mean_difference:+,.0f} "
    f"(95 % interval {mean_difference - half_width:+,.0f} to "
    f"{mean_difference + half_width:+,.0f}), {effect_size:.2f} SDs of the differences"
)
print(
    f"- The {FOLDS}-fold epoch tested better in {int((difference > 0).sum())} of "
    f"{NUM_SEEDS} seeds, worse in {int((difference < 0).sum())}"
)

# %%
# How many seeds a difference needs
# ---------------------------------
# The smallest number of seeds with which a two-sided t-test at the 5 % level finds
# a true difference of that size 80 % of the time, from the spreads measured above.
ALPHA, POWER = 0.05, 0.8


def power(size, sd, n, paired):
    """Chance that the t-test at level ALPHA finds a true difference `size`."""
    df = n - 1 if paired else 2 * n - 2
    shift = size / sd * np.sqrt(n if paired else n / 2)
    critical = stats.t.ppf(1 - ALPHA / 2, df)
    return stats.nct.sf(critical, df, shift) + stats.nct.cdf(-critical, df, shift)


def seeds_needed(size, sd, paired):
    """The fewest seeds (per setting) that reach POWER, trying 2 to 10,000."""
    n = np.arange(2, 10_001)
    return int(n[np.argmax(power(size, sd, n, paired) >= POWER)])


mean_loss = float(k_fold_loss.mean())
SIZES_PERCENT = [1, 2, 5]
needed_paired = [
    seeds_needed(p / 100 * mean_loss, paired_sd, True) for p in SIZES_PERCENT
]
needed_unpaired = [
    seeds_needed(p / 100 * mean_loss, unpaired_sd, False) for p in SIZES_PERCENT
]
print("\nSeeds needed to find a difference 80 % of the time (5 % level):\n")
print("| Difference in test loss | Paired: seeds | Unpaired: seeds per setting |")
print("|---:|---:|---:|")
for percent, n_paired, n_unpaired in zip(
    SIZES_PERCENT, needed_paired, needed_unpaired, strict=True
):
    size = percent / 100 * mean_loss
    print(f"| {percent} % ({size:,.0f}) | {n_paired:,} | {n_unpaired:,} |")
