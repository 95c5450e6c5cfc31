"""Raw text files as the landing step reads them: encoding detected, decoded to UTF-8 once.

Brands' systems write CSV in UTF-8 (with or without a byte-order mark), in GBK / GB18030 (Excel
on a Chinese Windows, most Chinese ERPs) and sometimes in UTF-16. DuckDB's CSV reader reads only
UTF-8 and UTF-16 without an extension, so `prepare_raw_file` decides each file's encoding and,
for anything but plain UTF-8, writes a UTF-8 copy once (kept beside the database and reused while
the file is unchanged). Line breaks are kept, so line numbers in the copy are the original's.

Detection, in order (the first that holds):
1. a byte-order mark: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE;
2. NUL bytes in at least a quarter of the first 4 KiB, mostly at odd (even) offsets: UTF-16 LE (BE)
   without a byte-order mark;
3. the whole file is valid UTF-8: read as it is (no copy);
4. otherwise the lines are classified: a line with non-ASCII bytes is UTF-8 when it decodes as
   UTF-8, else GB18030 (a superset of GBK and GB2312) when it decodes as that. When the UTF-8
   lines are fewer than the GB18030 lines, the file is GB18030 ('gb18030'; a short GBK text such
   as 郑丞 is also valid UTF-8 by chance, so a GBK export has a few such lines); otherwise it is
   decoded line by line, each line in its own encoding ('mixed': a UTF-8 file with a few lines
   pasted from a GBK system).
A line that decodes in neither is written with U+FFFD in place of the bytes that could not be
decoded, and staging quarantines it (`malformed_line_invalid_encoding`, with its file and line).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

REPLACEMENT = "\ufffd"
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_CHUNK = 1 << 24
# A line with an odd number of double quotes: a quoted value that goes on past the line break.
_ODD_QUOTES_LINE = re.compile(rb'^[^"\n]*"(?:[^"\n]*"[^"\n]*")*[^"\n]*$', re.MULTILINE)


@dataclass(frozen=True)
class PreparedFile:
    """How the landing step reads one raw file.

    read_path:   the file DuckDB reads (the original, or its UTF-8 copy)
    encoding:    the encoding detected ('utf-8', 'utf-8-sig', 'gb18030', 'utf-16-le', 'mixed', ...)
    multiline:   some line holds an odd number of double quotes, so a quoted value may span lines
    """

    read_path: str
    encoding: str
    multiline: bool


def detect_encoding(path: Path) -> str:
    """The encoding of a text file by the rules in the module docstring ('mixed': line by line)."""
    with path.open("rb") as file:
        head = file.read(4096)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if head and head.count(0) >= len(head) / 4:
        odd_nuls = head[1::2].count(0)
        return "utf-16-le" if odd_nuls >= head.count(0) / 2 else "utf-16-be"
    if _decodes(path, "utf-8"):
        return "utf-8"
    utf8_lines = gb18030_lines = 0
    with path.open("rb") as file:
        for line in file:
            if line.isascii():
                continue
            if _line_decodes(line, "utf-8"):
                utf8_lines += 1
            elif _line_decodes(line, "gb18030"):
                gb18030_lines += 1
    return "gb18030" if utf8_lines < gb18030_lines else "mixed"


def _line_decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes strictly in `encoding` (read in 16 MiB chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_line(line: bytes, encodings: tuple[str, ...]) -> str:
    """One line in the first of `encodings` it decodes in, else UTF-8 with U+FFFD for bad bytes."""
    for encoding in encodings:
        if _line_decodes(line, encoding):
            return line.decode(encoding)
    return line.decode("utf-8", errors="replace")


def _has_multiline_quotes(path: Path) -> bool:
    """True when a line of a UTF-8 file has an odd number of double quotes."""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            chunk += file.readline()
            if b'"' in chunk and _ODD_QUOTES_LINE.search(chunk):
                return True
    return False


def _write_utf8_copy(source: Path, encoding: str, destination: Path) -> None:
    """Decodes `source` and writes it as UTF-8 (no byte-order mark) to `destination` atomically."""
    partial = destination.with_suffix(".partial")
    with source.open("rb") as raw, partial.open("w", encoding="utf-8", newline="") as out:
        if encoding in ("mixed", "gb18030"):
            encodings = ("utf-8", "gb18030") if encoding == "mixed" else ("gb18030",)
            for line in raw:
                out.write(_decode_line(line, encodings))
        else:
            reader = codecs.getreader(encoding)(raw, errors="replace")
            text = reader.read(_CHUNK).removeprefix("\ufeff")
            while text:
                out.write(text)
                text = reader.read(_CHUNK)
    os.replace(partial, destination)


def prepare_raw_file(path: str, cache_dir: str) -> PreparedFile:
    """How to read the raw file at `path`, writing its UTF-8 copy under `cache_dir` when needed.

    Results are cached in `cache_dir/prepared.json` by path, size and modification time, so an
    unchanged file is not read again. Raises FileNotFoundError for a missing file.
    """
    source = Path(path)
    stat = source.stat()
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    index_path = cache / "prepared.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {}
    key = str(source.resolve())
    stamp = [stat.st_size, stat.st_mtime_ns]
    entry = index.get(key)
    if entry and entry["stamp"] == stamp and Path(entry["file"]["read_path"]).exists():
        return PreparedFile(**entry["file"])

    encoding = detect_encoding(source)
    read_path = str(source)
    if encoding != "utf-8":
        name = hashlib.sha1(key.encode()).hexdigest()[:16]
        destination = cache / f"{name}-{stat.st_size}-{stat.st_mtime_ns}{source.suffix.lower()}"
        for stale in cache.glob(f"{name}-*"):
            stale.unlink()
        _write_utf8_copy(source, encoding, destination)
        read_path = str(destination)
    prepared = PreparedFile(read_path, encoding, _has_multiline_quotes(Path(read_path)))
    index[key] = {"stamp": stamp, "file": asdict(prepared)}
    partial = index_path.with_suffix(".partial")
    partial.write_text(json.dumps(index, ensure_ascii=False, indent=1))
    os.replace(partial, index_path)
    return prepared
