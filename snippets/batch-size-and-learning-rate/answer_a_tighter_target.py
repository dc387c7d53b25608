"""A tighter target moves the critical batch size up.

The updates-to-a-target example again, with the target at 1.02 times the bottom
instead of 1.05: the rate retuned at each batch size over the same grid and seeds,
and the same fit of the knee. The gradient's noise matters more as the loss nears
the bottom, so larger batches keep paying off for longer.
"""

import numpy as np
from _helpers import critical_batch_size, load_problem, updates_to_target

BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 353]
LEARNING_RATES = 0.0025 * 10 ** (np.arange(17) / 8)  # 0.0025 to 0.25
SEEDS = [0, 1, 2, 3, 4]
TARGET = 1.02

problem = load_problem()
target_loss = TARGET * problem.bottom
mean_updates = [
    updates_to_target(problem, B, LEARNING_RATES, SEEDS, target_loss).mean(axis=0)
    for B in BATCH_SIZES
]
best_index = [int(np.argmin(mean)) for mean in mean_updates]
best_updates = [float(mean.min()) for mean in mean_updates]
fewest_updates, critical_batch = critical_batch_size(BATCH_SIZES, best_updates)
print(
    f"- Target {TARGET:.2f} times the bottom: from {best_updates[0]:.0f} updates at "
    f"batch size 1 to {best_updates[-1]:.0f} at the full batch; critical batch size "
    f"{critical_batch:.0f}"
)
