"""A constant learning rate leaves a noise floor; a decaying one goes below it.

With batches of 16 patients, every update follows the gradient of 16 examples, not
of the whole training set. At a constant learning rate those errors never shrink:
the training loss stops falling steadily and jumps up and down, the noise floor. A
learning rate that decays during training makes the late updates small, so their
errors shrink too. scikit-learn's `solver="sgd"` offers two schedules:
`"invscaling"` divides the rate by (examples seen + 1) ** `power_t` after every
epoch, and `"adaptive"` divides it by 5 whenever the training loss has failed to
improve by `tol` for more than `n_iter_no_change` epochs in a row. The
validation loss is measured too: a lower training loss on 264 patients is not a
better network for new ones.
"""

# %%
# Training and validation sets, with the target standardised
# ----------------------------------------------------------
# Plain SGD on targets around 150 takes steps so large that the weights overflow;
# the losses are measured in the target's own units all the same.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

NUM_EPOCHS = 150
LAST_EPOCHS = 50
LEARNING_RATE = 0.03
BATCH_SIZE = 16
SEED = 42  # the initial weights, and a new order of the batches every epoch

X, y = load_diabetes(return_X_y=True)
X_rest, _, y_rest, _ = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, random_state=42
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
target_scaler = StandardScaler().fit(y_train.reshape(-1, 1))
target = target_scaler.transform(y_train.reshape(-1, 1)).ravel()


# %%
# Train with a constant and with two decaying learning rates
# ----------------------------------------------------------
def curves(schedule, **options):
    """The training and validation loss after every epoch, in the target's units,
    and the learning rate at the end."""
    model = MLPRegressor(
        hidden_layer_sizes=(128,),
        solver="sgd",
        learning_rate=schedule,
        learning_rate_init=LEARNING_RATE,
        batch_size=BATCH_SIZE,
        random_state=np.random.RandomState(SEED),
        **options,
    )
    train_loss, val_loss = np.empty(NUM_EPOCHS), np.empty(NUM_EPOCHS)
    for epoch in range(NUM_EPOCHS):
        model.partial_fit(X_train, target)
        for X_part, y_part, losses in (
            (X_train, y_train, train_loss),
            (X_val, y_val, val_loss),
        ):
            prediction = target_scaler.inverse_transform(
                model.predict(X_part).reshape(-1, 1)
            )
            losses[epoch] = np.mean((prediction.ravel() - y_part) ** 2)
    # The optimiser's current rate is private (the leading underscore): read only
    # to show how far each schedule lowered it.
    return train_loss, val_loss, model._optimizer.learning_rate


schedules = {
    '`"constant"`': curves("constant"),
    '`"invscaling"`, `power_t=0.1`': curves("invscaling", power_t=0.1),
    '`"adaptive"`': curves("adaptive"),
}
constant_loss, invscaling_loss, adaptive_loss = (
    train for train, _, _ in schedules.values()
)
last_means = [train[-LAST_EPOCHS:].mean() for train, _, _ in schedules.values()]
last_rises = [
    np.mean(np.diff(train[-LAST_EPOCHS:]) > 0) for train, _, _ in schedules.values()
]
# The trend under the jumps: a straight line fitted to the log of the training loss
# over the last epochs, as the change it makes from their first epoch to their last.
last_trends = [
    float(
        np.expm1(
            np.polyfit(np.arange(LAST_EPOCHS), np.log(train[-LAST_EPOCHS:]), 1)[0]
            * (LAST_EPOCHS - 1)
        )
    )
    for train, _, _ in schedules.values()
]
last_val_means = [val[-LAST_EPOCHS:].mean() for _, val, _ in schedules.values()]
lowest_val = [val.min() for _, val, _ in schedules.values()]
final_rates = [final_rate for _, _, final_rate in schedules.values()]

print(f"Batches of {BATCH_SIZE}, learning rate {LEARNING_RATE} at the start.", end="")
print(f" Means over the last {LAST_EPOCHS} epochs:\n")
print("| `learning_rate` | Training loss | Epochs that raised it | Its trend |", end="")
print(" Validation loss | Lowest validation loss | Learning rate at the end |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, mean, rises, trend, val_mean, lowest, final_rate in zip(
    schedules,
    last_means,
    last_rises,
    last_trends,
    last_val_means,
    lowest_val,
    final_rates,
    strict=True,
):
    print(
        f"| {name} | {mean:,.0f} | {rises:.0%} | {trend:+.0%} | {val_mean:,.0f} "
        f"| {lowest:,.0f} | {final_rate:.2g} |"
    )
constant_last = constant_loss[-LAST_EPOCHS:]
print(
    f"\nAt the constant rate, the training loss of the last {LAST_EPOCHS} epochs "
    f"ranged between {constant_last.min():,.0f} and {constant_last.max():,.0f}; it was "
    f"{constant_last[0]:,.0f} after epoch {NUM_EPOCHS - LAST_EPOCHS + 1} and "
    f"{constant_last[-1]:,.0f} after epoch {NUM_EPOCHS}. Its trend is the change a "
    "straight line fitted to the log of the training loss makes over those epochs."
)

# %%
# Plot the training loss of the three schedules
# ---------------------------------------------
epochs = np.arange(1, NUM_EPOCHS + 1)
fig, ax = plt.subplots(figsize=(5, 3.2))
for label, curve in (
    ("Constant", constant_loss),
    ("Decaying: invscaling", invscaling_loss),
    ("Decaying: adaptive", adaptive_loss),
):
    ax.plot(epochs, curve, label=label)
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("Training loss (MSE)")
ax.set_title(f"Batches of {BATCH_SIZE}: a constant or a decaying learning rate")
ax.grid(True)
ax.legend()
plt.show()
