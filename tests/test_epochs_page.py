"""The claims of the epochs page (docs/epochs.md), checked on the snippets' results."""

import re
import warnings

import pytest
from conftest import svg_coordinate

from snippet_exec.shared import shown

LOSS_PER_EPOCH = "snippets/epochs/loss_per_epoch.py"
SCALED_TARGET = "snippets/epochs/scaled_target.py"
CHOOSE_ON_VALIDATION = "snippets/epochs/choose_on_validation.py"


def every_run(runs, variant_runs, name):
    """The module-level values of the run shown and of every variant the page
    shows, as arrays where they are lists."""
    import numpy as np

    found = [runs[name].values] + [result.values for _, result in variant_runs[name]]
    return [
        {k: np.array(v) if isinstance(v, list) else v for k, v in values.items()}
        for values in found
    ]


@pytest.fixture(scope="module")
def seeds(runs, variant_runs):
    """The seed example, run as written and with every other SEED the page shows."""
    return every_run(runs, variant_runs, LOSS_PER_EPOCH)


@pytest.fixture(scope="module")
def scaled(runs, variant_runs):
    return every_run(runs, variant_runs, SCALED_TARGET)


@pytest.fixture(scope="module")
def splits(runs, variant_runs):
    return every_run(runs, variant_runs, CHOOSE_ON_VALIDATION)


@pytest.fixture(scope="module")
def seed(runs):
    return runs[LOSS_PER_EPOCH].values


@pytest.fixture(scope="module")
def repaired(runs):
    return runs[CHOOSE_ON_VALIDATION].values


@pytest.mark.claim
def test_one_loss_per_epoch(seed):
    assert (
        len(seed["train_loss"]) == len(seed["val_loss"]) == seed["NUM_EPOCHS"] == 5000
    )
    assert seed["epochs"][0] == 1
    assert seed["epochs"][-1] == seed["NUM_EPOCHS"]


def diabetes():
    """The Diabetes data, its inputs standardised."""
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def same_weights(first, second) -> bool:
    import numpy as np

    pairs = zip(
        first.coefs_ + first.intercepts_,
        second.coefs_ + second.intercepts_,
        strict=True,
    )
    return all(np.array_equal(a, b) for a, b in pairs)


@pytest.mark.claim
def test_the_seed_sets_the_initial_weights_and_the_order_only(seeds, variant_runs):
    """The runs differ in SEED only, and have the same patients; an integer
    random_state sets the initial weights (one seed, one network: nothing else is
    random) and, separately, the order of the examples in an epoch."""
    import numpy as np
    from sklearn.neural_network import MLPRegressor

    assert len(variant_runs[LOSS_PER_EPOCH]) >= 3
    assert {tuple(c) for c, _ in variant_runs[LOSS_PER_EPOCH]} == {("SEED",)}
    assert len({seed["SEED"] for seed in seeds[1:]}) == len(seeds) - 1
    for seed in seeds[1:]:
        for part in ("X_train", "y_train", "X_test", "y_test"):
            np.testing.assert_array_equal(seed[part], seeds[0][part])
    X, y = diabetes()

    def one_epoch(random_state):
        model = MLPRegressor(hidden_layer_sizes=(16,), random_state=random_state)
        return model.partial_fit(X, y)

    assert same_weights(one_epoch(0), one_epoch(0))
    assert not same_weights(one_epoch(0), one_epoch(1))
    # The same network after one epoch, its next epoch taken in the order seed 0
    # or seed 1 draws: the order differs, so the networks do.
    first, second = one_epoch(0), one_epoch(0)
    second.set_params(random_state=1)
    assert not same_weights(first.partial_fit(X, y), second.partial_fit(X, y))
    unshuffled = [
        one_epoch(0).set_params(shuffle=False, random_state=s) for s in (0, 1)
    ]
    assert same_weights(*(model.partial_fit(X, y) for model in unshuffled))


