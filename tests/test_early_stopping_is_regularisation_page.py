"""The claims of the page docs/early-stopping-is-regularisation.md.

The page's runs are exact computations on fixed splits (full-batch gradient
descent and closed-form solutions: no random initial weights, no batch order), so
the numbers a claim rests on are those of the runs; claims about the paths and
about choosing are checked over the ten splits the examples run, and claims about
the learning rate over every rate the page's controls show.
"""

import pytest
from conftest import ROOT

FOLDER = "snippets/early-stopping-is-regularisation"
PATHS = f"{FOLDER}/two_paths.py"
DIRECTIONS = f"{FOLDER}/direction_by_direction.py"
TOGETHER = f"{FOLDER}/choosing_together.py"
SPLITS = f"{FOLDER}/paths_over_splits.py"


def helpers():
    """The page's shared set-up module, imported as its examples import it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_helpers", ROOT / FOLDER / "_helpers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def by_rate(runs, variant_runs, path):
    """The example's values at every learning rate the page shows, by rate."""
    results = [runs[path]] + [result for _, result in variant_runs[path]]
    found = {r.values["LEARNING_RATE"]: r.values for r in results}
    assert sorted(found) == [0.01, 0.1, 0.4]
    return found


# -- two paths ----------------------------------------------------------------


@pytest.mark.claim
def test_the_loop_makes_one_update_per_epoch_from_zero_weights(runs):
    import numpy as np

    values = runs[PATHS].values
    assert values["BATCH_SIZE"] == len(values["X_train"]) == 264
    C, b, rate = (np.asarray(values[k]) for k in ("C", "b", "LEARNING_RATE"))
    # The example keeps only the distances: run its loop again on its C and b.
    path = helpers().gradient_descent(C, b, float(rate), values["NUM_EPOCHS"])
    assert path.shape == (values["NUM_EPOCHS"], 10)  # one weight vector an epoch
    # The first update from zero weights is the rate times minus the gradient at 0.
    assert np.allclose(path[0], rate * b)
    # Each later epoch is one step of gradient descent on the whole training set.
    assert np.allclose(path[1:], path[:-1] - rate * (path[:-1] @ C - b))
    # and these are the weights the example measured its distances on
    epochs = np.arange(1, len(path) + 1)
    penalty = helpers().ridge(C, b, 1 / (epochs * rate))
    length = np.linalg.norm(helpers().ridge(C, b, 0.0))
    distance = np.linalg.norm(path - penalty, axis=1) / length
    assert np.allclose(distance, values["distance"])


@pytest.mark.claim
def test_the_paths_stay_close_when_alpha_is_one_over_t_eps(runs):
    import numpy as np

    values = runs[PATHS].values
    assert values["LEARNING_RATE"] == 0.1
    distance = np.asarray(values["distance"])
    assert len(distance) == values["NUM_EPOCHS"]
    assert distance.max() == values["farthest"] < 1 / 6
    assert values["farthest_ignoring_the_rate"] > 2 * distance.max()


@pytest.mark.claim
def test_the_closest_alpha_is_a_little_below_one_over_t_eps(runs, variant_runs):
    for rate, values in by_rate(runs, variant_runs, PATHS).items():
        for t, ratio in zip(
            values["shown_epochs"], values["closest_ratio"], strict=True
        ):
            if t <= 1000 and rate <= 0.1:
                assert 0.1 <= ratio <= 1, (rate, t, ratio)
    values = runs[PATHS].values
    late = dict(zip(values["shown_epochs"], values["closest_ratio"], strict=True))
    assert late[10_000] < 0.1  # after that, the closest alpha drops away


