"""Updates to a target loss against the batch size, the learning rate retuned at each.

For each batch size the linear model trains from zero weights with every rate of a
grid and five orders of the examples, until its training loss is within 5 % of the
bottom; the best rate is the one with the fewest updates on average, and it must be
inside the grid (worse on both sides). No epoch budget: every run goes until it
gets there. Up to a critical batch size, doubling the batch about halves the
updates (perfect scaling), so the number of epochs stays about the same; beyond it,
a larger batch saves few updates, and each costs more examples.
"""

# %%
# The problem, the batch sizes and the grid of rates
# --------------------------------------------------
import math

import matplotlib.pyplot as plt
import numpy as np
from _helpers import (
    critical_batch_size,
    largest_stable_rate,
    load_problem,
    updates_to_target,
)

BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 353]
LEARNING_RATES = 0.0025 * 10 ** (np.arange(17) / 8)  # 0.0025 to 0.25
SEEDS = [0, 1, 2, 3, 4]  # the order of the examples in every epoch
TARGET = 1.05  # the target loss, as a multiple of the bottom (least squares)

problem = load_problem()
X_train = problem.X_train
N = len(X_train)
target_loss = TARGET * problem.bottom
stable_rate = largest_stable_rate(problem)

# %%
# Every batch size, every rate, every seed
# ----------------------------------------
updates = {
    B: updates_to_target(problem, B, LEARNING_RATES, SEEDS, target_loss)
    for B in BATCH_SIZES
}
mean_updates = {B: updates[B].mean(axis=0) for B in BATCH_SIZES}  # by rate
# By batch size, then rate: the mean updates over the seeds (infinite: some diverged).
mean_updates_table = np.array([mean_updates[B] for B in BATCH_SIZES])
best_index = [int(np.argmin(mean_updates[B])) for B in BATCH_SIZES]
best_rates = [float(LEARNING_RATES[i]) for i in best_index]
best_updates = [
    float(mean_updates[B][i]) for B, i in zip(BATCH_SIZES, best_index, strict=True)
]
seed_updates = [
    updates[B][:, i].tolist() for B, i in zip(BATCH_SIZES, best_index, strict=True)
]
examples_seen = [B * u for B, u in zip(BATCH_SIZES, best_updates, strict=True)]
epochs_to_target = [
    u / math.ceil(N / B) for B, u in zip(BATCH_SIZES, best_updates, strict=True)
]

# %%
# The knee: fit updates = S_min (1 + B_crit / B)
# ----------------------------------------------
# S_min is the fewest updates any batch size can manage; B_crit, the critical
# batch size, is where the updates are twice that.
sizes = np.array(BATCH_SIZES, dtype=float)
fewest_updates, critical_batch = critical_batch_size(BATCH_SIZES, best_updates)
# How fast the best rate grew up to the knee: the slope of log(rate) on log(B),
# over the batch sizes below the critical batch size.
below_knee = sizes < critical_batch
rate_power = float(
    np.polyfit(np.log(sizes[below_knee]), np.log(best_rates)[below_knee], 1)[0]
)
fitted = fewest_updates * (1 + critical_batch / sizes)

print(
    f"Updates to a training loss of {target_loss:,.0f} ({TARGET:.2f} times the bottom):"
)
print()
print("| Batch size | Best rate | Updates (mean of 5) | lowest to highest |", end="")
print(" Epochs | Examples seen |")
print("|---:|---:|---:|---:|---:|---:|")
for B, rate, u, each, e, seen in zip(
    BATCH_SIZES,
    best_rates,
    best_updates,
    seed_updates,
    epochs_to_target,
    examples_seen,
    strict=True,
):
    spread = f"{min(each):.0f} to {max(each):.0f}"
    print(f"| {B} | {rate:.3f} | {u:.1f} | {spread} | {e:.2f} | {seen:,.0f} |")
print(
    f"\nFitted: at least {fewest_updates:.1f} updates, critical batch size "
    f"{critical_batch:.0f}. Full-batch descent diverges above a rate of "
    f"{stable_rate:.3f}. Below the critical batch size, the best rate grew like "
    f"the batch size to the power {rate_power:.2f}."
)

# %%
# Plot the updates and the best rate against the batch size
# ---------------------------------------------------------
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), layout="constrained")
top.plot(sizes, best_updates, "o", label="Measured, best rate")
top.plot(sizes, fitted, label=f"Fit, critical batch {critical_batch:.0f}")
top.plot(
    sizes, best_updates[0] / sizes, ":", label="Perfect scaling: twice the batch, half"
)
top.set_ylim(bottom=min(best_updates) / 2)
top.set_ylabel("Updates to the target")
top.set_title(f"Updates to {TARGET:.2f} times the bottom, rate retuned")
bottom.plot(sizes, best_rates, "o", label="Best rate")
bottom.plot(sizes, best_rates[0] * sizes, ":", label="Linear rule")
bottom.plot(sizes, best_rates[0] * np.sqrt(sizes), "--", label="Square-root rule")
bottom.axhline(stable_rate, color="black", linewidth=0.8, label="Largest stable rate")
bottom.set_ylim(best_rates[0] / 2, 2 * stable_rate)
bottom.set_ylabel("Learning rate")
bottom.set_title("The best rate, and two rules from batch size 1")
for ax in (top, bottom):
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Batch size")
    ax.grid(True)
    ax.legend()
plt.show()
