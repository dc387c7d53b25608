"""The screenshot analysis of the browser tests (``pixels.py``) on drawn images: a
line and a band of known colours over a page, and the faint ones it must catch."""

from __future__ import annotations

import io

import pixels
import pytest

WHITE, SLATE = (255, 255, 255), (30, 33, 41)
BLUE = (0, 114, 178)  # Okabe and Ito's blue: 5.19:1 on white, 3.10:1 on slate


def blend(colour, page, alpha):
    return tuple(
        round(alpha * c + (1 - alpha) * p) for c, p in zip(colour, page, strict=True)
    )


def drawn(page, line=BLUE, band=None, line_alpha=1.0):
    """A 200 x 100 figure: a band over rows 30 to 70 (if any), a line 2 px wide
    along rows 49 and 50 at ``line_alpha`` over what is under it, as PNG."""
    import numpy as np
    from PIL import Image

    image = np.zeros((100, 200, 3), dtype=np.uint8)
    image[:] = page
    if band is not None:
        image[30:70, 20:180] = band
    under = image[49:51, 10:190].astype(float)
    image[49:51, 10:190] = (
        line_alpha * np.array(line) + (1 - line_alpha) * under
    ).round()
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def probe(band=True):
    """What the page would say of ``drawn``: the line's points along its middle,
    the band's on a grid inside it (the line's rows among them)."""
    line = {
        "id": "f0-axes0-line0",
        "colour": f"rgb{BLUE}",
        "points": [[x + 0.5, 49.6] for x in range(10, 190, 2)],
    }
    inside = [[x + 0.5, y + 0.5] for x in range(22, 178, 6) for y in range(31, 69, 3)]
    bands = [{"id": "f0-FillBetween_1", "colour": f"rgb{BLUE}", "points": inside}]
    return {"lines": [line], "bands": bands if band else []}


@pytest.mark.parametrize("page", [WHITE, SLATE])
def test_a_line_and_its_band_are_measured_as_drawn(page):
    band = blend(BLUE, page, 0.41)  # the style's opacity for blue
    measured = pixels.measure(drawn(page, band=band), probe())
    assert measured["page"] == pixels.hex_(page)
    (line,), (shaded,) = measured["lines"], measured["bands"]
    assert line["colour"] == "#0072b2"
    expected = {WHITE: 5.19, SLATE: 3.10}[page]
    assert line["contrast"] == pytest.approx(expected, abs=0.01)
    assert shaded["colour"] == pixels.hex_(band) and shaded["line"] == line["id"]
    assert shaded["contrast"] >= 1.5 and shaded["against_line"] >= 2
    assert pixels.problems(measured) == []


def test_a_faint_line_is_caught_by_its_pixels():
    """Blue drawn at 60 % opacity on slate: its stroke colour passes, its pixels
    do not."""
    measured = pixels.measure(drawn(SLATE, line_alpha=0.6), probe(band=False))
    (problem,) = pixels.problems(measured)
    assert problem.startswith("line f0-axes0-line0 drawn rgb(0, 114, 178) shows #")
    assert "under 3.0:1" in problem


def test_a_thin_line_on_a_phone_is_its_colour_where_it_covers_pixels():
    """A line 1.4 px wide covers some pixels fully, some in part: it reads as its
    colour, not as the blend of its edges."""
    import numpy as np
    from PIL import Image

    image = np.full((60, 400, 3), SLATE, dtype=np.uint8)
    rows = (np.arange(400) * 0.05 + 20).astype(int)  # a slope: rows change
    cover = 0.4 + 0.6 * (np.arange(400) % 8 == 0)  # one column in 8 full
    image[rows, np.arange(400)] = [blend(BLUE, SLATE, c) for c in cover]
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    line = {
        "id": "l",
        "colour": f"rgb{BLUE}",
        "points": [[x + 0.5, x * 0.05 + 20.5] for x in range(0, 400, 2)],
    }
    measured = pixels.measure(buffer.getvalue(), {"lines": [line], "bands": []})
    assert measured["lines"][0]["contrast"] == pytest.approx(3.10, abs=0.01)


def test_a_faint_band_and_a_band_like_its_line_are_caught():
    faint = pixels.measure(drawn(WHITE, band=blend(BLUE, WHITE, 0.1)), probe())
    (problem,) = pixels.problems(faint)
    assert problem.startswith("band f0-FillBetween_1 shows #")
    assert "on #ffffff" in problem and "under 1.5:1" in problem
    heavy = pixels.measure(drawn(WHITE, band=blend(BLUE, WHITE, 0.9)), probe())
    (problem,) = pixels.problems(heavy)
    assert "against its line f0-axes0-line0" in problem


def test_a_band_is_read_clear_of_its_line_and_one_under_it_is_left_to_it():
    """Its colour comes from pixels off its line; a band no wider than its line
    (a spread narrower than the line) shows nothing of its own and is no problem."""
    import numpy as np
    from PIL import Image

    band = blend(BLUE, WHITE, 0.41)
    image = np.full((100, 200, 3), WHITE, dtype=np.uint8)
    image[48:52, 20:180] = band  # 4 px: 2 px of line, 1 px either side
    image[49:51, 10:190] = BLUE
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    narrow = probe()
    narrow["bands"][0]["points"] = [
        [x + 0.5, y + 0.5] for x in range(22, 178, 6) for y in range(48, 52)
    ]
    (shaded,) = pixels.measure(buffer.getvalue(), narrow)["bands"]
    assert shaded["under_its_line"] and shaded["colour"] is None
    assert pixels.problems(pixels.measure(buffer.getvalue(), narrow)) == []
    wide = pixels.measure(drawn(WHITE, band=band), probe())
    assert wide["bands"][0]["colour"] == pixels.hex_(band)
    assert not wide["bands"][0].get("under_its_line")


def test_a_line_outside_the_screenshot_is_named():
    gone = probe(band=False)
    gone["lines"][0]["points"] = [[500.0, 500.0]]
    measured = pixels.measure(drawn(WHITE), gone)
    assert pixels.problems(measured) == [
        "line f0-axes0-line0 (rgb(0, 114, 178)): not in the screenshot"
    ]


def test_the_page_s_paths_are_sampled_inside_their_clip_box():
    """A line's path data is read as matplotlib writes it (M, L, z), sampled every
    2 CSS pixels through the SVG's matrix (here 0.5 px a unit, shifted 10 px), and
    cut to the axes' clip box; a band is sampled on a grid inside its outline."""
    matrix = [0.5, 0, 0, 0.5, 10, 10]
    line = {
        "id": "l",
        "colour": "rgb(0, 0, 0)",
        "paths": [{"d": "M 0 0 L 40 0 L 40 100", "matrix": matrix, "clip": None}],
        "marks": [{"xy": [300, 300], "matrix": matrix, "clip": [0, 0, 100, 100]}],
    }
    band = {
        "id": "b",
        "colour": "rgb(0, 0, 0)",
        "d": "M 0 0 L 20 0 L 20 20 L 0 20 z M 100 100 L 120 100 L 120 120 z",
        "matrix": matrix,
        "clip": [0, 0, 50, 50],
    }
    probe = pixels.sampled({"lines": [line], "bands": [band]})
    points = probe["lines"][0]["points"]
    assert points[0] == [10, 10] and points[-1] == [30, 60]
    assert len(points) == 10 + 25 + 1  # 20 px, then 50 px, every 2 px; the end
    inside = probe["bands"][0]["points"]
    assert inside and all(10 <= x <= 20 and 10 <= y <= 20 for x, y in inside)
