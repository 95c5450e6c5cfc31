"""One export of one segment to one destination, full or incremental, from a built Portrait database.

Layout under the export folder (default `exports/`):

    <destination>/<segment>/<export_id>/<segment>.<id_type>[.adds|.removes].0001.<format>[.zip]
    <destination>/<segment>/<export_id>/manifest.json
    <destination>/<segment>/state.parquet    identifiers written by the last export (incremental base)

An export is complete when its manifest exists. Files, then the manifest, then the state are each
published atomically, so a failed or killed export leaves the previous exports and the state as they
were; its own folder (no manifest) is removed by the next export of that segment and destination.
"""

from __future__ import annotations

import fcntl
import json
import shutil
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from portrait.activation import files
from portrait.activation.spec import Destination
from portrait.errors import PortraitError

try:
    from tqdm import tqdm
except ImportError:  # progress bars are a convenience
    tqdm = None

STATE_FILE = "state.parquet"
MANIFEST_FILE = "manifest.json"


class Refused(PortraitError):
    """A segment may not go to a destination (it reads tags not allowed for advertising)."""


ExportError = files.ExportError


def built_as_of(con: duckdb.DuckDBPyConnection) -> str:
    """The build's as_of day as YYYY-MM-DD; ExportError when segments were never built."""
    (as_of,) = con.execute(
        "select coalesce((select max(as_of) from segments.segment_members),"
        " (select max(as_of) from segments.segment_sizes))"
    ).fetchone()
    if as_of is None:
        raise ExportError(
            "segments.segment_members is empty and segment_sizes has no build: run `portrait build` first"
        )
    return as_of.isoformat()


@contextmanager
def _locked(folder: Path):
    with (folder / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"another export into {folder} is running") from None
        yield


def _remove_incomplete(folder: Path) -> None:
    """What a failed or killed export left: its folder without a manifest, temporary files."""
    for path in folder.iterdir():
        if path.is_dir() and not (path / MANIFEST_FILE).exists():
            shutil.rmtree(path)
        elif path.is_file() and path.name.startswith(".") and path.name.endswith(".tmp"):
            path.unlink()


def _read_state(con, folder: Path) -> dict | None:
    path = folder / STATE_FILE
    if not path.exists():
        return None
    metadata = dict(
        con.execute("select key::varchar, value::varchar from parquet_kv_metadata(?)", [str(path)]).fetchall()
    )
    return {**metadata, "path": path}


def _write_state(con, folder: Path, export_id: str, as_of: str, fingerprint: str) -> None:
    temporary = files.temporary_path(folder, STATE_FILE)
    try:
        metadata = {"export_id": export_id, "as_of": as_of, "fingerprint": fingerprint}
        kv = ", ".join(f"{key}: '{value}'" for key, value in metadata.items())
        con.execute(
            f"copy (select id_type, exported_identifier from current_rows order by id_type, exported_identifier)"
            f" to '{temporary}' (format parquet, compression zstd, kv_metadata {{{kv}}})"
        )
        files.publish(temporary, folder / STATE_FILE)
    finally:
        temporary.unlink(missing_ok=True)


def _load_current(con, destination: Destination, segment: str) -> None:
    """Temp table current_rows: what the destination receives for the segment's members now."""
    tags = "".join(f", profile.{quoted(tag)}" for tag in destination.tags)
    profile_join = "left join tags.customer_profile as profile on audience.one_id = profile.one_id" if tags else ""
    con.execute(
        f"""
        create or replace temp table current_rows as
        select audience.id_type, audience.exported_identifier{tags}
        from activation.activation_audience_identifiers as audience
        inner join segments.segment_members as members on audience.one_id = members.one_id
        {profile_join}
        where audience.destination = ? and members.segment_code = ? and not members.is_holdout
        """,
        [destination.name, segment],
    )


def quoted(column: str) -> str:
    """A column name as a quoted SQL identifier."""
    return '"' + column.replace('"', '""') + '"'


def write_rows(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    columns: list[str],
    destination: Destination,
    id_type: str,
    stem: str,
    folder: Path,
    progress: bool,
) -> list[files.WrittenFile]:
    """One id type's rows of `relation` (columns: exported_identifier, then tags) into files
    `<stem>.NNNN.<format>` in folder, in the destination's format and size limit; a progress bar
    per file set when asked. Returns the files written."""
    header = [id_type, *columns[1:]]
    selected = ", ".join(f"{quoted(column)} as {quoted(name)}" for column, name in zip(columns, header, strict=True))
    con.execute(
        f"create or replace temp table export_rows as select row_number() over (order by exported_identifier)"
        f" as row_number, {selected} from {relation} where id_type = ?",
        [id_type],
    )
    if destination.file_format == "parquet":
        return files.write_parquet_parts(
            con, "export_rows", header, folder, stem, destination.max_file_bytes, destination.zip
        )
    (total,) = con.execute("select count(*) from export_rows").fetchone()
    writer = files.TextPartWriter(
        folder, stem, destination.file_format, header, destination.max_file_bytes, destination.zip
    )
    bar = tqdm(total=total, unit="rows", desc=stem, disable=None) if tqdm and progress and total else None
    cursor = con.execute(f"select {', '.join(map(quoted, header))} from export_rows order by row_number")
    try:
        while batch := cursor.fetchmany(files.BATCH_ROWS):
            writer.write_rows(batch)
            if bar:
                bar.update(len(batch))
        return writer.close()
    except BaseException:
        writer.abandon()
        raise
    finally:
        if bar:
            bar.close()


