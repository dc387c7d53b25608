"""What scikit-learn counts: epochs in n_iter_, examples seen in t_.

`MLPRegressor` trains on mini-batches of `batch_size` examples (by default 200,
or all of them if there are fewer). After `fit` with the `adam` solver,
`n_iter_` is the number of epochs it ran, and `t_` the number of training
examples it went through: epochs times N. Neither counts the updates of the
weights, which number epochs times ⌈N / B⌉; the Adam optimizer inside the model
keeps that count, in an attribute that is not part of the public API.
"""

# %%
# The Diabetes training split: 353 examples
# -----------------------------------------
import math
import warnings

from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 5
BATCH_SIZES = [200, 32]

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
X_train = StandardScaler().fit_transform(X_train)
num_examples = len(X_train)

# %%
# Train for 5 epochs with two batch sizes, and read the counters
# --------------------------------------------------------------
# `max_iter` is a number of epochs. Five are far too few to converge, so `fit`
# warns; the warning is expected here and silenced.
print("| `batch_size` | `max_iter` | `n_iter_` | `t_` | Adam's update count |", end="")
print(f" {NUM_EPOCHS} · ⌈N / B⌉ |")
print("|---:|---:|---:|---:|---:|---:|")
epochs_run, examples_seen, updates = [], [], []
for batch_size in BATCH_SIZES:
    model = MLPRegressor(
        hidden_layer_sizes=(16,),
        solver="adam",
        batch_size=batch_size,
        max_iter=NUM_EPOCHS,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    epochs_run.append(model.n_iter_)
    examples_seen.append(model.t_)
    updates.append(model._optimizer.t)  # private: not part of scikit-learn's API
    expected = NUM_EPOCHS * math.ceil(num_examples / batch_size)
    print(
        f"| {batch_size} | {NUM_EPOCHS} | {model.n_iter_} | {model.t_:,} "
        f"| {updates[-1]} | {expected} |"
    )
