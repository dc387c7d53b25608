"""The scikit-learn Ridge that matches 100 epochs at learning rate 0.1.

alpha = 1 / (t eps) = 0.1 on the page's loss, half the mean squared error.
scikit-learn's Ridge adds its alpha |w|^2 to the sum of the squared errors, so
its alpha is N times larger: 264 x 0.1 = 26.4.
"""

import numpy as np
from _helpers import curvature, diabetes, gradient_descent, ridge
from sklearn.linear_model import Ridge

SEED = 0  # the first example's split
LEARNING_RATE = 0.1
EPOCHS = 100

data = diabetes(SEED)
C, b = curvature(data.X_train, data.y_train, data.mean)
alpha = 1 / (EPOCHS * LEARNING_RATE)
sklearn_alpha = len(data.X_train) * alpha
model = Ridge(alpha=sklearn_alpha).fit(data.X_train, data.y_train)
stopped = gradient_descent(C, b, LEARNING_RATE, EPOCHS)[-1]
distance = np.linalg.norm(model.coef_ - stopped) / np.linalg.norm(ridge(C, b, 0.0))
print(
    f"- α = 1 / ({EPOCHS} × {LEARNING_RATE}) = {alpha:g}; scikit-learn: "
    f"`Ridge(alpha={sklearn_alpha:g})`, its intercept {model.intercept_:.1f} "
    f"(the training mean, {data.mean:.1f})\n- Its weights and the weights after "
    f"epoch {EPOCHS}: {distance:.1%} of the least-squares length apart"
)