@pytest.mark.claim
def test_validation_minimum_is_strictly_inside_every_run(seeds):
    import numpy as np

    for seed in seeds:
        assert 1 < seed["best_epoch"] < seed["NUM_EPOCHS"]
        assert seed["best_epoch"] == int(np.argmin(seed["val_loss"])) + 1


@pytest.mark.claim
def test_overfitting_after_the_best_epoch_in_every_run(seeds):
    for seed in seeds:
        best = seed["best_epoch"] - 1
        assert seed["val_loss"][-1] > seed["val_loss"][best]
        assert seed["train_loss"][-1] < seed["train_loss"][best]
        # "keeps falling": the last epoch is within 1 % of the lowest training loss
        assert seed["train_loss"][-1] <= 1.01 * seed["train_loss"].min()


@pytest.mark.claim
def test_the_best_epoch_is_a_broad_valley(seeds):
    """Within 1 % of the lowest loss for hundreds of epochs; and other seeds move
    the lowest point by hundreds of epochs."""
    import numpy as np

    for seed in seeds:
        near = np.flatnonzero(seed["val_loss"] <= 1.01 * seed["best_val_loss"]) + 1
        assert (seed["within_first"], seed["within_last"]) == (near[0], near[-1])
        assert seed["within_first"] <= seed["best_epoch"] <= seed["within_last"]
        assert seed["within_last"] - seed["within_first"] >= 100
    best_epochs = [seed["best_epoch"] for seed in seeds]
    assert max(best_epochs) - min(best_epochs) >= 100


@pytest.mark.claim
def test_baselines_frame_the_network(seeds):
    """Worse than the constant at first; below linear regression at its lowest
    (the flattering value); its lead shrunk or reversed at the last epoch."""
    for seed in seeds:
        assert seed["val_loss"][0] > seed["mean_loss"]
        assert seed["best_val_loss"] < seed["linear_loss"] < seed["mean_loss"]
        lead_at_best = seed["linear_loss"] - seed["best_val_loss"]
        assert seed["linear_loss"] - seed["val_loss"][-1] < lead_at_best


@pytest.mark.claim
def test_validation_starts_below_training_a_difference_of_samples(seeds):
    """Validation loss below training loss until one epoch, above from then on;
    the constant prediction, too, does better on the held-out patients."""
    for seed in seeds:
        crossing = seed["val_above_train"]
        below = seed["val_loss"] < seed["train_loss"]
        assert 100 < crossing < seed["best_epoch"]
        assert below[: crossing - 1].all()
        assert not below[crossing - 1 :].any()
        assert seed["mean_loss"] < seed["mean_train_loss"]


@pytest.mark.claim
def test_the_held_out_targets_vary_less_their_mean_is_close(seed):
    """The constant's loss is the variance plus the squared gap of the means; the
    variance is lower on the held-out patients, and the squared gap is under a
    fifth of the difference of the variances: nearly all of it is the variance."""
    import numpy as np

    y_train, y_test = np.array(seed["y_train"]), np.array(seed["y_test"])
    gap = y_test.mean() - y_train.mean()
    assert seed["mean_loss"] == pytest.approx(y_test.var() + gap**2)
    assert seed["val_variance"] < seed["train_variance"]
    assert gap**2 < (seed["train_variance"] - seed["val_variance"]) / 5


@pytest.mark.claim
def test_a_standardised_target_needs_far_fewer_epochs(seeds, scaled):
    """Every run with the standardised target has its lowest validation loss at
    an epoch at most a fifth of every raw-target run's; then it overfits."""
    assert len(scaled) == len(seeds)
    assert [run["SEED"] for run in scaled] == [seed["SEED"] for seed in seeds]
    for run in scaled:
        assert 1 < run["best_epoch"] < run["NUM_EPOCHS"]
        assert 5 * run["best_epoch"] < min(seed["best_epoch"] for seed in seeds)
        assert run["val_loss"][-1] > 1.05 * run["best_val_loss"]
        assert run["train_loss"][-1] < run["train_loss"][run["best_epoch"] - 1]


