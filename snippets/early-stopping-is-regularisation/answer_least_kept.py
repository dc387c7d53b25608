"""The direction a penalty shrinks most, and stopping at the matching epoch.

The second example's split and learning rate 0.1. The penalty alpha = 1 keeps the
share lam / (lam + 1) of the least-squares weights in each direction: least in
the direction of smallest curvature. Stopping after epoch t = 1 / (alpha eps) = 10
keeps about t eps lam there too.
"""

import numpy as np
from _helpers import curvature, diabetes

SEED = 0  # the second example's split
LEARNING_RATE = 0.1
ALPHA = 1.0

data = diabetes(SEED)
C, _ = curvature(data.X_train, data.y_train, data.mean)
lam = np.linalg.eigvalsh(C)
epoch = round(1 / (ALPHA * LEARNING_RATE))
penalty_keeps = lam / (lam + ALPHA)
stopping_keeps = 1 - (1 - LEARNING_RATE * lam) ** epoch
least = int(np.argmin(penalty_keeps))
print(
    f"- Least kept by α = {ALPHA:g}: the direction of curvature {lam[least]:.3g}, "
    f"the smallest of the {len(lam)}: the penalty keeps {penalty_keeps[least]:.4f} "
    f"of it\n- Stopped after epoch {epoch}: {stopping_keeps[least]:.4f} "
    f"(_t_ελ = {epoch * LEARNING_RATE * lam[least]:.4f})"
)
