"""One training run as a timeline: epochs made of iterations over batches.

A very small model, a straight line `y = w * x + b`, learns from 10 examples by
mini-batch gradient descent. Each epoch shuffles the examples and cuts them into
batches of 4; every batch gives one update of `w` and `b`: one iteration. Ten
examples make two full batches and a last, smaller one, so an epoch takes 3
iterations. The loop writes down what every iteration did.
"""

# %%
# A small training set
# --------------------
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

NUM_EXAMPLES = 10
BATCH_SIZE = 4
NUM_EPOCHS = 3
LEARNING_RATE = 0.2

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, NUM_EXAMPLES)
y = 2 * X + 1 + rng.normal(0, 0.1, NUM_EXAMPLES)

# %%
# Train, one batch per iteration, one shuffled pass over the data per epoch
# -------------------------------------------------------------------------
w, b = 0.0, 0.0
iteration = 0
epoch_of_iteration = []  # the epoch each iteration belongs to
batch_sizes = []  # the number of examples each iteration used
loss = []  # mean squared error on the whole training set after each iteration
uses = []  # one row per example used: iteration, epoch, example
for epoch in range(1, NUM_EPOCHS + 1):
    order = rng.permutation(NUM_EXAMPLES)  # a new order every epoch
    for start in range(0, NUM_EXAMPLES, BATCH_SIZE):
        batch = order[start : start + BATCH_SIZE]  # the last one may be smaller
        X_batch, y_batch = X[batch], y[batch]
        error = w * X_batch + b - y_batch
        w -= LEARNING_RATE * 2 * np.mean(error * X_batch)
        b -= LEARNING_RATE * 2 * np.mean(error)
        iteration += 1
        epoch_of_iteration.append(epoch)
        batch_sizes.append(len(batch))
        loss.append(np.mean((w * X + b - y) ** 2))
        uses.extend((iteration, epoch, example) for example in batch)
uses = np.array(uses)

# %%
# Count
# -----
iterations_per_epoch = epoch_of_iteration.count(1)
num_iterations = len(epoch_of_iteration)
first_batches = ", ".join(str(size) for size in batch_sizes[:iterations_per_epoch])
print(f"- Training examples: {NUM_EXAMPLES}; batch size: {BATCH_SIZE}")
print(
    f"- Iterations per epoch: {iterations_per_epoch} = ⌈{NUM_EXAMPLES} / {BATCH_SIZE}⌉,"
    f" with batches of {first_batches} examples"
)
print(f"- Epochs: {NUM_EPOCHS}")
print(f"- Iterations in the whole run: {num_iterations}")

# %%
# Draw the run as a timeline
# --------------------------
iterations = np.arange(1, num_iterations + 1)
epochs = np.array(epoch_of_iteration)
fig, (top, bottom) = plt.subplots(
    2, 1, sharex=True, figsize=(5, 4.2), layout="constrained"
)
for epoch in range(1, NUM_EPOCHS + 1):
    used = uses[:, 1] == epoch
    top.scatter(uses[used, 0], uses[used, 2])
    bottom.plot(
        iterations[epochs == epoch],
        np.array(loss)[epochs == epoch],
        "o-",
        label=f"Epoch {epoch}",
    )
for last_iteration in iterations[np.diff(epochs, append=0) == 1]:
    for ax in (top, bottom):
        ax.axvline(last_iteration + 0.5, linestyle="--", color="black")
top.set_ylabel("Example (row of X)")
top.set_yticks(range(NUM_EXAMPLES))
top.set_title("The examples each iteration used")
bottom.set_xlabel("Iteration")
bottom.set_ylabel("Training loss (MSE)")
bottom.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole iterations only
bottom.set_title("The training loss after each iteration")
bottom.legend()
iterations_word = "iteration" if iterations_per_epoch == 1 else "iterations"
fig.suptitle(
    f"One training run: {NUM_EPOCHS} epochs of {iterations_per_epoch} {iterations_word}"
)
plt.show()
