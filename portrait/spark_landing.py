"""The file side of the landing step on Spark (macros/raw/, `spark__land_raw_sources`).

Spark runs this module as a script transformation (`select transform(...) using 'python -m
portrait.spark_landing'`), so that raw files are listed, their encodings detected and decoded and
their headers read by the same Python code as on DuckDB (portrait/raw_files.py): one input line,
a JSON object {"raw_dir", "cache_dir", "folders": {identifier: folder path}}; one output line, a
JSON object {"found_folders": [...] or null, "files": {identifier: [[path, format, prepared], ...]}}
where prepared is `prepare_raw_file`'s description (null for a file of another kind). Spark's
file sources skip files whose names start with `_` or `.` (Hadoop's hidden files), so such a
file's read_path is a symbolic link to it in the cache folder under another name.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from portrait.raw_files import file_format, list_raw_files, list_raw_folders, prepare_raw_file


def describe(request: dict) -> dict:
    cache_dir = os.path.abspath(request["cache_dir"])
    files = {}
    for identifier, folder in request["folders"].items():
        found = []
        for path in list_raw_files(folder):
            kind = file_format(path)
            prepared = asdict(prepare_raw_file(path, cache_dir)) if kind else None
            if prepared and os.path.basename(prepared["read_path"]).startswith(("_", ".")):
                prepared["read_path"] = _visible_link(prepared["read_path"], cache_dir)
            found.append([path, kind, prepared])
        files[identifier] = found
    return {"found_folders": list_raw_folders(request["raw_dir"]), "files": files}


def _visible_link(path: str, cache_dir: str) -> str:
    """A symbolic link to `path` in `cache_dir`/spark_links whose name Spark does not skip."""
    folder = Path(cache_dir) / "spark_links"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / f"{hashlib.sha1(path.encode()).hexdigest()[:16]}-{os.path.basename(path).lstrip('_.')}"
    if not (link.is_symlink() and os.readlink(link) == os.path.abspath(path)):
        link.unlink(missing_ok=True)
        link.symlink_to(os.path.abspath(path))
    return str(link)


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            # ASCII only, and no tab or line break (JSON escapes them): one field, one line.
            print(json.dumps(describe(json.loads(line)), ensure_ascii=True), flush=True)


if __name__ == "__main__":
    main()
