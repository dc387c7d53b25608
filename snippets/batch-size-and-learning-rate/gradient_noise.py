"""How noisy a mini-batch gradient is, measured against the batch size.

At fixed weights, the gradient of a batch of B examples drawn without replacement
is an estimate of the full-batch gradient G. Its mean squared error is the
per-example gradients' variance, tr(Σ), divided by B and multiplied by the
finite-population correction (N - B) / (N - 1): it falls like 1 / B while B is
small against N, and reaches 0 at the full batch. The example draws many batches
of each size and compares. The simple noise scale, B_simple = tr(Σ) / |G|², is the
batch size whose noise equals the gradient's own squared length; it grows as
training brings the gradient down.
"""

# %%
# The problem, and two points along the way down
# ----------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from _helpers import example_gradients, load_problem, loss

BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 353]
NUM_DRAWS = 2000  # batches drawn at each size, from each seed
SEEDS = [0, 1, 2, 3, 4]  # the draws
TARGET = 1.05  # the target loss, as a multiple of the bottom (least squares)
FULL_BATCH_RATE = 0.1

problem = load_problem()
X_train, A, y_train = problem.X_train, problem.A, problem.y_train
N = len(A)
target_loss = TARGET * problem.bottom

# The weights at the start (all zero), and where full-batch gradient descent first
# reaches the target loss.
start = np.zeros(A.shape[1])
near = start.copy()
while loss(problem, near) > target_loss:
    near -= FULL_BATCH_RATE * example_gradients(problem, near).mean(axis=0)


# %%
# Draw batches, and measure their gradients' error
# -------------------------------------------------
def measured_noise(weights, seed):
    """The mean squared distance from the full-batch gradient of the gradients of
    NUM_DRAWS batches of each size, each batch drawn without replacement (the first
    B examples of a random order)."""
    gradients = example_gradients(problem, weights)
    full = gradients.mean(axis=0)
    rng = np.random.default_rng(seed)
    orders = np.argsort(rng.random((NUM_DRAWS, N)), axis=1)
    sums = np.cumsum(gradients[orders], axis=1)  # the sum of the first B, for every B
    sizes = np.array(BATCH_SIZES)
    batch_means = sums[:, sizes - 1] / sizes[:, None]
    return np.mean(np.sum((batch_means - full) ** 2, axis=2), axis=0)


def noise_measures(weights):
    """tr(Σ) (the per-example gradients' variance, summed over the weights), the
    squared length of the full gradient, and B_simple."""
    gradients = example_gradients(problem, weights)
    full = gradients.mean(axis=0)
    variance = float(np.mean(np.sum((gradients - full) ** 2, axis=1)))
    return variance, float(full @ full), variance / float(full @ full)


sizes = np.array(BATCH_SIZES)
correction = (N - sizes) / (N - 1)  # the finite-population correction
points = {"at the start": start, "at the target loss": near}
measured, predicted, without_correction, scales = {}, {}, {}, {}
for name, weights in points.items():
    variance, _, scales[name] = noise_measures(weights)
    measured[name] = np.array([measured_noise(weights, seed) for seed in SEEDS])
    predicted[name] = variance / sizes * correction
    without_correction[name] = variance / sizes

# Measured over predicted, by seed and batch size (the full batch left out: 0 / 0).
ratio_at_start, ratio_at_target = (
    measured[name][:, :-1] / predicted[name][:-1] for name in points
)
largest_full_batch_noise = max(float(m[:, -1].max()) for m in measured.values())
scale_at_start, scale_at_target = scales.values()
# The plain 1 / B, without the correction, over the measurement, at B = 256.
at_256 = BATCH_SIZES.index(256)
overstated = float(
    np.min(
        without_correction["at the target loss"][at_256]
        / measured["at the target loss"][:, at_256]
    )
)

print("| Batch size | Measured ÷ predicted, at the start | at the target loss |")
print("|---:|---:|---:|")
for i, B in enumerate(BATCH_SIZES[:-1]):
    cells = [
        f"{r[:, i].min():.2f} to {r[:, i].max():.2f}"
        for r in (ratio_at_start, ratio_at_target)
    ]
    print(f"| {B} | {' | '.join(cells)} |")
print(f"| {N} (all) | 0 predicted, 0 measured (to rounding) | the same |")
print(
    f"\nOver {len(SEEDS)} seeds of {NUM_DRAWS:,} batches each. At B = 256, 1 / B alone "
    f"overstates the noise {overstated:.1f} times. The simple noise scale B_simple "
    f"is {scale_at_start:,.0f} at the start and {scale_at_target:,.0f} where "
    f"full-batch descent first reaches the target loss ({TARGET:.2f} times the "
    "bottom)."
)

# %%
# Plot the noise against the batch size
# -------------------------------------
fig, ax = plt.subplots(figsize=(5, 3.6), layout="constrained")
shown = sizes[:-1]
for name in points:
    mean = measured[name].mean(axis=0)[:-1]
    (line,) = ax.plot(shown, predicted[name][:-1], label=f"Predicted, {name}")
    ax.plot(shown, mean, "o", color=line.get_color(), label=f"Measured, {name}")
    ax.plot(shown, without_correction[name][:-1], ":", color=line.get_color())
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("Batch size")
ax.set_ylabel("Mean squared error of the gradient")
ax.set_title("A batch's gradient error falls like 1 / B, then to 0")
ax.grid(True)
ax.legend()
plt.show()
