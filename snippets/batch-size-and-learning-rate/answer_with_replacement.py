"""Batches drawn with replacement: the full batch is noisy too.

A batch of B examples drawn with replacement (each draw from all N, repeats
allowed) has gradient noise tr(Σ) / B, with no finite-population correction: even
B = N draws leave some examples out and count others twice, so its gradient misses
the full-batch gradient. The gradient-noise example's measurement, at its starting
weights, with draws made the other way.
"""

import numpy as np
from _helpers import example_gradients, load_problem

NUM_DRAWS = 4000
SEED = 0

problem = load_problem()
N = len(problem.A)
gradients = example_gradients(problem, np.zeros(problem.A.shape[1]))
full = gradients.mean(axis=0)
variance = float(np.mean(np.sum((gradients - full) ** 2, axis=1)))
rng = np.random.default_rng(SEED)
draws = rng.integers(0, N, size=(NUM_DRAWS, N))  # N examples, with replacement
measured = float(np.mean(np.sum((gradients[draws].mean(axis=1) - full) ** 2, 1)))
predicted = variance / N
print(
    f"- {N} examples drawn with replacement: noise {measured:,.0f} measured, "
    f"{predicted:,.0f} = tr(Σ) / {N} predicted (ratio {measured / predicted:.2f})"
)
