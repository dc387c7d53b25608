"""Two ways of choosing the epoch, compared over seeds: paired, and unpaired.

Does the epoch chosen by 4-fold cross-validation give a lower test loss than the
epoch chosen on one split? For each seed, the network trained on one split (fold 1
held out) is tested at both epochs: the same network, the same test set, two
settings. The test loss moves a lot from seed to seed, since each seed draws its
own test set; the difference between the two settings, taken seed by seed, moves
far less. A paired test uses that; an unpaired one, which compares the two lists
of losses as if they came from different seeds, cannot. From the two spreads the
example then works out how many seeds a difference of a given size needs, with
the same two tests, and how sure those numbers are, since the spreads are
measured on the seeds too.
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
# Unpaired: Student's t-test, with the SD pooled over both lists (2n - 2 degrees of
# freedom); with as many seeds in each list, its t is Welch's. Paired: the t-test on
# the differences (n - 1 degrees of freedom).
unpaired_t, unpaired_p = stats.ttest_ind(one_split_loss, k_fold_loss)
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
print(
    f"\n- Unpaired (Student's t-test, pooled SD): t = {unpaired_t:.2f}, "
    f"p = {unpaired_p:.2f}"
)
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
# a true difference of that size 80 % of the time, from the spreads measured above:
# the paired t-test on the differences, or Student's unpaired one, as above.
ALPHA, POWER = 0.05, 0.8


def power(size, sd, n, paired):
    """Chance that the t-test at level ALPHA finds a true difference `size`."""
    df = n - 1 if paired else 2 * n - 2
    shift = size / sd * np.sqrt(n if paired else n / 2)
    critical = stats.t.ppf(1 - ALPHA / 2, df)
    return stats.nct.sf(critical, df, shift) + stats.nct.cdf(-critical, df, shift)


def seeds_needed(size, sd, paired):
    """The fewest seeds (per setting) that reach POWER; power grows with the seeds,
    so a bisection finds them."""
    low, high = 1, 2
    while power(size, sd, high, paired) < POWER:
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        if power(size, sd, middle, paired) >= POWER:
            high = middle
        else:
            low = middle
    return high


def sd_interval(sd, df):
    """A 95 % interval for an SD estimated with `df` degrees of freedom, from the
    chi-square distribution (normal data)."""
    return (
        sd * np.sqrt(df / stats.chi2.ppf(0.975, df)),
        sd * np.sqrt(df / stats.chi2.ppf(0.025, df)),
    )


# Both SDs come from the same NUM_SEEDS seeds: the two lists of the unpaired SD
# share them, so it is given no more degrees of freedom than one list's.
paired_sd_interval = sd_interval(paired_sd, NUM_SEEDS - 1)
unpaired_sd_interval = sd_interval(unpaired_sd, NUM_SEEDS - 1)
mean_loss = float(k_fold_loss.mean())
SIZES_PERCENT = [1, 2, 5]
sizes = [p / 100 * mean_loss for p in SIZES_PERCENT]
needed_paired = [seeds_needed(size, paired_sd, True) for size in sizes]
needed_unpaired = [seeds_needed(size, unpaired_sd, False) for size in sizes]
# The seeds needed at the low and the high end of each SD's interval.
needed_paired_range = [
    [seeds_needed(size, sd, True) for sd in paired_sd_interval] for size in sizes
]
needed_unpaired_range = [
    [seeds_needed(size, sd, False) for sd in unpaired_sd_interval] for size in sizes
]
print("\nSeeds needed to find a difference 80 % of the time (5 % level):\n")
print("| Difference in test loss | Paired: seeds | Unpaired: seeds per setting |")
print("|---:|---:|---:|")
for percent, size, n_paired, n_unpaired, (p_low, p_high), (u_low, u_high) in zip(
    SIZES_PERCENT,
    sizes,
    needed_paired,
    needed_unpaired,
    needed_paired_range,
    needed_unpaired_range,
    strict=True,
):
    print(
        f"| {percent} % ({size:,.0f}) | {n_paired:,} ({p_low:,} to {p_high:,}) | "
        f"{n_unpaired:,} ({u_low:,} to {u_high:,}) |"
    )
print(
    f"\nIn brackets: the seeds needed at the ends of a 95 % interval for the SD "
    f"(chi-square, {NUM_SEEDS - 1} degrees of freedom): paired SD "
    f"{paired_sd_interval[0]:,.0f} to {paired_sd_interval[1]:,.0f}, unpaired "
    f"{unpaired_sd_interval[0]:,.0f} to {unpaired_sd_interval[1]:,.0f}."
)
# The chi-square interval is for normal data; the differences are skewed. A
# bootstrap over the seeds does not assume their shape.
NUM_RESAMPLES = 2000
rng = np.random.RandomState(0)
draws = rng.randint(0, NUM_SEEDS, size=(NUM_RESAMPLES, NUM_SEEDS))
bootstrap_sd_interval = np.percentile(
    difference[draws].std(axis=1, ddof=1), [2.5, 97.5]
)
print(
    f"The differences' skewness is {stats.skew(difference):.1f} (0 if normal); a "
    f"bootstrap over the seeds puts the paired SD's 95 % interval at "
    f"{bootstrap_sd_interval[0]:,.0f} to {bootstrap_sd_interval[1]:,.0f}."
)
