"""The optimism of choosing the epoch on the test set, measured on a second
held-out set.

Each seed's 90 test patients are cut in two halves of 45: the first is the test
set a careless run chooses its epoch on, the second is kept untouched. The loss the
careless run reports is the lowest of the first half's curve; what its network
really does on new patients is that epoch's loss on the second half. The gap is
the optimism of choosing on the test set. A run that chooses on its validation set
instead, and tests once on the first half, is the control: its gap to the second
half should be nothing but noise.
"""

# %%
# One split per seed, the test set cut in two halves
# ---------------------------------------------------
import numpy as np
from _helpers import FOLDS, best_epoch, folds, stack, train
from scipy import stats

NUM_SEEDS = 50  # each seed: the test set, the split, the initial weights
NUM_EPOCHS = 200
HALF = 45  # test patients in each half

seeds = range(NUM_SEEDS)
data = stack([folds(seed) for seed in seeds])
one_split = slice(None, None, FOLDS)  # fold 1 held out: train on 264, validate on 88
X_train, y_train = data.X_train[one_split], data.y_train[one_split]
train_size = X_train.shape[1]  # patients in every training set: 264
batch_sizes = [train_size]  # the full batch: one update per epoch
X_test, y_test = data.X_test[one_split], data.y_test[one_split]
_, losses = train(
    X_train,
    y_train,
    {
        "val": (data.X_val[one_split], data.y_val[one_split]),
        "first": (X_test[:, :HALF], y_test[:, :HALF]),
        "second": (X_test[:, HALF:], y_test[:, HALF:]),
    },
    NUM_EPOCHS,
    seeds=list(seeds),
    target_scaler=(y_train.mean(axis=1), y_train.std(axis=1)),
)
rows = np.arange(NUM_SEEDS)

# %%
# What each run reports, and what the untouched half says
# -------------------------------------------------------
test_chosen = best_epoch(losses["first"])  # chosen on the test set
val_chosen = best_epoch(losses["val"])  # chosen on the validation set
first, second = losses["first"], losses["second"]
reported = first[rows, test_chosen - 1]
gap = second[rows, test_chosen - 1] - reported
control = second[rows, val_chosen - 1] - first[rows, val_chosen - 1]
optimism = gap - control  # the halves' own difference taken out, seed by seed
flattery = first[rows, val_chosen - 1] - reported  # >= 0 by construction
worse_epoch = second[rows, test_chosen - 1] - second[rows, val_chosen - 1]


def row(name, values):
    """A table row: mean, its standard error, the t-test against 0."""
    test = stats.ttest_1samp(values, 0)
    error = values.std(ddof=1) / np.sqrt(len(values))
    print(
        f"| {name} | {values.mean():+,.0f} | {error:,.0f} | {test.statistic:.1f} "
        f"| {test.pvalue:.3f} |"
    )


print(f"Over {NUM_SEEDS} seeds, in the target's units (MSE):\n")
print("| Per seed | Mean | Standard error | t | p |")
print("|---|---:|---:|---:|---:|")
row("A: chosen on the first half; second half minus first half", gap)
row("B: chosen on validation; second half minus first half", control)
row("**Optimism**: A minus B", optimism)
row("Flattery: first half, validation epoch minus chosen epoch", flattery)
row("Worse epoch: second half, first-half epoch minus validation epoch", worse_epoch)
optimism_percent = 100 * optimism.mean() / second[rows, test_chosen - 1].mean()
print(
    f"\n- The optimism of choosing on the test set: {optimism.mean():,.0f}, "
    f"{optimism_percent:.1f} % of the chosen network's loss on the "
    "untouched half"
)
print(
    f"- Seed by seed, the optimism is the flattery plus the worse epoch's cost; "
    f"the flattery is {flattery.mean() / optimism.mean():.2f} of it"
)
