"""The claims of the page docs/how-sure-is-the-best-epoch.md.

Each example runs many seeds at once (twenty, or fifty), so a claim is checked over
all of them, and the paired example's over every number of seeds its control
shows; none pins a number one seed happened to give.
"""

import pytest
from conftest import ROOT

FOLDER = "snippets/how-sure-is-the-best-epoch"
CHOICE = f"{FOLDER}/one_split_or_k_folds.py"
BOOTSTRAP = f"{FOLDER}/bootstrap_test_loss.py"
PAIRED = f"{FOLDER}/paired_seeds.py"
OPTIMISM = f"{FOLDER}/optimism.py"


def helpers():
    """The page's shared set-up module, imported as its examples import it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_helpers", ROOT / FOLDER / "_helpers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def every_run(runs, variant_runs, name):
    """The module-level values of the run a page shows and of each variant."""
    return [runs[name].values] + [result.values for _, result in variant_runs[name]]


# -- the setting --------------------------------------------------------------


@pytest.mark.claim
def test_the_four_folds_hold_out_every_development_patient_once():
    import numpy as np

    module = helpers()
    assert module.FOLDS == 4
    for seed in (0, 1):
        data = module.folds(seed)
        X_dev, X_test, y_dev, _ = module.development_and_test(seed)
        assert len(X_dev) == 352 and len(X_test) == 90
        assert data.X_train.shape == (4, 264, 10) and data.X_val.shape == (4, 88, 10)
        # The folds' validation targets, together, are the development targets,
        # and each fold trains on the rest.
        assert sorted(np.concatenate(data.y_val)) == sorted(y_dev)
        for fold in range(4):
            together = np.concatenate([data.y_train[fold], data.y_val[fold]])
            assert sorted(together) == sorted(y_dev)
        # The inputs are standardised on each fold's own training set.
        assert np.allclose(data.X_train.mean(axis=1), 0)
        assert np.allclose(data.X_train.std(axis=1), 1)


def test_the_stacked_networks_train_as_one_network_each():
    """Training a stack is training each network alone: nothing leaks between
    rows (a bug there would make the seeds' runs depend on each other)."""
    import numpy as np

    module = helpers()
    data = module.folds(0)
    scaler = (data.y_train.mean(axis=1), data.y_train.std(axis=1))
    _, together = module.train(
        data.X_train,
        data.y_train,
        {"val": (data.X_val, data.y_val), "train": (data.X_train, data.y_train)},
        20,
        seeds=[0, 1, 2, 3],
        target_scaler=scaler,
    )
    _, alone = module.train(
        data.X_train[2:3],
        data.y_train[2:3],
        {"val": (data.X_val[2:3], data.y_val[2:3])},
        20,
        seeds=[2],
        target_scaler=(scaler[0][2:3], scaler[1][2:3]),
    )
    assert np.allclose(together["val"][2], alone["val"][0])
    # and it learns: the training loss falls well below the variance of the target
    assert together["train"][:, -1].max() < 0.8 * data.y_train.var(axis=1).min()


# -- one split, or four folds -------------------------------------------------


@pytest.mark.claim
def test_one_split_choices_scatter_more_than_four_fold_choices(runs):
    import numpy as np

    values = runs[CHOICE].values
    one = np.array(values["one_split_epochs"]).ravel()
    k = np.array(values["k_fold_epochs"])
    assert one.size == 80 and k.size == 20
    ratio = one.std(ddof=1) / k.std(ddof=1)
    assert ratio > 1.4, ratio  # "a larger SD"
    assert one.max() - one.min() > k.max() - k.min()
    # "their middle halves differ less": the IQR ratio is below the SD ratio
    iqr = np.subtract(*np.percentile(one, [75, 25]))
    assert iqr / np.subtract(*np.percentile(k, [75, 25])) < ratio
    # The 4-fold choice is the lowest point of the mean of the four curves.
    val = np.array(values["val_loss"])
    assert (k == np.argmin(val.mean(axis=1), axis=1) + 1).all()


@pytest.mark.claim
def test_most_of_the_one_split_scatter_is_the_split(runs):
    import numpy as np

    # Of the one-split choices' variance over all seeds and folds, the share that
    # is variance among the four folds of one seed (same test set, same initial
    # weights): near 0 if the choice followed the seed, near 1 if the split.
    one = np.array(runs[CHOICE].values["one_split_epochs"], dtype=float)
    assert one.shape == (20, 4)
    share = one.var(axis=1).mean() / one.var()
    assert share > 0.5, share  # "most is variance among the folds within a seed"


# -- a bootstrap interval -----------------------------------------------------


@pytest.mark.claim
def test_the_bootstrap_error_is_close_to_the_spread_over_test_sets(runs):
    import numpy as np

    boot, paired = runs[BOOTSTRAP].values, runs[PAIRED].values
    errors = np.array(boot["errors_by_seed"])
    num_seeds = boot["NUM_SEEDS"]
    assert errors.shape == (num_seeds, 90) and num_seeds >= 20
    # Each seed's network is the paired example's, at the 4-fold epoch.
    assert np.allclose(errors.mean(axis=1), paired["k_fold_loss"])
    assert np.isclose(boot["test_loss"], errors[0].mean())
    assert boot["TEST_SIZES"] == [90, 45] and boot["RATIO"] == 1.5
    for size, standard_errors in zip(
        boot["TEST_SIZES"], boot["standard_errors"], strict=True
    ):
        part = errors[:, :size]
        standard_errors = np.array(standard_errors)
        # The bootstrap error is the error of a mean of `size` squared errors.
        formula = part.std(axis=1) / np.sqrt(size)
        assert np.allclose(standard_errors, formula, rtol=0.08), size
        spread = part.mean(axis=1).std(ddof=1)  # over the seeds' test sets
        ratios = standard_errors / spread
        close = ((ratios > 1 / 1.5) & (ratios < 1.5)).sum()
        # "all but one ... on 90 patients, all of them on 45"
        assert close >= (num_seeds - 1 if size == 90 else num_seeds), (size, ratios)
        # "some above the spread, some below"
        assert (ratios > 1).any() and (ratios < 1).any(), (size, ratios)


@pytest.mark.claim
def test_the_interval_reaches_further_above_than_below(runs):
    import numpy as np

    values = runs[BOOTSTRAP].values
    errors = np.array(values["errors_by_seed"])
    losses = errors.mean(axis=1)
    low, high = np.array(values["intervals"]).T
    assert np.isclose(low[0], values["low"]) and np.isclose(high[0], values["high"])
    # For every seed's network: further above than below, and "tens of percent
    # either side".
    assert (high - losses > losses - low).all()
    assert (low < 0.85 * losses).all() and (high > 1.15 * losses).all()
    assert (errors.max(axis=1) > 3 * losses).all()  # "several times the mean"


# -- paired or not ------------------------------------------------------------


@pytest.mark.claim
def test_the_paired_differences_spread_about_half_as_much(runs, variant_runs):
    import numpy as np

    for values in every_run(runs, variant_runs, PAIRED):
        a, b = np.array(values["one_split_loss"]), np.array(values["k_fold_loss"])
        assert np.isclose(values["paired_sd"], np.std(a - b, ddof=1))
        ratio = values["paired_sd"] / values["unpaired_sd"]
        assert 0.3 < ratio < 0.75, (values["NUM_SEEDS"], ratio)
        assert np.std(a, ddof=1) > 200 and np.std(b, ddof=1) > 200  # "by hundreds"


@pytest.mark.claim
def test_the_paired_test_is_sharper_than_the_unpaired_one(runs, variant_runs):
    found = every_run(runs, variant_runs, PAIRED)
    assert sorted(v["NUM_SEEDS"] for v in found) == [5, 10, 20]
    for values in found:
        assert abs(values["paired_t"]) > abs(values["unpaired_t"])
        assert values["paired_p"] < values["unpaired_p"]


@pytest.mark.claim
def test_the_paired_interval_narrows_as_one_over_the_root_of_the_seeds(
    runs, variant_runs
):
    widths = {
        v["NUM_SEEDS"]: v["half_width"] for v in every_run(runs, variant_runs, PAIRED)
    }
    assert widths[5] > widths[10] > widths[20]
    assert 1.5 < widths[5] / widths[20] < 3.5, widths  # "about half as wide"


@pytest.mark.claim
def test_unpaired_needs_the_square_of_the_sd_ratio_more_seeds(runs):
    values = runs[PAIRED].values
    expected = 2 * (values["unpaired_sd"] / values["paired_sd"]) ** 2
    assert expected > 3  # "several times as many"
    for paired, unpaired in zip(
        values["needed_paired"], values["needed_unpaired"], strict=True
    ):
        assert 0.7 * expected < unpaired / paired < 1.3 * expected


@pytest.mark.claim
def test_the_power_calculation_uses_the_tests_the_example_runs(runs, variant_runs):
    import numpy as np
    from scipy import stats

    for values in every_run(runs, variant_runs, PAIRED):
        a, b = np.array(values["one_split_loss"]), np.array(values["k_fold_loss"])
        # Unpaired: Student's t-test with the pooled SD, 2n - 2 degrees of freedom,
        # which the power calculation assumes (its pooled SD is unpaired_sd).
        student = stats.ttest_ind(a, b, equal_var=True)
        assert np.isclose(values["unpaired_p"], student.pvalue, rtol=1e-9, atol=0)
        assert student.df == 2 * len(a) - 2
        assert np.isclose(
            values["unpaired_sd"], np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        )
        # "with as many seeds in each list, its t is Welch's"
        welch = stats.ttest_ind(a, b, equal_var=False)
        assert np.isclose(values["unpaired_t"], welch.statistic)
        # Paired: the t-test on the differences, n - 1 degrees of freedom.
        paired = stats.ttest_1samp(a - b, 0)
        assert np.isclose(values["paired_p"], paired.pvalue, rtol=1e-9, atol=0)
        assert paired.df == len(a) - 1


@pytest.mark.claim
def test_the_seeds_needed_find_the_difference_80_percent_of_the_time(runs):
    import numpy as np
    from scipy import stats

    values = runs[PAIRED].values
    rng = np.random.default_rng(0)

    def found(size, sd, seeds, paired):
        """How often the example's test finds a true difference `size`, in 4,000
        simulated comparisons of normal losses with SD `sd`."""
        if paired:
            draws = rng.normal(size, sd, size=(4000, seeds))
            return np.mean(stats.ttest_1samp(draws, 0, axis=1).pvalue < 0.05)
        first = rng.normal(size, sd, size=(4000, seeds))
        second = rng.normal(0, sd, size=(4000, seeds))
        pvalue = stats.ttest_ind(first, second, axis=1, equal_var=True).pvalue
        return np.mean(pvalue < 0.05)

    checked = 0
    for paired, sd, needed in [
        (True, values["paired_sd"], values["needed_paired"]),
        (False, values["unpaired_sd"], values["needed_unpaired"]),
    ]:
        for percent, n in zip(values["SIZES_PERCENT"], needed, strict=True):
            if n > 1000:
                continue  # the largest take long to simulate; the formula is one
            size = percent / 100 * values["mean_loss"]
            assert 0.77 < found(size, sd, n, paired) < 0.86, (paired, percent, n)
            # "with a fifth fewer seeds, clearly less often"
            assert found(size, sd, round(0.8 * n), paired) < 0.76, (paired, n)
            checked += 1
    assert checked >= 4


@pytest.mark.claim
def test_the_seeds_needed_are_as_uncertain_as_the_sds(runs, variant_runs):
    import numpy as np
    from scipy import stats

    def power(size, sd, n, name):
        """The chance that the paired or the pooled unpaired t-test at the 5 %
        level finds a true difference `size`, for losses with SD `sd`."""
        if n < 2:
            return 0.0
        df = n - 1 if name == "paired" else 2 * n - 2
        shift = size / sd * np.sqrt(n if name == "paired" else n / 2)
        critical = stats.t.ppf(0.975, df)
        return stats.nct.sf(critical, df, shift) + stats.nct.cdf(-critical, df, shift)

    spans = {}
    for values in every_run(runs, variant_runs, PAIRED):
        num_seeds = values["NUM_SEEDS"]
        df = num_seeds - 1
        spans[num_seeds] = []
        for name in ("paired", "unpaired"):
            sd = values[f"{name}_sd"]
            low, high = values[f"{name}_sd_interval"]
            # the chi-square 95 % interval for an SD with n - 1 degrees of freedom
            assert np.isclose(low, sd * np.sqrt(df / stats.chi2.ppf(0.975, df)))
            assert np.isclose(high, sd * np.sqrt(df / stats.chi2.ppf(0.025, df)))
            for percent, n, (at_low, at_high) in zip(
                values["SIZES_PERCENT"],
                values[f"needed_{name}"],
                values[f"needed_{name}_range"],
                strict=True,
            ):
                size = percent / 100 * values["mean_loss"]
                # each end is the fewest seeds that reach 80 % at that end's SD
                for end_sd, end_n in ((low, at_low), (high, at_high)):
                    assert (
                        power(size, end_sd, end_n, name)
                        >= 0.8
                        > power(size, end_sd, end_n - 1, name)
                    ), (name, size, end_n)
                spans[num_seeds].append(at_high / at_low)
                if num_seeds == 20:
                    # "from a little over half to twice the number shown"
                    assert 0.5 < at_low / n < 0.7 and 1.8 < at_high / n < 2.5
    # "wider with fewer seeds"
    assert min(spans[5]) > max(spans[10]) and min(spans[10]) > max(spans[20])
    values = runs[PAIRED].values
    assert values["NUM_SEEDS"] == 20
    # "the differences are skewed, and a bootstrap over the seeds reaches lower"
    assert stats.skew(values["difference"]) > 1
    assert values["bootstrap_sd_interval"][0] < values["paired_sd_interval"][0]
    # "a hundred seeds or so even paired: tens at the low end, hundreds at the high"
    row = values["SIZES_PERCENT"].index(2)
    at_low, at_high = values["needed_paired_range"][row]
    assert values["needed_paired"][row] >= 100
    assert 10 <= at_low < 100 <= at_high < 1000


# -- optimism -----------------------------------------------------------------


@pytest.mark.claim
def test_choosing_on_the_test_set_is_optimistic(runs):
    import numpy as np

    values = runs[OPTIMISM].values
    optimism = np.array(values["optimism"])
    error = optimism.std(ddof=1) / np.sqrt(len(optimism))
    assert len(optimism) == 50
    assert optimism.mean() > 3 * error
    # "several percent of the loss"
    assert 2 < values["optimism_percent"] < 15


@pytest.mark.claim
def test_the_validation_choice_is_honest_on_the_second_half(runs):
    import numpy as np

    control = np.array(runs[OPTIMISM].values["control"])
    assert abs(control.mean()) < 2 * control.std(ddof=1) / np.sqrt(len(control))


@pytest.mark.claim
def test_the_flattery_is_most_of_the_optimism(runs):
    import numpy as np

    values = runs[OPTIMISM].values
    optimism, flattery = np.array(values["optimism"]), np.array(values["flattery"])
    worse = np.array(values["worse_epoch"])
    assert np.allclose(optimism, flattery + worse)  # the decomposition, seed by seed
    assert (flattery >= 0).all()
    assert 0.5 < flattery.mean() / optimism.mean() <= 1
    assert abs(worse.mean()) < 2 * worse.std(ddof=1) / np.sqrt(len(worse))


# -- the exercises ------------------------------------------------------------


@pytest.mark.claim
def test_answer_half_the_patients_widen_the_interval_by_about_root_two(runs):
    answer = runs[f"{FOLDER}/answer_half_the_test_set.py"].values
    boot = runs[BOOTSTRAP].values
    assert abs(answer["widths"][0] - (boot["high"] - boot["low"])) < 1e-6
    assert 1.15 < answer["width_ratio"] < 1.7


@pytest.mark.claim
def test_answer_half_the_difference_takes_four_times_the_seeds(runs):
    answer = runs[f"{FOLDER}/answer_half_the_difference.py"].values
    paired = runs[PAIRED].values
    four, two = answer["needed"]
    assert 3 < two / four < 5
    assert two == paired["needed_paired"][paired["SIZES_PERCENT"].index(2)]


@pytest.mark.claim
def test_answer_fewer_candidate_epochs_flatter_less(runs):
    import numpy as np

    answer = runs[f"{FOLDER}/answer_fewer_candidates.py"].values
    flattery = np.mean(runs[OPTIMISM].values["flattery"])
    assert np.isclose(answer["mean_flattery"][0], flattery)
    assert 0.5 < answer["flattery_ratio"] < 1