@pytest.mark.claim
def test_the_network_starts_near_zero_far_from_the_target(seeds):
    """After epoch 1 the average prediction is within 5 of 0; the targets' average
    is near 150."""
    import numpy as np

    for seed in seeds:
        assert 140 < np.mean(seed["y_train"]) < 160
        assert abs(seed["mean_prediction"][0]) < 5


@pytest.mark.claim
def test_reaching_the_average_is_only_part_of_the_wait(seeds):
    """Hundreds of epochs to come within 5 % of the targets' average (and to stay
    there), and the best epoch more than twice as late."""
    import numpy as np

    for seed in seeds:
        reached = seed["reaches_mean"]
        gap = np.abs(seed["mean_prediction"] / np.mean(seed["y_train"]) - 1)
        assert (gap[: reached - 1] > 0.05).all() and (gap[reached - 1 :] <= 0.05).all()
        assert 100 <= reached < seed["best_epoch"] / 2


@pytest.mark.claim
def test_the_standardised_run_is_best_before_the_raw_one_reaches_the_average(
    seeds, scaled
):
    for run, seed in zip(scaled, seeds, strict=True):
        assert run["best_epoch"] < seed["reaches_mean"]


@pytest.mark.claim
def test_adam_steps_the_same_whatever_the_scale_of_the_target():
    """From the same weights, 20 Adam updates on the target and on 100 times the
    target: each update moves the weights by amounts of the same size (within a
    factor of 2), of the order of the learning rate; plain SGD's steps, by contrast,
    grow with the target."""
    import numpy as np
    from sklearn.neural_network import MLPRegressor

    X, y = diabetes()
    steps = {}
    for solver in ("adam", "sgd"):
        for scale in (1, 100):
            model = MLPRegressor(
                hidden_layer_sizes=(16,),
                solver=solver,
                learning_rate_init=1e-4 if solver == "adam" else 1e-7,
                batch_size=len(X),
                random_state=0,
            )
            model.partial_fit(X, scale * y)  # the first update draws the weights
            sizes = []
            for _ in range(20):
                before = np.concatenate([c.ravel() for c in model.coefs_])
                model.partial_fit(X, scale * y)
                after = np.concatenate([c.ravel() for c in model.coefs_])
                sizes.append(np.median(np.abs(after - before)))
            steps[solver, scale] = np.median(sizes)
    ratio = steps["adam", 100] / steps["adam", 1]
    assert 0.5 < ratio < 2
    assert steps["adam", 1] < 3e-4 and steps["adam", 100] < 3e-4
    assert steps["sgd", 100] / steps["sgd", 1] > 10


def test_printed_numbers_are_the_results(runs, variant_runs):
    for result in [runs[LOSS_PER_EPOCH]] + [r for _, r in variant_runs[LOSS_PER_EPOCH]]:
        printed, seed = result.markdown, result.values
        best = seed["best_epoch"]
        assert f"{seed['val_variance']:,.0f} for the validation patients" in printed
        assert f"{seed['train_variance']:,.0f} for the training patients" in printed
        assert f"{seed['mean_prediction'][0]:.1f} after epoch 1" in printed
        assert f"from epoch {seed['reaches_mean']:,}" in printed
        assert f"{seed['val_loss'][best - 1]:,.0f}, after epoch {best:,}" in printed
        assert f"training loss {seed['train_loss'][-1]:,.0f}" in printed
        assert f"validation loss {seed['val_loss'][-1]:,.0f}" in printed
        assert f"first after epoch {seed['within_first']:,}" in printed
        assert f"last after epoch {seed['within_last']:,}" in printed
        assert f"training loss: epoch {seed['val_above_train']:,}" in printed
        assert f"validation loss {seed['mean_loss']:,.0f}" in printed
        assert f"linear regression: {seed['linear_loss']:,.0f}" in printed


