"""Every lesson of the page on both data sets, over the same five seeds.

The diabetes network of the other pages (264 training patients, batches of 200:
two updates per epoch, the target in its own units) and the digits network of
this page (1,077 training images, batches of 32: 34 updates per epoch) each train
again with a batch four times larger (smaller, for diabetes), at the same
learning rate. The runs at the pages' own batch sizes give the first lessons;
both batch sizes give the last one: whether epochs or updates carry over. Each
lesson is checked seed by seed, and the table at the end says where it holds.
"""

# %%
# Train both networks with two batch sizes and five seeds
# -------------------------------------------------------
import math

import numpy as np
from _helpers import (
    MAX_EPOCHS,
    best_epoch,
    diabetes,
    digits,
    losses_per_example,
    train_past_the_lowest,
    trend,
)
from sklearn.neural_network import MLPClassifier, MLPRegressor

SEEDS = range(5)  # each seed: the split, the initial weights, the batch order
DIABETES_BATCH_SIZES = [50, 200]  # 200: scikit-learn's default, the pages'
DIABETES_LEARNING_RATE = 0.01
DIGITS_BATCH_SIZES = [32, 128]  # 32: the batch size of this page
DIGITS_LEARNING_RATE = 0.005


def diabetes_measures(model, data, full):
    """The validation loss; with `full`, the training and test losses too, and
    the mean absolute error of the validation predictions."""
    error = model.predict(data.X_val) - data.y_val
    found = {"val_loss": np.mean(error**2)}
    if full:
        found["train_loss"] = np.mean((model.predict(data.X_train) - data.y_train) ** 2)
        found["test_loss"] = np.mean((model.predict(data.X_test) - data.y_test) ** 2)
        found["val_error"] = np.mean(np.abs(error))
    return found


def digits_measures(model, data, full):
    """The validation loss; with `full`, the training and test losses too, and
    the share of validation images classified wrongly."""
    found = {"val_loss": losses_per_example(model, data.X_val, data.y_val).mean()}
    if full:
        found["train_loss"] = losses_per_example(
            model, data.X_train, data.y_train
        ).mean()
        found["test_loss"] = losses_per_example(model, data.X_test, data.y_test).mean()
        found["val_error"] = np.mean(model.predict(data.X_val) != data.y_val)
    return found


def run(name, seed, batch_size):
    """One run's measures after every epoch: every measure at the batch size the
    pages use, the validation loss alone at the others."""
    if name == "Diabetes":
        network, data, rate = MLPRegressor, diabetes(seed), DIABETES_LEARNING_RATE
        measures, shown = diabetes_measures, DIABETES_BATCH_SIZES[-1]
    else:
        network, data, rate = MLPClassifier, digits(seed), DIGITS_LEARNING_RATE
        measures, shown = digits_measures, DIGITS_BATCH_SIZES[0]
    model = network(
        hidden_layer_sizes=(128,),
        batch_size=batch_size,
        learning_rate_init=rate,
        random_state=np.random.RandomState(seed),
    )
    full = batch_size == shown
    return train_past_the_lowest(model, data, lambda m, d: measures(m, d, full))


SETTINGS = {
    "Diabetes": (DIABETES_BATCH_SIZES, DIABETES_BATCH_SIZES[-1], diabetes(0)),
    "Digits": (DIGITS_BATCH_SIZES, DIGITS_BATCH_SIZES[0], digits(0)),
}
runs = {
    name: {size: [run(name, seed, size) for seed in SEEDS] for size in sizes}
    for name, (sizes, _, _) in SETTINGS.items()
}


# %%
# Each lesson, seed by seed
# -------------------------
# How the updates to the lowest point grow with the batch size, per seed, on log
# scales: updates = c * (batch size) ** exponent. Exponent 0: the number of
# updates carries over unchanged; -1: the number of epochs does.
def lessons_of(name):
    """What every lesson needs from the runs of one data set, seed by seed."""
    sizes, shown, data = SETTINGS[name]
    epochs = np.array(
        [[best_epoch(r["val_loss"]) for r in runs[name][size]] for size in sizes]
    ).T
    updates = epochs * [math.ceil(len(data.X_train) / size) for size in sizes]
    exponents = [np.polyfit(np.log(sizes), np.log(row), 1)[0] for row in updates]
    # The runs at the pages' batch size, from their best epoch to their last.
    after = [
        {k: v[best_epoch(r["val_loss"]) - 1 :] for k, v in r.items()}
        for r in runs[name][shown]
    ]
    return {
        "best_epochs": epochs,
        "best_updates": updates,
        "shown_best_epochs": epochs[:, sizes.index(shown)].tolist(),
        "ended_by_the_rule": [
            len(r["val_loss"]) < MAX_EPOCHS for r in runs[name][shown]
        ],
        "val_trend": [trend(a["val_loss"]) for a in after],
        "train_trend": [trend(a["train_loss"]) for a in after],
        "val_rise": [a["val_loss"][-1] / a["val_loss"][0] - 1 for a in after],
        "test_change": [a["test_loss"][-1] / a["test_loss"][0] - 1 for a in after],
        "exponents": exponents,
        "exponent": np.mean(exponents),
        "exponent_error": np.std(exponents, ddof=1) / np.sqrt(len(exponents)),
        # What a reader of the predictions sees, from the lowest validation loss
        # to the last epoch: the mean absolute error (diabetes, in the target's
        # units) or the share of images classified wrongly (digits).
        "error_change": [a["val_error"][-1] - a["val_error"][0] for a in after],
    }


