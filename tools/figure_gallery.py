"""Every example's figures as the site shows them, and their layout problems.

A figure is judged by looking at it, at the width a reader sees it, in both
palettes. This script runs each example snippet (or the scripts it is given, such
as scikit-learn's gallery examples) outside a build, each in a fresh process,
captures every figure it shows as the engine does, checks it with
``snippet_exec.layout`` and writes into a folder (a new temporary one unless
``--out`` names one):

- ``NAME-N.svg``: the inline SVG the page would carry;
- ``NAME-N-1280-light.png`` (and ``-1280-dark``, ``-390-light``, ``-390-dark``):
  that SVG in the text column of a 1280 px window and of a 390 px phone, in the
  light and the dark palette (drawn by Chromium through Playwright, as the browser
  tests do; skipped, and said so, where either is missing);
- ``NAME-N.txt``: its caption, alt text and layout problems; ``index.html``: all of
  them on one page.

It prints every problem per snippet and figure, and exits with status 1 if there
was any. ``--style none`` renders as the capture alone does (the palette, black as
the page's text colour) without the site style; ``--style default`` with
matplotlib's own defaults, as a reader's plain script draws it. ``--readme`` makes
the README's before/after again (``README_PAIR``): the learning curves with
matplotlib's defaults and in the site style, 1280 px, light.

    .venv/bin/python tools/figure_gallery.py
    .venv/bin/python tools/figure_gallery.py --style none --out /tmp/before
    .venv/bin/python tools/figure_gallery.py path/to/plot_example.py
    .venv/bin/python tools/figure_gallery.py --readme
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import multiprocessing
import os
import re
import runpy
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CHROMIUM = "/usr/bin/chromium"

# Where a page shows a figure: Material's text column at each window width
# (measured in Chromium), and its two palettes' background and text colours.
COLUMNS = {1280: 688, 390: 358}
PALETTES = {
    "light": ("#ffffff", "rgba(0, 0, 0, 0.87)"),
    "dark": ("#1e2129", "rgba(226, 228, 233, 0.82)"),
}


def examples() -> list[Path]:
    """Every example snippet: the scripts under snippets/ but the helpers."""
    return sorted(
        path
        for path in SNIPPETS.rglob("*.py")
        if not any(part.startswith("_") for part in path.relative_to(SNIPPETS).parts)
    )


def slug(path: Path) -> str:
    """A file name for the script's figures: its page folder and its name."""
    try:
        path = path.resolve().relative_to(SNIPPETS)
    except ValueError:
        path = Path(path.name)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(path.with_suffix("")))


README_SCRIPT = SNIPPETS / "underfitting-overfitting" / "learning_curves.py"
README_PAIR = {
    "default": ROOT / "tools" / "figure-gallery" / "before-learning-curves.png",
    "site": ROOT / "tools" / "figure-gallery" / "after-learning-curves.png",
}
"""The README's before/after: its first figure in each style, 1280 px, light."""


