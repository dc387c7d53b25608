"""What scikit-learn's counters read after 20 epochs in batches of 64.

The same network and split as the page's counters example, with `max_iter=20` and
`batch_size=64`: `n_iter_` counts the epochs, `t_` the examples seen (epochs
times N), and only Adam's private step count the updates, epochs times ⌈N / B⌉.
"""

# %%
# Train for 20 epochs in batches of 64, and read the counters
# -----------------------------------------------------------
import math
import warnings

from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 20
BATCH_SIZE = 64

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
X_train = StandardScaler().fit_transform(X_train)

model = MLPRegressor(
    hidden_layer_sizes=(16,),
    batch_size=BATCH_SIZE,
    max_iter=NUM_EPOCHS,
    random_state=0,
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # 20 epochs: far from done
    model.fit(X_train, y_train)
epochs_run, examples_seen = model.n_iter_, model.t_
updates = model._optimizer.t  # private: not part of scikit-learn's API
print(f"- `n_iter_` = {epochs_run}: the epochs.")
print(f"- `t_` = {examples_seen:,}: {epochs_run} · {len(X_train)} examples seen.")
print(
    f"- Adam's update count = {updates}: {epochs_run} · "
    f"⌈{len(X_train)} / {BATCH_SIZE}⌉ = {epochs_run} · "
    f"{math.ceil(len(X_train) / BATCH_SIZE)}."
)
