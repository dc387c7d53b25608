"""The linear and the square-root scaling rules, with and without warm-up.

A rate tuned at batch size 1 is carried to a larger batch by a rule: the linear
rule multiplies it by the batch size, the square-root rule by its square root.
Warm-up starts the rule's rate small and raises it linearly over the first updates.
Each rule's rate is compared with the rate retuned at the new batch size, in
updates to the target loss over five orders of the examples. On this linear model
the largest stable rate is the same at every point of the way, so a rule's rate
above it diverges, warm-up or not.
"""

# %%
# The base rate, tuned at batch size 1, and the rules' rates
# ----------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import (
    largest_stable_rate,
    load_problem,
    training_losses,
    updates_to_target,
)

BASE_BATCH_SIZE = 1
BATCH_SIZE = 16  # the batch size the rules carry the rate to
LEARNING_RATES = 0.0025 * 10 ** (np.arange(17) / 8)  # the grid of the last example
SEEDS = [0, 1, 2, 3, 4]  # the order of the examples in every epoch
TARGET = 1.05  # the target loss, as a multiple of the bottom (least squares)
WARMUP_UPDATES = 10

problem = load_problem()
X_train = problem.X_train
target_loss = TARGET * problem.bottom
stable_rate = largest_stable_rate(problem)


def retuned(batch_size):
    """The grid's rate with the fewest updates to the target, on average."""
    mean = updates_to_target(
        problem, batch_size, LEARNING_RATES, SEEDS, target_loss
    ).mean(axis=0)
    return float(LEARNING_RATES[np.argmin(mean)])


base_rate = retuned(BASE_BATCH_SIZE)
k = BATCH_SIZE / BASE_BATCH_SIZE
rates = {
    "Retuned": retuned(BATCH_SIZE),
    "Linear rule": base_rate * k,
    "Linear rule, warm-up": base_rate * k,
    "Square-root rule": base_rate * np.sqrt(k),
}
warmup = {name: WARMUP_UPDATES if "warm-up" in name else 0 for name in rates}

# %%
# Updates to the target with each rate
# ------------------------------------
curves, updates = {}, {}
for name, rate in rates.items():
    curves[name] = training_losses(
        problem, BATCH_SIZE, [rate], SEEDS, target_loss, warmup[name]
    )[:, :, 0]
    below = curves[name] <= target_loss
    updates[name] = np.where(below.any(axis=0), below.argmax(axis=0) + 1, np.inf)
mean_updates = {name: float(u.mean()) for name, u in updates.items()}
diverged = {name: bool(np.isinf(c[-1]).all()) for name, c in curves.items()}
retuned_rate, linear_rate, _, square_root_rate = rates.values()
# Mean updates to the target over the seeds, infinite where a run diverged.
retuned_updates, linear_updates, linear_warmup_updates, square_root_updates = (
    mean_updates.values()
)
retuned_diverged, linear_diverged, linear_warmup_diverged, square_root_diverged = (
    diverged.values()
)

print(
    f"Batch size {BATCH_SIZE}, from a rate of {base_rate:.4f} tuned at batch size "
    f"{BASE_BATCH_SIZE}; largest stable rate {stable_rate:.3f}:\n"
)
print("| Rate | Value | Updates to the target (mean of 5) |")
print("|---|---:|---:|")
for name, rate in rates.items():
    result = "diverged" if diverged[name] else f"{mean_updates[name]:.1f}"
    print(f"| {name} | {rate:.3f} | {result} |")

# %%
# Plot the training loss per update, first order of the examples
# --------------------------------------------------------------
fig, ax = plt.subplots(figsize=(5, 3.4), layout="constrained")
for name, curve in curves.items():
    shown = np.minimum(curve[:, 0], 1e6)  # a diverged run runs flat along 1e6
    # Heavier when it does: a flat thin line falls between two rows of pixels
    # on a phone and shows half its colour.
    width = 2.5 if np.isinf(curve[-1, 0]) else None
    ax.plot(np.arange(1, len(shown) + 1), shown, label=name, linewidth=width)
ax.axhline(target_loss, linestyle=":", color="black", label="Target")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_ylim(problem.bottom * 0.9, 2e6)  # the flat 1e6 of a diverged run inside
ax.set_xlabel("Update")
ax.set_ylabel("Training loss (MSE)")
ax.set_title(f"Batch size {BATCH_SIZE}: four rates")
ax.grid(True)
ax.legend()
plt.show()
