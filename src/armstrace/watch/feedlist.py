"""The list of sources to watch: a text file with one feed URL or local folder per line (`#`
starts a comment), or an OPML file of feed subscriptions. Reading it fails fast, naming the
line, on anything that is neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from armstrace.errors import InputError

__all__ = ["WatchSource", "read_feed_list"]


@dataclass(frozen=True, slots=True)
class WatchSource:
    """One line of the list: a feed URL (RSS or Atom) or a folder of files to ingest."""

    location: str
    kind: str  # "feed" | "folder"
    title: str | None = None


def _opml(text: str, path: str) -> list[WatchSource]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not a readable OPML file ({exc})") from exc
    found = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if url:
            title = outline.get("title") or outline.get("text")
            found.append(WatchSource(url.strip(), "feed", title))
    if not found:
        raise InputError(f"{path}: the OPML file lists no feed (no outline with xmlUrl)")
    return found


def read_feed_list(path: str | Path) -> list[WatchSource]:
    """The sources of a feeds file, in order and without repeats."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the feeds file {path}: {exc}") from exc
    if text.lstrip().startswith("<"):
        sources = _opml(text, str(path))
    else:
        sources = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            line = line.split(" #", 1)[0].strip()  # a trailing comment; a URL's own # stays
            if urlsplit(line).scheme in ("http", "https"):
                sources.append(WatchSource(line, "feed"))
                continue
            folder = (file.parent / line) if not Path(line).is_absolute() else Path(line)
            if folder.is_dir():
                sources.append(WatchSource(str(folder), "folder"))
                continue
            raise InputError(
                f"{path}, line {number}: {line!r} is neither an http(s) feed URL nor a folder"
            )
    unique: dict[str, WatchSource] = {}
    for source in sources:
        unique.setdefault(source.location, source)
    if not unique:
        raise InputError(f"the feeds file {path} lists no feed or folder")
    return list(unique.values())
