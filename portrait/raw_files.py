"""Raw files as the landing step (macros/raw/) reads them.

`list_raw_files` finds a source folder's data files (sub-folders included, such as one folder a
month). `prepare_raw_file` describes one file so that the SQL can read it without failing:

- a CSV or JSON Lines file is decoded to UTF-8 once when it is not plain UTF-8 (see
  portrait/text_encodings.py; the copy is kept in the cache folder beside the database and reused
  while the file is unchanged; line breaks are kept, so line numbers are the original's); its
  column names are read (the CSV header by Python's csv module, the keys of the first JSON
  objects) and whether a quoted value may span lines;
- a Parquet file's columns and types are read with DuckDB;
- a file that cannot be read (a truncated Parquet file, a file that vanished) gets an `error`
  instead, which the landing step turns into one quarantined row naming the file;
- every file gets the SHA-256 checksum of its bytes, by which the landing step knows whether a
  file it landed before has changed (computed again only when size or modification time moved).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import duckdb

from portrait.text_encodings import decoded_lines, detect_encoding

TEXT_EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "json": "jsonl"}
DATA_EXTENSIONS = {**TEXT_EXTENSIONS, "parquet": "parquet"}
JSON_KEY_SAMPLE_LINES = 10_000
_CHUNK = 1 << 24
# A line with an odd number of double quotes: a quoted value that goes on past the line break.
_ODD_QUOTES_LINE = re.compile(rb'^[^"\n]*"(?:[^"\n]*"[^"\n]*")*[^"\n]*$', re.MULTILINE)
# Characters that are not part of a column name: byte-order marks, zero-width and no-break spaces.
_INVISIBLE = re.compile(r"[\ufeff\u200b-\u200d\u2060\u00a0\u3000\s]+")


@dataclass(frozen=True)
class PreparedFile:
    """How the landing step reads one raw file.

    format:     'csv', 'jsonl' or 'parquet' (by the file's extension)
    read_path:  the file DuckDB reads (the original, or its UTF-8 copy)
    encoding:   the encoding detected (text files; 'binary' for Parquet)
    multiline:  some line holds an odd number of double quotes, so a quoted value may span lines
    columns:    CSV: the header's names in order, lower-cased and trimmed; JSON Lines: the keys seen
                in the first JSON_KEY_SAMPLE_LINES lines; Parquet: [name, DuckDB type] pairs
    error:      why the file cannot be read, or None
    size:       the file's size in bytes
    checksum:   SHA-256 of the file's bytes (hex), or None when it cannot be read
    """

    format: str
    read_path: str
    encoding: str = "utf-8"
    multiline: bool = False
    columns: list = field(default_factory=list)
    error: str | None = None
    size: int = 0
    checksum: str | None = None


def list_raw_files(folder: str) -> list[str]:
    """The files under `folder` (sub-folders included, hidden files and folders left out), sorted
    by path; an empty list when the folder does not exist."""
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [os.path.join(parent, name) for name in files if not name.startswith(".")]
    return sorted(found)


def list_raw_folders(raw_dir: str) -> list[str] | None:
    """The sub-folder names of the raw directory (hidden ones left out), sorted; None when it does not exist."""
    if not os.path.isdir(raw_dir):
        return None
    return sorted(entry.name for entry in os.scandir(raw_dir) if entry.is_dir() and not entry.name.startswith("."))


def file_format(path: str) -> str | None:
    """'csv', 'jsonl' or 'parquet' by the extension (any case), or None for other files."""
    return DATA_EXTENSIONS.get(path.rsplit(".", 1)[-1].lower()) if "." in os.path.basename(path) else None


def prepare_raw_file(path: str, cache_dir: str) -> PreparedFile:
    """How to read the raw file at `path` (a data file by `file_format`), writing a UTF-8 copy of a
    text file under `cache_dir` when needed. Results are cached in `cache_dir/prepared.json` by
    path, size and modification time, so an unchanged file is not read again."""
    kind = file_format(path)
    if kind is None:
        raise ValueError(f"{path} is not a CSV, JSON Lines or Parquet file")
    source = Path(path)
    try:
        stat = source.stat()
    except OSError as error:
        return PreparedFile(kind, path, error=str(error.strerror))
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    index_path = cache / "prepared.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {}
    key = str(source.resolve())
    stamp = [stat.st_size, stat.st_mtime_ns]
    entry = index.get(key)
    if entry and entry["stamp"] == stamp and entry["file"].get("checksum"):
        if Path(entry["file"]["read_path"]).exists():
            return PreparedFile(**entry["file"])
    prepared = _describe_parquet(path) if kind == "parquet" else _prepare_text(source, kind, stat, cache)
    prepared = replace(prepared, size=stat.st_size, checksum=_checksum(source))
    index[key] = {"stamp": stamp, "file": asdict(prepared)}
    partial = index_path.with_suffix(".partial")
    partial.write_text(json.dumps(index, ensure_ascii=False, indent=1))
    os.replace(partial, index_path)
    return prepared


def _prepare_text(source: Path, kind: str, stat: os.stat_result, cache: Path) -> PreparedFile:
    detected = detect_encoding(source)
    read_path = source
    if detected.by_line or detected.encoding != "utf-8":
        name = hashlib.sha1(str(source.resolve()).encode()).hexdigest()[:16]
        read_path = cache / f"{name}-{stat.st_size}-{stat.st_mtime_ns}{source.suffix.lower()}"
        for stale in cache.glob(f"{name}-*"):
            stale.unlink()
        partial = read_path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8", newline="") as out:
            out.writelines(decoded_lines(source, detected))
        os.replace(partial, read_path)
    columns = _csv_header(read_path) if kind == "csv" else _json_keys(read_path)
    multiline = kind == "csv" and _has_multiline_quotes(read_path)
    return PreparedFile(kind, str(read_path), detected.encoding, multiline, columns)


def column_name(text: str) -> str:
    """A column name as the contract compares it: lower case, no surrounding or invisible spaces."""
    return _INVISIBLE.sub(" ", text).strip().lower()


def _csv_header(path: Path) -> list[str]:
    """The names of the first line of a UTF-8 CSV file, split by RFC 4180 (csv module)."""
    with path.open(encoding="utf-8", newline="") as file:
        first = file.readline().rstrip("\r\n")
    return [column_name(name) for name in next(csv.reader([first]), [])]


def _json_keys(path: Path) -> list[str]:
    """Every key of the JSON objects in the first JSON_KEY_SAMPLE_LINES lines, in order first seen."""
    keys: dict[str, None] = {}
    with path.open(encoding="utf-8", errors="replace") as file:
        for number, line in enumerate(file):
            if number >= JSON_KEY_SAMPLE_LINES:
                break
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                keys.update(dict.fromkeys(value))
    return list(keys)


def _checksum(path: Path) -> str | None:
    """SHA-256 of a file's bytes as hex, or None when it cannot be read."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def _has_multiline_quotes(path: Path) -> bool:
    """True when a line of a UTF-8 file has an odd number of double quotes."""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            chunk += file.readline()
            if b'"' in chunk and _ODD_QUOTES_LINE.search(chunk):
                return True
    return False


def _describe_parquet(path: str) -> PreparedFile:
    """A Parquet file's [name, type] columns read by DuckDB, or the error that stops it being read."""
    try:
        with duckdb.connect() as con:
            described = con.execute("describe select * from read_parquet(?)", [path]).fetchall()
    except duckdb.Error as error:
        return PreparedFile("parquet", path, "binary", error=str(error).splitlines()[0])
    return PreparedFile("parquet", path, "binary", columns=[[name, data_type] for name, data_type, *_ in described])
