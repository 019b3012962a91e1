"""``storyline bench`` end to end on a few documents: the figures are there and positive (never timed).

Marked ``model``: it loads the bare model and storyline's. The scaled-out run
(2 worker processes and a LocalCluster) is also ``slow``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cli.main import main
from storyline.run.bench import BenchReport, Run, example_corpus, format_bench

RUN_FIELDS = ("times_s", "best_s", "median_s", "docs_per_s", "tokens_per_s", "peak_rss_mb")


def _bench(args: list[str], tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(main, ["bench", *args, "--json", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "storyline / bare parse" in result.output
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def _check_run(run: dict[str, Any], repeats: int) -> None:
    for name in RUN_FIELDS:
        assert name in run, name
    assert len(run["times_s"]) == repeats
    assert all(t > 0 for t in run["times_s"])
    assert run["best_s"] > 0 and run["median_s"] >= run["best_s"]
    assert run["docs_per_s"] > 0 and run["tokens_per_s"] > 0 and run["peak_rss_mb"] > 0


def test_example_corpus_is_repeated_with_distinct_ids() -> None:
    corpus = example_corpus(50_000)
    assert sum(len(a.text) for a in corpus) >= 50_000
    assert len({a.doc_id for a in corpus}) == len(corpus)
    assert len({a.text for a in corpus}) == 9  # the nine examples, unchanged


def test_format_bench_names_every_run_and_ratio() -> None:
    runs = {"bare": Run("bare", "bare", [2.0, 1.0]), "full": Run("full", "one process", [3.0, 2.0]),
            "workers_2": Run("workers_2", "2 procs", [3.0, 2.5], start=1.5, workers=2, start_in_times=True)}
    report = BenchReport("c", 10, 1000, 200, 3, 2, runs)
    assert report.ratios == {"full_vs_bare": 0.5, "workers_2_vs_1": 2.0}  # 2 / (2.5 - 1.5)
    table = format_bench(report)
    for words in ("10 documents", "200 tokens", "2.00, 1.00", "0.50", "2 worker processes / 1 process: 2.00"):
        assert words in table


@pytest.mark.model
def test_bench_on_a_few_documents(tmp_path: Path) -> None:
    data = _bench(["--limit", "3", "--warmup", "1"], tmp_path)
    assert data["corpus"]["docs"] == 3
    assert data["corpus"]["chars"] > 0 and data["corpus"]["tokens"] > 0
    assert data["repeats"] == 2
    assert set(data["runs"]) == {"bare", "full"}
    for run in data["runs"].values():
        _check_run(run, 2)
    assert data["ratios"]["full_vs_bare"] > 0


@pytest.mark.model
@pytest.mark.slow
def test_bench_scaled_out(tmp_path: Path) -> None:
    data = _bench(["--limit", "8", "--warmup", "1", "--repeat", "1", "--workers", "2", "--dask", "local"],
                  tmp_path)
    assert set(data["runs"]) == {"bare", "full", "workers_2", "dask"}
    for run in data["runs"].values():
        _check_run(run, 1)
    assert data["runs"]["workers_2"]["start_s"] > 0 and data["runs"]["dask"]["start_s"] > 0
    assert data["runs"]["dask"]["workers"] == 2
    assert data["ratios"]["workers_2_vs_1"] > 0 and data["ratios"]["dask_vs_workers_2"] > 0
