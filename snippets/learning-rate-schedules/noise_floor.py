"""A constant rate leaves a noise floor in the training and the validation loss;
a decaying one settles below it on both.

The linear model learns in batches of 4 at a constant rate and with a cosine
schedule, for 40 epochs, with ten orders of the examples. The lowest training loss
a linear model can reach is least squares' (scikit-learn's `LinearRegression`);
its validation loss is where a settled run would end. How far above them do the
two schedules spend their last epochs?
"""

# %%
# Train at a constant rate and with a cosine schedule
# ---------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import constant, cosine, loss, split, train
from sklearn.linear_model import LinearRegression

NUM_EPOCHS = 40
LAST_EPOCHS = 10  # the floor: the mean over these last epochs
LEARNING_RATE = 0.05
BATCH_SIZE = 4
SEEDS = list(range(10))

data = split()
X_train, target_scaler = data.X_train, data.target_scaler
least_squares = LinearRegression().fit(data.X_train, data.y_train)
bottom_train = np.mean((least_squares.predict(data.X_train) - data.y_train) ** 2)
bottom_val = np.mean((least_squares.predict(data.X_val) - data.y_val) ** 2)

schedules = {
    "Constant": constant(LEARNING_RATE, NUM_EPOCHS),
    "Cosine": cosine(LEARNING_RATE, NUM_EPOCHS),
}
train_loss = np.empty((len(schedules), len(SEEDS), NUM_EPOCHS))
val_loss = np.empty_like(train_loss)
for row, rates in enumerate(schedules.values()):
    for column, seed in enumerate(SEEDS):
        weights = train(data, rates, BATCH_SIZE, seed)
        train_loss[row, column] = loss(data, weights, data.X_train, data.y_train)
        val_loss[row, column] = loss(data, weights, data.X_val, data.y_val)

# %%
# The floor: the last epochs, against least squares
# -------------------------------------------------
floor_train = train_loss[:, :, -LAST_EPOCHS:].mean(axis=2)
floor_val = val_loss[:, :, -LAST_EPOCHS:].mean(axis=2)
last_train, last_val = train_loss[:, :, -1], val_loss[:, :, -1]
print(f"Least squares: training loss {bottom_train:,.0f}, validation loss", end="")
print(f" {bottom_val:,.0f}. Medians over {len(SEEDS)} seeds:\n")
print(f"| Schedule | Training loss, last {LAST_EPOCHS} epochs | Last epoch |", end="")
print(f" Validation loss, last {LAST_EPOCHS} epochs | Last epoch |")
print("|---|---:|---:|---:|---:|")
for row, name in enumerate(schedules):
    print(
        f"| {name} | {np.median(floor_train[row]):,.0f} "
        f"| {np.median(last_train[row]):,.0f} | {np.median(floor_val[row]):,.0f} "
        f"| {np.median(last_val[row]):,.0f} |"
    )
CONSTANT, COSINE = 0, 1
val_gain = floor_val[CONSTANT] - last_val[COSINE]
print(
    f"\nSeed by seed, the cosine's last epoch was below the constant rate's floor "
    f"on the validation set in {(val_gain > 0).sum()} of {len(SEEDS)} seeds, by "
    f"{val_gain.mean():,.0f} on average ({val_gain.min():,.0f} to "
    f"{val_gain.max():,.0f})."
)

# %%
# Plot the two losses of the first seed
# -------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 6), sharex=True)
for row, name in enumerate(schedules):
    top.plot(epochs, train_loss[row, 0], label=name)
    bottom.plot(epochs, val_loss[row, 0], label=name)
top.axhline(bottom_train, color="black", linestyle=":")  # the text colour
bottom.axhline(bottom_val, color="black", linestyle=":")
top.set_ylabel("Training loss (MSE)")
top.set_title("The noise floor, and below it (dotted: least squares)")
top.legend()
bottom.set_ylabel("Validation loss (MSE)")
bottom.set_xlabel("Epoch")
bottom.legend()
for axes in (top, bottom):
    axes.grid(True)
plt.show()
