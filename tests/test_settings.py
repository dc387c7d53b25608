"""Every concept page says where its numbers hold: a "**Setting:**" line before the
examples it applies to (each one up to the next such line) gives the number of
training examples _N_, the batch size _B_ and the updates per epoch that follow from
them, and the target's scale; where it gives a number of epochs, it is the run's.
The line is prose; these tests check it against the runs of the blocks it stands
for, so that it cannot drift from them. The answers to a page's exercises are not
covered: each exercise says what it changes.
"""

from __future__ import annotations

import math
import re

import pytest
from conftest import ROOT

from snippet_exec import fence

PAGES = [
    "epochs",
    "batches",
    "underfitting-overfitting",
    "choosing-epochs",
    "how-sure-is-the-best-epoch",
    "early-stopping-is-regularisation",
    "learning-rate-batch-size",
    "batch-size-and-learning-rate",
    "learning-rate-schedules",
    "reading-loss-curves",
]
"""The pages whose examples train a model on the Diabetes data."""
SETTING = re.compile(r"^\*\*Setting:\*\* (?P<text>.+?)(?:\n\n|\Z)", re.M | re.S)
NUMBER = r"\d[\d,]*"
N = re.compile(rf"_N_ = (?P<n>{NUMBER})")
EPOCHS = re.compile(rf"(?P<e>{NUMBER}) epochs\b")
B = re.compile(
    rf"_B_ = (?P<b>{NUMBER}(?:(?:,| and) {NUMBER})*)(?: \([^)]*\))?, so "
    rf"(?P<u>{NUMBER}(?:(?:,| and) {NUMBER})*) updates? per epoch"
)


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(NUMBER, text)]


def settings(name: str) -> list[tuple[str, list[str]]]:
    """Each Setting line of the page and the snippets of the blocks it covers."""
    markdown = (ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8")
    lines = [
        (markdown.count("\n", 0, m.start()) + 1, " ".join(m["text"].split()))
        for m in SETTING.finditer(markdown)
    ]
    blocks = [
        (written.line, written.includes[0])
        for written in fence.fences(markdown)
        if written.includes
    ]
    # The exercises at the end change a setting on purpose, each question saying
    # which: the last Setting line covers the blocks up to them, not their answers.
    exercises = re.search(r"^## Exercises$", markdown, re.M)
    last = markdown.count("\n", 0, exercises.start()) + 1 if exercises else math.inf
    found = []
    for i, (start, text) in enumerate(lines):
        end = lines[i + 1][0] if i + 1 < len(lines) else last
        found.append((text, [path for at, path in blocks if start < at < end]))
    uncovered = [path for at, path in blocks if not lines or at < lines[0][0]]
    assert not uncovered, f"{name}: blocks before any Setting line: {uncovered}"
    return found


def training_size(values: dict) -> int:
    """The number of examples the run trains on: its X_train, or what scikit-learn's
    early stopping leaves of X_rest after setting aside its validation fraction, or
    the size of each of the training sets of networks trained side by side."""
    if "train_size" in values:
        return values["train_size"]
    if "VALIDATION_FRACTION" in values:
        whole = len(values["X_rest"])
        return whole - math.ceil(values["VALIDATION_FRACTION"] * whole)
    return len(values["X_train"])


def batch_sizes(values: dict, source: str, n: int) -> list[int]:
    """The run's batch sizes: its constants, or scikit-learn's default."""
    for name in ("batch_sizes", "BATCH_SIZES"):
        if name in values:
            return list(values[name])
    if "BATCH_SIZE" in values:
        return [values["BATCH_SIZE"]]
    assert "batch_size=" not in source, "a batch size that is not a named constant"
    return [min(200, n)]


@pytest.mark.parametrize("name", PAGES)
def test_every_example_states_its_setting(name):
    found = settings(name)
    assert found, f"{name} has no Setting line"
    for text, paths in found:
        assert paths, f"{name}: a Setting line with no example after it: {text}"
        assert N.search(text) and B.search(text), f"{name}: {text}"
        assert "the target in its own units" in text or "standardised" in text, text


@pytest.mark.parametrize("name", PAGES)
def test_settings_agree_with_the_runs(name, runs):
    for text, paths in settings(name):
        n = int(N.search(text)["n"].replace(",", ""))
        found = B.search(text)
        sizes, updates = numbers(found["b"]), numbers(found["u"])
        assert len(sizes) == len(updates), text
        assert updates == [math.ceil(n / b) for b in sizes], text
        for path in paths:
            values = runs[path].values
            source = (ROOT / path).read_text(encoding="utf-8")
            assert training_size(values) == n, (path, text)
            assert batch_sizes(values, source, n) == sizes, (path, text)
            epochs = EPOCHS.search(text)
            if epochs:
                assert values.get("NUM_EPOCHS") == numbers(epochs["e"])[0], (path, text)
            if "standardised" in text:
                assert "target_scaler" in source, (path, text)
            else:
                assert "target_scaler" not in source, (path, text)
