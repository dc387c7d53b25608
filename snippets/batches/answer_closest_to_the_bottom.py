"""Which batch size ends closest to the bottom, at each of the three rates.

The first example's three batch sizes (1, 32 and the full 353) and its 50 epochs,
at each learning rate its control offers. The answer changes with the rate: the
full batch makes only 50 updates, which a small rate spends far from the bottom,
while batch size 1 hovers above it by an amount that grows with the rate.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 50
LEARNING_RATES = [0.003, 0.01, 0.03]
ORDER_SEED = 0  # the order of the examples in each epoch

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
X_train = StandardScaler().fit_transform(X_train)
batch_sizes = [1, 32, len(X_train)]
bottom = np.mean(
    (LinearRegression().fit(X_train, y_train).predict(X_train) - y_train) ** 2
)


def final_loss(X, y, batch_size, rate):
    """The training loss of a linear model after NUM_EPOCHS epochs in batches."""
    rng = np.random.default_rng(ORDER_SEED)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(NUM_EPOCHS):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            error = X[batch] @ w + b - y[batch]
            w -= rate * 2 * X[batch].T @ error / len(batch)
            b -= rate * 2 * error.mean()
    return float(np.mean((X @ w + b - y) ** 2))


final_losses = [
    [final_loss(X_train, y_train, size, rate) for size in batch_sizes]
    for rate in LEARNING_RATES
]
closest = [batch_sizes[int(np.argmin(losses))] for losses in final_losses]
print(f"Training loss after epoch {NUM_EPOCHS}; the bottom is {bottom:,.0f}.\n")
print("| Learning rate | Batch size 1 | 32 | 353 | Closest to the bottom |")
print("|---:|---:|---:|---:|---:|")
for rate, losses, size in zip(LEARNING_RATES, final_losses, closest, strict=True):
    shown = " | ".join(f"{loss:,.0f}" for loss in losses)
    print(f"| {rate} | {shown} | batch size {size} |")
