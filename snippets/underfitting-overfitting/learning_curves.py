"""Too few epochs, about the right number, too many: read on the learning curves.

A network with one hidden layer of 128 units learns the Diabetes data one epoch at a
time, and after every epoch we measure its loss on the training set and on a
validation set it never trains on. Early on both losses are high: the network has
not yet learned the trend in the data (underfitting). Later the validation loss
reaches its lowest point. After that the training loss keeps falling while the
validation loss rises: the network learns the noise of its own training examples
(overfitting). Two baselines show what a good loss is here: always predicting the
training mean, and linear regression.
"""

# %%
# Split the data: training, validation, and a test set kept aside
# ---------------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 500
TOO_FEW_EPOCHS = 10
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

# %%
# Two baselines: the training mean, and linear regression
# -------------------------------------------------------
baselines = {
    "Predicting the training mean": np.full(len(y_val), y_train.mean()),
    "Linear regression": LinearRegression().fit(X_train, y_train).predict(X_val),
}
mean_val_loss, linear_val_loss = (
    np.mean((prediction - y_val) ** 2) for prediction in baselines.values()
)

# %%
# Train one epoch at a time, measuring both losses
# ------------------------------------------------
model = MLPRegressor(
    hidden_layer_sizes=(128,),
    learning_rate_init=0.01,
    random_state=np.random.RandomState(SEED),
)
train_loss = np.empty(NUM_EPOCHS)
val_loss = np.empty(NUM_EPOCHS)
for epoch in range(NUM_EPOCHS):
    model.partial_fit(X_train, y_train)
    train_loss[epoch] = np.mean((model.predict(X_train) - y_train) ** 2)
    val_loss[epoch] = np.mean((model.predict(X_val) - y_val) ** 2)
    if epoch + 1 == TOO_FEW_EPOCHS:
        too_few_mean_prediction = model.predict(X_val).mean()

# %%
# Three moments of the same run
# -----------------------------
best_epoch = int(np.argmin(val_loss)) + 1
best_val_loss = val_loss[best_epoch - 1]
cases = {
    "Too few epochs": TOO_FEW_EPOCHS,
    "Lowest validation loss": best_epoch,
    "Too many epochs": NUM_EPOCHS,
}
print("| Stopped after | Epoch | Training loss | Validation loss |")
print("|---|---:|---:|---:|")
for case, epoch in cases.items():
    print(
        f"| {case} | {epoch} | {train_loss[epoch - 1]:,.0f} "
        f"| {val_loss[epoch - 1]:,.0f} |"
    )
print(f"| Predicting the training mean | | | {mean_val_loss:,.0f} |")
print(f"| Linear regression | | | {linear_val_loss:,.0f} |")
print(
    f"\nAfter epoch {TOO_FEW_EPOCHS} the network's predictions for the validation "
    f"patients average {too_few_mean_prediction:.0f}; their targets average "
    f"{y_val.mean():.0f}."
)

# %%
# Plot the learning curves
# ------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(epochs, train_loss, label="Training loss")
ax.plot(epochs, val_loss, label="Validation loss")
for (case, epoch), style in zip(cases.items(), (":", "--", "-."), strict=True):
    ax.axvline(epoch, linestyle=style, color="black", label=case)
ax.axhline(mean_val_loss, linestyle=":", color="C2", label="Training mean")
ax.axhline(linear_val_loss, linestyle="-.", color="C3", label="Linear regression")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title("Learning curves: training and validation loss per epoch")
ax.grid(True)
ax.legend(fontsize="small", ncols=2)
plt.show()
