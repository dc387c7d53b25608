"""Training and validation loss, epoch by epoch.

A small neural network learns the Diabetes data set one epoch at a time. After every
epoch we measure the mean squared error on the data it trains on and on data it never
sees, and mark the epoch where the unseen-data loss is lowest. Two baselines show
what a good loss is on this data: always predicting the training mean, and linear
regression. The example keeps two flaws on purpose, which the page explains and a
later example repairs: its "validation" data is the test split, and it passes an
integer `random_state` to `partial_fit`, so that from the second epoch on every
epoch takes the examples in the same order.
"""

# %%
# Load, split and scale the data
# ------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 5000
SEED = 42  # the initial weights, and the one order of the batches from epoch 2 on

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

# %%
# Two baselines: what a good loss is on this data
# -----------------------------------------------
# Predicting the training mean costs, on any set of patients, the variance of their
# targets plus the squared gap between their mean and the training mean.
mean_train_loss = np.mean((y_train.mean() - y_train) ** 2)
mean_loss = np.mean((y_train.mean() - y_test) ** 2)
train_variance, val_variance = y_train.var(), y_test.var()
mean_gap = y_test.mean() - y_train.mean()
linear_loss = np.mean(
    (LinearRegression().fit(X_train, y_train).predict(X_test) - y_test) ** 2
)

# %%
# Train one epoch at a time
# -------------------------
# Each call to `partial_fit` is one pass over the training data: one epoch.
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    alpha=1e-4,
    solver="adam",
    learning_rate_init=0.001,
    random_state=SEED,
)
train_loss = np.empty(NUM_EPOCHS)
val_loss = np.empty(NUM_EPOCHS)
mean_prediction = np.empty(NUM_EPOCHS)  # the average prediction for the training set
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    train_prediction = model.predict(X_train)
    train_loss[epoch] = np.mean((train_prediction - y_train) ** 2)
    val_loss[epoch] = np.mean((model.predict(X_test) - y_test) ** 2)
    mean_prediction[epoch] = train_prediction.mean()

# %%
# Find the epoch with the lowest validation loss
# ----------------------------------------------
# Epochs count from 1, so the epoch after index `i` is `i + 1`.
epochs = np.arange(1, NUM_EPOCHS + 1)
best_epoch = int(np.argmin(val_loss)) + 1
best_val_loss = val_loss[best_epoch - 1]
near_best = epochs[val_loss <= 1.01 * best_val_loss]
within_first, within_last = int(near_best[0]), int(near_best[-1])
val_above_train = int(epochs[val_loss > train_loss][0])
near_mean = np.abs(mean_prediction - y_train.mean()) <= 0.05 * y_train.mean()
reaches_mean = int(epochs[near_mean][0])
print(f"- Lowest validation loss: {best_val_loss:,.0f}, after epoch {best_epoch:,}")
print(
    f"- Within 1 % of that lowest value: first after epoch {within_first:,}, "
    f"last after epoch {within_last:,}"
)
print(
    f"- After the last epoch ({NUM_EPOCHS:,}): training loss {train_loss[-1]:,.0f}, "
    f"validation loss {val_loss[-1]:,.0f}"
)
print(f"- Validation loss first above the training loss: epoch {val_above_train:,}")
print(
    f"- Predicting the training mean: validation loss {mean_loss:,.0f} "
    f"(training loss {mean_train_loss:,.0f}); linear regression: {linear_loss:,.0f}"
)
print(
    f"- Variance of the targets: {val_variance:,.0f} for the validation patients, "
    f"{train_variance:,.0f} for the training patients; their means differ by "
    f"{abs(mean_gap):.1f}"
)
print(
    f"- Average prediction: {mean_prediction[0]:.1f} after epoch 1; within 5 % of "
    f"the training targets' average ({y_train.mean():.0f}) from epoch "
    f"{reaches_mean:,}"
)

# %%
# Plot both losses, and the baselines
# -----------------------------------
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
ax.axhline(mean_loss, linestyle=":", color="C2", label="Predicting the training mean")
ax.axhline(linear_loss, linestyle="-.", color="C3", label="Linear regression")
ax.axvline(best_epoch, linestyle="--", color="black", label="Lowest validation loss")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("Training and validation loss per epoch")
ax.grid(True)
ax.legend()
plt.show()
