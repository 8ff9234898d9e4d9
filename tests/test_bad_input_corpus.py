"""A hostile corpus, generated here, ingested in one run of the real CLI (issue 11): every input
the README and issue 11 list as bad, mixed with good articles and with English in odd shapes.
The run exits 0 within its hang guard, stores every good document, and reports every bad one by
name with its reason.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

RUN_TIMEOUT = 600  # a hang guard (a FIFO used to block for ever), not a speed limit


def article(number: int, supplier: str, recipient: str, items: str) -> str:
    return (
        f"{supplier} has delivered {items} to {recipient}, officials said on Tuesday in "
        f"statement number {number}. The consignment left by sea and was unloaded at a port "
        "two days later, according to people familiar with the shipment.\n\n"
        "A spokesman for the ministry said the deliveries would continue through the winter."
    )


GOOD_TEXT = {
    "good-plain.txt": article(1, "North Korea", "Russia", "artillery shells"),
    "good-utf16-mark.txt": article(2, "Iran", "Russia", "attack drones"),
    "good-utf16le-no-mark.txt": article(3, "Germany", "Ukraine", "Leopard tanks"),
    "good-utf16be-no-mark.txt": article(4, "France", "Ukraine", "howitzers"),
    "good-rtl-marks.txt": article(5, "Belarus", "Russia", "ammunition"),
    "good-zero-width.txt": article(6, "Poland", "Ukraine", "armoured vehicles"),
    "good-invalid-utf8.txt": article(7, "the United States", "Taiwan", "Harpoon missiles"),
    "good-cp1252.txt": article(8, "Canada", "Ukraine", "armoured vehicles"),
    "good-huge.txt": article(9, "Japan", "the United States", "Patriot interceptors"),
}
GOOD_JSONL = {  # line number -> text
    1: article(10, "Turkey", "Ukraine", "Bayraktar drones"),
    4: "Iran sent drones to Russia.",  # one sentence: short English is kept
}


def encoded(name: str, text: str) -> bytes:
    if name == "good-utf16-mark.txt":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if name == "good-utf16le-no-mark.txt":
        return text.encode("utf-16-le")
    if name == "good-utf16be-no-mark.txt":
        return text.encode("utf-16-be")
    if name == "good-rtl-marks.txt":
        return ("\u200f" + text.replace(" ", " \u200f\u202b")).encode()
    if name == "good-zero-width.txt":
        return text.replace("e", "e\u200b").replace("a", "\u200ca").encode()
    if name == "good-invalid-utf8.txt":
        data = text.replace("officials", "\u201cofficials\u201d").encode()
        return data[:30] + b"\xff" + data[30:90] + b"\xc3\x28" + data[90:]
    if name == "good-cp1252.txt":
        return text.replace("officials", "\u201cofficials\u201d").encode("cp1252")
    if name == "good-huge.txt":  # over spaCy's 5,000,000-character limit (E088)
        return (text + "\n" * 5_100_000 + text.replace("Japan", "Norway")).encode()
    return text.encode()


# name -> (bytes, the start of the reason ingest gives)
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "bad-empty.txt": (b"", "empty file"),
    "bad-blank.txt": (b"  \n\t\r\n  ", "no text (empty or only whitespace)"),
    "bad-no-letters.txt": (b"2024-05-01 12:00 -- 42 / 17 %\n", "no text (no letters)"),
    "bad-nul.txt": (b"%PDF-1.7\n\x00\x01\x02 stream \x00 end", "binary file (contains NUL"),
    "bad-controls.txt": (bytes(range(1, 9)) * 200 + b" words", "binary file ("),
    "bad-german.txt": (
        b"Die Bundesregierung hat am Dienstag weitere Haubitzen an die Ukraine geliefert, wie "
        b"ein Sprecher des Ministeriums in Berlin sagte.",
        "not English (reads as 'de'",
    ),
    "bad-russian.txt": (
        "Министерство обороны сообщило о новых поставках вооружений.".encode(),
        "not English (mostly Cyrillic letters)",
    ),
    "bad-one-letter.txt": (b"a" * 10_000_000, "not prose"),
    "bad-header-only.txt": (b"TITLE: Nothing follows\n\n", "no text after the header"),
    "bad-markup.html": (b"<html><head><script>x=1</script></head><body></body></html>", "no text"),
}
BAD_JSONL = {  # line number -> (line, the start of the reason)
    2: ("{oops", "line 2: not valid JSON"),
    3: ("[" * 100_000 + "]" * 100_000, "line 3: JSON nested too deeply"),
    5: ('{"id": "nul", "text": "a raw \x00 in a line"}', "line 5: not valid JSON"),
    6: ('{"text": 42}', 'line 6: empty or non-string "text"'),
    7: ("[1, 2, 3]", "line 7: not a JSON object"),
}


def build_corpus(root: Path) -> tuple[Path, list[str]]:
    """The corpus folder, and the paths to name on the command line besides it."""
    folder = root / "corpus"
    folder.mkdir()
    for name, text in GOOD_TEXT.items():
        (folder / name).write_bytes(encoded(name, text))
    (folder / "plain-copy.txt").write_bytes(GOOD_TEXT["good-plain.txt"].encode())
    for name, (data, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    with (folder / "bad-oversized.txt").open("wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse, over the default 20 MB limit
    lines = {n: json.dumps({"id": f"line-{n}", "text": t}) for n, t in GOOD_JSONL.items()}
    lines |= {n: line for n, (line, _) in BAD_JSONL.items()}
    (folder / "feed.jsonl").write_text("\n".join(lines[n] for n in sorted(lines)) + "\n")
    os.mkfifo(folder / "bad-fifo.txt")
    (folder / "bad-loop.txt").symlink_to(folder / "bad-loop.txt")
    (folder / "empty-folder").mkdir()
    named_fifo = root / "named-fifo.txt"
    os.mkfifo(named_fifo)
    return folder, [str(named_fifo), str(root / "missing.txt"), str(folder / "empty-folder")]


def test_one_run_stores_the_good_and_reports_the_bad(tmp_path: Path) -> None:
    folder, extra = build_corpus(tmp_path)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "bad-socket.txt"))
    db = tmp_path / "hostile.db"
    try:
        run = subprocess.run(
            [sys.executable, "-m", "armstrace.cli", "ingest", "--db", str(db), str(folder), *extra],
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )
    finally:
        sock.close()
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()

    def reported(origin: str) -> str:
        found = [line for line in lines if f" {origin}" in line and not line.startswith(" ")]
        assert len(found) == 1, (origin, found)
        return found[0]

    for name in GOOD_TEXT:
        assert reported(str(folder / name)).startswith("stored"), name
    for number in GOOD_JSONL:
        assert reported(f"{folder / 'feed.jsonl'}:{number}").startswith("stored")
    for name, (_, reason) in BAD_FILES.items():
        assert reported(str(folder / name)).startswith(f"skipped   {folder / name}: {reason}")
    for number, (_, reason) in BAD_JSONL.items():
        origin = f"{folder / 'feed.jsonl'}:{number}"
        assert reported(origin).startswith(f"skipped   {origin}: {reason}")
    expected = {
        str(folder / "plain-copy.txt"): "duplicate",
        str(folder / "bad-oversized.txt"): "skipped   {}: too large: 26,214,400 bytes",
        str(folder / "bad-fifo.txt"): "skipped   {}: not a regular file (a named pipe (FIFO))",
        str(folder / "bad-socket.txt"): "skipped   {}: not a regular file (a socket)",
        str(folder / "bad-loop.txt"): "skipped   {}: cannot read: Too many levels of symbolic",
        extra[0]: "skipped   {}: not a regular file (a named pipe (FIFO))",
        extra[1]: "skipped   {}: no such file or directory",
        extra[2]: "skipped   {}: directory has no readable files",
    }
    for origin, start in expected.items():
        assert reported(origin).startswith(start.format(origin)), origin

    warnings = run.stdout
    for warning in (
        "decoded as UTF-16",
        "no byte-order mark; decoded as UTF-16-LE",
        "no byte-order mark; decoded as UTF-16-BE",
        "invisible character(s)",
        "invalid UTF-8 byte sequence(s) replaced",
        "decoded as Windows-1252",
    ):
        assert warning in warnings
    stored = len(GOOD_TEXT) + len(GOOD_JSONL)
    assert f"{stored} stored, 0 unchanged, 1 duplicate" in lines[-1]
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        huge = connection.execute(
            "SELECT length(text) FROM documents WHERE name = 'good-huge'"
        ).fetchone()[0]
        pairs = set(connection.execute("SELECT supplier, recipient FROM claims"))
    assert documents == stored
    assert huge > 5_000_000
    # The English that used to be lost as "not English" is extracted like any other.
    assert {("DEU", "UKR"), ("FRA", "UKR"), ("BLR", "RUS"), ("POL", "UKR")} <= pairs
    assert ("NOR", "USA") in pairs  # the article after five million newlines is read too
