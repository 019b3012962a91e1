"""The ``storyline`` command end to end, and the table renderer.

Tests that run the pipeline need the spaCy model and are marked ``model``. The
entity and quote stages may still be stubs: these tests check plumbing
(inputs, order, error records, exit status, schema), not extraction quality.
All texts are written for these tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from storyline import __version__
from storyline.cli.main import main
from storyline.cli.tables import render_table
from storyline.errors import MODEL_MISSING, ModelError
from storyline.model import Entity, ErrorRecord, Issue, Mention, Quote, Record, Span

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "schema" / "article.schema.json"

STORY_A = ' date 2025-01-28  The harbour ferry ran again on Tuesday.\r\n"It feels like spring," said Tomas Berg, a deckhand.\r\n'
STORY_B = "The town choir gave its first concert in the new hall. Ines Duarte, who leads it, said the sound was warm.\n"


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart already


def _invoke(args: list[str], **kwargs: Any) -> Result:
    return _runner().invoke(main, args, catch_exceptions=False, **kwargs)


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def validate() -> Any:
    """Validate one output line against the shared schema (skips when absent)."""
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA_PATH.exists():
        pytest.skip(f"shared schema not found at {SCHEMA_PATH}")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    return validator.validate


def _check_record(rec: dict[str, Any]) -> None:
    """Every span in an article record slices out its own text."""
    text = rec["text"]
    spans = [m for e in rec["entities"] for m in e["mentions"]]
    spans += [q[k] for q in rec["quotes"] for k in ("content", "cue", "source_span") if q.get(k)]
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]


# --- no model needed ------------------------------------------------------------------------


def test_version() -> None:
    result = _invoke(["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_extract_help_names_options() -> None:
    result = _invoke(["extract", "--help"])
    assert result.exit_code == 0
    for option in ("--output", "--published", "--format", "--strict"):
        assert option in result.output


def test_bad_published_is_a_click_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", STORY_B)
    result = _invoke(["extract", str(path), "--published", "last tuesday"])
    assert result.exit_code == 1
    assert "SL108" in result.stderr
    assert "YYYY-MM-DD" in result.stderr
    assert result.stdout == ""


def test_library_error_becomes_click_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise ModelError("the spaCy model package 'x' is not installed; run `make setup`", code=MODEL_MISSING)

    monkeypatch.setattr("storyline.pipeline.load_model", missing)
    result = _invoke(["extract", str(_write(tmp_path / "a.txt", STORY_B))])
    assert result.exit_code == 1
    assert "Error: SL201" in result.stderr and "make setup" in result.stderr


def test_render_table_record() -> None:
    text = '"We kept the lights on all night," said Mara Voss. The mayor thanked the crew.'
    start = text.index("Mara Voss")
    mara = Entity(
        id="e1",
        name="Mara Voss",
        type="PERSON",
        mentions=(Mention(start, start + 9, "Mara Voss", "name"),),
        aliases=("Voss",),
    )
    quotes = (
        Quote(id="q1", kind="direct", content=Span.of(text, 1, 32), speaker="e1", cue=Span.of(text, 35, 39)),
        Quote(id="q2", kind="indirect", content=Span.of(text, 51, len(text)), speaker=None),
    )
    record = Record(
        doc_id="lights",
        text=text,
        published="2024-02-02",
        entities=(mara,),
        quotes=quotes,
        warnings=(Issue("quotes", "SL303", "no speaker found for q2"),),
    )
    table = render_table(record)
    lines = table.splitlines()
    assert lines[0].startswith("== lights") and "2024-02-02" in lines[0]
    assert "1 entities" in lines[0] and "2 quotes" in lines[0] and "1 warnings" in lines[0]
    row1 = next(line for line in lines if "We kept the lights" in line)
    assert "Mara Voss" in row1 and "said" in row1 and "direct" in row1
    row2 = next(line for line in lines if "indirect" in line)
    assert row2.split()[0] == "?"
    assert any("Mara Voss (PERSON) aka Voss" in line for line in lines)
    assert any("SL303" in line for line in lines)


def test_render_table_clips_long_content() -> None:
    text = "word " * 40
    record = Record(doc_id="long", text=text, quotes=(Quote(id="q1", kind="direct", content=Span.of(text, 0, len(text))),))
    row = next(line for line in render_table(record).splitlines() if "direct" in line)
    content = row.split("direct", 1)[1].strip()
    assert len(content) <= 60 and content.endswith("…")


def test_render_table_error_row() -> None:
    err = ErrorRecord("bad", "ingest", "SL102", "bad.txt: not valid UTF-8; convert it to UTF-8")
    row = render_table(err)
    assert "\n" not in row
    assert row.startswith("!! bad") and "SL102" in row and "convert it" in row


# --- end to end (needs the spaCy model) -----------------------------------------------------


@pytest.mark.model
@pytest.mark.shared
def test_jsonl_to_file_in_input_order(tmp_path: Path, validate: Any) -> None:
    a = _write(tmp_path / "ferry.txt", STORY_A)
    b = _write(tmp_path / "choir.txt", STORY_B)
    out = tmp_path / "out.jsonl"
    result = _invoke(["extract", str(b), str(a), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "2 articles, 2 ok, 0 failed" in result.stderr
    records = _lines(out.read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in records] == ["choir", "ferry"]
    for rec in records:
        validate(rec)
        _check_record(rec)
    ferry = records[1]
    assert ferry["text"] == STORY_A  # verbatim: header and CRLF kept
    assert ferry["published"] == "2025-01-28"
    assert ferry["source"]["format"] == "text" and len(ferry["source"]["sha256"]) == 64


@pytest.mark.model
def test_non_ascii_is_written_as_is(tmp_path: Path) -> None:
    path = _write(tmp_path / "cafe.txt", "The caf\u00e9 on Rua Nova reopened, said Jo\u00e3o Lima.\n")
    result = _invoke(["extract", str(path)])
    assert result.exit_code == 0
    assert "caf\u00e9" in result.stdout and "\\u00e9" not in result.stdout


@pytest.mark.model
def test_table_format(tmp_path: Path) -> None:
    a = _write(tmp_path / "ferry.txt", STORY_A)
    missing = tmp_path / "gone.txt"
    result = _invoke(["extract", str(a), str(missing), "--format", "table"])
    assert result.exit_code == 1
    assert "== ferry" in result.stdout and "2025-01-28" in result.stdout
    assert "!! gone" in result.stdout and "SL101" in result.stdout
    assert "{" not in result.stdout.splitlines()[0]
    assert "2 articles, 1 ok, 1 failed" in result.stderr


@pytest.mark.model
@pytest.mark.shared
def test_batch_with_good_and_bad_inputs(tmp_path: Path, validate: Any) -> None:
    good = _write(tmp_path / "choir.txt", STORY_B)
    bad = _write(tmp_path / "latin.txt", "Caf\u00e9 by the river.".encode("latin-1"))
    batch = _write(
        tmp_path / "batch.jsonl",
        json.dumps({"id": "j1", "text": STORY_B, "published": "2024-10-10"}) + "\n{broken\n",
    )
    result = _invoke(["extract", str(good), str(bad), str(batch), str(tmp_path / "nowhere.txt")])
    assert result.exit_code == 1
    records = _lines(result.stdout)
    assert [r["doc_id"] for r in records] == ["choir", "latin", "j1", "batch:2", "nowhere"]
    assert [r.get("error", {}).get("code") for r in records] == [None, "SL102", None, "SL105", "SL101"]
    for rec in records:
        validate(rec)
    assert "5 articles, 2 ok, 3 failed" in result.stderr
    assert "SL102" in result.stderr and "latin.txt" in result.stderr  # failures are named on stderr too


@pytest.mark.model
def test_strict_stops_at_first_failure(tmp_path: Path) -> None:
    good = _write(tmp_path / "a-good.txt", STORY_B)
    bad = _write(tmp_path / "b-empty.txt", "   \n")
    later = _write(tmp_path / "c-later.txt", STORY_A)
    out = tmp_path / "out.jsonl"
    result = _invoke(["extract", str(good), str(bad), str(later), "--strict", "-o", str(out)])
    assert result.exit_code == 1
    records = _lines(out.read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in records] == ["a-good", "b-empty"]  # the failure is still written
    assert records[1]["error"]["code"] == "SL103"
    assert "SL103" in result.stderr and "--strict" in result.stderr


@pytest.mark.model
def test_stdin_and_override_published(tmp_path: Path) -> None:
    result = _invoke(["extract", "-", "--published", "2023-03-03"], input=STORY_B)
    assert result.exit_code == 0, result.stderr
    (rec,) = _lines(result.stdout)
    assert rec["doc_id"] == "stdin" and rec["published"] == "2023-03-03"
    assert "1 article, 1 ok, 0 failed" in result.stderr


@pytest.mark.model
@pytest.mark.shared
def test_console_script_subprocess(tmp_path: Path, validate: Any) -> None:
    script = ROOT / ".venv" / "bin" / "storyline"
    if not script.exists():
        script = Path(sys.executable).parent / "storyline"
    if not script.exists():
        pytest.skip("the storyline console script is not installed; run `make setup`")
    folder = tmp_path / "articles"
    folder.mkdir()
    _write(folder / "ferry.txt", STORY_A)
    _write(folder / "choir.txt", STORY_B)
    _write(folder / "broken.txt", b"\xff\xfe\x00bad")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [str(script), "extract", str(folder), "-o", str(out)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 1, proc.stderr
    assert "3 articles, 2 ok, 1 failed" in proc.stderr
    records = _lines(out.read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in records] == ["broken", "choir", "ferry"]
    for rec in records:
        validate(rec)
