"""Choosing alpha and the number of epochs together, on grids of the same size.

For each of ten splits of the patients, the linear model trains by full-batch
gradient descent from zero weights, with and without an L2 penalty alpha. Each
way of choosing picks on the validation set from the same number of candidates:
early stopping alone from 17 epochs spread evenly on a log scale from 1 to 3,000,
and the end of training (the exact least-squares solution); the penalty alone,
trained to the end, from the alpha = 1 / (t eps) that each of those epochs stands
for, and alpha = 0; both from every pair of the two, a grid of 18 x 18. They are
compared with the model that uses neither (least squares), and each chosen model
is tested once. Last, the two single choices are compared on grids of other
sizes, from 4 candidates each to every epoch (and as many penalties).
"""

# %%
# The candidates, and the grid of penalties and epochs for each split
# -------------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import curvature, diabetes, gradient_descent, ridge, squared_error

SEEDS = list(range(10))  # the splits of the patients
LEARNING_RATE = 0.1  # eps
NUM_EPOCHS = 3_000
NUM_CANDIDATES = 18  # each way of choosing alone picks from this many
GRID_SIZES = [4, 6, 8, 11, 18, 3_001]  # the same comparison on other grids
SHOWN_ALPHAS = [0.0, 0.01, 0.1, 1.0]  # drawn: the candidates nearest to these


def candidate_epochs(size):
    """The epochs to stop at: size - 1 of them spread evenly on a log scale from 1
    to NUM_EPOCHS, or every epoch; the last candidate, the end, comes on top."""
    if size - 1 >= NUM_EPOCHS:
        return np.arange(1, NUM_EPOCHS + 1)
    return np.unique(np.geomspace(1, NUM_EPOCHS, size - 1).round().astype(int))


def candidate_alphas(epochs):
    """The penalty each candidate epoch stands for, alpha = 1 / (t eps), and
    alpha = 0 for the end: as many candidates, over the same range."""
    return np.append(1 / (epochs * LEARNING_RATE), 0.0)


EPOCHS = candidate_epochs(NUM_CANDIDATES)
ALPHAS = candidate_alphas(EPOCHS)  # ALPHAS[k] stands for EPOCHS[k]; 0 for the end
END = NUM_EPOCHS + 1  # "epoch" of the end of training, the exact solution
# Drawn: the candidates nearest to SHOWN_ALPHAS, at 300 epochs spread evenly on the
# log axis and at the candidate epochs.
SHOWN_COLUMNS = [int(np.argmin(np.abs(ALPHAS - alpha))) for alpha in SHOWN_ALPHAS]
DRAWN_EPOCHS = np.union1d(np.geomspace(1, NUM_EPOCHS, 300).round().astype(int), EPOCHS)