lessons = {name: lessons_of(name) for name in SETTINGS}


def by_seed(per_seed):
    """'holds' in every seed, 'differs' in none, 'mixed' otherwise; and the count."""
    count, total = int(np.sum(per_seed)), len(per_seed)
    word = "holds" if count == total else "differs" if count == 0 else "mixed"
    return word, f"{count} of {total} seeds"


def overfits(f, name):
    per_seed = [
        ended and up > 0.5 and down < -0.5
        for ended, up, down in zip(
            f["ended_by_the_rule"], f["val_trend"], f["train_trend"], strict=True
        )
    ]
    rise = f"median rise {100 * np.median(f['val_rise']):.0f} % by the last epoch"
    return *by_seed(per_seed), rise


def rises_on_the_test_set(f, name):
    change = f"median change {100 * np.median(f['test_change']):+.0f} %"
    return *by_seed([c > 0 for c in f["test_change"]]), change


def hundreds(f, name):
    epochs = f"median {np.median(f['shown_best_epochs']):.0f} epochs"
    return *by_seed([e >= 100 for e in f["shown_best_epochs"]]), epochs


def same_updates(f, name):
    """Holds if the exponent is within two standard errors of 0 and more than two
    above -0.5 (halfway to epochs carrying over); differs if it is more than two
    away from 0."""
    mean, error = f["exponent"], f["exponent_error"]
    if abs(mean) > 2 * error:
        word = "differs"
    else:
        word = "holds" if mean - 2 * error > -0.5 else "unclear"
    seeds = len(f["exponents"])
    return word, f"{seeds} seeds", f"exponent {mean:+.2f} ± {error:.2f}"


def worse_predictions(f, name):
    change = np.median(f["error_change"])
    size = (
        f"median change of the mean absolute error {change:+.1f}"
        if name == "Diabetes"
        else f"median change of the accuracy {-100 * change:+.1f} points"
    )
    return *by_seed([c > 0 for c in f["error_change"]]), size


ROWS = {
    "After its lowest point, the validation loss rises while the training loss "
    "keeps falling": overfits,
    "The test loss, which chose nothing, rises over the same epochs": (
        rises_on_the_test_set
    ),
    "The lowest validation loss takes hundreds of epochs": hundreds,
    "At one learning rate, the number of updates to the lowest point is the same "
    "for every batch size": same_updates,
    "As the validation loss rises, the predictions get worse": worse_predictions,
}
# The numbers the tests check: one row per data set, diabetes first.
best_epochs, best_updates, ended_by_the_rule, val_trend, train_trend, test_change = (
    np.array([lessons[name][key] for name in SETTINGS])
    for key in (
        "best_epochs",
        "best_updates",
        "ended_by_the_rule",
        "val_trend",
        "train_trend",
        "test_change",
    )
)
shown_best_epochs, exponents, exponent, exponent_error, error_change = (
    np.array([lessons[name][key] for name in SETTINGS])
    for key in (
        "shown_best_epochs",
        "exponents",
        "exponent",
        "exponent_error",
        "error_change",
    )
)
table = {
    (lesson, name): check(lessons[name], name)
    for lesson, check in ROWS.items()
    for name in SETTINGS
}

# %%
# Print the runs at each batch size, then the lessons side by side
# ----------------------------------------------------------------
print("Medians over the five seeds, their range in brackets.\n")
for name, (sizes, _, data) in SETTINGS.items():
    found, num_train = lessons[name], len(data.X_train)
    print(f"{name}, {num_train:,} training examples:\n")
    print("| Batch size | Updates per epoch | Best epoch | Updates to it |")
    print("|---:|---:|---:|---:|")
    for i, size in enumerate(sizes):
        epochs, updates = found["best_epochs"][:, i], found["best_updates"][:, i]
        print(
            f"| {size} | {math.ceil(num_train / size)} "
            f"| {np.median(epochs):,.0f} ({epochs.min():,} to {epochs.max():,}) "
            f"| {np.median(updates):,.0f} ({updates.min():,} to {updates.max():,}) |"
        )
    print(
        f"\n- Updates to the lowest point grow as the batch size to the power "
        f"{found['exponent']:+.2f} ± {found['exponent_error']:.2f} (the mean over "
        f"the seeds ± its standard error); epochs, to that power + 1.\n"
    )
print("| Lesson | " + " | ".join(SETTINGS) + " |")
print("|---|" + "---|" * len(SETTINGS))
for lesson in ROWS:
    cells = [
        f"**{word}** ({count}; {size})"
        for word, count, size in (table[lesson, name] for name in SETTINGS)
    ]
    print(f"| {lesson} | " + " | ".join(cells) + " |")
