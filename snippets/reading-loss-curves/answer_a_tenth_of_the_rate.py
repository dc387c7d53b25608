"""The jumping curve at a tenth of its learning rate.

The too-high example's network, data and seed, at its learning rate of 1 and at
0.1, for its 100 epochs. At a tenth of the rate the jumps shrink: the largest rise
of the training loss in one epoch is far smaller, although about as many epochs
still raise it a little.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 100
LEARNING_RATES = [1.0, 0.1]
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train)


def training_loss(learning_rate):
    """The training loss after every epoch."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=learning_rate,
        random_state=np.random.RandomState(SEED),
    )
    loss = np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, y_train)
        loss[epoch] = np.mean((model.predict(X_train) - y_train) ** 2)
    return loss


curves = [training_loss(rate) for rate in LEARNING_RATES]
rises = [float(np.mean(np.diff(loss) > 0)) for loss in curves]
largest_jumps = [float(np.max(loss[1:] / loss[:-1])) for loss in curves]
print("| Learning rate | Epochs that raised the training loss | Largest rise |")
print("|---:|---:|---:|")
for rate, share, jump in zip(LEARNING_RATES, rises, largest_jumps, strict=True):
    print(f"| {rate:g} | {share:.0%} | {jump:.1f} times |")
