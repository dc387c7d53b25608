"""What follows the lowest validation loss on images of digits: the losses, and the
accuracy.

The network of the diabetes pages (one hidden layer of 128 units, Adam) learns to
tell handwritten digits apart, in batches of 32: 34 updates per epoch. The inputs
are standardised, and the batches are drawn in a new order every epoch. Over five
seeds (each its own split, initial weights and order of batches), the validation
loss is lowest after about ten epochs; from there on it rises, slowly and
steadily, while the training loss keeps falling. The test set, which chooses
nothing, shows how much of that rise belongs to the validation images alone.

Classification adds a second curve: the accuracy, the share of images whose most
probable class is the right one. After the lowest validation loss the network
grows more confident, which costs it a lot on the few images it gets wrong: the
validation loss rises while the accuracy holds.
"""

# %%
# Train with five seeds, each well past its lowest validation loss
# ----------------------------------------------------------------
import math

import matplotlib.pyplot as plt
import numpy as np
from _helpers import (
    best_epoch,
    digits,
    losses_per_example,
    train_past_the_lowest,
    trend,
)
from sklearn.neural_network import MLPClassifier

SEEDS = range(5)  # each seed: the split, the initial weights, the batch order
BATCH_SIZE = 32
LEARNING_RATE = 0.005


def measures(model, data):
    """The three losses; on the validation set, the accuracy and the confidence
    too, and the loss on the images classified right and wrong."""
    val_loss = losses_per_example(model, data.X_val, data.y_val)
    right = model.predict(data.X_val) == data.y_val
    return {
        "train_loss": losses_per_example(model, data.X_train, data.y_train).mean(),
        "val_loss": val_loss.mean(),
        "test_loss": losses_per_example(model, data.X_test, data.y_test).mean(),
        "val_accuracy": right.mean(),
        "confidence": model.predict_proba(data.X_val).max(axis=1).mean(),
        "loss_when_right": val_loss[right].mean(),
        "loss_when_wrong": val_loss[~right].mean(),
    }


def run(seed):
    """Every measure after every epoch, for one seed."""
    model = MLPClassifier(
        hidden_layer_sizes=(128,),
        batch_size=BATCH_SIZE,
        learning_rate_init=LEARNING_RATE,
        # An instance, not an integer: each partial_fit call draws a new order.
        random_state=np.random.RandomState(seed),
    )
    return train_past_the_lowest(model, digits(seed), measures)


runs = [run(seed) for seed in SEEDS]
updates_per_epoch = math.ceil(len(digits(0).X_train) / BATCH_SIZE)
best_epochs = [best_epoch(r["val_loss"]) for r in runs]
num_epochs = [len(r["val_loss"]) for r in runs]
# Every measure from the best epoch to the last.
after = [
    {k: v[b - 1 :] for k, v in r.items()}
    for r, b in zip(runs, best_epochs, strict=True)
]

# %%
# The lowest point, and what follows it
# -------------------------------------
val_rise = [a["val_loss"][-1] / a["val_loss"][0] - 1 for a in after]
val_trend = [trend(a["val_loss"]) for a in after]
train_trend = [trend(a["train_loss"]) for a in after]
train_fall = [a["train_loss"][0] / a["train_loss"][-1] for a in after]
test_change = [a["test_loss"][-1] / a["test_loss"][0] - 1 for a in after]
test_best_epochs = [best_epoch(r["test_loss"]) for r in runs]

print(f"Batches of {BATCH_SIZE}, {updates_per_epoch} updates per epoch:\n")
print(
    "| Seed | Best epoch | Updates to it | Validation loss: lowest → last epoch "
    "| Trend after the lowest: validation | training "
    "| Test loss, best → last epoch | Lowest test loss: epoch |"
)
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for seed, r, b, n, rise, up, down, test, test_best in zip(
    SEEDS,
    runs,
    best_epochs,
    num_epochs,
    val_rise,
    val_trend,
    train_trend,
    test_change,
    test_best_epochs,
    strict=True,
):
    print(
        f"| {seed} | {b} | {b * updates_per_epoch:,} "
        f"| {r['val_loss'].min():.3f} → {r['val_loss'][-1]:.3f} "
        f"(epoch {n}, {100 * rise:+.0f} %) | {up:+.2f} | {down:+.2f} "
        f"| {100 * test:+.0f} % | {test_best} |"
    )
