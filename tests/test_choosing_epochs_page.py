"""The claims of the choosing-epochs page (docs/choosing-epochs.md)."""

import warnings

import pytest

FIXED = "snippets/choosing-epochs/lowest_validation_loss.py"
PATIENCE = "snippets/choosing-epochs/patience.py"
SKLEARN = "snippets/choosing-epochs/sklearn_early_stopping.py"
CURVES = "snippets/underfitting-overfitting/learning_curves.py"


def by_seed(runs, variant_runs, name):
    """The module-level values of every run of ``name``, by its SEED."""
    results = [runs[name]] + [result for _, result in variant_runs[name]]
    return {result.values["SEED"]: result.values for result in results}


@pytest.fixture(scope="module")
def fixed(runs):
    return runs[FIXED].values


@pytest.fixture(scope="module")
def patience(runs):
    return runs[PATIENCE].values


@pytest.fixture(scope="module")
def early(runs):
    return runs[SKLEARN].values


@pytest.fixture(scope="module")
def split():
    """The pages' split: X_rest, X_test, y_rest, y_test (80 % and 20 %)."""
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split

    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, random_state=42)


def network(random_state=42, **params):
    """The page's network: 128 hidden units, Adam, learning rate 0.01."""
    from sklearn.neural_network import MLPRegressor

    return MLPRegressor(
        hidden_layer_sizes=(128,),
        learning_rate_init=0.01,
        random_state=random_state,
        **params,
    )


@pytest.mark.claim
def test_fixed_run_chooses_the_lowest_validation_loss(fixed):
    import numpy as np

    assert fixed["best_epoch"] == int(np.argmin(fixed["val_loss"])) + 1
    assert 1 < fixed["best_epoch"] < fixed["NUM_EPOCHS"]


@pytest.mark.claim
def test_sklearn_stops_within_n_iter_no_change_plus_one_of_its_best(runs, variant_runs):
    import numpy as np

    every = by_seed(runs, variant_runs, SKLEARN)
    assert len(every) >= 6
    for early in every.values():
        assert early["stop_epoch"] < early["MAX_EPOCHS"]
        assert early["best_epoch"] == int(np.argmax(early["val_score"])) + 1
        after = early["stop_epoch"] - early["best_epoch"]
        assert early["N_ITER_NO_CHANGE"] <= after <= early["N_ITER_NO_CHANGE"] + 1


@pytest.mark.claim
def test_the_r2_figure_hides_only_the_printed_negative_epochs(runs, variant_runs):
    import numpy as np

    for result in [runs[SKLEARN]] + [r for _, r in variant_runs[SKLEARN]]:
        early, printed = result.values, result.markdown
        score = np.array(early["val_score"])
        negative = early["epochs_negative"]
        assert negative > 0
        assert (score[:negative] < 0).all() and score[negative] >= 0
        assert f"for the first {negative} epochs" in printed
        assert score[early["best_epoch"] - 1] <= 1
    (figure,) = runs[SKLEARN].figures
    assert (
        figure["explore"] is None or figure["explore"]["mapping"]["y"]["data"][0] == 0
    )


@pytest.mark.claim
def test_sklearn_and_the_loop_test_losses_differ_both_ways(runs, variant_runs):
    """ "Higher than the patience loop's in most of the runs, but not in all."""
    early = by_seed(runs, variant_runs, SKLEARN)
    loop = by_seed(runs, variant_runs, PATIENCE)
    assert early.keys() == loop.keys()
    higher = [early[s]["test_loss"] > loop[s]["test_loss"] for s in early]
    assert len(higher) / 2 < sum(higher) < len(higher)


