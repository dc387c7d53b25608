"""The validation accuracy that choosing on the loss leaves on the table.

The first example's network, data and first seed, trained past its lowest
validation loss by the same rule. The accuracy at the epoch of the lowest
validation loss is set beside the highest accuracy of the run (its first epoch):
the difference is what choosing on the loss gives up, if the class is what counts.
"""

import numpy as np
from _helpers import best_epoch, digits, losses_per_example, train_past_the_lowest
from sklearn.neural_network import MLPClassifier

SEED = 0  # the first example's first seed: the split, initial weights, batch order
BATCH_SIZE = 32
LEARNING_RATE = 0.005


def measures(model, data):
    """The validation loss (cross-entropy) and accuracy."""
    return {
        "val_loss": losses_per_example(model, data.X_val, data.y_val).mean(),
        "val_accuracy": float((model.predict(data.X_val) == data.y_val).mean()),
    }


model = MLPClassifier(
    hidden_layer_sizes=(128,),
    batch_size=BATCH_SIZE,
    learning_rate_init=LEARNING_RATE,
    random_state=np.random.RandomState(SEED),
)
curves = train_past_the_lowest(model, digits(SEED), measures)
loss_epoch = best_epoch(curves["val_loss"])
accuracy_epoch = int(np.argmax(curves["val_accuracy"])) + 1
accuracies = [
    float(curves["val_accuracy"][e - 1]) for e in (loss_epoch, accuracy_epoch)
]
left_on_the_table = accuracies[1] - accuracies[0]
print(f"- Lowest validation loss: epoch {loss_epoch}, accuracy {accuracies[0]:.1%}")
print(
    f"- Highest validation accuracy: epoch {accuracy_epoch}, "
    f"accuracy {accuracies[1]:.1%}"
)
print(f"- Left on the table: {100 * left_on_the_table:.1f} percentage points")
