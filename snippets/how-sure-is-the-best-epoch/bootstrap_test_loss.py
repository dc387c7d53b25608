"""A bootstrap interval for the test loss of the chosen network.

The first seed's network trained on one split (fold 1 held out), stopped at the
epoch 4-fold cross-validation chose, is tested once on the 90 test patients. Its
test loss is the mean of 90 squared errors, and another 90 patients would have
given another mean. The bootstrap estimates how much: it draws 90 of the same
patients with replacement, again and again, and takes the mean of each draw; the
middle 95 % of those means is the interval.
"""

# %%
# Choose the epoch by 4-fold cross-validation, then train the network to it
# -------------------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import FOLDS, best_epoch, folds, train

SEED = 0  # the test set, the folds, the initial weights
NUM_EPOCHS = 200
NUM_RESAMPLES = 2000

data = folds(SEED)
X_train, y_train = data.X_train, data.y_train
train_size = X_train.shape[1]  # patients in every training set: 264
batch_sizes = [train_size]  # the full batch: one update per epoch
target_scaler = (y_train.mean(axis=1), y_train.std(axis=1))
_, losses = train(
    X_train,
    y_train,
    {"val": (data.X_val, data.y_val)},
    NUM_EPOCHS,
    seeds=[SEED] * FOLDS,
    target_scaler=target_scaler,
)
chosen_epoch = int(best_epoch(losses["val"].mean(axis=0)))
# Full-batch training draws nothing at random after the start: training fold 1's
# network for chosen_epoch epochs gives the network of that epoch of the run above.
network, _ = train(
    X_train[:1],
    y_train[:1],
    {},
    chosen_epoch,
    seeds=[SEED],
    target_scaler=(target_scaler[0][:1], target_scaler[1][:1]),
)
squared_errors = (network.predict(data.X_test[:1])[0] - data.y_test[0]) ** 2
test_loss = float(squared_errors.mean())

# %%
# Resample the test patients
# --------------------------
rng = np.random.RandomState(SEED)
draws = rng.randint(0, len(squared_errors), size=(NUM_RESAMPLES, len(squared_errors)))
resampled = squared_errors[draws].mean(axis=1)
low, high = np.percentile(resampled, [2.5, 97.5])
standard_error = float(resampled.std(ddof=1))
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