@pytest.mark.claim
def test_the_rate_moves_the_matching_alpha_and_a_large_rate_breaks_the_match(
    runs, variant_runs
):
    import numpy as np

    rates = by_rate(runs, variant_runs, PATHS)
    slow, page, fast = rates[0.01], rates[0.1], rates[0.4]
    # The same path read against t * eps: compare the distances at the same t eps.
    for t_eps in np.arange(3, 100.1, 0.1):
        a = np.asarray(slow["distance"])[round(t_eps / 0.01) - 1]
        b = np.asarray(page["distance"])[round(t_eps / 0.1) - 1]
        assert abs(a - b) < 0.01, t_eps
    # the first, coarse steps at 0.1 stray further than the same t eps at 0.01
    assert page["distance"][0] > slow["distance"][9]
    assert np.isclose(slow["last_matching_alpha"], 0.01)
    assert np.isclose(page["last_matching_alpha"], 0.001)
    assert np.asarray(fast["distance"])[0] > np.asarray(page["distance"]).max()


@pytest.fixture(scope="module")
def splits(runs):
    import numpy as np

    values = {k: np.asarray(v) for k, v in runs[SPLITS].values.items()}
    assert list(values["LEARNING_RATES"]) == [0.01, 0.1, 0.4]
    assert len(values["SEEDS"]) >= 5
    for name in ("farthest", "no_rate_farthest", "lowest_ratio", "last_ratio"):
        assert values[name].shape == (3, len(values["SEEDS"])), name
    return values


@pytest.mark.claim
def test_on_ten_splits_the_paths_stay_within_a_fifth(splits, runs):
    import numpy as np

    page = 1  # the row of learning rate 0.1
    farthest = splits["farthest"][page]
    assert np.all(farthest < 1 / 5)
    assert np.sum(farthest < 1 / 6) == 6  # "a sixth holds on six of the ten"
    assert np.all(splits["no_rate_farthest"][page] > 2 * farthest)
    # the first split is the first example's
    assert np.isclose(farthest[0], runs[PATHS].values["farthest"])


@pytest.mark.claim
def test_on_ten_splits_the_closest_alpha_and_the_rates_behave_alike(splits):
    import numpy as np

    slow, page, fast = 0, 1, 2
    for rate in (slow, page):
        assert np.all(splits["lowest_ratio"][rate] >= 0.1), rate
        assert np.all(splits["highest_ratio"][rate] <= 1), rate
    assert np.all(splits["last_ratio"][page] < 0.1)  # by epoch 10,000
    assert np.all(splits["rates_agree"] < 0.01)  # within a point
    assert np.all(splits["first_epoch"][fast] > splits["farthest"][page])


@pytest.mark.claim
def test_on_ten_splits_the_most_curved_direction_overshoots_only_at_0_4(splits):
    import numpy as np

    step = splits["largest_step"]  # eps lam of the most curved direction at 0.4
    assert np.all(step > 1)
    assert np.all(step / 4 < 1)  # at 0.1
    assert round(step.min(), 2) == 1.53 and round(step.max(), 2) == 1.68


@pytest.mark.claim
def test_sklearns_ridge_alpha_is_n_times_the_pages_alpha(runs):
    import numpy as np
    from sklearn.linear_model import Ridge

    values = runs[PATHS].values
    assert values["sklearn_gap"] < 1e-8
    module = helpers()
    X, y = np.asarray(values["X_train"]), np.asarray(values["y_train"])
    C, b = module.curvature(X, y, values["mean"])
    exact = module.ridge(C, b, 0.1)
    assert np.max(np.abs(Ridge(alpha=0.1).fit(X, y).coef_ - exact)) > 1
    model = Ridge(alpha=len(X) * 0.1).fit(X, y)
    assert np.isclose(model.intercept_, values["mean"])  # the training mean


# -- direction by direction ---------------------------------------------------


@pytest.mark.claim
def test_the_loop_keeps_the_formulas_share_in_every_direction(runs, variant_runs):
    import numpy as np

    for values in by_rate(runs, variant_runs, DIRECTIONS).values():
        assert values["formula_gap"] < 1e-10
        assert np.shape(values["first_epoch_shares"]) == (10,)


