"""The claims of the page docs/learning-rate-schedules.md.

Every example runs ten seeds (orders of the examples), the same ten for every
schedule, so claims are checked seed by seed or on a paired statistic; claims of
the schedules example are checked at every length the page's control shows.
"""

import pytest

FOLDER = "snippets/learning-rate-schedules"
SCHEDULES = f"{FOLDER}/schedules.py"
FLOOR = f"{FOLDER}/noise_floor.py"
AVERAGING = f"{FOLDER}/averaging.py"
WARMUP_ANSWER = f"{FOLDER}/answer_longer_warmup.py"
CONSTANT, STEP, COSINE, WARMUP = range(4)  # the rows of the schedules example
FALLING = [STEP, COSINE, WARMUP]


def arrays(values):
    """A run's values, lists of numbers as NumPy arrays."""
    import numpy as np

    return {
        name: np.asarray(value) if isinstance(value, list) else value
        for name, value in values.items()
    }


def every_length(runs, variant_runs):
    """The values of the schedules example at each length, shortest first."""
    found = [runs[SCHEDULES].values] + [
        run.values for _, run in variant_runs.get(SCHEDULES, [])
    ]
    return [arrays(v) for v in sorted(found, key=lambda v: v["NUM_EPOCHS"])]


def test_the_page_shows_three_lengths_and_ten_paired_seeds(runs, variant_runs):
    found = every_length(runs, variant_runs)
    assert [values["NUM_EPOCHS"] for values in found] == [10, 20, 40]
    for values in found:
        assert list(values["SEEDS"]) == list(range(10))
        assert values["val_loss"].shape == (4, 10, values["NUM_EPOCHS"])
    markdown = runs[SCHEDULES].markdown
    for name in ("Constant", "Step", "Cosine", "Warm-up, cosine"):
        assert f"| {name} |" in markdown


@pytest.mark.claim
def test_the_schedules_are_what_the_page_says(runs):
    """As the list says; every schedule but the constant ends below a hundredth of
    its highest rate."""
    import numpy as np

    values = arrays(runs[SCHEDULES].values)
    rate = values["LEARNING_RATE"]
    constant, step, cosine, warmup = values["rates_per_epoch"]
    assert (constant == rate).all()
    assert np.allclose(np.unique(step), [rate / 100, rate / 10, rate])
    assert step[19] == rate and np.isclose(step[20], rate / 10)
    assert np.isclose(step[30], rate / 100) and np.isclose(step[29], rate / 10)
    assert cosine[0] == rate and (np.diff(cosine) < 0).all() and cosine[-1] < rate / 100
    assert np.allclose(warmup[:5], rate * np.arange(1, 6) / 5)
    assert (np.diff(warmup[5:]) < 0).all() and warmup[-1] < rate / 100


@pytest.mark.claim
def test_the_lowest_validation_loss_does_not_move_to_the_end_here(runs):
    """In the 40-epoch runs: with every falling schedule the lowest validation loss
    is in the last quarter in at most 3 of 10 seeds; the falling schedules' median
    best epoch is at most twice the constant rate's; the cosine's best epoch is
    the constant rate's own in at least 3 seeds."""
    import numpy as np

    values = arrays(runs[SCHEDULES].values)
    assert values["NUM_EPOCHS"] == 40
    best = values["best_epochs"]
    for row in FALLING:
        assert values["seeds_best_in_last_quarter"][row] <= 3, row
        assert np.median(best[row]) <= 2 * np.median(best[CONSTANT]), row
    assert values["same_best_epoch"] >= 3


