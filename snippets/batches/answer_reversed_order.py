"""Sorted the other way: the highest targets first, in every epoch.

The shuffling example with its stored order reversed, so that every unshuffled
epoch ends with the patients whose disease progressed least. Whatever comes last in
an epoch still wins: the unshuffled run still ends every epoch with a higher
training loss than the run shuffled every epoch.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 30
BATCH_SIZE = 1
LEARNING_RATE = 0.01
ORDER_SEED = 0  # the random orders of the shuffled run

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
X_train = StandardScaler().fit_transform(X_train)
by_target = np.argsort(y_train)[::-1]  # the highest targets first
X_train, y_train = X_train[by_target], y_train[by_target]


def loss_per_epoch(X, y, shuffle):
    """Train a linear model; return the training loss at the end of every epoch."""
    rng = np.random.default_rng(ORDER_SEED)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(NUM_EPOCHS):
        order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
        for start in range(0, len(X), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            error = X[batch] @ w + b - y[batch]
            w -= LEARNING_RATE * 2 * X[batch].T @ error / len(batch)
            b -= LEARNING_RATE * 2 * error.mean()
        losses.append(float(np.mean((X @ w + b - y) ** 2)))
    return np.array(losses)


reversed_per_epoch = loss_per_epoch(X_train, y_train, shuffle=False)
shuffled_per_epoch = loss_per_epoch(X_train, y_train, shuffle=True)
worse_epochs = int(np.sum(reversed_per_epoch > shuffled_per_epoch))
print(
    f"- Never shuffled, highest targets first: {reversed_per_epoch[-1]:,.0f} after "
    f"epoch {NUM_EPOCHS}; shuffled every epoch: {shuffled_per_epoch[-1]:,.0f}"
)
print(f"- Epochs that end worse without shuffling: {worse_epochs} of {NUM_EPOCHS}")
