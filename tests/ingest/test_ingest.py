"""Ingest: every format, every kind of bad input, and batches that keep their good documents."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from armstrace.errors import InputError
from armstrace.ingest import (
    DEFAULT_MAX_BYTES,
    ReadResult,
    Source,
    expand_paths,
    parse_date,
    read_source,
)
from armstrace.jobs import IngestReport, read_documents
from armstrace.records import Document

ARTICLE = (
    "Canada will send a further batch of armoured vehicles to Ukraine, the defence minister "
    "said on Monday, adding that the first of them had already crossed into Poland by rail."
)
OTHER_ARTICLE = (
    "Japan has agreed to export Patriot interceptors to the United States under a revised "
    "policy, which lets it ship parts and finished weapons back to the licence holder."
)
GERMAN = (
    "Die Regierung hat am Dienstag bekannt gegeben, dass weitere Haubitzen an die Ukraine "
    "geliefert werden sollen, wie ein Sprecher des Ministeriums in Berlin sagte."
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def read_one(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    sources, problems = expand_paths([str(path)])
    assert not problems
    (result,) = read_source(sources[0], max_bytes=max_bytes)
    return result


def read_all(paths: list[str]) -> list[ReadResult]:
    """Every result of every source under `paths`, path problems first."""
    sources, problems = expand_paths(paths)
    return problems + [result for source in sources for result in read_source(source)]


def document_of(result: ReadResult) -> Document:
    assert result.document is not None, result.reason
    return result.document


# --- .txt and its header -----------------------------------------------------------------------


def test_txt_header_fields_and_exact_body(tmp_path: Path) -> None:
    body = ARTICLE + "\n\n  Indented second paragraph\twith a tab.\n"
    content = (
        "URL: https://example.org/news/1\nDATE: 2024-03-05\nTITLE: Canada sends vehicles\n"
        "OUTLET: Example Wire\n\n" + body
    )
    result = read_one(write(tmp_path / "C01.txt", content))
    doc = document_of(result)
    assert (doc.name, doc.url, doc.title, doc.outlet) == (
        "C01",
        "https://example.org/news/1",
        "Canada sends vehicles",
        "Example Wire",
    )
    assert doc.published == date(2024, 3, 5)
    assert doc.text == body
    assert doc.origin == str(tmp_path / "C01.txt")
    assert doc.id == Document.make(body, "C01").id
    assert result.warnings == ()


def test_txt_without_header_is_kept_whole(tmp_path: Path) -> None:
    content = "Title line: not a header key\n\n" + ARTICLE
    doc = document_of(read_one(write(tmp_path / "plain.txt", content)))
    assert doc.text == content
    assert (doc.url, doc.title, doc.published) == (None, None, None)


def test_dev_corpus_style_date_is_approximate_with_warning(tmp_path: Path) -> None:
    content = "URL: https://example.org/x\nDATE: unknown (March 2023; reposted later)\n\n" + ARTICLE
    result = read_one(write(tmp_path / "D99.txt", content))
    assert document_of(result).published == date(2023, 3, 1)
    assert any(w.startswith("date approximate: 2023-03-01") for w in result.warnings)


def test_header_without_blank_line_and_header_only(tmp_path: Path) -> None:
    doc = document_of(read_one(write(tmp_path / "a.txt", "DATE: 2023-01-02\n" + ARTICLE)))
    assert doc.text == ARTICLE
    result = read_one(write(tmp_path / "b.txt", "URL: https://example.org\nDATE: 2023-01-02\n\n"))
    assert result.document is None
    assert result.reason == "no text after the header"


@pytest.mark.parametrize(
    "value, expected, approximate",
    [
        ("2024-05-02", date(2024, 5, 2), False),
        ("2024-05-02T10:11:12Z", date(2024, 5, 2), False),
        ("May 2, 2024", date(2024, 5, 2), False),
        ("2 May 2024", date(2024, 5, 2), False),
        ("unknown (May 2023; a defence ministers' meeting)", date(2023, 5, 1), True),
        ("unknown (late October 2022; an audio label)", date(2022, 10, 1), True),
        ("unknown (Sept. 2021)", date(2021, 9, 1), True),
        ("unknown (page stamp 2024-07-24)", date(2024, 7, 24), True),
        ("unknown (2023)", None, False),
        ("unknown (early 2018)", None, False),
        ("2024-13-45", None, False),
        ("", None, False),
    ],
)
def test_parse_date(value: str, expected: date | None, approximate: bool) -> None:
    assert parse_date(value) == (expected, approximate)


# --- .html ------------------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Canada sends vehicles</title>"
        '<meta property="og:site_name" content="Example Wire">'
        '<meta name="date" content="2024-03-05">'
        '<link rel="canonical" href="https://example.org/news/1"></head>'
        "<body><nav><a href='/'>Home</a></nav><article><h1>Canada sends vehicles</h1>"
        f"<p>{ARTICLE}</p><p>{OTHER_ARTICLE}</p></article>"
        "<script>var tracking = 1;</script></body></html>"
    )
    doc = document_of(read_one(write(tmp_path / "page.html", html)))
    assert doc.name == "page"
    assert (doc.title, doc.url, doc.outlet) == (
        "Canada sends vehicles",
        "https://example.org/news/1",
        "Example Wire",
    )
    assert doc.published == date(2024, 3, 5)
    assert ARTICLE in doc.text and OTHER_ARTICLE in doc.text
    assert "tracking" not in doc.text


def test_html_falls_back_to_lxml_when_trafilatura_finds_nothing(tmp_path: Path) -> None:
    # Unclosed cells of a table, which trafilatura is told to leave out.
    html = "<table><tr><td><b>Canada will send</b> more armoured vehicles\n to Ukraine<td>"
    result = read_one(write(tmp_path / "broken.htm", html))
    assert document_of(result).text == "Canada will send more armoured vehicles\nto Ukraine"
    assert any("used lxml text" in w for w in result.warnings)


@pytest.mark.parametrize(
    "html", ["<html><body></body></html>", "<<<< >>>> </ <", "<script>only()</script>"]
)
def test_html_without_text_is_skipped(tmp_path: Path, html: str) -> None:
    result = read_one(write(tmp_path / "empty.html", html))
    assert result.document is None
    assert result.reason is not None and result.reason.startswith("no text")


# --- .jsonl -----------------------------------------------------------------------------------


def test_jsonl_ids_line_numbers_and_origins(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "wire-7", "url": "https://example.org/7", "title": "T", "text": ARTICLE}),
        "",
        json.dumps({"text": OTHER_ARTICLE, "date": "2024-02-01", "outlet": "Example Wire"}),
        json.dumps({"id": 12, "text": ARTICLE + " Later edition."}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    results = read_source(Source(str(path), "jsonl"))
    docs = [document_of(r) for r in results]
    assert [d.name for d in docs] == ["wire-7", "batch:3", "12"]
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:3", f"{path}:4"]
    assert docs[0].url == "https://example.org/7"
    assert (docs[1].published, docs[1].outlet) == (date(2024, 2, 1), "Example Wire")


@pytest.mark.parametrize(
    "line, reason",
    [
        ("{not json", "line 2: not valid JSON"),
        ("[1, 2, 3]", "line 2: not a JSON object"),
        ('"just a string"', "line 2: not a JSON object"),
        ('{"url": "https://example.org"}', 'line 2: no "text" field'),
        ('{"text": "   "}', 'line 2: empty or non-string "text"'),
        ('{"text": 42}', 'line 2: empty or non-string "text"'),
        (json.dumps({"text": GERMAN}), "not English"),
    ],
)
def test_jsonl_bad_line_is_reported_and_the_rest_read(
    tmp_path: Path, line: str, reason: str
) -> None:
    good = json.dumps({"text": ARTICLE})
    path = write(tmp_path / "mixed.jsonl", f"{good}\n{line}\n{good.replace('Monday', 'Friday')}")
    results = read_source(Source(str(path), "jsonl"))
    assert [r.document is not None for r in results] == [True, False, True]
    assert results[1].origin == f"{path}:2"
    assert results[1].reason is not None and results[1].reason.startswith(reason)


def test_jsonl_odd_field_types_become_warnings(tmp_path: Path) -> None:
    record = {"id": True, "title": ["a", "b"], "date": 20240101, "text": ARTICLE}
    result = read_one(write(tmp_path / "odd.jsonl", json.dumps(record)))
    doc = document_of(result)
    assert (doc.name, doc.title, doc.published) == ("odd:1", None, None)
    assert len(result.warnings) == 3


# --- directories, stdin, paths ------------------------------------------------------------------


def test_directory_is_recursive_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    for relative in ["b.txt", "a.HTML", "sub/c.jsonl", "sub/deeper/d.htm", "notes.md"]:
        write(tmp_path / relative, "x")
    write(tmp_path / ".hidden.txt", "x")
    write(tmp_path / ".git" / "e.txt", "x")
    sources, problems = expand_paths([str(tmp_path)])
    assert problems == []
    assert [(Path(s.origin).relative_to(tmp_path).as_posix(), s.kind) for s in sources] == [
        ("a.HTML", "html"),
        ("b.txt", "txt"),
        ("sub/c.jsonl", "jsonl"),
        ("sub/deeper/d.htm", "html"),
    ]


def test_directory_without_known_files_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "notes.md", ARTICLE)
    sources, problems = expand_paths([str(tmp_path)])
    assert sources == []
    assert problems[0].reason is not None and "no readable files" in problems[0].reason


def test_named_file_with_unknown_suffix_is_read_as_text(tmp_path: Path) -> None:
    doc = document_of(read_one(write(tmp_path / "article.md", ARTICLE)))
    assert (doc.name, doc.text) == ("article", ARTICLE)


def test_stdin_text_stream() -> None:
    stream = io.StringIO("TITLE: From a pipe\n\n" + ARTICLE)
    (result,) = read_source(Source("-", "stdin"), stdin=stream)
    doc = document_of(result)
    assert (doc.name, doc.origin, doc.title, doc.text) == ("stdin", "-", "From a pipe", ARTICLE)


def test_stdin_bytes_are_decoded_like_a_file() -> None:
    raw = "The minister\u2019s office said ".encode("cp1252") + ARTICLE.encode()
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    (result,) = read_source(Source("-", "stdin"), stdin=stream)
    assert document_of(result).text.startswith("The minister\u2019s office")
    assert any("Windows-1252" in w for w in result.warnings)


@pytest.mark.parametrize("stdin_text, reason", [("", "empty input"), ("\x00\x01", "binary")])
def test_stdin_bad_input(stdin_text: str, reason: str) -> None:
    (result,) = read_source(Source("-", "stdin"), stdin=io.StringIO(stdin_text))
    assert result.reason is not None and result.reason.startswith(reason)


def test_missing_path_is_a_skipped_result(tmp_path: Path) -> None:
    sources, problems = expand_paths([str(tmp_path / "nope.txt"), "-"])
    assert sources == [Source("-", "stdin")]
    assert problems == [ReadResult(str(tmp_path / "nope.txt"), None, "no such file or directory")]


def test_permission_error_is_a_skipped_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "locked.txt", ARTICLE)
    real_open = os.open

    def deny(name: object, *args: int, **kwargs: object) -> int:
        if Path(str(name)) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)  # root may read anything, so the denial is simulated
    (result,) = read_source(Source(str(path), "txt"))
    assert result.reason == "cannot read: Permission denied"


def test_directory_passed_as_a_file_source(tmp_path: Path) -> None:
    (result,) = read_source(Source(str(tmp_path), "txt"))
    assert result.reason == "is a directory, not a file"


# --- bad content ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"  \n\t\r\n  \n", "no text (empty or only whitespace)"),
        (b"1234 5678 -- 42%\n", "no text (no letters)"),
        (b"%PDF-1.7\n\x00\x00\x01binary\x00stream", "binary file (contains NUL bytes)"),
        (bytes(range(1, 9)) * 40 + b"some words", "binary file ("),
        (GERMAN.encode(), "not English ("),
    ],
)
def test_bad_content_is_skipped_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    result = read_one(write(tmp_path / "bad.txt", content))
    assert result.document is None
    assert result.reason is not None and result.reason.startswith(reason)


def test_file_over_max_bytes_is_skipped_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB actually written
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: pytest.fail("file was read"))
    (result,) = read_source(Source(str(path), "txt"))
    assert result.reason is not None and result.reason.startswith("too large: 52,428,800 bytes")
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize("max_bytes, kept", [(len(ARTICLE) - 1, False), (len(ARTICLE), True)])
def test_max_bytes_is_configurable(tmp_path: Path, max_bytes: int, kept: bool) -> None:
    result = read_one(write(tmp_path / "a.txt", ARTICLE), max_bytes=max_bytes)
    assert (result.document is not None) is kept


def test_max_bytes_must_be_positive() -> None:
    with pytest.raises(InputError, match="max_bytes"):
        read_source(Source("-", "stdin"), max_bytes=0)


@pytest.mark.parametrize(
    "raw, expected_text, warning",
    [
        (b"\xef\xbb\xbf" + ARTICLE.encode(), ARTICLE, None),
        (ARTICLE.replace(", ", ",\r\n").encode(), ARTICLE.replace(", ", ",\n"), None),
        (ARTICLE.replace(", ", ",\r").encode(), ARTICLE.replace(", ", ",\n"), None),
        (
            b"The minister\x92s office said " + ARTICLE.encode(),
            "The minister\u2019s office said " + ARTICLE,
            "Windows-1252",
        ),
        (
            b"Caf\xe9 \x81 owners said " + ARTICLE.encode(),
            "Caf\u00e9 \x81 owners said " + ARTICLE,
            "Latin-1",
        ),
        ("\ufeff".encode("utf-16-le") + ARTICLE.encode("utf-16-le"), ARTICLE, "UTF-16"),
    ],
)
def test_decoding_bom_and_newlines(
    tmp_path: Path, raw: bytes, expected_text: str, warning: str | None
) -> None:
    result = read_one(write(tmp_path / "enc.txt", raw))
    assert document_of(result).text == expected_text
    if warning is None:
        assert result.warnings == ()
    else:
        assert any(warning in w for w in result.warnings)


# --- batches and duplicates ---------------------------------------------------------------------


def test_batch_with_bad_files_still_yields_the_good_ones(tmp_path: Path) -> None:
    write(tmp_path / "01-good.txt", ARTICLE)
    write(tmp_path / "02-binary.txt", b"\x00\x01\x02\x03")
    write(tmp_path / "03-empty.html", b"")
    write(tmp_path / "04-german.txt", GERMAN)
    write(tmp_path / "05-bad.jsonl", "{oops\n" + json.dumps({"text": OTHER_ARTICLE}))
    results = read_all([str(tmp_path), str(tmp_path / "missing.txt")])
    kept = [r.document.name for r in results if r.document is not None]
    assert kept == ["01-good", "05-bad:2"]
    assert len(results) == 7  # the JSONL file gives one result per line
    assert all(r.reason for r in results if r.document is None)


def test_later_copies_of_a_document_are_reported_as_duplicates(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", "URL: https://example.org/copy\n\n" + ARTICLE.upper() + "\n")
    write(tmp_path / "c.txt", OTHER_ARTICLE)
    report = IngestReport()
    names = [document.name for document, _, _ in read_documents([str(tmp_path)], report)]
    assert names == ["a", "c"]
    assert [(o.origin, o.status, o.reason) for o in report.outcomes] == [
        (str(tmp_path / "b.txt"), "duplicate", "same content as a")
    ]


# --- strings and the package surface ----------------------------------------------------------


def test_import_is_light() -> None:
    code = (
        "import sys, armstrace.ingest; print('trafilatura' in sys.modules, 'lxml' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_dev_corpus_reads_as_english(dev_corpus: Path) -> None:
    results = read_all([str(dev_corpus / "texts")])
    assert [r.reason for r in results if r.document is None] == []
    names = [r.document.name for r in results if r.document is not None]
    assert names == [f"D{n:02d}" for n in range(1, 43)]
    assert all(r.document and r.document.url for r in results)


# --- hostile input: each case costs only itself (issue 11) -------------------------------------


def test_utf16_without_a_byte_order_mark_is_detected(tmp_path: Path) -> None:
    for encoding in ("utf-16-le", "utf-16-be"):
        result = read_one(write(tmp_path / f"{encoding}.txt", ARTICLE.encode(encoding)))
        assert document_of(result).text == ARTICLE
        assert result.warnings == (f"no byte-order mark; decoded as {encoding.upper()}",)


def test_a_few_invalid_utf8_bytes_are_replaced_not_fatal(tmp_path: Path) -> None:
    text = ARTICLE.replace("Monday", "Monday \u201cat noon\u201d")
    data = text.encode()
    data = data[:20] + b"\xff" + data[20:60] + b"\xc3" + data[60:]
    result = read_one(write(tmp_path / "broken.txt", data))
    assert "\u201cat noon\u201d" in document_of(result).text
    assert result.warnings == ("2 invalid UTF-8 byte sequence(s) replaced with U+FFFD",)


def test_invisible_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    hidden = "\u200f" + ARTICLE.replace(" ", " \u200b").replace("Ukraine", "Ukr\u00adaine")
    result = read_one(write(tmp_path / "hidden.txt", hidden))
    assert document_of(result).text == ARTICLE
    assert document_of(result).id == Document.make(ARTICLE, "x").id
    assert result.warnings[0].startswith("removed ")


def test_a_blob_without_spaces_is_not_prose(tmp_path: Path) -> None:
    result = read_one(write(tmp_path / "blob.txt", "a" * 100_000))
    assert result.reason is not None and result.reason.startswith("not prose")


@pytest.mark.parametrize("where", ["named", "in a folder"])
def test_fifos_and_sockets_are_reported_never_opened(tmp_path: Path, where: str) -> None:
    import socket

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "good.txt", ARTICLE)
    os.mkfifo(folder / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.txt"))
    try:
        paths = [str(folder / "pipe.txt"), str(folder / "sock.txt")]
        sources, problems = expand_paths(paths if where == "named" else [str(folder)])
    finally:
        server.close()
    reasons = {Path(p.origin).name: p.reason for p in problems}
    assert reasons == {
        "pipe.txt": "not a regular file (a named pipe (FIFO)); only files are read",
        "sock.txt": "not a regular file (a socket); only files are read",
    }
    assert [Path(s.origin).name for s in sources] == ([] if where == "named" else ["good.txt"])


def test_a_fifo_read_directly_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (result,) = read_source(Source(str(tmp_path / "pipe.txt"), "txt"))
    assert result.reason == "not a regular file (a named pipe (FIFO)); only files are read"


def test_each_jsonl_line_stands_alone(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "good-1", "text": ARTICLE}),
        "[" * 100_000 + "]" * 100_000,
        '{"id": "nul", "text": "a NUL \x00 here"}',
        json.dumps({"id": "escaped-nul", "text": ARTICLE + "\x00"}),
        '{"id": "digits", "text": "x", "n": ' + "9" * 5000 + "}",
        json.dumps({"id": "surrogate", "text": ARTICLE + "\ud800", "title": "T\udfff"}),
        json.dumps({"id": "short", "text": "Iran sent drones to Russia."}),
    ]
    results = read_source(Source(str(write(tmp_path / "feed.jsonl", "\n".join(lines))), "jsonl"))
    by_line = {r.origin.rsplit(":", 1)[1]: r for r in results}
    assert [n for n, r in by_line.items() if r.document is not None] == ["1", "6", "7"]
    assert by_line["2"].reason == "line 2: JSON nested too deeply"
    assert (by_line["3"].reason or "").startswith("line 3: not valid JSON (Invalid control")
    assert by_line["4"].reason == "binary content (contains NUL characters)"
    assert (by_line["5"].reason or "").startswith("line 5: unreadable JSON (Exceeds the limit")
    surrogate = document_of(by_line["6"])
    assert surrogate.text.endswith("\ufffd") and surrogate.title == "T\ufffd"
