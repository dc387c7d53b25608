"""The loss of always predicting the training mean, on each set of patients.

No network is trained. On a set of patients, the constant prediction's mean squared
error is the variance of their targets plus the square of the gap between their
mean and the predicted value: the first example's held-out patients vary less, so
the constant does better on them than on the training patients themselves.
"""

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)

prediction = y_train.mean()
train_constant_loss = float(np.mean((prediction - y_train) ** 2))
val_constant_loss = float(np.mean((prediction - y_test) ** 2))
val_variance = float(y_test.var())
gap_squared = float((y_test.mean() - prediction) ** 2)
print(f"- Training patients: {train_constant_loss:,.0f} (their variance)")
print(
    f"- Held-out patients: {val_constant_loss:,.0f} = their variance "
    f"{val_variance:,.0f} + the squared gap of the means {gap_squared:,.0f}"
)
