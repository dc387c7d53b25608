"""The training-loss rule of fit, with a tol on the scale of the loss.

The page's network, trained by `fit` for at most 300 epochs without early
stopping, once with the default `tol=1e-4` and once with `tol=10`, an amount
that means something on a squared error in the thousands (scikit-learn's loss is
half of it). With the default, the rule does not trigger; with the larger `tol`,
`fit` stops long before `max_iter`.
"""

import warnings

from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

MAX_ITER = 300
TOLS = [1e-4, 10.0]
SEED = 42

X, y = load_diabetes(return_X_y=True)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
X_train = StandardScaler().fit(X_train).transform(X_train)

epochs_run = []
for tol in TOLS:
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=0.01,
        max_iter=MAX_ITER,
        tol=tol,
        random_state=SEED,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # reaching max_iter
        model.fit(X_train, y_train)
    epochs_run.append(model.n_iter_)
    print(f"- `tol={tol:g}`: {model.n_iter_} epochs of at most {MAX_ITER}")
