"""A target divided by 10: between the raw target and the standardised one.

The target-scaling example's network, split, learning rate and first seed, trained
on the target divided by 10 (values near 15 instead of 150; the predictions are
multiplied back). The network starts near 0 either way; the smaller the target,
the shorter the way to it, and the earlier the best epoch.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
LEARNING_RATE = 0.01
SEED = 0  # the target-scaling example's first seed
DIVISOR = 10

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=LEARNING_RATE,
    random_state=np.random.RandomState(SEED),
)
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train / DIVISOR)
    val_loss[epoch] = np.mean((model.predict(X_val) * DIVISOR - y_val) ** 2)
best_epoch = int(np.argmin(val_loss)) + 1
print(
    f"- Target divided by {DIVISOR}: lowest validation loss "
    f"{val_loss[best_epoch - 1]:,.0f}, after epoch {best_epoch}"
)
