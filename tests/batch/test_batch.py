"""armstrace batch: planning splits, reading every input kind with its bad input counted (a
broken WARC record, a malformed Parquet row, undecodable text), the Parquet output, loading it
into both databases idempotently, and Spark writing the same claims as local processes. The
texts here are written for these tests."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from armstrace.batch import run_batch, splits
from armstrace.batch.sources import read_split
from armstrace.batch.splits import Split, plan
from armstrace.errors import InputError
from armstrace.resources import data_path

ARTICLE = (
    "Officials in Kyiv said on Monday that a shipment of artillery shells from Poland had "
    "arrived by rail at a depot near Lviv, the second such delivery this month. "
    "The defence ministry in Warsaw confirmed the transfer and said more would follow."
)
OTHER = (
    "The city council voted on Tuesday to extend the opening hours of the public library and "
    "to repair the roof of the swimming pool before the winter season begins in earnest."
)


def write_jsonl(path: Path, rows: list[dict[str, Any] | bytes]) -> Path:
    with path.open("wb") as handle:
        for row in rows:
            handle.write(row if isinstance(row, bytes) else json.dumps(row).encode() + b"\n")
    return path


def origins(split: Split) -> list[tuple[str, str | None]]:
    return [(r.document.name if r.document else "skipped", r.reason) for r in read_split(split)]


def test_jsonl_is_cut_into_line_ranges_that_read_back_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(splits, "JSONL_LINES", 3)
    rows: list[dict[str, Any] | bytes] = [
        {"id": f"d{n}", "text": f"{ARTICLE} Number {n}."} for n in range(8)
    ]
    path = write_jsonl(tmp_path / "feed.jsonl", rows)
    found = plan([str(path)]).splits
    assert [(s.first_line, s.count) for s in found] == [(1, 3), (4, 3), (7, 2)]
    names = [r.document.name for s in found for r in read_split(s) if r.document]
    assert names == [f"d{n}" for n in range(8)]


def test_bad_jsonl_lines_cost_themselves_only(tmp_path: Path) -> None:
    rows: list[dict[str, Any] | bytes] = [
        {"id": "good", "text": ARTICLE},
        b"{not json\n",
        b'{"id": "latin", "text": "' + "Caf\u00e9 ".encode("latin-1") * 3 + b'"}\n',
        {"id": "empty", "text": ""},
        b"\xff\xfe\x00\x00binary\x00\x00\n",
        {"id": "also-good", "text": OTHER},
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl", rows)
    (split,) = plan([str(path)]).splits
    results = list(read_split(split))
    # a few invalid UTF-8 bytes are decoded with a warning, as `ingest` does
    assert [r.document.name for r in results if r.document] == ["good", "latin", "also-good"]
    assert any("UTF-8" in w or "decoded" in w for r in results if r.document for w in r.warnings)
    reasons = [r.reason for r in results if r.document is None]
    assert len(reasons) == 3 and all(reasons)
    assert any("not valid JSON" in str(reason) for reason in reasons)


def test_parquet_rows_are_read_and_a_malformed_row_is_reported(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": ["p1", "p2", "p3", "p4"],
            "url": ["https://example.org/1", None, None, None],
            "title": ["Shells by rail", None, None, None],
            "date": ["2024-03-05", "not a date", None, None],
            "text": [ARTICLE, None, "   ", OTHER],
        }
    )
    path = tmp_path / "archive.parquet"
    pq.write_table(table, path, row_group_size=2)
    found = plan([str(path)]).splits
    results = [r for s in found for r in read_split(s)]
    documents = [r.document for r in results if r.document]
    assert [d.name for d in documents] == ["p1", "p4"]
    assert (
        documents[0].url == "https://example.org/1" and str(documents[0].published) == "2024-03-05"
    )
    reasons = [str(r.reason) for r in results if r.document is None]
    assert reasons and all(reason.startswith("row ") for reason in reasons)


def test_a_file_that_is_not_parquet_is_a_problem_of_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not parquet at all")
    result = plan([str(path), str(tmp_path / "missing.jsonl")])
    assert result.splits == []
    assert [reason.split(" (")[0] for _, reason in result.problems] == [
        "not a readable Parquet file",
        "no such file or folder",
    ]


def warc_record(writer: Any, url: str, html: str) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
    )
    writer.write_record(record)


def page(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p></article></body></html>"
    )


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_warc_responses_are_read_and_a_broken_record_is_skipped(
    tmp_path: Path, gzipped: bool
) -> None:
    from warcio.warcwriter import WARCWriter

    parts = []
    for url, body in (
        ("https://example.org/shells", ARTICLE),
        ("https://example.org/broken", OTHER),
        ("https://example.org/library", OTHER + " The mayor welcomed the vote."),
    ):
        buffer = io.BytesIO()
        warc_record(WARCWriter(buffer, gzip=gzipped), url, page("News", body))
        parts.append(buffer.getvalue())
    middle = bytearray(parts[1])
    if gzipped:  # damage the compressed stream
        middle[len(middle) // 2 : len(middle) // 2 + 40] = b"\x00" * 40
    else:  # damage the record's first line
        middle[:8] = b"GARBAGE!"
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(parts[0] + bytes(middle) + parts[2])
    (split,) = plan([str(path)]).splits
    results = list(read_split(split))
    names = [r.document.name for r in results if r.document]
    assert names == ["https://example.org/shells", "https://example.org/library"]
    (broken,) = [r for r in results if r.document is None]
    assert "broken WARC record" in str(broken.reason) and len(str(broken.reason)) < 300


def test_an_output_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    path = write_jsonl(tmp_path / "feed.jsonl", [{"text": ARTICLE}])
    with pytest.raises(InputError, match="other files"):
        run_batch([str(path)], out)
    assert (out / "precious.txt").exists()


# --- end to end (the pinned model) -----------------------------------------------------------


def parquet_rows(folder: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows = [
        row
        for path in sorted((folder / table).glob("*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def demo_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    folder.mkdir()
    for path in data_path("demo").glob("*.txt"):
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.mark.model
def test_batch_loads_the_same_records_as_ingest_and_again_changes_nothing(
    tmp_path: Path, new_db: Callable[..., str], demo_db: Path
) -> None:
    from armstrace.kb.transfer_records import list_records
    from armstrace.store import open_store

    corpus = demo_articles(tmp_path)
    bad = write_jsonl(tmp_path / "bad.jsonl", [b"{broken\n", {"id": "x", "text": 5}])
    target = new_db("batch")
    report = run_batch([str(corpus), str(bad)], tmp_path / "out", workers=1, db=target)
    assert report.documents == 18 and report.skipped == 2
    assert report.loaded is not None and report.loaded["documents"] == 18
    problems = parquet_rows(tmp_path / "out", "problems")
    assert len(problems) == 2 and all(p["reason"] for p in problems)

    def records(db: str | Path) -> list[dict[str, Any]]:
        with open_store(db) as store:
            return [r.to_dict() for r in list_records(store, limit=None)]

    assert records(target) == records(demo_db)  # the same records as `armstrace ingest`
    with open_store(target) as store:
        before = (store.stats(), store.inputs_version())
    again = run_batch([str(corpus), str(bad)], tmp_path / "out", workers=1, db=target)
    assert again.loaded is not None and again.loaded["documents"] == 0
    assert again.loaded["unchanged"] == 18
    with open_store(target) as store:
        assert (store.stats(), store.inputs_version()) == before
    assert records(target) == records(demo_db)


def spark_available() -> bool:
    if shutil.which("java") is None:
        if os.environ.get("ARMSTRACE_REQUIRE_SPARK") == "1":
            pytest.fail(
                "Java is not installed and ARMSTRACE_REQUIRE_SPARK=1: Spark tests may not skip"
            )
        pytest.skip("Spark needs Java 17 or newer (apt-get install default-jre-headless)")
    pytest.importorskip("pyspark")
    return True


@pytest.mark.model
def test_spark_writes_the_same_rows_as_local_processes(tmp_path: Path) -> None:
    """On the demo corpus, and the shared dev corpora where they are present."""
    spark_available()
    inputs = [str(demo_articles(tmp_path))]
    shared = Path(__file__).resolve().parents[2].parent / "shared"
    inputs += [
        str(shared / name / "texts")
        for name in ("dev-corpus", "dev-corpus-news")
        if (shared / name / "texts").is_dir()
    ]
    local = run_batch(inputs, tmp_path / "local", engine="local", workers=2)
    spark = run_batch(inputs, tmp_path / "spark", engine="spark", master="local[2]")
    assert local.documents == spark.documents > 0
    for table in ("documents", "claims", "quotes", "notes", "problems"):
        assert parquet_rows(tmp_path / "spark", table) == parquet_rows(tmp_path / "local", table), (
            table
        )