@pytest.mark.claim
def test_where_the_curvature_is_small_both_keep_about_t_eps_lambda(runs, variant_runs):
    import numpy as np

    for rate, values in by_rate(runs, variant_runs, DIRECTIONS).items():
        lam = np.asarray(values["lam"])
        x = values["EPOCH"] * rate * lam
        small = x < 0.05
        assert small.any() or rate > 0.1, rate
        for kept in (values["stopped"], values["penalised"]):
            assert np.allclose(np.asarray(kept)[small], x[small], rtol=0.05), rate
        # and where it is large against alpha, both keep nearly all of it
        large = x > 10
        for kept in (values["stopped"], values["penalised"]):
            assert np.all(np.asarray(kept)[large] > 0.9)
        # the penalty falls short by alpha / (lam + alpha): more than the stopped run
        shortfall = 1 - np.asarray(values["penalised"])[large]
        assert np.allclose(shortfall, values["alpha"] / (lam[large] + values["alpha"]))
        assert np.all(shortfall > 1 - np.asarray(values["stopped"])[large])


@pytest.mark.claim
def test_they_differ_most_where_the_curvature_is_a_few_times_alpha(runs, variant_runs):
    import numpy as np

    values = runs[DIRECTIONS].values
    ratio = values["lam"][values["widest"]] / values["alpha"]
    assert 1 < ratio < 6
    assert 2 < values["limit_at"] < 3 and 0.19 < values["limit_widest"] < 0.22
    for rate, values in by_rate(runs, variant_runs, DIRECTIONS).items():
        if rate <= 0.1:  # where eps lam < 1 in every direction
            assert np.max(values["gap"]) < 0.22, rate
            # the stopped run keeps more of every direction than the penalty
            assert np.all(np.asarray(values["stopped"]) >= values["penalised"]), rate


@pytest.mark.claim
def test_on_ten_splits_they_differ_most_where_the_curvature_is_a_few_times_alpha(
    runs, variant_runs
):
    import numpy as np

    for rate, values in by_rate(runs, variant_runs, DIRECTIONS).items():
        assert len(values["SEEDS"]) >= 5
        assert np.isclose(values["split_widest_gap"][0], np.max(values["gap"]))
        if rate <= 0.1:  # where eps lam < 1 in every direction
            assert np.all(np.asarray(values["split_widest_gap"]) < 0.22), rate
            assert np.all(np.asarray(values["split_widest_ratio"]) > 1), rate
            assert np.all(np.asarray(values["split_widest_ratio"]) < 6), rate
    page = runs[DIRECTIONS].values
    assert round(min(page["split_widest_gap"]), 3) == 0.206
    assert round(max(page["split_widest_ratio"]), 2) == 3.05


@pytest.mark.claim
def test_a_large_rate_overshoots_the_most_curved_direction(runs, variant_runs):
    import numpy as np

    rates = by_rate(runs, variant_runs, DIRECTIONS)
    fast = rates[0.4]
    assert 0.4 * np.max(fast["lam"]) > 1
    assert np.max(fast["first_epoch_shares"]) > 1.5  # more than all of it, epoch 1
    for rate in (0.01, 0.1):
        assert rate * np.max(rates[rate]["lam"]) < 1
        assert rates[rate]["overshoot"] <= 1 + 1e-9


# -- choosing alpha and the number of epochs together ------------------------


@pytest.fixture(scope="module")
def together(runs):
    import numpy as np

    values = {k: np.asarray(v) for k, v in runs[TOGETHER].values.items()}
    assert len(values["none"]) == len(values["difference"]) >= 5  # the splits
    # each way of choosing alone has as many candidates, over matching ranges
    assert len(values["EPOCHS"]) + 1 == len(values["ALPHAS"]) == 18
    assert np.allclose(values["ALPHAS"][:-1] * values["EPOCHS"] * 0.1, 1)
    assert values["ALPHAS"][-1] == 0
    return values


@pytest.mark.claim
def test_regularising_helps_in_some_splits_only(together):
    share = together["first_gain"] / together["none"]
    assert share.max() > 0.02
    assert (share > 0.01).sum() >= 2
    assert (share < 0.005).sum() >= 3