@pytest.mark.claim
def test_figure_draws_both_baselines_on_a_log_scale(runs, seed):
    (figure,) = runs[LOSS_PER_EPOCH].figures
    alt = figure["alt"]
    assert "Predicting the training mean: a horizontal line at" in alt
    assert "Linear regression: a horizontal line at" in alt
    assert figure["explore"]["mapping"]["y"]["scale"] == "log"


@pytest.mark.claim
def test_figure_marks_the_best_epoch(runs, seed):
    (figure,) = runs[LOSS_PER_EPOCH].figures
    assert f"a vertical line at epoch {seed['best_epoch']:,}" in figure["alt"]
    assert figure["axes"][0]["xlabel"] == "Epoch"


@pytest.mark.claim
def test_repaired_choice_uses_validation_then_tests_once(runs, variant_runs):
    import numpy as np

    for result in [runs[CHOOSE_ON_VALIDATION]] + [
        r for _, r in variant_runs[CHOOSE_ON_VALIDATION]
    ]:
        repaired, printed = result.values, result.markdown
        assert repaired["best_epoch"] == int(np.argmin(repaired["val_loss"])) + 1
        assert 1 < repaired["best_epoch"] < repaired["NUM_EPOCHS"]
        assert repaired["test_loss"] == pytest.approx(
            repaired["test_curve"][repaired["best_epoch"] - 1], rel=1e-12
        )
        assert f"validation data: {repaired['best_epoch']:,}" in printed
        assert f"that epoch: {repaired['test_loss']:,.0f}" in printed
        assert f"of the run: {repaired['flattering_test_loss']:,.0f}" in printed
        assert f"is {repaired['flattery']:,.0f} higher" in printed


@pytest.mark.claim
def test_the_faster_rate_reaches_its_best_epoch_within_500(splits):
    """A learning rate of 0.01; the best epoch within 500, on every split shown."""
    for run in splits:
        assert run["LEARNING_RATE"] == 0.01
        assert run["NUM_EPOCHS"] == 500
        assert 1 < run["best_epoch"] < 500


@pytest.mark.claim
def test_choosing_on_the_test_set_flatters_by_a_few_percent(runs, variant_runs, splits):
    """The lowest test loss of a run is at most the honest one by construction; the
    claim is its size: under 5 % of it on every split the page shows, and over 1 %
    on at least one (so that "a few percent" is not "nothing")."""
    assert len(splits) >= 6
    for run in splits:
        assert run["flattering_test_loss"] == run["test_curve"].min()
        assert run["flattery"] == run["test_loss"] - run["flattering_test_loss"]
        percent = 100 * run["flattery"] / run["flattering_test_loss"]
        assert run["flattery_percent"] == round(percent, 1)
        assert percent < 5
    results = [runs[CHOOSE_ON_VALIDATION]] + [
        r for _, r in variant_runs[CHOOSE_ON_VALIDATION]
    ]
    for result in results:
        assert f"({result.values['flattery_percent']:.1f} %)" in result.markdown
    assert max(result.values["flattery_percent"] for result in results) > 1


@pytest.mark.claim
def test_the_honest_loss_moves_between_splits_more_than_the_flattery(splits):
    honest = [run["test_loss"] for run in splits]
    assert max(honest) - min(honest) > max(run["flattery"] for run in splits)


@pytest.mark.claim
def test_partial_fit_is_one_epoch_and_ignores_max_iter():
    """The admonition: one pass per call, max_iter ignored, n_iter_ is 1, t_ counts."""
    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.neural_network import MLPRegressor

    X, y = load_diabetes(return_X_y=True)
    models = [
        MLPRegressor(hidden_layer_sizes=(8,), max_iter=max_iter, random_state=0)
        for max_iter in (1, 20)
    ]
    for model in models:
        model.partial_fit(X, y)
        model.partial_fit(X, y)
        assert model.n_iter_ == 1
        assert model.t_ == 2 * len(X)
    for short, long in zip(models[0].coefs_, models[1].coefs_, strict=True):
        np.testing.assert_array_equal(short, long)


