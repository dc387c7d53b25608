"""The claims of the epochs page (docs/epochs.md), checked on the snippets' results."""

import re
import warnings

import numpy as np
import pytest
from conftest import page, svg_coordinate
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

from snippet_exec.shared import shown

LOSS_PER_EPOCH = "snippets/epochs/loss_per_epoch.py"
CHOOSE_ON_VALIDATION = "snippets/epochs/choose_on_validation.py"


@pytest.fixture(scope="module")
def seed(runs):
    return runs[LOSS_PER_EPOCH].values


@pytest.fixture(scope="module")
def repaired(runs):
    return runs[CHOOSE_ON_VALIDATION].values


def test_one_loss_per_epoch(seed):
    assert (
        len(seed["train_loss"]) == len(seed["val_loss"]) == seed["NUM_EPOCHS"] == 5000
    )
    assert seed["epochs"][0] == 1
    assert seed["epochs"][-1] == seed["NUM_EPOCHS"]


def test_validation_minimum_is_strictly_inside_the_run(seed):
    assert 1 < seed["best_epoch"] < seed["NUM_EPOCHS"]


def test_best_epoch_is_counted_from_one(seed):
    assert seed["best_epoch"] == int(np.argmin(seed["val_loss"])) + 1


def test_overfitting_after_the_best_epoch(seed):
    best = seed["best_epoch"] - 1
    assert seed["val_loss"][-1] > seed["val_loss"][best]
    assert seed["train_loss"][-1] < seed["train_loss"][best]


def test_printed_numbers_are_the_results(runs, seed):
    printed = runs[LOSS_PER_EPOCH].markdown
    best = seed["best_epoch"]
    assert f"{seed['val_loss'][best - 1]:,.0f}, after epoch {best:,}" in printed
    assert f"training loss {seed['train_loss'][-1]:,.0f}" in printed
    assert f"validation loss {seed['val_loss'][-1]:,.0f}" in printed


def test_figure_marks_the_best_epoch(runs, seed):
    (figure,) = runs[LOSS_PER_EPOCH].figures
    assert f"a vertical line at epoch {seed['best_epoch']:,}" in figure["alt"]
    assert figure["axes"][0]["xlabel"] == "Epoch"


def test_repaired_choice_uses_validation_then_tests_once(runs, repaired):
    assert repaired["best_epoch"] == int(np.argmin(repaired["val_loss"])) + 1
    assert 1 < repaired["best_epoch"] < repaired["NUM_EPOCHS"]
    printed = runs[CHOOSE_ON_VALIDATION].markdown
    assert f"validation data: {repaired['best_epoch']:,}" in printed
    assert f"that epoch: {repaired['test_loss']:,.0f}" in printed


def test_honest_test_loss_is_higher_than_the_seeds_test_chosen_loss(seed, repaired):
    """The page says so: choosing on the test split flatters the reported loss."""
    assert repaired["test_loss"] > min(seed["val_loss"])


def test_partial_fit_is_one_epoch_and_ignores_max_iter():
    """The admonition: one pass per call, max_iter ignored, n_iter_ is 1, t_ counts."""
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


def test_fit_counts_epochs_in_n_iter():
    X, y = load_diabetes(return_X_y=True)
    model = MLPRegressor(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    assert model.n_iter_ == 3
    assert model.t_ == 3 * len(X)


def test_built_page_shows_the_regenerated_results(site, seed, repaired):
    site_dir, _ = site
    html = page(site_dir, "epochs")
    assert html.count('<figure class="snippet-exec">\n<svg role="img"') == 1
    assert f"after epoch {seed['best_epoch']:,}" in html
    assert f"validation data: {repaired['best_epoch']:,}" in html
    assert "snippet-exec-block" not in html


def test_explorable_figure_holds_both_losses_of_the_run(runs, seed):
    (figure,) = runs[LOSS_PER_EPOCH].figures
    data = figure["explore"]
    assert data["xlabel"] == "Epoch"
    epochs = data["x"]  # thinned to the drawing's resolution
    assert epochs[0] == 1 and epochs[-1] == seed["NUM_EPOCHS"]
    assert epochs == sorted(set(epochs)) and 500 < len(epochs) < seed["NUM_EPOCHS"]
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


def test_built_page_makes_the_loss_figure_explorable(site):
    site_dir, _ = site
    html = page(site_dir, "epochs")
    assert html.count('class="snippet-exec-explore"') == 1
    assert 'src="../javascripts/explore.js"' in html
