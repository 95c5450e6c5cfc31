"""Turn Frames into raw files (CSV / JSON Lines / Parquet) with DuckDB, chunk by
chunk, apply noise, and record ground-truth rows.

Rows of a file come block of people by block of people (streams.BLOCK), each block's rows
in the source's order (time for most sources), so a file is the same whatever the chunks.
A row's noise is hashed from its identity (Frame.uid): it does not depend on which other
rows are written with it. Files are split into `-partNNNN` files at MAX_ROWS_PER_FILE rows.

CSV and JSONL lines are rendered as text in SQL and written with COPY as a
single unquoted column, which gives full control over quoting, empty strings
and malformed lines:

* CSV: UTF-8, header row, ',' delimiter, '\\n' line ends; a value containing ','
  or '"' is double-quoted with '"' doubled; NULL is an empty field; the empty
  string is written as "".  No value contains a newline.
* JSONL: one object per line, keys in contract order, NULL as null, values as
  JSON strings (numbers for the spec's json_numbers when numeric).
* Parquet: every column VARCHAR.
"""

import os
import shutil
from collections import Counter

import numpy as np

from . import noise
from .frames import ALWAYS, rank_within
from .sources import SPECS
from .sqltext import lit, str_list

MAX_ROWS_PER_FILE = 2_000_000
PARQUET_ROW_GROUP_ROWS = 122_880  # DuckDB's default
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}
FIRST_LINE = {"csv": 2, "jsonl": 1, "parquet": 1}  # line / row number of the first data row


FORMAT_NAMES = ["csv", "jsonl", "parquet"]


def file_format(spec, file_idx: int, mode: str) -> str:
    """The format of one file of a source ("csv", "jsonl" or "parquet") under --format mode."""
    return spec.files[file_idx][1] if mode == "mixed" else mode


def _csv_field(c: str) -> str:
    return (
        f"CASE WHEN {c} IS NULL THEN '' WHEN {c} = '' THEN '\"\"' "
        f"WHEN contains({c}, ',') OR contains({c}, '\"') "
        f"THEN '\"' || replace({c}, '\"', '\"\"') || '\"' ELSE {c} END"
    )


def _join(parts, sep="','"):
    return f" || {sep} || ".join(parts)


def csv_line_sql(cols) -> str:
    fields = [_csv_field(f'"{c}"') for c in cols]
    line = _join(fields)
    short = _join(fields[:-2]) if len(fields) > 2 else fields[0]
    return (
        f"CASE WHEN _noise = 'malformed_line' THEN CASE _v % 3 "
        f"WHEN 0 THEN {line} || ',' || {fields[-1]} "
        f"WHEN 1 THEN {short} ELSE {line} || ',,' END ELSE {line} END"
    )


def _json_value(c: str, number: bool) -> str:
    js = f"coalesce(to_json({c})::VARCHAR, 'null')"
    if number:
        return f"CASE WHEN regexp_full_match({c}, '-?[0-9]+(\\.[0-9]+)?') THEN {c} ELSE {js} END"
    return js


def json_line_sql(cols, numbers) -> str:
    parts = []
    for i, c in enumerate(cols):
        key = ("{" if i == 0 else ",") + f'"{c}":'
        parts.append(lit(key) + " || " + _json_value(f'"{c}"', c in numbers))
    return " || ".join(parts) + " || '}'"


def malformed_json_sql(line: str) -> str:
    """Truncated object, single-quoted keys, or a missing closing brace."""
    return (
        f"CASE WHEN _noise = 'malformed_line' THEN CASE _v % 3 "
        f"WHEN 0 THEN left({line}, length({line}) // 2) "
        f"WHEN 1 THEN replace({line}, '\"', '''') "
        f"ELSE left({line}, length({line}) - 1) END ELSE {line} END"
    )


def record_key_sql(spec) -> str:
    key = " || '|' || ".join(f'"{c}"' for c in spec.key)
    nulls = " OR ".join(f'"{c}" IS NULL' for c in spec.key)
    return f"CASE WHEN _noise = 'malformed_line' OR {nulls} THEN NULL ELSE {key} END"


