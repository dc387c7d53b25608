"""A long warm-up reaches the target on its way up, then diverges.

The linear rule's rate for batches of 64, warmed up over 100 updates instead of
10, and trained on past the target: while the rate climbs it passes through good
rates, and the training loss reaches the target before the rate reaches the largest
stable rate; once past it, the run diverges, with every order of the examples. On a
linear model the curvature is the same at every point, so warm-up only delays it.
"""

import numpy as np
from _helpers import (
    largest_stable_rate,
    load_problem,
    training_losses,
    updates_to_target,
)

BATCH_SIZE = 64
LEARNING_RATES = 0.0025 * 10 ** (np.arange(17) / 8)
SEEDS = [0, 1, 2, 3, 4]
TARGET = 1.05
WARMUP_UPDATES = 100

problem = load_problem()
target_loss = TARGET * problem.bottom
stable_rate = largest_stable_rate(problem)
base = updates_to_target(problem, 1, LEARNING_RATES, SEEDS, target_loss).mean(axis=0)
rate = float(LEARNING_RATES[np.argmin(base)]) * BATCH_SIZE  # the linear rule
# A target of 0 is never reached: every run goes on until it diverges.
losses = training_losses(
    problem, BATCH_SIZE, [rate], SEEDS, 0.0, WARMUP_UPDATES, 2 * WARMUP_UPDATES
)[:, :, 0].T  # by seed, then update
reached_every_seed = bool((losses <= target_loss).any(axis=1).all())
reached_at = [int(np.argmax(seed <= target_loss)) + 1 for seed in losses]
diverged_at = [int(np.argmax(np.isinf(seed))) + 1 for seed in losses]
all_diverged = bool(np.isinf(losses[:, -1]).all())
crossed_at = int(np.ceil(WARMUP_UPDATES * stable_rate / rate))
print(
    f"- The linear rule's rate {rate:.3f}, warmed up over {WARMUP_UPDATES} updates, "
    f"passes the largest stable rate {stable_rate:.3f} at update {crossed_at}. "
    f"The runs reach the target at updates {min(reached_at)} to {max(reached_at)}, "
    f"then diverge at updates {min(diverged_at)} to {max(diverged_at)}"
)