@pytest.mark.claim
def test_falling_schedules_meet_the_constant_rates_lucky_epochs(runs):
    """In the 40-epoch runs, in the seeds (more than half) whose lowest validation
    loss at the constant rate fell in the first 20 epochs: at that epoch, every
    falling schedule's validation loss within 5 % of the constant rate's, and
    among its own three lowest; as printed."""
    import numpy as np

    values = arrays(runs[SCHEDULES].values)
    assert values["NUM_EPOCHS"] == 40
    val, best = values["val_loss"], values["best_epochs"][CONSTANT]
    early = np.flatnonzero(best <= 20)
    assert len(early) > len(best) / 2
    at = val[:, early, best[early] - 1]  # [schedule, early seed]
    gap = at[FALLING] / at[CONSTANT] - 1
    rank = (val[FALLING][:, early] < at[FALLING][..., None]).sum(axis=2) + 1
    assert (abs(gap) < 0.05).all(), gap
    assert (rank <= 3).all(), rank
    assert f"In the {len(early)} seeds" in runs[SCHEDULES].markdown
    assert f"within {abs(gap).max():.1%}" in runs[SCHEDULES].markdown


@pytest.mark.claim
def test_decay_brings_the_last_epoch_close_to_the_lowest(runs, variant_runs):
    """Every falling schedule, every length, every seed: the last epoch within a
    tenth of the run's lowest validation loss. At 20 and 40 epochs the constant
    rate's median is above 15 %, and the cosine is closer in every seed."""
    for values in every_length(runs, variant_runs):
        above = values["last_over_lowest"]
        assert (above[FALLING] < 0.10).all(), values["NUM_EPOCHS"]
        if values["NUM_EPOCHS"] >= 20:
            assert values["constant_last_over_lowest"] > 15  # percent
            assert (above[COSINE] < above[CONSTANT]).all()


@pytest.mark.claim
def test_on_the_test_set_the_cosines_last_epoch_beats_the_constant_rates_choice(
    runs, variant_runs
):
    """Paired by seed, at every length: a positive mean difference with a paired
    t above 2."""
    import numpy as np

    for values in every_length(runs, variant_runs):
        paired = values["test_at_best"][CONSTANT] - values["test_at_last"][COSINE]
        assert np.allclose(paired, values["paired"])
        assert paired.mean() > 0 and values["paired_t"] > 2, values["NUM_EPOCHS"]


@pytest.mark.claim
def test_the_cosines_last_epoch_is_about_as_good_at_every_length(runs, variant_runs):
    """The median test loss of the cosine's last epoch within 2 % across the three
    lengths."""
    found = [v["cosine_test_at_last"] for v in every_length(runs, variant_runs)]
    assert max(found) / min(found) < 1.02


@pytest.mark.claim
def test_the_constant_rate_floor_is_above_least_squares_and_the_cosine_reaches_it(
    runs,
):
    """Every seed: the constant rate's last 10 epochs above least squares by more
    than 5 % in training loss and above it in validation loss; the cosine's last
    epoch within 1 % of least squares' training loss."""
    values = arrays(runs[FLOOR].values)
    const, cosine = values["CONSTANT"], values["COSINE"]
    assert (values["floor_train"][const] > 1.05 * values["bottom_train"]).all()
    assert (values["floor_val"][const] > values["bottom_val"]).all()
    ratio = values["last_train"][cosine] / values["bottom_train"]
    assert ((ratio > 0.99) & (ratio < 1.01)).all()


@pytest.mark.claim
def test_decay_goes_below_the_floor_on_the_validation_set_too(runs):
    values = arrays(runs[FLOOR].values)
    gain = values["val_gain"]
    assert len(gain) == 10 and (gain > 0).all()


@pytest.mark.claim
def test_averaging_the_last_epochs_beats_the_last_epoch_at_a_constant_rate(runs):
    """Every seed, on the validation set and on the test set."""
    values = arrays(runs[AVERAGING].values)
    assert values["LAST_K"] == 10 and values["NUM_EPOCHS"] == 40
    assert (values["gain"][0] > 0).all()


@pytest.mark.claim
def test_averaging_changes_little_after_a_cosine(runs):
    """Within 1 % of the last epoch in every seed and set; better in at least one
    seed and worse in at least one."""
    values = arrays(runs[AVERAGING].values)
    ratio = values["averaged"][1] / values["last"][1]
    assert ((ratio > 0.99) & (ratio < 1.01)).all()
    assert (values["gain"][1] > 0).any() and (values["gain"][1] < 0).any()