def export_segment(
    con: duckdb.DuckDBPyConnection,
    destination: Destination,
    segment: str,
    out_dir: Path,
    *,
    incremental: bool,
    invocation_id: str | None,
    progress: bool = True,
) -> dict:
    """Exports one segment to one destination under out_dir/<destination>/<segment>/ and returns
    its manifest (plus `folder`, the export's folder). Incremental when asked and a state of the
    same spec exists, else full. Refused when the segment may not go to the destination;
    ExportError when it is not an active segment, the spec changed since an incremental base, or
    another export of it is running."""
    members, holdout_members = _reach(con, destination, segment)
    as_of = built_as_of(con)
    fingerprint = destination.audience_fingerprint()
    folder = out_dir / destination.name / segment
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        _remove_incomplete(folder)
        _load_current(con, destination, segment)
        state = _read_state(con, folder) if incremental else None
        if state and state.get("fingerprint") != fingerprint:
            raise ExportError(
                f"the spec of {destination.name} changed since export {state.get('export_id')}:"
                " run a full export (without --incremental)"
            )
        mode = "incremental" if state else "full"
        created_at = datetime.now(UTC)
        export_id = f"{as_of}_{created_at:%Y%m%dT%H%M%S%f}Z_{mode}"
        export_folder = folder / export_id
        export_folder.mkdir()
        changes = _changes(con, destination, state)
        written, row_counts = _write_changes(con, destination, segment, changes, export_folder, progress)
        manifest = {
            "segment": segment,
            "destination": destination.name,
            "destination_kind": destination.kind,
            "mode": mode,
            "incremental_requested": incremental,
            "export_id": export_id,
            "previous_export_id": state["export_id"] if state else None,
            "as_of": as_of,
            "created_at": created_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "dbt_invocation_id": invocation_id,
            "members": members,
            "holdout_members_excluded": holdout_members,
            **_contents(destination, written, row_counts, fingerprint),
        }
        files.write_text_atomically(
            export_folder / MANIFEST_FILE, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        )
        _write_state(con, folder, export_id, as_of, fingerprint)
    manifest["folder"] = str(export_folder)
    return manifest


def _reach(con: duckdb.DuckDBPyConnection, destination: Destination, segment: str) -> tuple[int, int]:
    """(members, holdout members) of the segment; ExportError when it is not an active segment,
    Refused when it may not go to the destination."""
    reach = con.execute(
        "select members, holdout_members, refusal_reason from activation.segment_reach"
        " where segment_code = ? and destination = ?",
        [segment, destination.name],
    ).fetchone()
    if reach is None:
        raise ExportError(f"segment '{segment}' is not an active segment of the build")
    members, holdout_members, refusal_reason = reach
    if refusal_reason:
        raise Refused(f"segment '{segment}' is refused for {destination.name} ({destination.kind}): {refusal_reason}")
    return members, holdout_members


def _changes(con: duckdb.DuckDBPyConnection, destination: Destination, state: dict | None) -> dict:
    """{change: (relation, columns)} to write: `all` (current_rows) for a full export; `adds` and
    `removes` against the state's rows for an incremental one (removes carry no tags)."""
    tag_columns = list(destination.tags)
    if state is None:
        return {"all": ("current_rows", ["exported_identifier", *tag_columns])}
    con.execute("create or replace temp table previous_rows as select * from read_parquet(?)", [str(state["path"])])
    con.execute(
        "create or replace temp table added_rows as select * from current_rows"
        " anti join previous_rows using (id_type, exported_identifier)"
    )
    con.execute(
        "create or replace temp table removed_rows as select * from previous_rows"
        " anti join current_rows using (id_type, exported_identifier)"
    )
    return {
        "adds": ("added_rows", ["exported_identifier", *tag_columns]),
        "removes": ("removed_rows", ["exported_identifier"]),
    }


def _write_changes(con, destination: Destination, segment: str, changes: dict, folder: Path, progress: bool):
    """Every change's rows, one set of files per identifier type; returns the manifest's file
    entries and the rows written per change."""
    written = []
    row_counts = {}
    for change, (relation, columns) in changes.items():
        row_counts[change] = 0
        for identifier in destination.identifiers:
            stem = f"{segment}.{identifier.id_type}" + ("" if change == "all" else f".{change}")
            for file in write_rows(con, relation, columns, destination, identifier.id_type, stem, folder, progress):
                written.append(
                    {
                        "name": file.name,
                        "change": change,
                        "id_type": identifier.id_type,
                        "rows": file.rows,
                        "bytes": file.bytes,
                        "sha256": file.sha256,
                    }
                )
                row_counts[change] += file.rows
    return written, row_counts


def _contents(destination: Destination, written: list[dict], row_counts: dict, fingerprint: str) -> dict:
    """The manifest's description of the files: rows, identifier types, columns, format, limits,
    the spec's fingerprint and every file written."""
    return {
        "row_count": sum(row_counts.values()),
        "rows": row_counts,
        "id_types": {
            identifier.id_type: {
                "identifier_type": identifier.type,
                "normalisation": identifier.normalisation,
                "hashing": identifier.hashing,
                "hash_case": destination.hash_case if identifier.hashing != "none" else None,
            }
            for identifier in destination.identifiers
        },
        "columns": {"identifier": "named after the id type", "tags": list(destination.tags)},
        "file_format": destination.file_format,
        "zip": destination.zip,
        "max_file_mb": destination.max_file_mb,
        "spec_fingerprint": fingerprint,
        "files": written,
    }
