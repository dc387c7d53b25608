"""How a penalty on the weights moves the learning curves, paired over seeds.

The network with 256 hidden units trains twice with each of ten seeds: with the
default L2 penalty, `alpha=0.0001`, and with a strong one, `alpha=100`. The two
runs of a seed start from the same initial weights and draw the same orders of
examples, so they differ only in the penalty, and each seed gives one paired
difference. With the strong penalty the network cannot fit the training set as
closely, and the gap between its two losses stays smaller.
"""

# %%
# The same training and validation sets as the learning curves
# ------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from scipy import stats
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
ALPHAS = [0.0001, 100]  # the default penalty, and a strong one
SEEDS = list(range(10))  # the initial weights and the orders of the batches

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
linear_val_loss = np.mean(
    (LinearRegression().fit(X_train, y_train).predict(X_val) - y_val) ** 2
)


# %%
# Train both networks with every seed, measuring both losses after every epoch
# ----------------------------------------------------------------------------
def learning_curves(alpha, seed):
    """Training and validation loss per epoch of the 256-unit network."""
    model = MLPRegressor(
        hidden_layer_sizes=(256,),
        alpha=alpha,
        learning_rate_init=0.01,
        random_state=np.random.RandomState(seed),
    )
    train_loss, val_loss = np.empty(NUM_EPOCHS), np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, y_train)
        train_loss[epoch] = np.mean((model.predict(X_train) - y_train) ** 2)
        val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    return train_loss, val_loss


curves = {alpha: [learning_curves(alpha, seed) for seed in SEEDS] for alpha in ALPHAS}
weak, strong = (np.array(curves[alpha]) for alpha in ALPHAS)  # seed, train/val, epoch

# %%
# At the last epoch, and at each run's lowest validation loss
# -----------------------------------------------------------
weak_last_gap = weak[:, 1, -1] - weak[:, 0, -1]
strong_last_gap = strong[:, 1, -1] - strong[:, 0, -1]
weak_lowest, strong_lowest = weak[:, 1].min(axis=1), strong[:, 1].min(axis=1)
weak_best_epochs = (weak[:, 1].argmin(axis=1) + 1).tolist()
strong_best_epochs = (strong[:, 1].argmin(axis=1) + 1).tolist()
penalty_gains = weak_lowest - strong_lowest  # paired: one per seed
gains_positive = int(np.sum(penalty_gains > 0))
paired = stats.ttest_rel(weak_lowest, strong_lowest)
paired_t, paired_p = float(paired.statistic), float(paired.pvalue)
relative_gain = float(penalty_gains.mean() / weak_lowest.mean())

print("Medians over the seeds:\n")
print("| `alpha` | Last epoch: training loss | validation loss | gap |", end="")
print(" Lowest validation loss | at epoch |")
print("|---:|---:|---:|---:|---:|---:|")
for alpha, runs, gap, lowest, best in (
    (ALPHAS[0], weak, weak_last_gap, weak_lowest, weak_best_epochs),
    (ALPHAS[1], strong, strong_last_gap, strong_lowest, strong_best_epochs),
):
    print(
        f"| {alpha:g} | {np.median(runs[:, 0, -1]):,.0f} "
        f"| {np.median(runs[:, 1, -1]):,.0f} | {np.median(gap):,.0f} "
        f"| {np.median(lowest):,.0f} | {np.median(best):.0f} |"
    )
print(
    f"\nAt their lowest, the penalty lowered the validation loss in {gains_positive} "
    f"of {len(SEEDS)} seeds, by {penalty_gains.mean():,.0f} on average "
    f"({relative_gain:.1%}; paired t = {paired_t:.1f}, p = {paired_p:.2g}); the "
    f"lowest loss of one setting ranged over {np.ptp(weak_lowest):,.0f} from seed "
    f"to seed. Linear regression: validation loss {linear_val_loss:,.0f}."
)

# %%
# Plot the curves of the first seed
# ---------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, ax = plt.subplots(figsize=(5, 3.2))
for (train_loss, val_loss), colour, name in (
    (weak[0], "C1", "alpha 0.0001"),
    (strong[0], "C2", "alpha 100"),
):
    ax.plot(epochs, train_loss, "--", color=colour, label=f"{name}, training")
    ax.plot(epochs, val_loss, color=colour, label=f"{name}, validation")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title(f"Regularisation: 256 units, weak or strong L2 penalty (seed {SEEDS[0]})")
ax.grid(True)
ax.legend()
plt.show()
