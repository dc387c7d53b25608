"""The epoch chosen on one split, and the epoch chosen by 4-fold cross-validation.

The 352 development patients are cut into four folds of 88. One split trains on
three folds (264 patients) and chooses the epoch where its validation loss, on the
fourth fold, is lowest. 4-fold cross-validation trains four networks, each holding
out another fold, and chooses the epoch where the mean of their four validation
losses is lowest: every development patient is a validation patient once. Repeated
with twenty seeds (each draws the test set, the order of the folds and the initial
weights), the one split's choice scatters far more than the 4-fold choice.
"""

# %%
# Train four networks per seed, one per fold held out
# ---------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import FOLDS, best_epoch, folds, stack, train

SEEDS = range(20)  # each seed: the test set, the folds, the initial weights
NUM_EPOCHS = 200

data = stack([folds(seed) for seed in SEEDS])
X_train, y_train = data.X_train, data.y_train
train_size = X_train.shape[1]  # patients in every training set: 264
batch_sizes = [train_size]  # the full batch: one update per epoch
target_scaler = (y_train.mean(axis=1), y_train.std(axis=1))
_, losses = train(
    X_train,
    y_train,
    {"val": (data.X_val, data.y_val)},
    NUM_EPOCHS,
    seeds=[seed for seed in SEEDS for _ in range(FOLDS)],  # same start in each fold
    target_scaler=target_scaler,
)
val_loss = losses["val"].reshape(len(SEEDS), FOLDS, NUM_EPOCHS)

# %%
# The epoch each way chooses
# --------------------------
one_split_epochs = best_epoch(val_loss)  # one choice per seed and fold
k_fold_epochs = best_epoch(val_loss.mean(axis=1))  # one choice per seed
within_seed_range = one_split_epochs.max(axis=1) - one_split_epochs.min(axis=1)


def spread(epochs):
    """Median, quartiles and range of chosen epochs, as a table row."""
    q1, median, q3 = np.percentile(epochs, [25, 50, 75])
    return (
        f"{median:.0f} | {q1:.0f} to {q3:.0f} | {epochs.min()} to {epochs.max()} "
        f"| {epochs.std(ddof=1):.0f}"
    )


print("| Epoch chosen | Median | Middle half | Range | SD |")
print("|---|---:|---:|---:|---:|")
print(f"| on one split ({one_split_epochs.size} splits) | {spread(one_split_epochs)} |")
print(f"| by {FOLDS}-fold cross-validation ({len(SEEDS)} seeds) |", end=" ")
print(f"{spread(k_fold_epochs)} |")
iqr_one = np.subtract(*np.percentile(one_split_epochs, [75, 25]))
iqr_k = np.subtract(*np.percentile(k_fold_epochs, [75, 25]))
print(
    f"\n- The middle half of the one-split choices is {iqr_one / iqr_k:.1f} times as "
    f"wide as that of the {FOLDS}-fold choices"
)
print(
    f"- Within one seed (the same test set and initial weights), the {FOLDS} folds' "
    f"own choices lay a median {np.median(within_seed_range):.0f} epochs apart"
)

# %%
# Plot one seed's four validation curves, and every choice
# --------------------------------------------------------
fig, (curves, choices) = plt.subplots(
    2, 1, figsize=(6, 6), height_ratios=[2, 1], layout="constrained"
)
epochs = np.arange(1, NUM_EPOCHS + 1)
for fold in range(FOLDS):
    curves.plot(
        epochs,
        val_loss[0, fold],
        color="C0",
        linewidth=1,
        alpha=0.6,
        label=f"Fold {fold + 1} held out",
    )
    best = one_split_epochs[0, fold]
    curves.plot(best, val_loss[0, fold, best - 1], "o", color="C0")
mean_curve = val_loss[0].mean(axis=0)
curves.plot(epochs, mean_curve, color="C1", linewidth=2.5, label="Mean of the four")
curves.plot(k_fold_epochs[0], mean_curve[k_fold_epochs[0] - 1], "o", color="C1")
curves.set_ylim(2000, 5000)
curves.set_xlabel("Epoch")
curves.set_ylabel("Validation loss (MSE)")
curves.set_title("Seed 0: each fold's validation loss, and their mean")
rows = {"One split": one_split_epochs.ravel(), f"{FOLDS}-fold": k_fold_epochs}
jitter = np.random.RandomState(0)
for row, chosen in enumerate(rows.values()):
    choices.plot(
        chosen,
        row + jitter.uniform(-0.2, 0.2, chosen.size),
        "o",
        color=f"C{row}",
        alpha=0.6,
        markersize=5,
    )
choices.set_yticks([0, 1], list(rows))
choices.set_ylim(-0.5, 1.5)
choices.set_xlim(0, NUM_EPOCHS + 5)
choices.set_xlabel("Epoch chosen")
choices.set_ylabel("Chosen on")
choices.set_title(f"Every choice, {len(SEEDS)} seeds")
plt.show()
