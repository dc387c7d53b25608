"""Which batch sizes make an epoch over 353 examples take exactly 3 iterations?

An epoch keeping the last partial batch takes ⌈N / B⌉ iterations, so it takes 3
for every B with 2 < N / B ≤ 3: from ⌈N / 3⌉ up to the largest B below N / 2.
"""

# %%
# The batch sizes whose epoch is 3 iterations
# -------------------------------------------
import math

NUM_EXAMPLES = 353
ITERATIONS = 3

batch_sizes = [
    size
    for size in range(1, NUM_EXAMPLES + 1)
    if math.ceil(NUM_EXAMPLES / size) == ITERATIONS
]
smallest, largest = min(batch_sizes), max(batch_sizes)
last_batches = [NUM_EXAMPLES - (ITERATIONS - 1) * size for size in (smallest, largest)]
print(
    f"- Batch sizes from {smallest} to {largest} make {ITERATIONS} iterations per "
    f"epoch over {NUM_EXAMPLES} examples ({len(batch_sizes)} sizes)."
)
print(
    f"- Their last batch holds from {last_batches[0]} examples (B = {smallest}) "
    f"down to {last_batches[1]} (B = {largest})."
)
