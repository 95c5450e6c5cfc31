"""The limit: DuckDB alone reading the raw files into typed tables, the floor landing + staging is
compared with.

Reads every data file under <raw>/<source>/ (sub-folders included, any case of extension, as the
landing step finds them) with DuckDB's own readers, one table per source folder and format
(`<source>__csv`, `<source>__jsonl`, `<source>__parquet`), in a fresh database file with the
build's thread count and memory limit:

- CSV: `read_csv` with the raw contract's dialect (header row, comma, double quotes) and column
  types auto-detected; a record that does not parse, or whose value does not fit the detected
  type, is skipped (`ignore_errors`), where the build quarantines it;
- JSON Lines: `read_ndjson`, types auto-detected; a line that does not parse becomes a row of
  nulls (`ignore_errors`);
- Parquet: `read_parquet`, the file's own types.

Files of one source and format are read by one statement (`union_by_name`). Text files are read
as UTF-8 (the generated data is); the build also decodes GBK, Big5 and UTF-16. The seconds run from
opening the database to closing it, so writing the tables to the file counts, as it does in the
build.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from portrait.bench import BenchError
from portrait.raw_files import file_format, list_raw_files, list_raw_folders

READERS = {
    "csv": "read_csv({files}, delim = ',', quote = '\"', escape = '\"', header = true, union_by_name = true,"
    " ignore_errors = true)",
    "jsonl": "read_ndjson({files}, union_by_name = true, ignore_errors = true)",
    "parquet": "read_parquet({files}, union_by_name = true)",
}


def raw_tables(raw_dir: Path) -> list[tuple[str, str, list[str]]]:
    """The tables the limit reads: (table name `<source>__<format>`, format, file paths), by source
    folder then format; files that are not CSV, JSON Lines or Parquet are left out. BenchError
    when raw_dir does not exist or holds no data file."""
    folders = list_raw_folders(str(raw_dir))
    if folders is None:
        raise BenchError(f"raw folder {raw_dir} does not exist")
    tables = []
    for folder in folders:
        by_format: dict[str, list[str]] = {}
        for path in list_raw_files(str(raw_dir / folder)):
            kind = file_format(path)
            if kind is not None:
                by_format.setdefault(kind, []).append(path)
        tables += [(f"{folder}__{kind}", kind, by_format[kind]) for kind in READERS if kind in by_format]
    if not tables:
        raise BenchError(f"raw folder {raw_dir} holds no CSV, JSON Lines or Parquet file")
    return tables


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + path.replace("'", "''") + "'" for path in paths) + "]"


def run(raw_dir: Path, db_path: Path, threads: int, memory_limit: str = "8GB", temp_dir: Path | None = None) -> dict:
    """Reads the raw files under raw_dir into tables of a fresh DuckDB file at db_path (removed
    first) with `threads` threads and `memory_limit` (spilling to temp_dir); returns {seconds
    (wall, open to close), rows, files, bytes, threads, database, tables: [{table, format, files,
    rows, columns, typed_columns (columns not VARCHAR), seconds}]}. BenchError when a file cannot
    be read at all."""
    tables = raw_tables(raw_dir)
    db_path.unlink(missing_ok=True)
    Path(f"{db_path}.wal").unlink(missing_ok=True)
    config = {"threads": threads, "memory_limit": memory_limit, "preserve_insertion_order": True}
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    figures = []
    started = time.perf_counter()
    con = duckdb.connect(str(db_path), config=config)
    try:
        for table, kind, files in tables:
            table_started = time.perf_counter()
            try:
                con.execute(f'create table "{table}" as select * from {READERS[kind].format(files=_sql_list(files))}')
            except duckdb.Error as error:
                raise BenchError(f"the limit could not read {table}: {str(error).splitlines()[0]}") from error
            figures.append(
                {"table": table, "format": kind, "files": len(files), "seconds": time.perf_counter() - table_started}
            )
    finally:
        con.close()
    seconds = time.perf_counter() - started
    with duckdb.connect(str(db_path), read_only=True) as con:
        for figure in figures:
            figure["rows"] = con.execute(f'select count(*) from "{figure["table"]}"').fetchone()[0]
            types = [row[1] for row in con.execute(f'describe "{figure["table"]}"').fetchall()]
            figure["columns"], figure["typed_columns"] = len(types), sum(t != "VARCHAR" for t in types)
            figure["seconds"] = round(figure["seconds"], 3)
    return {
        "seconds": round(seconds, 3),
        "rows": sum(figure["rows"] for figure in figures),
        "files": sum(len(files) for _, _, files in tables),
        "bytes": sum(Path(path).stat().st_size for _, _, files in tables for path in files),
        "threads": threads,
        "database": str(db_path),
        "tables": figures,
    }
