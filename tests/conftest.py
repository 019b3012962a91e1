"""Shared pytest options and fixtures.

``--update-golden`` rewrites ``tests/articles/*.expected.json`` from the
current output instead of comparing; review the rewrite in the diff.
"""

from __future__ import annotations

import os

import pytest

# pyarrow (loaded by the Dask shard tests) allocates with jemalloc, whose background thread can
# hold the allocator's lock when a later test forks its worker processes (tests/test_parallel.py
# reaches its stand-ins through fork): the child then waits on that lock for ever. The system
# allocator has no such thread. Set before anything imports pyarrow.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/articles/*.expected.json from the current output (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite the golden files."""
    return bool(request.config.getoption("--update-golden"))
