"""The two paths on ten splits: how close early stopping and the L2 penalty stay.

The first example follows one split of the patients. Here the same measurements
are made on each of ten splits, at each of the three learning rates the page
shows: how far the stopped weights get from the penalty's at alpha = 1 / (t eps),
and how far at alpha = 1 / t; the closest alpha, as a share of 1 / (t eps); how
well the path at learning rate 0.01 and the one at 0.1 agree at the same t eps;
and how far apart the two are after the first epoch at 0.4.
"""

# %%
# The measurements, for one split and one learning rate
# -----------------------------------------------------
import numpy as np
from _helpers import curvature, diabetes, gradient_descent, ridge

SEEDS = list(range(10))  # the splits of the patients
LEARNING_RATES = [0.01, 0.1, 0.4]  # eps: the rates the page's controls show
NUM_EPOCHS = 10_000
EARLY_EPOCHS = [1, 3, 10, 30, 100, 300, 1000]  # the first example's, to 1,000
ALPHA_GRID = np.logspace(-5, 3, 801)  # searched for the closest alpha


def distances(C, b, rate):
    """After each epoch at `rate`: the distance from the penalty's weights at
    alpha = 1 / (t eps) and at alpha = 1 / t, as shares of the length of the
    least-squares weights; and the closest alpha times t eps, at EARLY_EPOCHS
    and at the last epoch."""
    path = gradient_descent(C, b, rate, NUM_EPOCHS)
    epochs = np.arange(1, NUM_EPOCHS + 1)
    length = np.linalg.norm(ridge(C, b, 0.0))
    matched = np.linalg.norm(path - ridge(C, b, 1 / (epochs * rate)), axis=1)
    no_rate = np.linalg.norm(path - ridge(C, b, 1 / epochs), axis=1)
    ridge_grid = ridge(C, b, ALPHA_GRID)
    ratios = []
    for t in [*EARLY_EPOCHS, NUM_EPOCHS]:
        gaps = np.linalg.norm(ridge_grid - path[t - 1], axis=1)
        ratios.append(ALPHA_GRID[np.argmin(gaps)] * t * rate)
    return matched / length, no_rate / length, np.array(ratios)


# %%
# Every split, every rate
# -----------------------
# One row per learning rate, one column per split.
shape = (len(LEARNING_RATES), len(SEEDS))
farthest, no_rate_farthest, first_epoch = (
    np.zeros(shape),
    np.zeros(shape),
    np.zeros(shape),
)
lowest_ratio, highest_ratio, last_ratio = (
    np.zeros(shape),
    np.zeros(shape),
    np.zeros(shape),
)
rates_agree = np.zeros(len(SEEDS))  # 0.01 against 0.1 at the same t eps
largest_step = np.zeros(len(SEEDS))  # eps lam of the most curved direction, at 0.4
for i, seed in enumerate(SEEDS):
    data = diabetes(seed)
    C, b = curvature(data.X_train, data.y_train, data.mean)
    BATCH_SIZE = len(data.X_train)  # the full batch: one update per epoch
    matched = []
    for j, rate in enumerate(LEARNING_RATES):
        distance, no_rate, ratios = distances(C, b, rate)
        matched.append(distance)
        farthest[j, i], no_rate_farthest[j, i] = distance.max(), no_rate.max()
        first_epoch[j, i] = distance[0]
        lowest_ratio[j, i], highest_ratio[j, i] = ratios[:-1].min(), ratios[:-1].max()
        last_ratio[j, i] = ratios[-1]
    # t eps from 3 to 100, in steps of 0.1: epoch t eps / 0.01 and t eps / 0.1
    t_eps = np.arange(30, 1001) / 10
    slow = matched[0][np.rint(t_eps / 0.01).astype(int) - 1]
    page = matched[1][np.rint(t_eps / 0.1).astype(int) - 1]
    rates_agree[i] = np.max(np.abs(slow - page))
    largest_step[i] = 0.4 * np.linalg.eigvalsh(C).max()
del matched, distance, no_rate, slow, page  # the last split's long intermediates
train_size = len(data.X_train)  # the patients each split trains on

# %%
# Print the ten splits
# --------------------
SLOW, PAGE, FAST = 0, 1, 2  # the rows of 0.01, 0.1 and 0.4
print(
    "| Split | Farthest apart | With α = 1/_t_ | Closest α × _t_ε, epochs 1–1,000 |",
    end="",
)
print(" At epoch 10,000 | 0.01 against 0.1 | After epoch 1 at 0.4 |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for i, seed in enumerate(SEEDS):
    print(
        f"| {seed + 1} | {farthest[PAGE, i]:.1%} | {no_rate_farthest[PAGE, i]:.1%} "
        f"| {lowest_ratio[PAGE, i]:.2f} to {highest_ratio[PAGE, i]:.2f} "
        f"| {last_ratio[PAGE, i]:.3f} | {rates_agree[i]:.2%} "
        f"| {first_epoch[FAST, i]:.1%} |"
    )
times_farther = first_epoch[FAST] / farthest[PAGE]
times_no_rate = no_rate_farthest[PAGE] / farthest[PAGE]
print(
    f"\nColumns 2 to 5 are at learning rate 0.1. Over the {len(SEEDS)} splits, "
    f"the two paths were at most {farthest[PAGE].min():.1%} to "
    f"{farthest[PAGE].max():.1%} apart (under a sixth on "
    f"{np.sum(farthest[PAGE] < 1 / 6)} of them); matched as α = 1/_t_, "
    f"{times_no_rate.min():.1f} to {times_no_rate.max():.1f} times as far. The "
    f"closest α over epochs 1 to 1,000 was {lowest_ratio[PAGE].min():.2f} to "
    f"{highest_ratio[PAGE].max():.2f} times 1/(_t_ε) (at 0.01: "
    f"{lowest_ratio[SLOW].min():.2f} to {highest_ratio[SLOW].max():.2f}). At the "
    f"same _t_ε from 3 to 100, the distances at 0.01 and at 0.1 were within "
    f"{rates_agree.max():.2%} of each other. After epoch 1 at 0.4, the two were "
    f"{times_farther.min():.1f} to {times_farther.max():.1f} times as far apart as "
    f"anywhere on the path at 0.1; ελ of the most curved direction at 0.4 was "
    f"{largest_step.min():.2f} to {largest_step.max():.2f}."
)