@pytest.mark.claim
def test_sklearn_puts_back_the_weights_of_its_best_epoch(early, split):
    """The same fit, cut off at the best epoch, ends with the same network."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.preprocessing import StandardScaler

    X_rest, X_test, y_rest, y_test = split
    scaler = StandardScaler().fit(X_rest)
    model = network(
        max_iter=early["best_epoch"],
        early_stopping=True,
        validation_fraction=early["VALIDATION_FRACTION"],
        n_iter_no_change=early["MAX_EPOCHS"],
        tol=early["TOL"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(scaler.transform(X_rest), y_rest)
    assert model.n_iter_ == early["best_epoch"]
    test_loss = np.mean((model.predict(scaler.transform(X_test)) - y_test) ** 2)
    assert early["test_loss"] == pytest.approx(test_loss, rel=1e-9)


@pytest.mark.claim
def test_patience_loop_stops_patience_epochs_after_its_best(runs, variant_runs):
    import numpy as np

    for patience in by_seed(runs, variant_runs, PATIENCE).values():
        assert patience["best_epoch"] == int(np.argmin(patience["val_loss"])) + 1
        assert patience["stop_epoch"] == patience["best_epoch"] + patience["PATIENCE"]
        assert patience["stop_epoch"] < patience["MAX_EPOCHS"]
        assert len(patience["val_loss"]) == patience["stop_epoch"]


@pytest.mark.claim
def test_patience_restores_the_fixed_runs_epoch_unless_a_later_one_is_lower(
    runs, variant_runs
):
    """The same network as the learning curves, seed for seed: the loop sees the
    first epochs of that run and restores the lowest of them. That is the run's
    own best epoch in some runs the page shows, fewer than half (a stretch without
    a new lowest longer than the patience); where it is not, the fixed run's lowest
    is less than a tenth below the loop's."""
    import numpy as np

    loops = by_seed(runs, variant_runs, PATIENCE)
    curves = by_seed(runs, variant_runs, CURVES)
    assert set(loops) <= set(curves)
    same = []
    for seed, patience in loops.items():
        full = np.array(curves[seed]["val_loss"])
        stop = patience["stop_epoch"]
        np.testing.assert_allclose(patience["val_loss"], full[:stop])
        assert patience["best_epoch"] == int(np.argmin(full[:stop])) + 1
        same.append(patience["best_epoch"] == curves[seed]["best_epoch"])
        assert full.min() > 0.9 * full[:stop].min()
    assert 1 <= sum(same) < len(same) / 2


@pytest.mark.claim
def test_patience_loop_follows_the_same_run_as_the_fixed_one(fixed, patience):
    """Same network, same data: the loop sees the first epochs of the fixed run."""
    import numpy as np

    stop = patience["stop_epoch"]
    np.testing.assert_allclose(patience["val_loss"], fixed["val_loss"][:stop])
    assert patience["stop_epoch"] < fixed["NUM_EPOCHS"]


@pytest.mark.claim
def test_restored_network_is_the_network_of_the_best_epoch(patience, split):
    """Retrain for best_epoch epochs: the test loss is the restored network's."""
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X_rest, X_test, y_rest, y_test = split
    X_train, _, y_train, _ = train_test_split(
        X_rest, y_rest, test_size=0.25, random_state=42
    )
    scaler = StandardScaler().fit(X_train)
    model = network(random_state=np.random.RandomState(patience["SEED"]))
    for _ in range(patience["best_epoch"]):
        model.partial_fit(scaler.transform(X_train), y_train)
    test_loss = np.mean((model.predict(scaler.transform(X_test)) - y_test) ** 2)
    assert patience["test_loss"] == pytest.approx(test_loss, rel=1e-9)


def test_printed_stops_and_test_losses(runs, fixed, patience, early):
    for name, values in ((FIXED, fixed), (PATIENCE, patience), (SKLEARN, early)):
        printed = runs[name].markdown
        assert f"{values['best_epoch']}\n" in printed, name
        assert f"{values['test_loss']:,.0f}" in printed, name


