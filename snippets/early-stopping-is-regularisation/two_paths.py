"""Early stopping and an L2 penalty: two paths through the same weights.

A linear model learns the diabetes training split by full-batch gradient descent
from zero weights, and its 10 weights are recorded after every epoch. Beside that
path is the path of the L2-penalised (ridge) solution as the penalty alpha goes
from strong to none. Drawn against epochs x learning rate and against 1 / alpha,
the two paths nearly coincide: stopping after t epochs at learning rate eps gives
about the weights of the penalty alpha = 1 / (t eps). The distance between them
is measured at each epoch.
"""

# %%
# Load, split and standardise the data
# ------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import (
    FEATURES,
    curvature,
    diabetes,
    gradient_descent,
    ridge,
    squared_error,
)
from sklearn.linear_model import Ridge

SEED = 0  # the split of the patients
LEARNING_RATE = 0.1  # eps
NUM_EPOCHS = 10_000

data = diabetes(SEED)
X_train, y_train, mean = data.X_train, data.y_train, data.mean
BATCH_SIZE = len(X_train)  # the full batch: one update per epoch
C, b = curvature(X_train, y_train, mean)

# %%
# The two paths
# -------------
# Gradient descent: the weights after every epoch. The penalty: the exact
# minimiser of the loss plus (alpha / 2) |w|^2, for alpha = 1 / (t eps).
path = gradient_descent(C, b, LEARNING_RATE, NUM_EPOCHS)
epochs = np.arange(1, NUM_EPOCHS + 1)
matching_alpha = 1 / (epochs * LEARNING_RATE)
least_squares = ridge(C, b, 0.0)

# scikit-learn's Ridge adds alpha |w|^2 to the *sum* of squared errors, not to
# half their mean: its alpha is N times the alpha here.
sklearn_weights = Ridge(alpha=len(X_train) * 0.1).fit(X_train, y_train).coef_
sklearn_gap = float(np.max(np.abs(sklearn_weights - ridge(C, b, 0.1))))

# %%
# How far apart they are
# ----------------------
# The distance between the two weight vectors at each epoch, as a share of the
# length of the least-squares weights (where both paths end); and, at a few
# epochs, the alpha whose ridge weights come closest to the early-stopped ones.


def distance_from_ridge(path, alphas):
    """After each epoch, how far the weights are from the penalty's (one alpha an
    epoch), as a share of the length of the least-squares weights."""
    apart = np.linalg.norm(path - ridge(C, b, alphas), axis=1)
    return apart / np.linalg.norm(least_squares)


distance = distance_from_ridge(path, matching_alpha)
worst = int(np.argmax(distance))
farthest = float(distance[worst])
last_matching_alpha = float(matching_alpha[-1])
# The same, had the rate been left out of the match: alpha = 1 / t.
farthest_ignoring_the_rate = float(distance_from_ridge(path, 1 / epochs).max())
alpha_grid = np.logspace(-5, 3, 801)
ridge_grid = ridge(C, b, alpha_grid)
shown_epochs = [1, 3, 10, 30, 100, 300, 1000, 3000, 10_000]
closest_alpha, closest_ratio = [], []
for t in shown_epochs:
    gaps = np.linalg.norm(ridge_grid - path[t - 1], axis=1)
    closest_alpha.append(float(alpha_grid[np.argmin(gaps)]))
    closest_ratio.append(closest_alpha[-1] * t * LEARNING_RATE)
shown_alpha = [1 / (t * LEARNING_RATE) for t in shown_epochs]
val_loss = squared_error(data.X_val, data.y_val, mean, path.T)
ridge_val_loss = squared_error(
    data.X_val, data.y_val, mean, ridge(C, b, np.array(shown_alpha)).T
)

print("| Epoch _t_ | α = 1/(_t_ε) | Distance | Closest α | Closest α × _t_ε |", end="")
print(" Validation loss, stopped | Validation loss, penalty |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for i, t in enumerate(shown_epochs):
    print(
        f"| {t:,} | {shown_alpha[i]:.4g} | {distance[t - 1]:.1%} "
        f"| {closest_alpha[i]:.3g} | {closest_ratio[i]:.2f} | {val_loss[t - 1]:,.0f} "
        f"| {ridge_val_loss[i]:,.0f} |"
    )
print(
    f"\nThe two paths are farthest apart after epoch {worst + 1:,}: "
    f"{farthest:.1%} of the length of the least-squares weights. "
    f"At learning rate {LEARNING_RATE}, epoch {NUM_EPOCHS:,} matches "
    f"α = {last_matching_alpha:.4g}. Matched as α = 1/_t_, leaving the rate out, "
    f"they would be up to {farthest_ignoring_the_rate:.1%} apart."
)
print(
    f"\nscikit-learn's `Ridge(alpha={len(X_train)} * 0.1)` and α = 0.1 here: "
    f"weights equal to within {sklearn_gap:.1e}."
)

# %%
# Plot both paths against the same axis
# -------------------------------------
# Every epoch is one point; 200 spread evenly on the log axis draw it. The weights
# after the other epochs, and what came of them, are intermediates: drop them.
drawn = np.unique(np.geomspace(1, NUM_EPOCHS, 200).round().astype(int))
drawn_path = path[drawn - 1]
del path, epochs, matching_alpha, ridge_grid, val_loss
drawn_alpha = 1 / (LEARNING_RATE * np.geomspace(1, NUM_EPOCHS, 200))
fig, (top, bottom) = plt.subplots(
    2, 1, figsize=(6, 6.2), sharex=True, sharey=True, layout="constrained"
)
for i, name in enumerate(FEATURES):
    style = "-" if i < 6 else "--"  # six colours: the last four lines dashed
    top.plot(drawn * LEARNING_RATE, drawn_path[:, i], style, label=name)
    bottom.plot(1 / drawn_alpha, ridge(C, b, drawn_alpha)[:, i], style, label=name)
top.set_title(f"Gradient descent, learning rate {LEARNING_RATE}")
top.set_xlabel("Epochs × learning rate, tε")
bottom.set_title("L2 penalty (ridge), solved exactly")
bottom.set_xlabel("1 / α")
for ax in (top, bottom):
    ax.set_xscale("log")
    ax.set_ylabel("Weight")
    ax.grid(True)
bottom.legend(ncols=5)
fig.suptitle("The weights of the 10 measurements, along both paths")
plt.show()
