"""The claims of the iterations page (docs/iterations.md), on the snippets' results."""

import math
import warnings

import pytest

COUNT = "snippets/iterations/count_iterations.py"
SKLEARN = "snippets/iterations/sklearn_counters.py"


@pytest.fixture(scope="module")
def counted(runs):
    return runs[COUNT].values


@pytest.fixture(scope="module")
def sklearn(runs):
    return runs[SKLEARN].values


def test_cases_include_n_not_a_multiple_of_b(counted):
    assert any(n % b for n, b in counted["CASES"])
    assert any(n % b == 0 for n, b in counted["CASES"])
    assert [1000, 100] in counted["CASES"]
    assert [353, 200] in counted["CASES"]


@pytest.mark.claim
def test_counted_iterations_are_ceil_n_over_b_times_epochs(counted):
    epochs = counted["NUM_EPOCHS"]
    for (n, b), count in zip(counted["CASES"], counted["iterations"], strict=True):
        assert count == math.ceil(n / b) * epochs, (n, b)


@pytest.mark.claim
def test_dropping_the_last_batch_gives_floor_n_over_b(counted):
    epochs = counted["NUM_EPOCHS"]
    pairs = zip(counted["CASES"], counted["iterations_dropping_last"], strict=True)
    for (n, b), count in pairs:
        assert count == (n // b) * epochs, (n, b)


@pytest.mark.claim
def test_every_batch_size_from_1_to_n(counted):
    n = counted["NUM_EXAMPLES"]
    assert counted["batch_size_range"] == list(range(1, n + 1))
    for b, kept, dropped in zip(
        counted["batch_size_range"],
        counted["per_epoch"],
        counted["per_epoch_dropping_last"],
        strict=True,
    ):
        assert kept == math.ceil(n / b)
        assert dropped == n // b


@pytest.mark.claim
def test_1000_examples_in_batches_of_100_make_10_iterations(runs, counted):
    """The first row of the printed table, as the page describes it."""
    assert counted["CASES"][0] == [1000, 100]
    assert "| 1,000 | 100 | 10 | 100 |" in runs[COUNT].markdown


@pytest.mark.claim
def test_353_in_batches_of_200_make_one_full_and_one_partial_batch(runs, counted):
    """The second row: 2 iterations an epoch, the last batch of 153."""
    assert counted["CASES"][1] == [353, 200]
    assert "| 353 | 200 | 2 | 153 |" in runs[COUNT].markdown


@pytest.mark.claim
def test_batches_of_32_leave_a_last_batch_of_one_patient(runs, counted):
    """The third row."""
    assert counted["CASES"][2] == [353, 32]
    assert "| 353 | 32 | 12 | 1 |" in runs[COUNT].markdown


@pytest.mark.claim
def test_sklearn_max_iter_and_n_iter_count_epochs(sklearn):
    assert sklearn["epochs_run"] == [sklearn["NUM_EPOCHS"]] * len(
        sklearn["BATCH_SIZES"]
    )


@pytest.mark.claim
def test_sklearn_t_counts_examples_seen(sklearn):
    assert sklearn["num_examples"] == 353
    seen = sklearn["NUM_EPOCHS"] * sklearn["num_examples"]
    assert sklearn["examples_seen"] == [seen] * len(sklearn["BATCH_SIZES"])


@pytest.mark.claim
def test_sklearn_updates_are_epochs_times_ceil_n_over_b(runs, sklearn):
    n, epochs = sklearn["num_examples"], sklearn["NUM_EPOCHS"]
    expected = [epochs * math.ceil(n / b) for b in sklearn["BATCH_SIZES"]]
    assert sklearn["updates"] == expected
    printed = runs[SKLEARN].markdown
    for update in sklearn["updates"]:
        assert f"| {update} | {update} |" in printed


@pytest.mark.claim
def test_dropping_halves_an_epoch_when_b_is_over_half_of_n(counted):
    n = counted["NUM_EXAMPLES"]
    for b, kept, dropped in zip(
        counted["batch_size_range"],
        counted["per_epoch"],
        counted["per_epoch_dropping_last"],
        strict=True,
    ):
        if n / 2 < b < n:
            assert (kept, dropped) == (2, 1), b


@pytest.mark.claim
def test_verbose_prints_one_iteration_line_per_epoch(capsys):
    """The admonition: scikit-learn's "Iteration" lines are epochs."""
    from sklearn.datasets import load_diabetes
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    X, y = load_diabetes(return_X_y=True)
    model = MLPRegressor(
        hidden_layer_sizes=(8,), batch_size=32, max_iter=3, verbose=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("Iteration ") for line in lines) == 3 == model.n_iter_
