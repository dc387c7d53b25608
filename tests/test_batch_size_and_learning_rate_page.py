"""The claims of the page docs/batch-size-and-learning-rate.md, on its runs."""

import math

import pytest

FOLDER = "snippets/batch-size-and-learning-rate"
NOISE = f"{FOLDER}/gradient_noise.py"
TARGET = f"{FOLDER}/updates_to_target.py"
RULES = f"{FOLDER}/scaling_rules.py"


@pytest.fixture(scope="module")
def noise(runs):
    return runs[NOISE].values


@pytest.fixture(scope="module")
def sweep(runs):
    import numpy as np

    values = dict(runs[TARGET].values)
    values["table"] = np.array(values["mean_updates_table"], dtype=float)
    values["per_seed"] = np.array(values["seed_updates"], dtype=float)
    return values


@pytest.fixture(scope="module")
def rules(runs, variant_runs):
    """The scaling rules at every batch size the control shows, by batch size."""
    results = [runs[RULES]] + [r for _, r in variant_runs[RULES]]
    found = {r.values["BATCH_SIZE"]: r.values for r in results}
    assert sorted(found) == [4, 16, 64, 353]
    return found


def by_size(sweep, size):
    return sweep["BATCH_SIZES"].index(size)


@pytest.mark.claim
def test_the_noise_falls_like_one_over_b_times_the_correction(noise):
    """Measured over predicted within 10 % for every seed, batch size and point,
    and within 4 % on average over the seeds; the full batch's measured noise is
    rounding error. Batches drawn with replacement would miss by 3.6 times at 256."""
    import numpy as np

    assert len(noise["SEEDS"]) >= 5
    assert noise["BATCH_SIZES"][0] == 1 and noise["BATCH_SIZES"][-1] == noise["N"]
    for ratio in (noise["ratio_at_start"], noise["ratio_at_target"]):
        ratio = np.array(ratio)
        assert ratio.shape == (len(noise["SEEDS"]), len(noise["BATCH_SIZES"]) - 1)
        assert (np.abs(ratio - 1) < 0.1).all()
        assert (np.abs(ratio.mean(axis=0) - 1) < 0.04).all()
    assert noise["largest_full_batch_noise"] < 1e-12


@pytest.mark.claim
def test_without_the_correction_large_batches_look_far_noisier(runs, noise):
    assert noise["overstated"] > 3
    assert (
        f"overstates the noise {noise['overstated']:.1f} times" in runs[NOISE].markdown
    )


@pytest.mark.claim
def test_the_noise_scale_grows_as_the_loss_falls(noise):
    """Many times larger at the target than at the start: ten times at least."""
    assert noise["scale_at_target"] > 10 * noise["scale_at_start"]


@pytest.mark.claim
def test_every_best_rate_is_inside_its_grid(sweep):
    """Not at either end of the grid, with more updates on average at the rates on
    either side, and every seed reaching the target at it."""
    import numpy as np

    table, grid = sweep["table"], sweep["LEARNING_RATES"]
    assert len(sweep["SEEDS"]) >= 5
    for row, best, size in zip(
        table, sweep["best_index"], sweep["BATCH_SIZES"], strict=True
    ):
        assert 0 < best < len(grid) - 1, size
        assert row[best - 1] > row[best] < row[best + 1], size
        assert row[best] == row.min()
    assert np.isfinite(sweep["per_seed"]).all()


@pytest.mark.claim
def test_below_the_knee_twice_the_batch_takes_about_half_the_updates(sweep):
    """From 1 to 8, each doubling divides the mean of the updates over the five
    orders by 1.6 to 2.4, and takes fewer updates with every order; one order's
    count differs from another's by up to about two times (under 2.5)."""
    sizes, per_seed = sweep["BATCH_SIZES"], sweep["per_seed"]
    assert sizes[:4] == [1, 2, 4, 8]
    for i in range(3):
        mean = sweep["best_updates"][i] / sweep["best_updates"][i + 1]
        assert 1.6 < mean < 2.4, sizes[i]
        assert (per_seed[i] > per_seed[i + 1]).all(), sizes[i]
    spreads = [row.max() / row.min() for row in per_seed[:4]]
    assert 1.5 < max(spreads) < 2.5


