"""Seeds for a difference half as large: about four times as many.

The paired example's runs again (twenty seeds, fold 1's network tested at the
one-split epoch and at the 4-fold epoch), and the same power calculation, for a
difference of 4 % of the test loss and of 2 %. The seeds needed grow with the
square of the paired SD over the difference: halving the difference takes about
four times the seeds.
"""

import numpy as np
from _helpers import FOLDS, best_epoch, folds, stack, train
from scipy import stats

NUM_SEEDS = 20
NUM_EPOCHS = 200
ALPHA, POWER = 0.05, 0.8
SIZES_PERCENT = [4, 2]

data = stack([folds(seed) for seed in range(NUM_SEEDS)])
X_train, y_train = data.X_train, data.y_train
_, losses = train(
    X_train,
    y_train,
    {"val": (data.X_val, data.y_val), "test": (data.X_test, data.y_test)},
    NUM_EPOCHS,
    seeds=[seed for seed in range(NUM_SEEDS) for _ in range(FOLDS)],
    target_scaler=(y_train.mean(axis=1), y_train.std(axis=1)),
)
val_loss = losses["val"].reshape(NUM_SEEDS, FOLDS, NUM_EPOCHS)
test_curve = losses["test"].reshape(NUM_SEEDS, FOLDS, NUM_EPOCHS)[:, 0]
rows = np.arange(NUM_SEEDS)
one_split_loss = test_curve[rows, best_epoch(val_loss[:, 0]) - 1]
k_fold_loss = test_curve[rows, best_epoch(val_loss.mean(axis=1)) - 1]
paired_sd = float((one_split_loss - k_fold_loss).std(ddof=1))


def seeds_needed(size):
    """The fewest seeds with which the paired t-test finds `size` 80 % of the time
    (trying 2 to 10,000)."""
    n = np.arange(2, 10_001)
    critical = stats.t.ppf(1 - ALPHA / 2, n - 1)
    shift = size / paired_sd * np.sqrt(n)
    power = stats.nct.sf(critical, n - 1, shift) + stats.nct.cdf(
        -critical, n - 1, shift
    )
    return int(n[np.argmax(power >= POWER)])


needed = [seeds_needed(p / 100 * k_fold_loss.mean()) for p in SIZES_PERCENT]
for percent, n in zip(SIZES_PERCENT, needed, strict=True):
    print(f"- A difference of {percent} % of the test loss: {n} paired seeds")
print(f"- Half the difference: {needed[1] / needed[0]:.1f} times the seeds")
