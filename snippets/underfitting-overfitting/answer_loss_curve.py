"""What loss_curve_ records while the loss is falling, against the MSE.

`fit` for 20 epochs in the learning curves' setting, while the predictions are
still climbing towards the targets. Each entry of `loss_curve_` is half the
size-weighted mean of the batches' squared errors, each measured before that
batch's update, plus the penalty. Doubled, the last entry is above the MSE of the
network after the last epoch: while the loss falls, the record lags behind it.
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

model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    max_iter=NUM_EPOCHS,
    random_state=SEED,
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # 20 epochs, on purpose
    model.fit(X_train, y_train)
recorded = 2 * model.loss_curve_[-1]
after_last_epoch = float(np.mean((model.predict(X_train) - y_train) ** 2))
print(f"- Twice the last entry of `loss_curve_`: {recorded:,.0f}")
print(f"- MSE of the network after epoch {NUM_EPOCHS}: {after_last_epoch:,.0f}")
print(f"- The record is {100 * (recorded / after_last_epoch - 1):.0f} % higher")
