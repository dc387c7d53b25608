"""The underfitting example with a hundred times less penalty.

The underfitting example's network, data and seed, with `alpha=3000` as it ran
and with `alpha=30`, for its 300 epochs. With less penalty pulling the weights to
zero, the network fits its training patients more closely: both losses end lower,
and the validation loss ends above the training loss instead of below it.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
ALPHAS = [3000, 30]
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


def last_losses(alpha):
    """The training and validation loss after the last epoch."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        alpha=alpha,
        learning_rate_init=0.01,
        random_state=np.random.RandomState(SEED),
    )
    for _ in range(NUM_EPOCHS):
        model.partial_fit(X_train, y_train)
    return (
        float(np.mean((model.predict(X_train) - y_train) ** 2)),
        float(np.mean((model.predict(X_val) - y_val) ** 2)),
    )


losses = [last_losses(alpha) for alpha in ALPHAS]
gaps = [val - train for train, val in losses]
print(f"After epoch {NUM_EPOCHS}:\n")
print("| `alpha` | Training loss | Validation loss | Gap |")
print("|---:|---:|---:|---:|")
for alpha, (train, val), gap in zip(ALPHAS, losses, gaps, strict=True):
    print(f"| {alpha:,} | {train:,.0f} | {val:,.0f} | {gap:,.0f} |")
