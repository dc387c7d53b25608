"""Direction by direction: how much of each direction stopping and the penalty keep.

Along each eigenvector of the curvature C = X^T X / N (each principal direction of
the standardised measurements), gradient descent from zero weights has, after t
epochs at learning rate eps, the share 1 - (1 - eps lam)^t of the least-squares
weights, where lam is C's eigenvalue, the curvature in that direction. The L2
penalty alpha keeps the share lam / (lam + alpha). With alpha = 1 / (t eps) the two
agree where lam is much smaller than alpha (both about t eps lam) and where it is
much larger (both about 1); they differ most where lam is near alpha, and where
eps lam is not small: a direction of large curvature at a large rate overshoots.
"""

# %%
# The curvature in each direction
# -------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import curvature, diabetes, gradient_descent, ridge

SEED = 0  # the split of the patients
LEARNING_RATE = 0.1  # eps
NUM_EPOCHS = 10_000  # the longest run of the page's first example
EPOCH = 30  # t: the epoch the table looks at
SHOWN_EPOCHS = [3, 30, 300]

data = diabetes(SEED)
X_train = data.X_train
BATCH_SIZE = len(X_train)  # the full batch: one update per epoch
C, b = curvature(X_train, data.y_train, data.mean)
lam, Q = np.linalg.eigh(C)  # lam ascending; C = Q diag(lam) Q^T

# %%
# The share each method keeps, measured and by the formula
# --------------------------------------------------------
least_squares = Q.T @ ridge(C, b, 0.0)  # the least-squares weights, by direction
# Each epoch's weights, by direction, as a share of least squares'.
measured = gradient_descent(C, b, LEARNING_RATE, NUM_EPOCHS) @ Q / least_squares
epochs = np.arange(1, NUM_EPOCHS + 1)
formula_gap = float(
    np.max(np.abs(measured - (1 - (1 - LEARNING_RATE * lam) ** epochs[:, None])))
)

first_epoch_shares = measured[0]
alpha = 1 / (EPOCH * LEARNING_RATE)
stopped = measured[EPOCH - 1]
penalised = lam / (lam + alpha)
gap = np.abs(stopped - penalised)

print(f"After epoch {EPOCH} at learning rate {LEARNING_RATE}, against α = {alpha:.3g}:")
print()
print("| Direction | Curvature λ | ελ | _t_ελ | Kept, stopped | Kept, penalty |")
print("|---:|---:|---:|---:|---:|---:|")
for i in range(len(lam) - 1, -1, -1):
    print(
        f"| {len(lam) - i} | {lam[i]:.3g} | {LEARNING_RATE * lam[i]:.3g} "
        f"| {EPOCH * LEARNING_RATE * lam[i]:.3g} | {stopped[i]:.3f} "
        f"| {penalised[i]:.3f} |"
    )
widest = int(np.argmax(gap))
overshoot = float(np.max(measured))
# For a small rate, (1 - eps lam)^t is about exp(-t eps lam), and with x = t eps lam
# the two shares are 1 - exp(-x) and x / (1 + x): their widest gap, and where.
x = np.logspace(-2, 2, 4001)
limit_gap = (1 - np.exp(-x)) - x / (1 + x)
limit_widest, limit_at = float(limit_gap.max()), float(x[np.argmax(limit_gap)])
print(
    f"\nThe loop's shares follow the formula to within {formula_gap:.0e}. "
    f"They differ most in the direction of curvature {lam[widest]:.3g} "
    f"(α is {alpha:.3g}): {stopped[widest]:.3f} against {penalised[widest]:.3f}. "
    f"The largest share any direction reached at any epoch: {overshoot:.3f}"
    f" (the penalty's share is below 1 for every α > 0)."
)
print(
    f"\nAt a small rate, the two shares are 1 − exp(−_x_) and _x_/(1 + _x_), "
    f"with _x_ = _t_ελ: they differ by at most {limit_widest:.3f}, at "
    f"_x_ = {limit_at:.2f}."
)

# %%
# The same epoch on ten splits
# ----------------------------
SEEDS = list(range(10))  # the splits of the patients; the first is SEED's
split_widest_gap, split_widest_ratio = [], []  # the gap, and its lam / alpha
for seed in SEEDS:
    split = diabetes(seed)
    split_C, split_b = curvature(split.X_train, split.y_train, split.mean)
    split_lam, split_Q = np.linalg.eigh(split_C)
    weights = gradient_descent(split_C, split_b, LEARNING_RATE, EPOCH)[-1]
    kept = (weights @ split_Q) / (split_Q.T @ ridge(split_C, split_b, 0.0))
    split_gap = np.abs(kept - split_lam / (split_lam + alpha))
    split_widest_gap.append(float(split_gap.max()))
    split_widest_ratio.append(float(split_lam[np.argmax(split_gap)] / alpha))
print(
    f"\nOn {len(SEEDS)} splits, after epoch {EPOCH}: the widest gap between the two "
    f"shares is {min(split_widest_gap):.3f} to {max(split_widest_gap):.3f}, in a "
    f"direction whose curvature is {min(split_widest_ratio):.2f} to "
    f"{max(split_widest_ratio):.2f} times α."
)

# Each epoch's shares are intermediates: drop them, keep the numbers printed.
del measured, epochs, x, limit_gap

# %%
# Plot the two shares against the curvature
# -----------------------------------------
curvatures = np.logspace(-3, np.log10(5), 200)
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for t in SHOWN_EPOCHS:
    a = 1 / (t * LEARNING_RATE)
    line = ax.plot(
        curvatures,
        1 - (1 - LEARNING_RATE * curvatures) ** t,
        label=f"stopped after epoch {t}",
    )[0]
    ax.plot(
        curvatures,
        curvatures / (curvatures + a),
        linestyle="--",
        color=line.get_color(),
        label=f"penalty α = {a:.3g}",
    )
for value in lam:
    ax.axvline(value, color="black", linewidth=0.6)  # the page's text colour
ax.set_xscale("log")
ax.set_xlabel("Curvature λ of a direction (thin lines: the data's 10 directions)")
ax.set_ylabel("Share of least squares kept")
ax.set_title(f"Learning rate {LEARNING_RATE}: stopped (solid) and penalised (dashed)")
ax.grid(True)
ax.legend()
plt.show()
