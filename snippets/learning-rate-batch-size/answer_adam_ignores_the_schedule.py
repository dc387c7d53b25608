"""Adam with learning_rate="invscaling": the same run as without it.

The page's network trained by `fit` for 20 epochs with `solver="adam"`, once
with the default `learning_rate="constant"` and once with `"invscaling"`, which
for `solver="sgd"` would shrink the rate after every epoch. Adam keeps
`learning_rate_init` throughout, so both runs end with the very same weights.
"""

import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 20
SEED = 42

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
X_train = StandardScaler().fit(X_train).transform(X_train)

weights = []
for schedule in ["constant", "invscaling"]:
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=0.01,
        learning_rate=schedule,
        max_iter=NUM_EPOCHS,
        random_state=SEED,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 20 epochs, on purpose
        model.fit(X_train, y_train)
    weights.append(np.concatenate([w.ravel() for w in model.coefs_]))
largest_difference = float(np.abs(weights[0] - weights[1]).max())
print(
    f"- Largest difference between the two runs' weights after {NUM_EPOCHS} "
    f"epochs: {largest_difference:g}"
)
