"""Template sources: mistakes that render as text on the page rather than failing."""

from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_comments_open_and_close_on_one_line(path):
    # Django's {# ... #} comment is one line only: one spread over lines shows on the page.
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        assert line.count("{#") == line.count("#}"), f"{path.name}:{number}: use {{% comment %}}"