def one_split(seed):
    """The grid's validation losses, the three choices, their test losses, and the
    two single choices on every grid of GRID_SIZES, for the split `seed`."""
    data = diabetes(seed)
    C, b = curvature(data.X_train, data.y_train, data.mean)

    def val_loss(w):
        return squared_error(data.X_val, data.y_val, data.mean, w)

    def test_loss(w):
        return float(squared_error(data.X_test, data.y_test, data.mean, w))

    paths = gradient_descent(C, b, LEARNING_RATE, NUM_EPOCHS, ALPHAS)
    exact = ridge(C, b, ALPHAS).T  # each alpha trained to the end
    every_epoch = np.array([val_loss(w) for w in paths])  # [epoch - 1, alpha]
    # The grid: one row per candidate epoch, the end last; one column per alpha.
    weights = np.concatenate([paths[EPOCHS - 1], exact[None]])
    grid = np.vstack([every_epoch[EPOCHS - 1], val_loss(exact)])
    no_penalty = len(ALPHAS) - 1  # the column of alpha = 0
    stop = int(np.argmin(grid[:, no_penalty]))  # early stopping alone
    pick = int(np.argmin(grid[-1]))  # the penalty alone, trained to the end
    cell = np.unravel_index(np.argmin(grid), grid.shape)  # both
    row = {
        "seed": seed,
        "none": grid[-1, no_penalty],
        "stopping": grid[stop, no_penalty],
        "penalty": grid[-1, pick],
        "both": grid[cell],
        "stop_epoch": ([*EPOCHS, END])[stop],
        "alpha": ALPHAS[pick],
        "both_epoch": ([*EPOCHS, END])[cell[0]],
        "both_alpha": ALPHAS[cell[1]],
        "test_stopping": test_loss(weights[stop, :, no_penalty]),
        "test_penalty": test_loss(weights[-1, :, pick]),
    }
    # The two single choices on grids of other sizes: stopped weights from the
    # run without a penalty, penalised ones solved exactly.
    stopped = np.concatenate([paths[:, :, no_penalty], exact[None, :, no_penalty]])
    by_size = []
    for size in GRID_SIZES:
        epochs = candidate_epochs(size)
        stop_w = stopped[[*(epochs - 1), NUM_EPOCHS]]
        penalty_w = ridge(C, b, candidate_alphas(epochs))
        stop_val, penalty_val = val_loss(stop_w.T), val_loss(penalty_w.T)
        s, p = int(np.argmin(stop_val)), int(np.argmin(penalty_val))
        tested = test_loss(stop_w[s]), test_loss(penalty_w[p])
        by_size.append((len(stop_val), stop_val[s], penalty_val[p], *tested))
    drawn = every_epoch[DRAWN_EPOCHS - 1][:, SHOWN_COLUMNS]
    return row, drawn, np.array(by_size)


rows, curves, sizes = [], [], []
for seed in SEEDS:
    row, drawn, by_size = one_split(seed)
    rows.append(row)
    curves.append(drawn)
    sizes.append(by_size)
BATCH_SIZE = len(diabetes(SEEDS[0]).X_train)  # the full batch: one update per epoch
train_size = BATCH_SIZE  # the patients each split trains on

# %%
# What each way of choosing gained
# --------------------------------
none, stopping, penalty, both = (
    np.array([row[key] for row in rows])
    for key in ("none", "stopping", "penalty", "both")
)
first_gain = none - np.minimum(stopping, penalty)  # the better one alone
extra_gain = np.minimum(stopping, penalty) - both  # the other one on top
penalty_on_top = stopping - both  # alpha tuned once the epoch is
epochs_on_top = penalty - both  # the epoch tuned once alpha is
both_alpha = np.array([row["both_alpha"] for row in rows])
helped = first_gain > 0.01 * none  # splits where regularising gained over 1 %
test_stopping, test_penalty = (
    np.array([row[key] for row in rows]) for key in ("test_stopping", "test_penalty")
)


def epoch_name(epoch):
    return "the end" if epoch == END else f"{epoch:,}"


