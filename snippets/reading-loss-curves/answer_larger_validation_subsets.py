"""Validation sets of 40 patients instead of 10: a steadier best epoch.

The noisy-validation example's run (its network, batches of 32, seed and 150
epochs), read through a thousand random validation sets of 10 patients, drawn as
that example draws them, and a thousand of 40. The larger the validation set, the
narrower the range of epochs its lowest loss falls in.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 150
BATCH_SIZE = 32
SUBSET_SIZES = [10, 40]
NUM_SUBSETS = 1000
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    batch_size=BATCH_SIZE,
    random_state=np.random.RandomState(SEED),
)
squared_errors = np.empty((NUM_EPOCHS, len(y_val)))
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    squared_errors[epoch] = (model.predict(X_val) - y_val) ** 2

ranges = []
for size in SUBSET_SIZES:
    rng = np.random.default_rng(0)  # the example's draws, for the sets of 10
    subsets = [rng.choice(len(y_val), size, replace=False) for _ in range(NUM_SUBSETS)]
    best = [int(squared_errors[:, s].mean(axis=1).argmin()) + 1 for s in subsets]
    ranges.append([float(p) for p in np.percentile(best, [10, 90])])
print(f"Best epoch over {NUM_SUBSETS:,} random validation sets, middle 80 %:\n")
for size, (low, high) in zip(SUBSET_SIZES, ranges, strict=True):
    print(f"- {size} patients: epochs {low:.0f} to {high:.0f}")
