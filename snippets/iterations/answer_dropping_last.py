"""What dropping the last partial batch costs a run of 100 epochs.

The Diabetes training split, 353 patients in batches of 32: a loop that keeps the
last batch makes ⌈N / B⌉ updates per epoch, one that drops it ⌊N / B⌋, and leaves
N mod B patients out of every epoch.
"""

# %%
# Updates and unused examples, keeping and dropping the last batch
# ----------------------------------------------------------------
import math

NUM_EXAMPLES = 353
BATCH_SIZE = 32
NUM_EPOCHS = 100

updates_keeping = NUM_EPOCHS * math.ceil(NUM_EXAMPLES / BATCH_SIZE)
updates_dropping = NUM_EPOCHS * (NUM_EXAMPLES // BATCH_SIZE)
unused_per_epoch = NUM_EXAMPLES % BATCH_SIZE
print(f"- Keeping the last batch: {updates_keeping:,} updates in {NUM_EPOCHS} epochs.")
print(
    f"- Dropping it: {updates_dropping:,} updates, "
    f"{updates_keeping - updates_dropping} fewer; each epoch leaves "
    f"{unused_per_epoch} patient out, {unused_per_epoch * NUM_EPOCHS} uses of a "
    "patient in the whole run."
)