def run(path: Path, style_name: str, out: Path) -> dict[str, Any]:
    """Run one script in this (fresh) process and capture its figures in
    ``style_name``: "site", "none" (the capture's palette only) or "default"
    (matplotlib's own)."""
    import matplotlib

    matplotlib.use("module://snippet_exec.backend")
    from snippet_exec import backend, figures, layout

    site_style = style_name == "site"
    if style_name != "default":
        figures.apply_style()
    if site_style:
        from snippet_exec import style

        style.apply_rc()
    name = slug(path)
    shown: list[dict[str, Any]] = []

    def capture(figure) -> None:
        started = time.perf_counter()
        if site_style:
            style.restyle(figure)
        restyled = time.perf_counter() - started
        number = len(shown) + 1
        described = figures.describe(figure, f"f{number}")
        started = time.perf_counter()
        problems = layout.check(figure)
        seconds = time.perf_counter() - started
        stem = f"{name}-{number}"
        (out / f"{stem}.svg").write_text(described["svg"], encoding="utf-8")
        said = [
            f"caption: {described['caption']}",
            f"alt: {described['alt']}",
            *(f"problem: {p}" for p in problems),
        ]
        (out / f"{stem}.txt").write_text("\n".join(said) + "\n", encoding="utf-8")
        shown.append(
            {
                "stem": stem,
                "caption": described["caption"],
                "alt": described["alt"],
                "problems": [str(p) for p in problems],
                "check_seconds": seconds,
                "style_seconds": restyled,
            }
        )

    backend.capture = capture
    error = None
    with (
        tempfile.TemporaryDirectory() as work,
        contextlib.chdir(work),
        contextlib.redirect_stdout(io.StringIO()),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        sys.path.insert(0, str(path.parent))
        sys.argv = [str(path)]
        try:
            runpy.run_path(str(path), run_name="__main__")
            backend.show()  # figures the script left open
        except BaseException:  # a script may raise anything, SystemExit too
            error = traceback.format_exc(limit=-3)
    return {
        "script": str(path),
        "figures": shown,
        "warnings": sorted({f"{w.category.__name__}: {w.message}" for w in caught}),
        "error": error,
    }


def _run_task(task: tuple[Path, str, Path]) -> dict[str, Any]:
    return run(*task)


def screenshots(out: Path, stems: list[str]) -> str:
    """PNGs of each SVG in both palettes at both widths; what was skipped, if so."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "PNGs skipped: Playwright is not installed (it is in .venv)"
    if not Path(CHROMIUM).exists():
        return f"PNGs skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for window, column in COLUMNS.items():
            for palette, (background, colour) in PALETTES.items():
                page = browser.new_page(viewport={"width": window, "height": 800})
                figures = "".join(
                    f'<div class="column" id="{stem}">'
                    f"{(out / f'{stem}.svg').read_text(encoding='utf-8')}</div>"
                    for stem in stems
                )
                page.set_content(
                    f"<style>body{{margin:0;background:{background};color:{colour}}}"
                    f".column{{width:{column}px;padding:8px 0}}"
                    ".column svg{max-width:100%;height:auto;display:block}</style>"
                    + figures
                )
                for stem in stems:
                    page.locator(f"#{stem}").screenshot(
                        path=out / f"{stem}-{window}-{palette}.png"
                    )
                page.close()
        browser.close()
    return ""


def index(out: Path, results: list[dict[str, Any]]) -> None:
    """One page with every figure, its caption, alt text and problems."""
    parts = ["<!doctype html><meta charset=utf-8><title>Figures</title>"]
    for result in results:
        parts.append(f"<h2>{html.escape(result['script'])}</h2>")
        for figure in result["figures"]:
            stem = figure["stem"]
            problems = "".join(f"<li>{html.escape(p)}</li>" for p in figure["problems"])
            parts.append(
                f"<h3>{html.escape(figure['caption'] or stem)}</h3>"
                f'<img src="{stem}-1280-light.png" alt=""> '
                f'<img src="{stem}-390-dark.png" alt="">'
                f"<p>{html.escape(figure['alt'])}</p><ul>{problems}</ul>"
            )
    (out / "index.html").write_text("\n".join(parts), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scripts", nargs="*", type=Path, help="default: every example")
    parser.add_argument("--out", type=Path, help="default: a new temporary folder")
    parser.add_argument("--style", choices=("site", "none", "default"), default="site")
    parser.add_argument("--readme", action="store_true", help="the README's pair")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-png", action="store_true", help="write SVGs only")
    args = parser.parse_args(argv)
    if args.readme:
        return readme()
    scripts = [p.resolve() for p in args.scripts] or examples()
    out = args.out or Path(tempfile.mkdtemp(prefix="figures-"))
    out.mkdir(parents=True, exist_ok=True)
    tasks = [(script, args.style, out) for script in scripts]
    # A fresh process per script: no figure, rcParam or import leaks between them.
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.jobs, maxtasksperchild=1) as pool:
        results = pool.map(_run_task, tasks, chunksize=1)
    found = 0
    for result in results:
        script = Path(result["script"])
        shown = script.relative_to(ROOT) if script.is_relative_to(ROOT) else script
        print(f"{shown}: {len(result['figures'])} figure(s)")
        if result["error"]:
            print(f"  failed:\n{result['error']}")
        for warning in result["warnings"]:
            print(f"  warning: {warning}")
        for number, figure in enumerate(result["figures"], start=1):
            problems = figure["problems"]
            found += len(problems)
            caption = figure["caption"] or "no caption"
            print(
                f"  figure {number} ({caption}): {len(problems)} problem(s); "
                f"restyled in {figure['style_seconds'] * 1000:.0f} ms, "
                f"checked in {figure['check_seconds'] * 1000:.0f} ms"
            )
            for problem in problems:
                print(f"    - {problem}")
    stems = [f["stem"] for r in results for f in r["figures"]]
    skipped = "PNGs skipped (--no-png)" if args.no_png else screenshots(out, stems)
    index(out, results)
    figures_count = len(stems)
    failing = sum(1 for r in results for f in r["figures"] if f["problems"])
    print(
        f"{figures_count} figures from {len(results)} scripts; {failing} with "
        f"problems, {found} problems in all. Written to {out}"
    )
    if skipped:
        print(skipped)
    return 1 if found or any(r["error"] for r in results) else 0


def readme() -> int:
    """Draw the README's before/after (``README_PAIR``) again."""
    import shutil

    for style_name, target in README_PAIR.items():
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            context = multiprocessing.get_context("spawn")
            with context.Pool(1, maxtasksperchild=1) as pool:
                (result,) = pool.map(_run_task, [(README_SCRIPT, style_name, out)])
            if result["error"] or not result["figures"]:
                print(result["error"] or f"{README_SCRIPT}: no figure")
                return 1
            stem = result["figures"][0]["stem"]
            if skipped := screenshots(out, [stem]):
                print(skipped)
                return 1
            shutil.copyfile(out / f"{stem}-1280-light.png", target)
            print(f"{target.relative_to(ROOT)}: {README_SCRIPT.name}, {style_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
