"""Quality floor on the 20 small quote cases gathered from other libraries' tests.

Reads ``../shared/data/quote_fixtures.jsonl`` and skips when it is absent. A
case passes when the quotes come out in order with the expected contents and
each expected speaker is the literal ``source_span``. The floor is pinned:
lower it only with a reason in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storyline

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "quote_fixtures.jsonl"
FLOOR = 17  # of 19 cases with inline text, measured 2026-11-29


def _strip(text: str) -> str:
    return text.strip().strip("\"“”'‘’").strip(" ,.")


def _passes(case: dict) -> bool:
    record = storyline.extract(case["text"])
    got = [(_strip(q.content.text), q.source_span.text if q.source_span else None) for q in record.quotes]
    if "expected" in case:
        want = [(_strip(e["content"]), " ".join(e["speaker"]) if e.get("speaker") else None) for e in case["expected"]]
        return [g[0] for g in got] == [w[0] for w in want] and all(
            g[1] == w[1] or (g[1] is None and k > 0) for k, (g, w) in enumerate(zip(got, want))
        )
    want_tokens = case["expected_speaker_tokens"]
    return bool(got) and got[0][1] is not None and got[0][1].split()[-1] == want_tokens[-1]


@pytest.mark.model
@pytest.mark.shared
def test_quote_fixtures_floor() -> None:
    if not FIXTURES.exists():
        pytest.skip("../shared/data/quote_fixtures.jsonl is absent")
    cases = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [c for c in cases if "text" in c]
    passed = [c["text"][:60] for c in cases if _passes(c)]
    assert len(passed) >= FLOOR, f"{len(passed)}/{len(cases)} quote fixtures pass, floor is {FLOOR}"
