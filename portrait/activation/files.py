"""Audience files written atomically: every file is written under a temporary name in its final folder
and renamed (os.replace) once complete, so a failed or killed export leaves no partial file under a
final name. Text files (csv, txt) are split into numbered parts of at most max_bytes each; Parquet
files are split by rows until every part fits."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from portrait.errors import PortraitError

# Rows fetched from DuckDB and written at a time.
BATCH_ROWS = 50_000


class ExportError(PortraitError):
    """An export cannot be written as asked (a limit too small for one row...)."""


@dataclass(frozen=True)
class WrittenFile:
    name: str
    rows: int
    bytes: int
    sha256: str


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def temporary_path(folder: Path, name: str) -> Path:
    """A new empty file in `folder` whose name (`.<name>.<random>.tmp`) no export lists."""
    handle, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    os.close(handle)
    return Path(path)


def publish(temporary: Path, final: Path) -> None:
    """Flushes a complete temporary file to disk and gives it its final name in one step."""
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)


def write_text_atomically(path: Path, text: str) -> None:
    """Writes UTF-8 text to `path` under a temporary name beside it, then renames it into place."""
    temporary = temporary_path(path.parent, path.name)
    try:
        temporary.write_text(text, encoding="utf-8")
        publish(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _zip_into(source: Path, final: Path, inner_name: str) -> Path:
    """The zip of `source` (holding it as `inner_name`), as a temporary file beside `final`."""
    temporary = temporary_path(final.parent, final.name)
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, arcname=inner_name)
    return temporary


class TextPartWriter:
    """Rows into `<stem>.0001.<extension>`, `<stem>.0002...`: csv (with a header) or txt (one value a
    line), UTF-8, `\\n` line ends, each part at most max_bytes (zipped afterwards when asked)."""

    def __init__(self, folder: Path, stem: str, file_format: str, header: list[str], max_bytes: int, zipped: bool):
        self.folder, self.stem, self.file_format, self.zipped = folder, stem, file_format, zipped
        self.header = self._render([header]) if file_format == "csv" else b""
        self.max_bytes = max_bytes
        self.written: list[WrittenFile] = []
        self._handle = None
        self._temporary: Path | None = None
        self._size = 0
        self._rows = 0

    def _render(self, rows) -> bytes:
        if self.file_format == "txt":
            return "".join(f"{row[0]}\n" for row in rows).encode()
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue().encode()

    def _part_name(self) -> str:
        return f"{self.stem}.{len(self.written) + 1:04d}.{self.file_format}"

    def _open_part(self) -> None:
        self._temporary = temporary_path(self.folder, self._part_name())
        self._handle = self._temporary.open("wb")
        self._handle.write(self.header)
        self._size, self._rows = len(self.header), 0

    def _close_part(self) -> None:
        self._handle.close()
        self._handle = None
        name = self._part_name()
        source = self._temporary
        if self.zipped:
            zipped = _zip_into(source, self.folder / f"{name}.zip", name)
            source.unlink()
            source, name = zipped, f"{name}.zip"
        final = self.folder / name
        publish(source, final)
        self.written.append(WrittenFile(name, self._rows, final.stat().st_size, sha256_of(final)))

    def write_rows(self, rows: list[tuple]) -> None:
        """Appends one batch of rows, starting a new part whenever the next row would not fit."""
        if not rows:
            return
        if self._handle is None:
            self._open_part()
        data = self._render(rows)
        if self._size + len(data) <= self.max_bytes:
            self._handle.write(data)
            self._size += len(data)
            self._rows += len(rows)
            return
        for row in rows:
            line = self._render([row])
            if len(self.header) + len(line) > self.max_bytes:
                raise ExportError(f"a part of at most {self.max_bytes:,} bytes cannot hold one row of {self.stem}")
            if self._size + len(line) > self.max_bytes:
                self._close_part()
                self._open_part()
            self._handle.write(line)
            self._size += len(line)
            self._rows += 1

    def close(self) -> list[WrittenFile]:
        if self._handle is not None:
            self._close_part()
        return self.written

    def abandon(self) -> None:
        """Removes the part being written (after an error); finished parts stay."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._temporary is not None:
            self._temporary.unlink(missing_ok=True)


def write_parquet_parts(con, relation: str, columns: list[str], folder: Path, stem: str, max_bytes: int, zipped: bool):
    """The rows of `relation` (a table with a 1-based `row_number` column) as `<stem>.0001.parquet`...,
    as few parts of at most max_bytes as the data allows (rows split evenly, in row_number order)."""
    (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
    if rows == 0:
        return []
    select = ", ".join(f'"{column}"' for column in columns)
    parts = 1
    while True:
        per_part = max(1, math.ceil(rows / parts))
        temporaries = []
        try:
            for part in range(parts):
                name = f"{stem}.{part + 1:04d}.parquet"
                temporary = temporary_path(folder, name)
                con.execute(
                    f"copy (select {select} from {relation} where row_number > ? and row_number <= ?"
                    f" order by row_number) to '{temporary}' (format parquet, compression zstd)",
                    [part * per_part, (part + 1) * per_part],
                )
                temporaries.append((name, temporary, min(per_part, max(rows - part * per_part, 0))))
            largest = max(temporary.stat().st_size for _, temporary, _ in temporaries)
            if largest <= max_bytes:
                return _publish_parts(temporaries, folder, zipped)
            if per_part == 1:
                raise ExportError(f"a part of at most {max_bytes:,} bytes cannot hold one row of {stem}")
            parts = max(parts + 1, math.ceil(parts * largest / max_bytes * 1.1))
        finally:
            for _, temporary, _ in temporaries:
                temporary.unlink(missing_ok=True)


def _publish_parts(temporaries, folder: Path, zipped: bool) -> list[WrittenFile]:
    written = []
    for name, temporary, rows in temporaries:
        source, final_name = temporary, name
        if zipped:
            source, final_name = _zip_into(temporary, folder / f"{name}.zip", name), f"{name}.zip"
        final = folder / final_name
        publish(source, final)
        written.append(WrittenFile(final_name, rows, final.stat().st_size, sha256_of(final)))
    return written
