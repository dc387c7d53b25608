"""The digits network at half its learning rate: a later lowest point.

The first example's network, data and first seed, at a learning rate of 0.0025
instead of 0.005, trained past its lowest validation loss by the same rule. Each
update moves the weights about half as far, so the lowest validation loss comes
after more epochs.
"""

import numpy as np
from _helpers import best_epoch, digits, losses_per_example, train_past_the_lowest
from sklearn.neural_network import MLPClassifier

SEED = 0  # the first example's first seed: the split, initial weights, batch order
BATCH_SIZE = 32
LEARNING_RATES = [0.005, 0.0025]


def measures(model, data):
    """The validation loss (cross-entropy)."""
    return {"val_loss": losses_per_example(model, data.X_val, data.y_val).mean()}


best_epochs = []
for rate in LEARNING_RATES:
    model = MLPClassifier(
        hidden_layer_sizes=(128,),
        batch_size=BATCH_SIZE,
        learning_rate_init=rate,
        random_state=np.random.RandomState(SEED),
    )
    best_epochs.append(
        best_epoch(train_past_the_lowest(model, digits(SEED), measures)["val_loss"])
    )
    print(
        f"- Learning rate {rate}: lowest validation loss after epoch {best_epochs[-1]}"
    )
