"""The learning curves' network on half of its training patients.

The same network, validation set, learning rate and seed as the learning curves,
trained once on all 264 training patients and once on the first half of them. With
fewer examples to fit, it fits them more closely: at the last epoch its training
loss is lower, and the gap between training and validation loss wider.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 500
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


def last_epoch_losses(X_train, y_train):
    """Training and validation loss after the last epoch, and the best epoch."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=0.01,
        random_state=np.random.RandomState(SEED),
    )
    val_loss = np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, y_train)
        val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    train_loss = float(np.mean((model.predict(X_train) - y_train) ** 2))
    return train_loss, float(val_loss[-1]), int(np.argmin(val_loss)) + 1


half = len(X_train) // 2
sizes = [len(X_train), half]
results = [
    last_epoch_losses(X_train, y_train),
    last_epoch_losses(X_train[:half], y_train[:half]),
]
gaps = [val - train for train, val, _ in results]
print(f"After epoch {NUM_EPOCHS}:\n")
print("| Training patients | Training loss | Validation loss | Gap | Best epoch |")
print("|---:|---:|---:|---:|---:|")
for size, (train, val, best), gap in zip(sizes, results, gaps, strict=True):
    print(f"| {size} | {train:,.0f} | {val:,.0f} | {gap:,.0f} | {best} |")