@pytest.mark.claim
def test_below_the_knee_epochs_carry_over_not_updates(sweep):
    """From 1 to 8: the updates fall over four times; the examples seen change by
    under a third."""
    upto = by_size(sweep, 8) + 1
    updates, seen = sweep["best_updates"][:upto], sweep["examples_seen"][:upto]
    assert max(updates) / min(updates) > 4
    assert max(seen) / min(seen) < 4 / 3


@pytest.mark.claim
def test_beyond_the_knee_a_larger_batch_saves_few_updates(sweep):
    """From 64 to the full batch: under half the updates saved, over twice the
    examples seen."""
    at_64, full = by_size(sweep, 64), by_size(sweep, sweep["N"])
    assert sweep["BATCH_SIZES"][full] / 64 > 5
    assert sweep["best_updates"][at_64] < 2 * sweep["best_updates"][full]
    assert sweep["examples_seen"][full] > 2 * sweep["examples_seen"][at_64]
    for later in range(at_64, full):  # and fewer with each larger batch, or as many
        assert sweep["best_updates"][later + 1] <= sweep["best_updates"][later]


@pytest.mark.claim
def test_the_knee_lies_between_the_noise_scale_at_the_start_and_at_the_target(
    sweep, noise
):
    """Both pages' runs aim at the same target; the fitted critical batch size is
    over twice the noise scale at the start and under a third of it at the target."""
    assert noise["TARGET"] == sweep["TARGET"]
    critical = sweep["critical_batch"]
    assert 2 * noise["scale_at_start"] < critical < noise["scale_at_target"] / 3
    assert 1 < critical < sweep["N"]


@pytest.mark.claim
def test_the_best_rate_grows_then_stops_below_the_stable_rate(sweep):
    """Never falling with the batch; growing like B to a power between 0.55 and
    0.95 below the knee; the same from 64 on, below the largest stable rate, with the
    next rate of the grid above it diverging or slower."""
    rates = sweep["best_rates"]
    assert rates == sorted(rates) and rates[-1] > 10 * rates[0]
    assert 0.55 < sweep["rate_power"] < 0.95
    assert len(set(rates[by_size(sweep, 64) :])) == 1
    assert max(rates) < sweep["stable_rate"]
    grid = list(sweep["LEARNING_RATES"])
    assert grid[grid.index(max(rates)) + 1] > 0.9 * sweep["stable_rate"]


@pytest.mark.claim
def test_the_linear_rule_overshoots_and_diverges_above_the_stable_rate(rules):
    """At every batch size shown: the linear rule's rate above the retuned one, more
    updates where it converges; diverged, with and without warm-up, exactly where
    its rate is above the largest stable rate (from 64 on)."""
    for size, values in rules.items():
        assert values["linear_rate"] == pytest.approx(values["base_rate"] * size)
        assert values["linear_rate"] > values["retuned_rate"], size
        above = values["linear_rate"] > values["stable_rate"]
        assert above == (size >= 64)
        for name in ("linear", "linear_warmup"):
            assert values[f"{name}_diverged"] == above, (size, name)
            assert math.isinf(values[f"{name}_updates"]) == above, (size, name)
            if not above:
                assert values[f"{name}_updates"] > values["retuned_updates"], size
        assert not values["retuned_diverged"]


