"""Turn a Frame into raw files (CSV / JSON Lines / Parquet) with DuckDB, apply
noise, and record ground-truth rows.

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

import numpy as np

from . import noise
from .frames import rank_within
from .sources import SPECS
from .sqltext import lit, str_list

MAX_ROWS_PER_FILE = 2_000_000
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}
FIRST_LINE = {"csv": 2, "jsonl": 1, "parquet": 1}  # line / row number of the first data row


def file_format(spec, file_idx: int, mode: str) -> str:
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
    """Writes one source; collects counts for noise_summary.json."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.summary = {}
        self.placeholder_rows = []
        ctx.con.execute(
            "CREATE OR REPLACE TABLE gt_rows (source VARCHAR, file VARCHAR, line BIGINT, "
            "record_key VARCHAR, person_id VARCHAR, noise_kind VARCHAR, "
            "original_record_key VARCHAR)"
        )

    def write(self, frame):
        """Writes one source's Frame as its raw files (noise applied, files split at
        MAX_ROWS_PER_FILE rows), appends its ground-truth rows, and returns its summary:
        raw_rows, clean_rows, noise {kind: rows}, files {path: rows}."""
        ctx = self.ctx
        spec = SPECS[frame.source]
        cols = list(spec.columns) + list(spec.extras)
        missing = set(cols) ^ set(frame.exprs)
        assert not missing, (frame.source, missing)
        # final row order: by file, then the builder's order
        order = np.lexsort((frame.order, frame.file))
        idx, is_dup, u, v = noise.plan_rows(frame.file[order], spec, ctx.rng("noise:" + frame.source))
        idx = order[idx]
        names, file_fmt, fileno, line = _layout(spec, frame.file[idx], ctx.file_format)
        arr = {k: a[idx] for k, a in frame.arrays.items()}
        arr.update(
            _person=frame.person[idx].astype(np.int64),
            _fileno=fileno,
            _line=line,
            _u=u,
            _v=v.astype(np.int64),
            _dup=is_dup,
        )
        table = self._noisy_table(spec, frame, cols, arr, file_fmt)
        del arr
        rows_per_file = self._write_files(spec, cols, table, names, file_fmt)
        return self._record(spec, table, names, rows_per_file)

    def _noisy_table(self, spec, frame, cols, arr, file_fmt) -> str:
        """Table out_<source>: the rendered columns with noise applied, and the row's person,
        file number, line, noise kind and original key."""
        con = self.ctx.con
        con.register("_arr", arr)
        clean = ", ".join(f'({frame.exprs[c]})::VARCHAR AS "{c}"' for c in cols)
        fmt_sql = f"{str_list(file_fmt)}[_fileno + 1]"
        noisy = ", ".join(f'{noise.column_sql(spec, c)} AS "{c}"' for c in cols)
        table = f"out_{spec.name}"
        con.execute(f"""
            CREATE OR REPLACE TABLE {table} AS
            SELECT {noisy}, _person, _fileno, _line, _noise, _v, _key0 FROM (
                SELECT *, {noise.kind_sql(spec, fmt_sql)} AS _noise,
                       {" || '|' || ".join(f'"{c}"' for c in spec.key)} AS _key0 FROM (
                    SELECT {clean}, _person, _fileno, _line, _u, _v, _dup FROM _arr))""")
        con.unregister("_arr")
        return table

    def _write_files(self, spec, cols, table, names, file_fmt) -> dict:
        """Every file of the source under raw/<source>/; returns {file number: rows}."""
        con = self.ctx.con
        folder = os.path.join(self.ctx.raw_dir, spec.name)
        os.makedirs(folder, exist_ok=True)
        rows_per_file = dict(con.execute(f"SELECT _fileno, count(*) FROM {table} GROUP BY 1").fetchall())
        for k, name in enumerate(names):
            path = os.path.join(folder, name).replace("'", "''")
            where = f"FROM {table} WHERE _fileno = {k}"
            fmt = file_fmt[k]
            if fmt == "parquet":
                sel = ", ".join(f'"{c}"' for c in cols)
                con.execute(f"COPY (SELECT {sel} {where}) TO '{path}' (FORMAT parquet)")
            else:
                if fmt == "csv":
                    text, header = csv_line_sql(cols), ",".join(cols)
                    sql = f'SELECT {text} AS "{header}" {where}'
                else:
                    line_sql = json_line_sql(cols, spec.json_numbers)
                    sql = f"SELECT {malformed_json_sql('_l')} AS l FROM (SELECT {line_sql} AS _l, _noise, _v {where})"
                con.execute(
                    f"COPY ({sql}) TO '{path}' (FORMAT csv, HEADER {fmt == 'csv'}, "
                    f"QUOTE '', ESCAPE '', DELIMITER '\x1f')"
                )
        return rows_per_file

    def _record(self, spec, table, names, rows_per_file) -> dict:
        """Appends the source's ground-truth rows and placeholder phones, drops its table, and
        returns (and keeps) its summary."""
        con = self.ctx.con
        con.execute(f"""INSERT INTO gt_rows SELECT {lit(spec.name)}, {str_list(names)}[_fileno + 1],
                _line, {record_key_sql(spec)},
                CASE WHEN _person >= 0 THEN 'P' || lpad((_person + 1)::VARCHAR, 8, '0') END,
                _noise, CASE WHEN _noise IS NOT NULL THEN _key0 END FROM {table}""")
        if spec.phone and "placeholder_phone" in spec.noise:
            got = con.execute(
                f"SELECT _person, \"{spec.phone}\" FROM {table} WHERE _noise = 'placeholder_phone'"
            ).fetchnumpy()
            self.placeholder_rows.append((got["_person"], got[spec.phone]))
        kinds = dict(
            con.execute(
                f"SELECT _noise, count(*) FROM {table} WHERE _noise IS NOT NULL GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        total = int(sum(rows_per_file.values()))
        self.summary[spec.name] = {
            "raw_rows": total,
            "clean_rows": total - int(sum(kinds.values())),
            "noise": {k: int(kinds.get(k, 0)) for k in noise.RATES if k in spec.noise},
            "files": {f"{spec.name}/{n}": int(rows_per_file.get(k, 0)) for k, n in enumerate(names)},
        }
        con.execute(f"DROP TABLE {table}")
        return self.summary[spec.name]


def _layout(spec, files, mode):
    """Files of a source and where each row goes: (file names, format per file, file number per
    row, line or row number per row). A file of more than MAX_ROWS_PER_FILE rows is split into
    `-partNNNN` files."""
    fmts = [file_format(spec, i, mode) for i in range(len(spec.files))]
    counts = np.bincount(files, minlength=len(spec.files))
    names, base, file_fmt = [], [], []
    for i, (stem, _) in enumerate(spec.files):
        parts = max(1, -(-int(counts[i]) // MAX_ROWS_PER_FILE))
        base.append(len(names))
        ext = EXTENSIONS[fmts[i]]
        names += [f"{stem}{ext}"] if parts == 1 else [f"{stem}-part{p + 1:04d}{ext}" for p in range(parts)]
        file_fmt += [fmts[i]] * parts
    rank = rank_within(files)
    fileno = np.asarray(base, dtype=np.int64)[files] + rank // MAX_ROWS_PER_FILE
    first = np.array([FIRST_LINE[f] for f in fmts])[files]
    line = rank % MAX_ROWS_PER_FILE + first
    return names, file_fmt, fileno, line