class SourceWriter:
    """Writes the raw files of the rows observed in a window, chunk by chunk, and their
    ground-truth rows; collects counts for noise_summary.json.

    window: (lo, hi] in epoch seconds: a row is written when lo < Frame.at <= hi (and not before
    its person's `since`). suffix: added to file stems (``_2026-10-01`` for an increment).
    every_file: write a file for every file of a source even without rows (a full data set).
    work_dir: a folder for pieces, removed by the caller.
    """

    def __init__(self, ctx, window: tuple, suffix: str, work_dir: str, every_file: bool):
        self.ctx = ctx
        self.lo, self.hi = window
        self.suffix = suffix
        self.work_dir = work_dir
        self.every_file = every_file
        self.rows_in_stem = Counter()  # (source, stem) -> rows written so far
        self.file_ids = {}  # (source, stem, part) -> id used in pieces
        self.parquet_pieces = {}  # file id -> [piece paths]
        self.truth_pieces = {}  # (source, stem) -> [piece paths]
        self.noise = {}  # source -> Counter of noise kinds
        self.sources = []  # sources written, in order of first write
        self.placeholder_rows = []  # (person numbers, phones) of the current chunk
        self._pieces = 0
        os.makedirs(work_dir, exist_ok=True)

    def write(self, frame, P=None) -> None:
        """Writes the observed rows of one Frame (P: the chunk's people, None for frames without
        people) and appends their ground-truth rows."""
        spec = SPECS[frame.source]
        if frame.source not in self.noise:
            self.noise[frame.source] = Counter()
            self.sources.append(frame.source)
        cols = list(spec.columns) + list(spec.extras)
        missing = set(cols) ^ set(frame.exprs)
        assert not missing, (frame.source, missing)
        has_person = frame.person >= 0
        person = np.maximum(frame.person, 0)
        since = np.where(has_person, P.since[person], ALWAYS) if P is not None else np.full(len(frame), ALWAYS)
        seen = np.flatnonzero((frame.at > self.lo) & (frame.at <= self.hi) & (frame.at >= since))
        if not len(seen):
            return
        block = np.where(has_person, P.block[person], -1) if P is not None else np.full(len(frame), -1)
        order = seen[np.lexsort((frame.uid[seen], frame.order[seen], block[seen], frame.file[seen]))]
        idx, is_dup, u, v = noise.plan_rows(frame.file[order], block[order], frame.uid[order], spec)
        idx = order[idx]
        files = frame.file[idx]
        stem_rows = np.array([self.rows_in_stem[(spec.name, k)] for k in range(len(spec.files))], dtype=np.int64)
        row = stem_rows[files] + rank_within(files)  # rows are grouped by file
        part = row // MAX_ROWS_PER_FILE
        file_id = np.zeros(len(idx), dtype=np.int64)
        for stem, p in set(zip(files.tolist(), part.tolist(), strict=True)):
            key = (spec.name, stem, p)
            file_id[(files == stem) & (part == p)] = self.file_ids.setdefault(key, len(self.file_ids))
        for stem, count in Counter(files.tolist()).items():
            self.rows_in_stem[(spec.name, stem)] += count
        fmts = [FORMAT_NAMES.index(file_format(spec, k, self.ctx.file_format)) for k in range(len(spec.files))]
        first = np.array([FIRST_LINE[FORMAT_NAMES[f]] for f in fmts])[files]
        arr = {k: a[idx] for k, a in frame.arrays.items()}
        arr.update(
            _person=np.where(has_person[idx], P.idx[person[idx]] if P is not None else -1, -1).astype(np.int64),
            _file=file_id,
            _stem=files.astype(np.int64),
            _fmt=np.asarray(fmts, dtype=np.int64)[files],
            _line=row % MAX_ROWS_PER_FILE + first,
            _u=u,
            _v=v.astype(np.int64),
            _dup=is_dup,
        )
        table = self._noisy_table(spec, frame, cols, arr)
        del arr
        self._write_pieces(spec, cols, table, sorted(set(file_id.tolist())))
        self._record(spec, table, sorted(set(files.tolist())))

    def _noisy_table(self, spec, frame, cols, arr) -> str:
        """Table out_<source>: the rendered columns with noise applied, and the row's person,
        file id, stem, line, noise kind and original key."""
        con = self.ctx.con
        con.register("_arr", arr)
        clean = ", ".join(f'({frame.exprs[c]})::VARCHAR AS "{c}"' for c in cols)
        fmt_sql = f"{str_list(FORMAT_NAMES)}[_fmt + 1]"
        noisy = ", ".join(f'{noise.column_sql(spec, c)} AS "{c}"' for c in cols)
        table = f"out_{spec.name}"
        con.execute(f"""
            CREATE OR REPLACE TABLE {table} AS
            SELECT {noisy}, _person, _file, _stem, _fmt, _line, _noise, _v, _key0 FROM (
                SELECT *, {noise.kind_sql(spec, fmt_sql)} AS _noise,
                       {" || '|' || ".join(f'"{c}"' for c in spec.key)} AS _key0 FROM (
                    SELECT {clean}, _person, _file, _stem, _fmt, _line, _u, _v, _dup FROM _arr))""")
        con.unregister("_arr")
        return table

    def _piece(self, ext: str) -> str:
        self._pieces += 1
        return os.path.join(self.work_dir, f"piece{self._pieces:06d}{ext}")

    def part_path(self, file_id: int) -> str:
        """The work file that collects the CSV / JSONL rows of one file part."""
        return os.path.join(self.work_dir, f"file{file_id:05d}.part")

    def _write_pieces(self, spec, cols, table, file_ids) -> None:
        """This chunk's rows of every file part: appended to the part's work file (CSV, JSONL) or
        written as a Parquet piece."""
        con = self.ctx.con
        by_id = {i: key for key, i in self.file_ids.items()}
        for file_id in file_ids:
            _, stem, _ = by_id[file_id]
            fmt = file_format(spec, stem, self.ctx.file_format)
            where = f"FROM {table} WHERE _file = {file_id}"
            if fmt == "parquet":
                piece = self._piece(".parquet")
                sel = ", ".join(f'"{c}"' for c in cols)
                con.execute(f"COPY (SELECT {sel} {where}) TO '{piece}' (FORMAT parquet, COMPRESSION uncompressed)")
                self.parquet_pieces.setdefault(file_id, []).append(piece)
                continue
            if fmt == "csv":
                sql = f"SELECT {csv_line_sql(cols)} AS l {where}"
            else:
                line_sql = json_line_sql(cols, spec.json_numbers)
                sql = f"SELECT {malformed_json_sql('_l')} AS l FROM (SELECT {line_sql} AS _l, _noise, _v {where})"
            piece = self._piece(".txt")
            con.execute(f"COPY ({sql}) TO '{piece}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1f')")
            target = self.part_path(file_id)
            fresh = not os.path.exists(target)
            with open(target, "ab") as out, open(piece, "rb") as src:
                if fresh and fmt == "csv":
                    out.write((",".join(cols) + "\n").encode())
                shutil.copyfileobj(src, out, 1 << 20)
            os.remove(piece)

    def _record(self, spec, table, stems) -> None:
        """Writes the chunk's ground-truth rows (one piece per file stem), keeps its placeholder
        phones and noise counts, and drops its table."""
        con = self.ctx.con
        for stem in stems:
            piece = self._piece(".parquet")
            con.execute(f"""COPY (SELECT {lit(spec.name)} AS source, _file, _line AS line,
                    {record_key_sql(spec)} AS record_key,
                    CASE WHEN _person >= 0 THEN 'P' || lpad((_person + 1)::VARCHAR, 8, '0') END AS person_id,
                    _noise AS noise_kind, CASE WHEN _noise IS NOT NULL THEN _key0 END AS original_record_key
                FROM {table} WHERE _stem = {stem}) TO '{piece}' (FORMAT parquet, COMPRESSION uncompressed)""")
            self.truth_pieces.setdefault((spec.name, stem), []).append(piece)
        if spec.phone and "placeholder_phone" in spec.noise:
            got = con.execute(
                f"SELECT _person, \"{spec.phone}\" FROM {table} WHERE _noise = 'placeholder_phone'"
            ).fetchnumpy()
            self.placeholder_rows.append((got["_person"], got[spec.phone]))
        counts = con.execute(f"SELECT coalesce(_noise, ''), count(*) FROM {table} GROUP BY 1").fetchall()
        self.noise[spec.name].update(dict(counts))
        con.execute(f"DROP TABLE {table}")

    def file_names(self, source: str) -> dict:
        """(stem, part) -> file name of every file of a source (after the last chunk)."""
        spec = SPECS[source]
        names = {}
        for stem, (base, _) in enumerate(spec.files):
            rows = self.rows_in_stem[(source, stem)]
            parts = max(1 if self.every_file else 0, -(-rows // MAX_ROWS_PER_FILE))
            ext = EXTENSIONS[file_format(spec, stem, self.ctx.file_format)]
            for p in range(parts):
                tail = "" if parts == 1 else f"-part{p + 1:04d}"
                names[(stem, p)] = f"{base}{self.suffix}{tail}{ext}"
        return names

    def finish(self, sources, truth_path: str) -> dict:
        """Moves every file of `sources` into raw/<source>/ (files of the same name are replaced),
        writes the ground-truth rows of what was written to truth_path (by source, file, line),
        and returns the summary of each source: raw_rows, clean_rows, noise {kind: rows},
        files {source/name: rows}."""
        con = self.ctx.con
        summary, name_of_id, truth = {}, {}, []
        for source in sources:
            spec = SPECS[source]
            folder = os.path.join(self.ctx.raw_dir, source)
            os.makedirs(folder, exist_ok=True)
            files = {}
            for (stem, p), name in self.file_names(source).items():
                path = os.path.join(folder, name)
                file_id = self.file_ids.get((source, stem, p))
                fmt = file_format(spec, stem, self.ctx.file_format)
                rows = min(MAX_ROWS_PER_FILE, self.rows_in_stem[(source, stem)] - p * MAX_ROWS_PER_FILE)
                files[f"{source}/{name}"] = max(rows, 0)
                if file_id is None:
                    _empty_file(con, spec, fmt, path)
                    continue
                name_of_id[file_id] = name
                if fmt == "parquet":
                    pieces = ", ".join(lit(x) for x in self.parquet_pieces[file_id])
                    # One thread: DuckDB's parallel writer sizes row groups by thread timing, so the
                    # same rows would be written as different bytes from one run to the next (and a
                    # daily landing, which compares checksums, would take the file for a new one).
                    con.execute("SET threads = 1")
                    try:
                        con.execute(
                            f"COPY (SELECT * FROM read_parquet([{pieces}])) TO '{_quoted(path)}'"
                            f" (FORMAT parquet, ROW_GROUP_SIZE {PARQUET_ROW_GROUP_ROWS})"
                        )
                    finally:
                        con.execute("RESET threads")
                else:
                    os.replace(self.part_path(file_id), path)
            for stem in range(len(spec.files)):
                truth += self.truth_pieces.get((source, stem), [])
            kinds = self.noise.get(source, Counter())
            total = sum(files.values())
            summary[source] = {
                "raw_rows": total,
                "clean_rows": int(kinds.get("", 0)),
                "noise": {k: int(kinds.get(k, 0)) for k in noise.RATES if k in spec.noise},
                "files": files,
            }
        names = [name_of_id.get(i, "") for i in range(len(self.file_ids))] or [""]
        if truth:
            pieces = ", ".join(lit(x) for x in truth)
            con.execute(f"""COPY (SELECT source, {str_list(names)}[_file + 1] AS file, line, record_key,
                person_id, noise_kind, original_record_key FROM read_parquet([{pieces}]))
                TO '{_quoted(truth_path)}' (FORMAT parquet)""")
        else:
            con.execute(f"""COPY (SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS file, NULL::BIGINT AS line,
                NULL::VARCHAR AS record_key, NULL::VARCHAR AS person_id, NULL::VARCHAR AS noise_kind,
                NULL::VARCHAR AS original_record_key WHERE false) TO '{_quoted(truth_path)}' (FORMAT parquet)""")
        return summary


def _quoted(path: str) -> str:
    return path.replace("'", "''")


def _empty_file(con, spec, fmt: str, path: str) -> None:
    """A file without rows: a CSV header, an empty JSON Lines file, a Parquet file with the columns."""
    cols = list(spec.columns) + list(spec.extras)
    if fmt == "csv":
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(",".join(cols) + "\n")
    elif fmt == "jsonl":
        open(path, "w").close()
    else:
        sel = ", ".join(f'NULL::VARCHAR AS "{c}"' for c in cols)
        con.execute(f"COPY (SELECT {sel} WHERE false) TO '{_quoted(path)}' (FORMAT parquet)")
