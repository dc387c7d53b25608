"""Choosing alpha and the number of epochs together, on a grid, over ten splits.

For each of ten splits of the patients, the linear model trains by full-batch
gradient descent from zero weights with every penalty alpha of a grid (0 among
them) side by side. Its validation loss is measured after every epoch, and at the
end of training (the exact solution, the limit of infinitely many epochs): a grid
of alpha x epochs. Three ways of choosing are compared with the model that uses
neither (least squares): the best epoch without a penalty (early stopping alone),
the best alpha trained to the end (the penalty alone), and the best cell of the
whole grid (both). Each chosen model is then tested once.
"""

# %%
# The grid of penalties and epochs, for each split
# ------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import curvature, diabetes, gradient_descent, ridge, squared_error

SEEDS = list(range(10))  # the splits of the patients
LEARNING_RATE = 0.1
NUM_EPOCHS = 3_000
ALPHAS = np.concatenate([[0.0], np.logspace(-3, 1, 17)])
SHOWN_ALPHAS = [0.0, 0.01, 0.1, 1.0]


def test_loss(data, w):
    return float(squared_error(data.X_test, data.y_test, data.mean, w))


rows, grids = [], []
for seed in SEEDS:
    data = diabetes(seed)
    X_train = data.X_train
    BATCH_SIZE = len(X_train)  # the full batch: one update per epoch
    C, b = curvature(X_train, data.y_train, data.mean)
    paths = gradient_descent(C, b, LEARNING_RATE, NUM_EPOCHS, ALPHAS)
    val = np.array(
        [squared_error(data.X_val, data.y_val, data.mean, w) for w in paths]
    )  # val[epoch - 1, alpha]
    exact = ridge(C, b, ALPHAS)  # each alpha's weights, trained to the end
    exact_val = squared_error(data.X_val, data.y_val, data.mean, exact.T)
    val = np.vstack([val, exact_val])  # the last row: trained to the end
    paths = np.concatenate([paths, exact.T[None]])
    grids.append(val)
    stop = int(np.argmin(val[:, 0]))  # early stopping alone
    pick = int(np.argmin(exact_val))  # the penalty alone
    cell_epoch, cell_alpha = np.unravel_index(np.argmin(val), val.shape)  # both
    to_the_end = NUM_EPOCHS + 1  # the last row of the grid
    rows.append(
        {
            "seed": seed,
            "none": exact_val[0],
            "stopping": val[stop, 0],
            "penalty": exact_val[pick],
            "both": val[cell_epoch, cell_alpha],
            "stop_epoch": stop + 1 if stop < NUM_EPOCHS else to_the_end,
            "alpha": ALPHAS[pick],
            "both_epoch": min(int(cell_epoch) + 1, to_the_end),
            "both_alpha": ALPHAS[cell_alpha],
            "test_none": test_loss(data, exact[0]),
            "test_stopping": test_loss(data, paths[stop, :, 0]),
            "test_penalty": test_loss(data, exact[pick]),
            "test_both": test_loss(data, paths[cell_epoch, :, cell_alpha]),
        }
    )

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
    return "the end" if epoch > NUM_EPOCHS else f"{epoch:,}"


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
# Plot the validation loss on the grid, for the split where regularising helped most
# ----------------------------------------------------------------------------------
shown = int(np.argmax(first_gain / none))
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for alpha in SHOWN_ALPHAS:
    column = int(np.argmin(np.abs(ALPHAS - alpha)))
    ax.plot(epochs, grids[shown][:-1, column], label=f"α = {alpha:g}")
ax.axhline(none[shown], color="black", linestyle=":", label="least squares")
ax.set_xscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Validation loss (MSE)")
ax.set_title(f"Split {shown + 1}: validation loss, epoch by epoch, for four penalties")
ax.grid(True)
ax.legend()
plt.show()