@pytest.mark.claim
def test_once_one_is_tuned_the_other_adds_little(together):
    import numpy as np

    assert np.all(together["extra_gain"] >= 0)  # the grid holds both single choices
    assert np.all(together["extra_gain"] / together["none"] < 0.001)
    # against a gain worth tuning for in the splits where regularising helped
    helped = together["helped"]
    assert np.all(together["first_gain"][helped] > 10 * together["extra_gain"][helped])


@pytest.mark.claim
def test_the_grids_best_needs_no_penalty_here(together):
    import numpy as np

    assert np.all(together["both_alpha"] == 0)
    assert np.any(together["epochs_on_top"] > 0.01 * together["none"])


@pytest.mark.claim
def test_on_validation_stopping_alone_was_never_worse_than_the_penalty(together):
    import numpy as np

    stopping, penalty = together["stopping"], together["penalty"]
    assert (stopping <= penalty + 1e-9).all()
    assert (stopping < 0.995 * penalty).sum() >= 2
    # the grids of the same size in the last table: 18 each, as in the first
    k = list(together["size_counts"]).index(18)
    assert np.allclose(together["size_val_difference"][:, k], penalty - stopping)


@pytest.mark.claim
def test_tested_once_stopping_and_the_penalty_cannot_be_told_apart(together):
    import numpy as np

    difference = together["difference"]
    error = difference.std(ddof=1) / np.sqrt(len(difference))
    assert abs(difference.mean()) < 2 * error


@pytest.mark.claim
def test_the_comparison_holds_from_eight_candidates_to_every_epoch(together):
    import numpy as np

    counts = together["size_counts"]
    assert list(counts) == [4, 6, 8, 11, 18, 3001]  # 3,001: every epoch and the end
    difference = together["size_val_difference"]  # [split, size]: penalty - stopping
    fine = counts >= 8
    assert np.all(difference[:, fine] >= -1e-9)  # stopping never higher
    lower = difference[:, fine] > 1e-9
    assert np.all(lower == lower[:, :1]) and lower[:, 0].sum() == 5  # the same five
    assert np.all(together["size_penalty_lower"][~fine] == 1)
    assert np.all(together["size_stopping_lower"][~fine] == 3)
    # at no size can the test set tell them apart: within two standard errors
    test = together["size_test_difference"]
    error = test.std(axis=0, ddof=1) / np.sqrt(len(test))
    assert np.all(np.abs(test.mean(axis=0)) < 2 * error)


# -- the answers ----------------------------------------------------------------


@pytest.mark.claim
def test_answer_half_the_rate_doubles_the_matching_epoch(runs):
    import numpy as np

    values = runs[f"{FOLDER}/answer_half_the_rate.py"].values
    assert values["matching_epochs"] == [100, 200]
    first, half = values["distances"]
    assert abs(first - half) < 0.005
    page = runs[PATHS].values
    assert np.isclose(first, page["distance"][99])  # epoch 100 of the first example


@pytest.mark.claim
def test_answer_the_least_curved_direction_is_kept_least_by_both(runs):
    import numpy as np

    values = runs[f"{FOLDER}/answer_least_kept.py"].values
    lam = values["lam"]
    assert values["least"] == int(np.argmin(lam))
    assert int(np.argmin(values["stopping_keeps"])) == values["least"]
    x = values["epoch"] * values["LEARNING_RATE"] * lam[values["least"]]
    for kept in (values["penalty_keeps"], values["stopping_keeps"]):
        assert round(kept[values["least"]], 4) == round(x, 4)


@pytest.mark.claim
def test_answer_sklearns_ridge_for_100_epochs(runs):
    import numpy as np

    values = runs[f"{FOLDER}/answer_sklearn_alpha.py"].values
    assert np.isclose(values["sklearn_alpha"], 26.4)
    page = runs[PATHS].values
    assert np.isclose(values["distance"], page["distance"][99], atol=1e-9)