print(
    f"Candidates: epochs {', '.join(f'{t:,}' for t in EPOCHS)} and the end; "
    f"α = 1/(_t_ε) for each of them, from {ALPHAS[0]:.3g} to {ALPHAS[-2]:.3g}, "
    f"and 0. Both together: a grid of {len(EPOCHS) + 1} × {len(ALPHAS)} = "
    f"{(len(EPOCHS) + 1) * len(ALPHAS)} cells."
)
print()
print("| Split | Least squares | Stopping alone | Penalty alone | Both |", end="")
print(" Best epoch | Best α | Grid's best (epoch, α) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for row in rows:
    print(
        f"| {row['seed'] + 1} | {row['none']:,.0f} | {row['stopping']:,.0f} "
        f"| {row['penalty']:,.0f} | {row['both']:,.0f} "
        f"| {epoch_name(row['stop_epoch'])} | {row['alpha']:.3g} "
        f"| {epoch_name(row['both_epoch'])}, {row['both_alpha']:.3g} |"
    )
print(
    f"\nValidation losses. Regularising (the better of the two alone) lowered the "
    f"validation loss by more than 1 % in {helped.sum()} of {len(rows)} splits, by "
    f"up to {np.max(first_gain / none):.1%}. Tuning the other on top of the "
    f"better one lowered it by at most {np.max(extra_gain):,.1f} in any split. "
    f"On top of the best epoch, the best α lowered it by at most "
    f"{np.max(penalty_on_top):,.1f}; on top of the best α, the best epoch by up to "
    f"{np.max(epochs_on_top):,.0f} ({np.max(epochs_on_top / none):.1%}). "
    f"The grid's best cell had no penalty (α = 0) in {np.sum(both_alpha == 0)} of "
    f"{len(rows)} splits. Stopping alone was lower than the penalty alone in "
    f"{np.sum(stopping < penalty)} splits, and higher in {np.sum(stopping > penalty)}."
)
difference = test_penalty - test_stopping
print(
    f"\nTested once, the model stopped early had a lower test loss than the "
    f"penalised one in {np.sum(difference > 0)} of {len(rows)} splits and a higher "
    f"one in {np.sum(difference < 0)}; the paired difference (penalty − stopping) "
    f"averages {difference.mean():,.1f}, with a standard error of "
    f"{difference.std(ddof=1) / np.sqrt(len(rows)):,.1f}."
)

# %%
# The two single choices on grids of other sizes
# ----------------------------------------------
# sizes[split, grid, column]: columns are the number of candidates, the validation
# loss of stopping alone and of the penalty alone, and their test losses.
sizes = np.array(sizes)
size_counts = sizes[0, :, 0].astype(int)
size_val_difference = sizes[:, :, 2] - sizes[:, :, 1]  # penalty - stopping
size_test_difference = sizes[:, :, 4] - sizes[:, :, 3]
size_stopping_lower = np.sum(size_val_difference > 1e-9, axis=0)
size_penalty_lower = np.sum(size_val_difference < -1e-9, axis=0)
size_test_error = size_test_difference.std(axis=0, ddof=1) / np.sqrt(len(SEEDS))
print(
    "\n| Candidates each | Stopping lower | Penalty lower | Validation: penalty − "
    "stopping, mean | Test: penalty − stopping, mean ± standard error |"
)
print("|---:|---:|---:|---:|---:|")
for k, count in enumerate(size_counts):
    val_mean, test_mean = (
        size_val_difference[:, k].mean(),
        size_test_difference[:, k].mean(),
    )
    line = (
        f"| {count:,} | {size_stopping_lower[k]} | {size_penalty_lower[k]} "
        f"| {val_mean:,.1f} | {test_mean:,.1f} ± {size_test_error[k]:,.1f} |"
    )
    print(line.replace("-", "−"))  # a minus sign, not a hyphen

# %%
# Plot the validation loss on the grid, for the split where regularising helped most
# ----------------------------------------------------------------------------------
shown = int(np.argmax(first_gain / none))
shown_curves = curves[shown]  # [drawn epoch, shown alpha]
del curves, drawn  # the other splits' are not drawn
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for k, column in enumerate(SHOWN_COLUMNS):
    label = f"α = {ALPHAS[column]:.2g}"
    line = ax.plot(DRAWN_EPOCHS, shown_curves[:, k], label=label)[0]
    dots = np.isin(DRAWN_EPOCHS, EPOCHS)  # the candidates
    ax.plot(
        DRAWN_EPOCHS[dots],
        shown_curves[dots, k],
        "o",
        markersize=3,
        color=line.get_color(),
    )
ax.axhline(none[shown], color="black", linestyle=":", label="least squares")
ax.set_xscale("log")
ax.set_xlabel(f"Epoch (dots: the {len(EPOCHS)} candidate epochs)")
ax.set_ylabel("Validation loss (MSE)")
ax.set_title(f"Split {shown + 1}: validation loss, epoch by epoch, for four penalties")
ax.grid(True)
ax.legend()
plt.show()
