"""A loop of partial_fit calls reshuffles only if it is given a random generator.

`MLPRegressor(random_state=0)` makes a new generator from the integer 0 at the
start of every call to `fit` or `partial_fit`. `fit` runs all its epochs in
one call, so it draws a new order of the examples for every epoch. A loop of
`partial_fit` calls, one epoch each, starts every call from a generator in the same
fresh state: from the second epoch on, every epoch takes the same order, and so the
same batches. Given the generator itself, `np.random.RandomState(0)`, the calls
carry on drawing from it, and every epoch gets a new order. The network of the
learning curves trains both ways with each of ten seeds. The two runs of a seed
start from the same initial weights and take the same first epoch, so they are
compared in pairs.
"""

# %%
# The training and validation sets of the learning curves
# -------------------------------------------------------
import numpy as np
from scipy import stats
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 350
SEEDS = list(range(10))

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


# %%
# Train with an integer seed, and with a generator made from the same seed
# ------------------------------------------------------------------------
def validation_curve(random_state):
    """The validation loss after every epoch of a loop of partial_fit calls."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,), learning_rate_init=0.01, random_state=random_state
    )
    val_loss = np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, y_train)
        val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    return val_loss


same_order = [validation_curve(seed) for seed in SEEDS]
reshuffled = [validation_curve(np.random.RandomState(seed)) for seed in SEEDS]

# %%
# Compare the two runs of each seed
# ---------------------------------
same_best_epochs = [int(np.argmin(curve)) + 1 for curve in same_order]
reshuffled_best_epochs = [int(np.argmin(curve)) + 1 for curve in reshuffled]
same_lowest = np.array([curve.min() for curve in same_order])
reshuffled_lowest = np.array([curve.min() for curve in reshuffled])
differences = same_lowest - reshuffled_lowest  # paired: one per seed
lower_reshuffled = int(np.sum(differences > 0))
paired = stats.ttest_rel(same_lowest, reshuffled_lowest)
paired_t, paired_p = float(paired.statistic), float(paired.pvalue)

print("| Seed | Best epoch, same order | reshuffled |", end="")
print(" Lowest validation loss, same order | reshuffled | difference |")
print("|---:|---:|---:|---:|---:|---:|")
for i, seed in enumerate(SEEDS):
    print(
        f"| {seed} | {same_best_epochs[i]} | {reshuffled_best_epochs[i]} "
        f"| {same_lowest[i]:,.0f} | {reshuffled_lowest[i]:,.0f} "
        f"| {differences[i]:+,.0f} |"
    )
print(
    f"\nReshuffled every epoch, the lowest validation loss was lower in "
    f"{lower_reshuffled} of {len(SEEDS)} seeds, by {differences.mean():,.0f} on "
    f"average (paired t = {paired_t:.1f}, p = {paired_p:.2g}). Over the seeds, it "
    f"ranged from {same_lowest.min():,.0f} to {same_lowest.max():,.0f} with the "
    f"same order, from {reshuffled_lowest.min():,.0f} to "
    f"{reshuffled_lowest.max():,.0f} reshuffled."
)