@pytest.mark.claim
def test_averaging_does_much_of_what_decay_does(runs):
    """Paired by seed, on validation and on test: the share of the way from the
    constant rate's last epoch to the cosine's that the constant rate's average
    covers is above 80 % in 8 or 9 of the 10 seeds, and above 90 % in the median
    seed; as printed."""
    import numpy as np

    values = arrays(runs[AVERAGING].values)
    last, averaged = values["last"], values["averaged"]
    constant, cosine = 0, 1
    closed = (last[constant] - averaged[constant]) / (last[constant] - last[cosine])
    assert np.allclose(closed, values["closed"]) and values["SHARE"] == 0.8
    past = (closed > 0.8).sum(axis=0)
    assert ((past >= 8) & (past <= 9)).all(), past
    assert (np.median(closed, axis=0) > 0.9).all(), np.median(closed, axis=0)
    for share, count in zip(np.median(closed, axis=0), past, strict=True):
        assert f"median {share:.0%}" in runs[AVERAGING].markdown
        assert f"more than 80% in {count} of 10 seeds" in runs[AVERAGING].markdown


@pytest.mark.claim
def test_sklearn_has_no_cosine_schedule():
    """The parameter's allowed values are the three the page names; another value
    is refused when scikit-learn checks its parameters."""
    import numpy as np
    import sklearn
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.utils._param_validation import InvalidParameterError

    for estimator in (MLPRegressor, MLPClassifier):
        (allowed,) = estimator._parameter_constraints["learning_rate"]
        assert allowed.options == {"constant", "invscaling", "adaptive"}
    with (
        sklearn.config_context(skip_parameter_validation=False),
        pytest.raises(InvalidParameterError),
    ):
        MLPRegressor(solver="sgd", learning_rate="cosine", max_iter=1).fit(
            np.zeros((4, 1)), np.zeros(4)
        )


@pytest.mark.claim
def test_answer_a_tenth_of_the_rate_lowers_the_floor_towards_the_cosines_end(runs):
    """Every seed: the floor at 0.005 below the floor at 0.05; the median at 0.005
    within 2 % of the cosine's and not below it."""
    import numpy as np

    values = arrays(runs[f"{FOLDER}/answer_a_tenth_of_the_rate.py"].values)
    floor = values["floor_val"]
    assert (floor[1] < floor[0]).all()
    low, cosine = np.median(floor[1]), np.median(values["last_val"][2])
    assert cosine <= low < 1.02 * cosine


@pytest.mark.claim
def test_answer_averaging_twenty_epochs_beats_ten_in_most_seeds(runs):
    values = arrays(runs[f"{FOLDER}/answer_average_twenty.py"].values)
    better = values["averaged_val"][1] < values["averaged_val"][0]
    assert better.sum() == values["twenty_better"] and better.sum() > len(better) / 2


@pytest.mark.claim
def test_answer_a_longer_warmup_still_settles(runs):
    """Both warm-ups: every seed within a tenth of its lowest; medians within 2
    percentage points of each other. Paired by seed against the cosine without a
    warm-up: for both, the 95 % t interval of the difference in the last epoch's
    test loss (percent of no warm-up's) inside -1 % to +1 %; as printed."""
    import numpy as np
    from scipy import stats

    values = arrays(runs[WARMUP_ANSWER].values)
    above = values["last_over_lowest"]
    assert list(values["WARMUPS"]) == [0, 5, 20]
    assert (above[1:] < 0.10).all()
    assert abs(np.median(above[1]) - np.median(above[2])) < 0.02

    test = values["last_test"]
    difference = 100 * (test[1:] / test[0] - 1)
    mean, sd, n = difference.mean(1), difference.std(1, ddof=1), test.shape[1]
    half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
    low, high = mean - half, mean + half
    assert np.allclose(low, values["low"]) and np.allclose(high, values["high"])
    assert ((low > -1) & (high < 1)).all(), (low, high)
    for a, b in zip(low, high, strict=True):
        assert f"interval {a:+.2f} % to {b:+.2f} %" in runs[WARMUP_ANSWER].markdown