@pytest.mark.claim
def test_without_early_stopping_fit_stops_on_the_training_loss():
    """The admonition: max_iter is a ceiling; tol and n_iter_no_change still apply."""
    from sklearn.datasets import load_diabetes
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    model = MLPRegressor(
        hidden_layer_sizes=(8,),
        learning_rate_init=0.01,
        max_iter=1000,
        tol=10.0,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(X, y)
    assert model.n_iter_ < 1000
    assert model.validation_scores_ is None
    recent = model.loss_curve_[-(model.n_iter_no_change + 1) :]
    assert min(recent) > model.best_loss_ - model.tol


@pytest.mark.claim
def test_sgd_with_an_adaptive_rate_divides_it_by_five_instead_of_stopping():
    """Every epoch a stall (tol is huge): a constant rate stops at the first stall,
    after n_iter_no_change + 2 epochs; the adaptive rate is divided by 5 at each
    stall and training stops only at the stall after it fell to 1e-6 or less."""
    from sklearn.datasets import load_diabetes
    from sklearn.neural_network import MLPRegressor
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    fitted = {}
    for schedule in ("constant", "adaptive"):
        model = MLPRegressor(
            hidden_layer_sizes=(8,),
            solver="sgd",
            learning_rate=schedule,
            learning_rate_init=0.001,
            tol=1e9,
            n_iter_no_change=2,
            max_iter=1000,
            random_state=0,
        )
        model.fit(X, y)
        fitted[schedule] = model
    stall = fitted["constant"].n_iter_no_change + 1
    assert fitted["constant"].n_iter_ == 1 + stall
    divisions = 5  # 0.001 / 5**5 = 3.2e-7 is the first rate at most 1e-6
    assert fitted["adaptive"].n_iter_ == 1 + stall * (divisions + 1)
    assert fitted["adaptive"]._optimizer.learning_rate == pytest.approx(
        0.001 / 5**divisions
    )


@pytest.mark.claim
def test_partial_fit_refuses_early_stopping():
    """Why a loop of partial_fit calls needs its own patience rule."""
    from sklearn.datasets import load_diabetes
    from sklearn.neural_network import MLPRegressor

    X, y = load_diabetes(return_X_y=True)
    model = MLPRegressor(hidden_layer_sizes=(8,), early_stopping=True)
    with pytest.raises(ValueError, match="early_stopping"):
        model.partial_fit(X, y)


def scaled(split):
    """The pages' X_rest, y_rest and X_test, y_test, inputs scaled on X_rest."""
    from sklearn.preprocessing import StandardScaler

    X_rest, X_test, y_rest, y_test = split
    scaler = StandardScaler().fit(X_rest)
    return scaler.transform(X_rest), y_rest, scaler.transform(X_test), y_test


@pytest.mark.claim
def test_sklearn_early_stoppings_seed_also_draws_the_validation_set(split):
    """fit with early_stopping draws the initial weights from random_state, then the
    validation set: the one the weights leave the generator at. The score it records
    after epoch 1 is the restored network's R² on exactly that set; another seed
    sets aside other patients."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split

    X, y, _, _ = scaled(split)
    held_out = []
    for seed in (0, 1):
        after_weights = np.random.RandomState(seed)
        network(shuffle=False, random_state=after_weights).partial_fit(X, y)
        _, X_val, _, y_val = train_test_split(
            X, y, test_size=0.25, random_state=after_weights
        )
        model = network(
            random_state=seed, early_stopping=True, validation_fraction=0.25, max_iter=1
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        assert model.validation_scores_[0] == pytest.approx(model.score(X_val, y_val))
        held_out.append({tuple(row) for row in X_val})
    assert held_out[0] != held_out[1]


@pytest.mark.claim
def test_a_pipeline_scales_with_the_validation_fraction_included(split):
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X_rest, _, y_rest, _ = split
    pipeline = make_pipeline(
        StandardScaler(),
        network(early_stopping=True, validation_fraction=0.25, max_iter=2),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(X_rest, y_rest)
    np.testing.assert_allclose(pipeline[0].mean_, X_rest.mean(axis=0))
    assert len(pipeline[-1].validation_scores_) == 2  # it did split off a set


@pytest.mark.claim
def test_the_default_tol_rarely_triggers_on_a_loss_in_the_thousands(split):
    """fit, default tol and n_iter_no_change, 300 epochs, five seeds: on the raw
    target every run goes to the end; on the standardised target every run stops."""
    from sklearn.exceptions import ConvergenceWarning

    X, y, _, _ = scaled(split)
    standardised = (y - y.mean()) / y.std()
    for seed in range(5):
        stopped = {}
        for name, target in (("raw", y), ("standardised", standardised)):
            model = network(random_state=seed, max_iter=300)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X, target)
            assert model.tol == 1e-4
            stopped[name] = model.n_iter_ < 300
        assert stopped == {"raw": False, "standardised": True}, seed
