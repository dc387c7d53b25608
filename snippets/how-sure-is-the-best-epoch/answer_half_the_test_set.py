"""The bootstrap interval on half the test patients: wider by about the square
root of 2.

The bootstrap example's network (the first seed, fold 1's network at the epoch
4-fold cross-validation chose), its interval on all 90 test patients, and on the
first 45 of them only. A mean of half as many squared errors varies about 1.4
times as much.
"""

import numpy as np
from _helpers import FOLDS, best_epoch, folds, train

SEED = 0
NUM_EPOCHS = 200
NUM_RESAMPLES = 2000

data = folds(SEED)
X_train, y_train = data.X_train, data.y_train
mean, sd = y_train.mean(axis=1), y_train.std(axis=1)
_, losses = train(
    X_train,
    y_train,
    {"val": (data.X_val, data.y_val)},
    NUM_EPOCHS,
    seeds=[SEED] * FOLDS,
    target_scaler=(mean, sd),
)
chosen_epoch = int(best_epoch(losses["val"].mean(axis=0)))
network, _ = train(
    X_train[:1],
    y_train[:1],
    {},
    chosen_epoch,
    seeds=[SEED],
    target_scaler=(mean[:1], sd[:1]),
)
squared_errors = (network.predict(data.X_test[:1])[0] - data.y_test[0]) ** 2


def interval(errors):
    """The 95 % bootstrap interval of the mean of `errors`."""
    rng = np.random.RandomState(SEED)
    draws = rng.randint(0, len(errors), size=(NUM_RESAMPLES, len(errors)))
    return np.percentile(errors[draws].mean(axis=1), [2.5, 97.5])


widths = []
for patients in (90, 45):
    low, high = interval(squared_errors[:patients])
    widths.append(float(high - low))
    print(
        f"- {patients} test patients: {low:,.0f} to {high:,.0f}, {high - low:,.0f} wide"
    )
width_ratio = widths[1] / widths[0]
print(
    f"- Half the patients: {width_ratio:.2f} times as wide (the square root of 2: 1.41)"
)
