"""Golden cases: every ``tests/articles/<slug>.txt`` against its ``<slug>.expected.json``.

See ``tests/golden.py`` for the projection, the annotation conventions and
how each part is compared. ``pytest --update-golden`` rewrites the expected
files from the current output.
"""

from __future__ import annotations

import pytest

import golden


@pytest.mark.model
@pytest.mark.parametrize("slug", golden.slugs())
def test_golden(slug: str, update_golden: bool) -> None:
    record = golden.extract_case(slug)
    expected = golden.load_expected(slug)
    if update_golden:
        path = golden.write_expected(slug, record, expected)
        print(f"rewrote {path}")
        return
    if expected is None:
        pytest.fail(f"{golden.expected_path(slug).name} is missing; run `pytest --update-golden` and review it")
    actual = golden.project(record, golden.expected_types(expected))
    problems = golden.compare(expected, actual)
    if problems:
        lines = "\n  ".join(problems)
        pytest.fail(
            f"{slug}: {len(problems)} difference(s) from {golden.expected_path(slug).name}:\n  {lines}\n"
            f"(if the new output is right: pytest --update-golden, then review the diff)",
            pytrace=False,
        )


def test_every_case_has_expectations() -> None:
    """A .txt without its .expected.json (or the other way round) is a mistake, not a skipped case."""
    texts = set(golden.slugs())
    expected = {p.name.removesuffix(".expected.json") for p in golden.ARTICLES.glob("*.expected.json")}
    assert texts, "no golden cases found in tests/articles"
    assert not expected - texts, f"expected files without an article: {sorted(expected - texts)}"