print(
    f"\n- Best epoch: median {np.median(best_epochs):.0f}, "
    f"from {min(best_epochs)} to {max(best_epochs)}"
)
print(
    f"- From the best epoch to the last, the training loss was divided by "
    f"{min(train_fall):.1f} to {max(train_fall):.1f}"
)
print(
    f"- The test loss rose over the same epochs in "
    f"{sum(change > 0 for change in test_change)} of {len(SEEDS)} seeds"
)

# %%
# The accuracy and the confidence, from the lowest loss to the last epoch
# ------------------------------------------------------------------------
accuracy_change = [a["val_accuracy"][-1] - a["val_accuracy"][0] for a in after]
confidence_change = [a["confidence"][-1] - a["confidence"][0] for a in after]
right_change = [a["loss_when_right"][-1] - a["loss_when_right"][0] for a in after]
wrong_change = [a["loss_when_wrong"][-1] - a["loss_when_wrong"][0] for a in after]

print(
    "| Seed | Accuracy: at the lowest loss → last epoch | Confidence "
    "| Loss on the images classified right | wrong |"
)
print("|---:|---:|---:|---:|---:|")
for seed, a in zip(SEEDS, after, strict=True):
    print(
        f"| {seed} | {100 * a['val_accuracy'][0]:.1f} % → "
        f"{100 * a['val_accuracy'][-1]:.1f} % "
        f"| {a['confidence'][0]:.3f} → {a['confidence'][-1]:.3f} "
        f"| {a['loss_when_right'][0]:.4f} → {a['loss_when_right'][-1]:.4f} "
        f"| {a['loss_when_wrong'][0]:.1f} → {a['loss_when_wrong'][-1]:.1f} |"
    )
print(
    f"\n- Accuracy from the lowest loss to the last epoch: "
    f"{100 * min(accuracy_change):+.1f} to {100 * max(accuracy_change):+.1f} points, "
    f"while the validation loss rose {100 * min(val_rise):.0f} to "
    f"{100 * max(val_rise):.0f} %"
)

# %%
# Plot the losses and the accuracy of every run
# ---------------------------------------------
# The epoch axis is logarithmic, so that the first epochs and the long runs fit.
EPOCH_TICKS = [1, 3, 10, 30, 100]
LOSS_TICKS = [0.0001, 0.001, 0.01, 0.1]
fig, (held_out, accuracy, training) = plt.subplots(
    3, 1, figsize=(5, 8), layout="constrained"
)
for seed, r, b in zip(SEEDS, runs, best_epochs, strict=True):
    epochs = np.arange(1, len(r["val_loss"]) + 1)
    line = {"alpha": 0.8, "linewidth": 1}
    held_out.plot(epochs, r["val_loss"], "C1", label=f"Validation, seed {seed}", **line)
    held_out.plot(epochs, r["test_loss"], "C2--", label=f"Test, seed {seed}", **line)
    accuracy.plot(epochs, 100 * r["val_accuracy"], "C0", label=f"Seed {seed}", **line)
    training.plot(epochs, r["train_loss"], "C0", label=f"Seed {seed}", **line)
    held_out.plot(b, r["val_loss"][b - 1], "o", color="C1")
    accuracy.plot(b, 100 * r["val_accuracy"][b - 1], "o", color="C0")
held_out.set_ylim(0, 0.3)
held_out.set_ylabel("Cross-entropy")
held_out.set_title("Validation and test loss")
accuracy.set_ylim(90, 100)
accuracy.set_ylabel("Accuracy (%)")
accuracy.set_title("Validation accuracy")
training.set_yscale("log")
training.set_yticks(LOSS_TICKS, [f"{tick:g}" for tick in LOSS_TICKS])
training.set_ylabel("Cross-entropy")
training.set_title("Training loss")
for ax in (held_out, accuracy, training):
    ax.set_xscale("log")
    ax.set_xticks(EPOCH_TICKS, [str(tick) for tick in EPOCH_TICKS])
    ax.set_xlabel("Epoch")
    ax.grid(True)
handles = [
    plt.Line2D([], [], color="C1", label="Validation"),
    plt.Line2D([], [], color="C2", linestyle="--", label="Test"),
    plt.Line2D([], [], color="C0", label="Training, accuracy"),
    plt.Line2D([], [], color="black", marker="o", linestyle="", label="Lowest"),
]
fig.legend(handles=handles, loc="outside lower center", ncols=2)
fig.suptitle(f"Digits, five seeds, batches of {BATCH_SIZE}")
plt.show()
