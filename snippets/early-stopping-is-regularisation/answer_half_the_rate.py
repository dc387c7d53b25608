"""Half the learning rate: the epoch that matches a penalty doubles.

The first example's model and split, at learning rate 0.05 instead of 0.1. By
alpha = 1 / (t eps), the penalty alpha = 0.1 is matched by epoch 1 / (0.1 x 0.05)
= 200 instead of 100; the weights there are as far from the penalty's as at the
page's rate.
"""

import numpy as np
from _helpers import curvature, diabetes, gradient_descent, ridge

SEED = 0  # the first example's split
ALPHA = 0.1
LEARNING_RATES = [0.1, 0.05]

data = diabetes(SEED)
C, b = curvature(data.X_train, data.y_train, data.mean)
target = ridge(C, b, ALPHA)
matching_epochs, distances = [], []
for rate in LEARNING_RATES:
    epoch = round(1 / (ALPHA * rate))
    weights = gradient_descent(C, b, rate, epoch)[-1]
    distance = np.linalg.norm(weights - target) / np.linalg.norm(ridge(C, b, 0.0))
    matching_epochs.append(epoch)
    distances.append(float(distance))
    print(
        f"- Learning rate {rate}: epoch {epoch} matches α = {ALPHA}; "
        f"the weights there are {distance:.1%} of the least-squares length apart"
    )
