"""The best number of epochs moves with the scale of the target.

The same network at the same learning rate trains twice with each of five seeds:
once on the disease progression as it is (values around 150), once on the
progression standardised (mean 0, standard deviation 1, its predictions turned back
into the original units before they are measured). Nothing about the patients
changes, yet the number of epochs to the lowest validation loss does. Part of the
difference is the walk of the raw-target network's predictions from near 0 up to the
target's average; the rest is that Adam's steps have the same size whatever the
target's scale, so on the raw target they are small steps for the whole run.
"""

# %%
# Training and validation sets, and a scaler for the target
# ---------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 300
LEARNING_RATE = 0.01
SEEDS = list(range(5))  # the initial weights and the orders of the batches

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
target_scaler = StandardScaler().fit(y_train.reshape(-1, 1))


# %%
# Train on the target as it is, and standardised
# ----------------------------------------------
def validation_curve(scale_target, seed):
    """The validation loss (in the target's own units) after every epoch, and the
    average prediction for the validation patients."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=LEARNING_RATE,
        random_state=np.random.RandomState(seed),
    )
    target = y_train
    if scale_target:
        target = target_scaler.transform(y_train.reshape(-1, 1)).ravel()
    val_loss, mean_prediction = np.empty(NUM_EPOCHS), np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, target)
        prediction = model.predict(X_val)
        if scale_target:
            prediction = target_scaler.inverse_transform(prediction.reshape(-1, 1))
        val_loss[epoch] = np.mean((prediction.ravel() - y_val) ** 2)
        mean_prediction[epoch] = prediction.mean()
    return val_loss, mean_prediction


raw = [validation_curve(False, seed) for seed in SEEDS]
scaled = [validation_curve(True, seed) for seed in SEEDS]
raw_val_loss, scaled_val_loss = raw[0][0], scaled[0][0]  # the first seed's, drawn

# %%
# When each is best, when the raw predictions reach the average, how far each rises
# ---------------------------------------------------------------------------------
raw_best_epochs = [int(np.argmin(loss)) + 1 for loss, _ in raw]
scaled_best_epochs = [int(np.argmin(loss)) + 1 for loss, _ in scaled]
target_mean = y_train.mean()
raw_reaches_mean = [  # the first epoch within 5 % of the training targets' average
    int(np.argmax(np.abs(mean - target_mean) <= 0.05 * target_mean)) + 1
    for _, mean in raw
]
raw_rise = [loss[-1] / loss.min() for loss, _ in raw]
scaled_rise = [loss[-1] / loss.min() for loss, _ in scaled]

print("| Seed | Best epoch, target as it is | standardised |", end="")
print(" Raw predictions' average within 5 % from epoch |", end="")
print(f" Last epoch ({NUM_EPOCHS}) over lowest, as it is | standardised |")
print("|---:|---:|---:|---:|---:|---:|")
for i, seed in enumerate(SEEDS):
    print(
        f"| {seed} | {raw_best_epochs[i]} | {scaled_best_epochs[i]} "
        f"| {raw_reaches_mean[i]} | {raw_rise[i]:.2f} | {scaled_rise[i]:.2f} |"
    )

# %%
# Plot both validation curves of the first seed
# ---------------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, ax = plt.subplots(figsize=(5, 3.2))
for val_loss, best, label in (
    (raw_val_loss, raw_best_epochs[0], "Target as it is"),
    (scaled_val_loss, scaled_best_epochs[0], "Target standardised"),
):
    (line,) = ax.plot(epochs, val_loss, label=label)
    ax.plot(best, val_loss[best - 1], "o", color=line.get_color())
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Validation loss (MSE)")
ax.set_title(f"One network, the target as it is or standardised (seed {SEEDS[0]})")
ax.grid(True)
ax.legend()
plt.show()