@pytest.mark.claim
def test_fit_counts_epochs_in_n_iter():
    from sklearn.datasets import load_diabetes
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    X, y = load_diabetes(return_X_y=True)
    model = MLPRegressor(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    assert model.n_iter_ == 3
    assert model.t_ == 3 * len(X)


def test_explorable_figure_holds_both_losses_of_the_run(runs, seed):
    (figure,) = runs[LOSS_PER_EPOCH].figures
    data = figure["explore"]
    assert data["xlabel"] == "Epoch"
    epochs = data["x"]  # thinned to the drawing's resolution
    assert epochs[0] == 1 and epochs[-1] == seed["NUM_EPOCHS"]
    # thinned to about one point per pixel of the axes as drawn
    assert epochs == sorted(set(epochs)) and 300 < len(epochs) < seed["NUM_EPOCHS"]
    assert seed["best_epoch"] in epochs
    assert [line["label"] for line in data["lines"]] == [
        "Training loss",
        "Validation loss",
    ]
    for line, name in zip(data["lines"], ("train_loss", "val_loss"), strict=True):
        assert line["y"] == [shown(seed[name][epoch - 1]) for epoch in epochs]


def test_explorable_figure_maps_data_onto_the_drawn_lines(runs, seed):
    """Each line's path starts where the mapping puts the line's first point."""
    (figure,) = runs[LOSS_PER_EPOCH].figures
    mapping = figure["explore"]["mapping"]
    for number, name in enumerate(["train_loss", "val_loss"]):
        start = re.search(
            rf'id="[^"]*-axes0-line{number}">\s*<path d="M ([\d.]+) ([\d.]+)',
            figure["svg"],
        )
        assert start, f"line {number} not found in the SVG"
        x, y = float(start[1]), float(start[2])
        assert svg_coordinate(1, mapping["x"]) == pytest.approx(x, abs=0.01)
        assert svg_coordinate(seed[name][0], mapping["y"]) == pytest.approx(y, abs=0.01)


@pytest.mark.claim
def test_answer_a_faster_rate_moves_the_best_epoch_earlier(runs, seed):
    """Exercise 1: the first example with only its learning rate ten times larger
    is best after less than half its epochs, inside its own run."""
    answer = runs["snippets/epochs/answer_faster_rate.py"].values
    assert answer["LEARNING_RATE"] == 10 * 0.001
    assert answer["SEED"] == seed["SEED"]
    assert answer["best_epoch"] < answer["NUM_EPOCHS"] * 0.8
    assert answer["best_epoch"] < seed["best_epoch"] / 2


@pytest.mark.claim
def test_answer_choosing_on_training_lands_late_and_tests_worse(runs, repaired):
    """Exercise 2: the training loss's lowest epoch is in the last tenth of the run,
    and its network's test loss is above that of the third example's own choice,
    which the answer's run reproduces."""
    answer = runs["snippets/epochs/answer_choose_on_training.py"].values
    assert answer["validation_epoch"] == repaired["best_epoch"]
    assert answer["validation_test_loss"] == pytest.approx(repaired["test_loss"])
    assert answer["training_epoch"] > 0.9 * answer["NUM_EPOCHS"]
    assert answer["training_test_loss"] > answer["validation_test_loss"]


@pytest.mark.claim
def test_answer_the_constant_does_better_on_the_held_out_patients(runs, seed):
    """Exercise 3: the answer's losses are the first example's baseline; the
    held-out one is their variance plus the squared gap, and the lower."""
    answer = runs["snippets/epochs/answer_constant_baseline.py"].values
    assert answer["val_constant_loss"] == pytest.approx(seed["mean_loss"])
    assert answer["train_constant_loss"] == pytest.approx(seed["mean_train_loss"])
    assert answer["val_constant_loss"] == pytest.approx(
        answer["val_variance"] + answer["gap_squared"]
    )
    assert answer["val_constant_loss"] < answer["train_constant_loss"]
    assert answer["gap_squared"] < seed["train_variance"] - seed["val_variance"]
