"""Updates per epoch of the digits network at its two batch sizes.

The digits training set of the first seed's split, in batches of 32 (the first
example's) and of 128 (the second batch size of the last example): an epoch is
⌈N / B⌉ updates, so four times the batch makes about a quarter of the updates.
"""

import math

from _helpers import digits

SEED = 0  # the split of the first seed; every seed's training set is as large
BATCH_SIZES = [32, 128]

num_train = len(digits(SEED).X_train)
updates_per_epoch = [math.ceil(num_train / size) for size in BATCH_SIZES]
for size, updates in zip(BATCH_SIZES, updates_per_epoch, strict=True):
    print(f"- {num_train:,} training images in batches of {size}: {updates} updates")