@pytest.mark.claim
def test_the_square_root_rule_is_slow_but_safe(rules):
    """Below the full batch: a smaller rate than the retuned one, more updates; at
    every batch size it reaches the target; at the full batch within a grid step
    (a factor of 10 ** (1 / 8)) of the best rate, and within one update of it."""
    for size, values in rules.items():
        rate, updates = values["square_root_rate"], values["square_root_updates"]
        assert rate == pytest.approx(values["base_rate"] * size**0.5)
        assert math.isfinite(updates) and not values["square_root_diverged"], size
        if size < 353:
            assert rate < values["retuned_rate"], size
            assert updates > values["retuned_updates"], size
        else:
            assert 10 ** (-1 / 8) < rate / values["retuned_rate"] < 10 ** (1 / 8)
            assert updates <= values["retuned_updates"] + 1


def test_the_rules_start_from_the_sweeps_rate_at_batch_size_1(rules, sweep):
    for values in rules.values():
        assert values["base_rate"] == pytest.approx(sweep["best_rates"][0])
        assert values["TARGET"] == sweep["TARGET"]
        at = by_size(sweep, values["BATCH_SIZE"])
        assert values["retuned_rate"] == pytest.approx(sweep["best_rates"][at])


def test_printed_tables(runs, sweep):
    printed = runs[TARGET].markdown
    for size, rate, updates in zip(
        sweep["BATCH_SIZES"], sweep["best_rates"], sweep["best_updates"], strict=True
    ):
        assert f"| {size} | {rate:.3f} | {updates:.1f} | " in printed
    assert f"critical batch size {sweep['critical_batch']:.0f}" in printed
    assert f"to the power {sweep['rate_power']:.2f}" in printed


@pytest.mark.claim
def test_answer_a_tighter_target_moves_the_knee_up(runs, sweep):
    """Exercise 1: at 1.02 times the bottom, on the same grid and seeds, every best
    rate inside the grid, more updates at every batch size, and a critical batch
    size at least 1.5 times the page's."""
    answer = runs[f"{FOLDER}/answer_a_tighter_target.py"].values
    assert answer["TARGET"] < sweep["TARGET"]
    assert answer["LEARNING_RATES"] == sweep["LEARNING_RATES"]
    assert answer["BATCH_SIZES"] == sweep["BATCH_SIZES"]
    assert answer["SEEDS"] == sweep["SEEDS"]
    grid = len(answer["LEARNING_RATES"])
    assert all(0 < best < grid - 1 for best in answer["best_index"])
    for tight, loose in zip(answer["best_updates"], sweep["best_updates"], strict=True):
        assert tight > loose
    assert answer["critical_batch"] > 1.5 * sweep["critical_batch"]


@pytest.mark.claim
def test_answer_with_replacement_the_full_batch_is_noisy(runs, noise):
    """Exercise 2: N draws with replacement have the noise tr(Σ) / N, to 10 %; the
    page's full batch, drawn without, has none."""
    answer = runs[f"{FOLDER}/answer_with_replacement.py"].values
    assert answer["N"] == noise["N"]
    assert 0.9 < answer["measured"] / answer["predicted"] < 1.1
    assert answer["predicted"] == pytest.approx(answer["variance"] / answer["N"])
    assert noise["largest_full_batch_noise"] < 1e-9 * answer["measured"]


@pytest.mark.claim
def test_answer_a_long_warm_up_reaches_the_target_then_diverges(runs, rules):
    """Exercise 3: with every seed, the target is reached before the rate passes
    the largest stable rate, and the run diverges after it; with the page's warm-up
    of 10 updates the same rate diverged without reaching it."""
    answer = runs[f"{FOLDER}/answer_warmup_does_not_rescue.py"].values
    page = rules[answer["BATCH_SIZE"]]
    assert answer["rate"] == pytest.approx(page["linear_rate"])
    assert answer["rate"] > answer["stable_rate"]
    assert answer["WARMUP_UPDATES"] > page["WARMUP_UPDATES"]
    assert page["linear_warmup_diverged"] and math.isinf(page["linear_warmup_updates"])
    assert answer["reached_every_seed"] and answer["all_diverged"]
    assert max(answer["reached_at"]) < answer["crossed_at"] < min(answer["diverged_at"])
