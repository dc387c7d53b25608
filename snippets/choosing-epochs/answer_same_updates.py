"""Epochs for the same number of updates on the larger training set.

After choosing, training again on training and validation together (353 patients
instead of 264) in batches of 32 makes 12 updates per epoch instead of 9. A network
chosen after 40 epochs on 264 patients made 40 · 9 updates; the same updates on 353
patients take 40 · 9 / 12 epochs, and the same 40 epochs make 40 · 12 updates.
"""

import math

BATCH_SIZE = 32
NUM_TRAIN, NUM_ALL = 264, 353
CHOSEN_EPOCH = 40

updates_per_epoch = math.ceil(NUM_TRAIN / BATCH_SIZE)
all_updates_per_epoch = math.ceil(NUM_ALL / BATCH_SIZE)
chosen_updates = CHOSEN_EPOCH * updates_per_epoch
epochs_for_same_updates = round(chosen_updates / all_updates_per_epoch)
same_epochs_updates = CHOSEN_EPOCH * all_updates_per_epoch
print(
    f"- Updates per epoch: {updates_per_epoch} on {NUM_TRAIN} patients, "
    f"{all_updates_per_epoch} on {NUM_ALL}"
)
print(
    f"- The same {chosen_updates} updates: {epochs_for_same_updates} epochs on "
    f"{NUM_ALL} patients"
)
print(
    f"- The same {CHOSEN_EPOCH} epochs: {same_epochs_updates} updates, "
    f"{same_epochs_updates - chosen_updates} more"
)
