"""Audience exports: files read back and checked against an independent reading of the staged
identifiers and consent changes (hashes recomputed with hashlib), incremental exports against set
differences between two builds, size limits, a killed export, bad arguments and bad specs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from dbt_runner import copy_project, run_dbt
from owners import Owners
from portrait_command import run_portrait

from portrait import cli

# The end of the default as_of day (2026-09-30) in Asia/Shanghai, in UTC.
CUTOFF = datetime(2026, 9, 30, 16, 0)
CHANNELS = ("sms", "wecom", "ads", "email")
HASHES = {"none": lambda text: text, "md5": lambda text: hashlib.md5(text.encode()).hexdigest()}
HASHES["sha256"] = lambda text: hashlib.sha256(text.encode()).hexdigest()
NORMALISE = {"national": str, "as_is": str, "lower": str.lower, "upper": str.upper, "e164": lambda text: "+86" + text}


def export(build_dir: Path, out: Path, *args: str, target: Path | None = None) -> int:
    return cli.main(
        ["export", "--db", str(build_dir / "portrait.duckdb"), "--target", str(target or build_dir / "target"),
         "--out", str(out), "--no-progress", *args]
    )  # fmt: skip


def destinations(db: Path) -> dict[str, dict]:
    """The validated specs the build holds (defaults applied)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("select destination, cast(spec as varchar) from activation.activation_destinations")
        return {name: json.loads(spec) for name, spec in rows.fetchall()}


def read_file(path: Path) -> list[tuple]:
    """Rows of an audience file (zip, txt, csv with a header, parquet)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            (inner,) = archive.namelist()
            data, path = archive.read(inner), Path(inner)
    else:
        data = path.read_bytes()
    if path.suffix == ".txt":
        return [(line,) for line in data.decode().splitlines()]
    if path.suffix == ".csv":
        return [tuple(row) for row in list(csv.reader(io.StringIO(data.decode())))[1:]]
    with duckdb.connect() as con:
        return con.execute("select * from read_parquet(?)", [str(path)]).fetchall()


def manifests(out: Path) -> list[tuple[Path, dict]]:
    return [(path.parent, json.loads(path.read_text())) for path in sorted(out.glob("*/*/*/manifest.json"))]


def exported_ids(folder: Path, manifest: dict, change: str = "all") -> set[tuple[str, str]]:
    return {
        (file["id_type"], row[0])
        for file in manifest["files"]
        if file["change"] == change
        for row in read_file(folder / file["name"])
    }


def consented_people(build) -> dict[str, set[str]]:
    """Per channel, the people consented: latest change by the cut-off per identifier and owner (a
    change counts for whoever held the identifier at its time), a revocation after it counts too;
    a person needs a grant on some identifier and no revocation on any. Consent fails closed: a row
    quarantined for an unreadable status or time is a revocation whenever it happened (without a
    time, for the identifier's owner at the cut-off)."""
    owners = Owners(build, CUTOFF)
    latest, revoked_later = {}, set()
    for kind, value, channel, granted, at in build.query(
        "select identifier_type, identifier, channel, is_granted, updated_at from staging.stg_consent__consents"
    ):
        key = (owners.at(kind, value, at), kind, value, channel)
        if at < CUTOFF:
            if key not in latest or at > latest[key][0]:
                latest[key] = (at, granted)
        elif not granted:
            revoked_later.add(key)
    for kind, value, channel, at in build.query(
        "select identifier_type, identifier, channel, updated_at from staging.base_consent__consents"
        " where quarantine_reason in ('invalid_status', 'invalid_updated_at', 'missing_updated_at')"
        " and identifier_type is not null and identifier is not null and channel is not null"
    ):
        revoked_later.add((owners.at(kind, value, at or CUTOFF - timedelta(microseconds=1)), kind, value, channel))
    granted, revoked = defaultdict(set), defaultdict(set)
    for key in set(latest) | revoked_later:
        person, channel = key[0], key[3]
        if person is None:
            continue
        state = latest.get(key, (None, None))[1]
        if key in revoked_later or state is False:
            revoked[channel].add(person)
        elif state:
            granted[channel].add(person)
    return {channel: granted[channel] - revoked[channel] for channel in CHANNELS}


def person_identifiers(build) -> dict[str, dict[str, set[str]]]:
    """one_id -> identifier type -> staged values (phones as mainland mobile numbers only)."""
    held = defaultdict(lambda: defaultdict(set))
    for kind, value, one_id in build.query(
        "select identifier_type, identifier, one_id from customers.identifier_people"
        " where identifier_type in ('phone', 'oaid', 'idfa', 'external_userid', 'email')"
    ):
        if kind != "phone" or re.fullmatch(r"1\d{10}", value):
            held[one_id][kind].add(value)
    for (one_id,) in build.query("select one_id from customers.customers"):
        held[one_id]["one_id"].add(one_id)
    return held


@pytest.fixture(scope="module")
def full_export(demo_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    assert export(demo_build.work_dir, out) == 0
    return out


def test_files_hold_the_preferred_consented_identifier_of_every_reachable_member_hashed_as_specified(
    demo_build, full_export
):
    consented = consented_people(demo_build)
    held = person_identifiers(demo_build)
    minors = {one_id for (one_id,) in demo_build.query("select one_id from tags.customer_profile where is_minor")}
    members = defaultdict(set)
    holdouts = set()
    for segment, one_id, is_holdout in demo_build.query(
        "select segment_code, one_id, is_holdout from segments.segment_members"
    ):
        (holdouts if is_holdout else members[segment]).add((segment, one_id) if is_holdout else one_id)
    specs = destinations(demo_build.work_dir / "portrait.duckdb")
    found = manifests(full_export)
    assert {(m["segment"], m["destination"]) for _, m in found} >= {("price_sensitive", "sms")}
    for folder, manifest in found:
        spec = specs[manifest["destination"]]
        channel = spec["consent_channel"]
        eligible = members[manifest["segment"]]
        if channel != "none":
            eligible = eligible & consented[channel]
        if spec["kind"] == "advertising":
            eligible = eligible - minors
        expected = {}  # person -> (id_type, the values they may be exported with)
        for one_id in eligible:
            for identifier in spec["identifiers"]:
                values = held[one_id].get(identifier["type"])
                if values:
                    hashing = identifier.get("hashing", "none")
                    id_type = identifier["type"] if hashing == "none" else f"{identifier['type']}_{hashing}"
                    normalise = NORMALISE[identifier.get("normalisation", "as_is")]
                    expected[one_id] = (id_type, {HASHES[hashing](normalise(value)) for value in values})
                    break
        owner = {(id_type, value): one_id for one_id, (id_type, values) in expected.items() for value in values}
        rows = exported_ids(folder, manifest)
        assert len(rows) == manifest["row_count"] == len(expected), (folder, len(rows), len(expected))
        assert {owner.get(row) for row in rows} == set(expected), folder
        for file in manifest["files"]:
            assert hashlib.sha256((folder / file["name"]).read_bytes()).hexdigest() == file["sha256"]
        assert not {(manifest["segment"], one_id) for one_id in map(owner.get, rows)} & holdouts


def test_a_refused_pair_asked_for_by_name_fails_the_command(demo_build, tmp_path, capsys):
    code = export(demo_build.work_dir, tmp_path, "--segments", "mid_age_city_tier_1", "--destinations", "tencent_ads")
    assert code == 1 and "refused" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.csv")) and not list(tmp_path.rglob("*.txt"))


def test_sensitive_segments_are_refused_for_advertising_and_manifests_name_the_build(demo_build, full_export):
    refused = demo_build.query("select segment_code, destination from activation.segment_reach where is_refused")
    assert ("mid_age_city_tier_1", "tencent_ads") in refused  # reads age: not allowed for advertising
    for segment, destination in refused:
        assert not (full_export / destination / segment).exists()
    invocation = json.loads((demo_build.work_dir / "target" / "run_results.json").read_text())["metadata"]
    for _, manifest in manifests(full_export):
        assert manifest["dbt_invocation_id"] == invocation["invocation_id"]
        assert manifest["as_of"] == "2026-09-30" and manifest["mode"] == "full"


def test_reach_counts_what_an_export_writes(demo_build, full_export):
    reach = {
        (segment, destination): (reachable, written)
        for segment, destination, reachable, written in demo_build.query(
            "select segment_code, destination, reachable_members, identifiers_written from activation.segment_reach"
        )
    }
    for _, manifest in manifests(full_export):
        assert reach[(manifest["segment"], manifest["destination"])][1] == manifest["row_count"]


def test_incremental_exports_the_set_differences_between_two_builds(demo_build, tmp_path):
    august = tmp_path / "august"
    run = run_dbt(
        ["build", "--vars", "{as_of: '2026-08-31'}", "--exclude-resource-type", "test", "unit_test"],
        demo_build.raw_dir,
        august,
    )
    assert run.success, run.failures()[:3]
    chosen = ["--segments", "price_sensitive,skincare_lovers", "--destinations", "sms,tencent_ads,bi_generic"]
    old, new, both = tmp_path / "old", tmp_path / "new", tmp_path / "both"
    assert export(august, old, *chosen) == 0
    assert export(demo_build.work_dir, new, *chosen) == 0
    assert export(august, both, *chosen) == 0
    assert export(demo_build.work_dir, both, *chosen, "--incremental") == 0
    before = {(m["segment"], m["destination"]): exported_ids(f, m) for f, m in manifests(old)}
    after = {(m["segment"], m["destination"]): exported_ids(f, m) for f, m in manifests(new)}
    incremental = [(f, m) for f, m in manifests(both) if m["mode"] == "incremental"]
    assert len(incremental) == len(after) == 6
    changed = 0
    for folder, manifest in incremental:
        key = (manifest["segment"], manifest["destination"])
        assert exported_ids(folder, manifest, "adds") == after[key] - before[key]
        assert exported_ids(folder, manifest, "removes") == before[key] - after[key]
        assert manifest["previous_export_id"] and manifest["as_of"] == "2026-09-30"
        changed += len(after[key] ^ before[key])
    assert changed > 0


def test_files_are_split_into_parts_under_the_size_limit(demo_build, tmp_path):
    small = tmp_path / "small_build"
    small.mkdir()
    shutil.copy(demo_build.work_dir / "portrait.duckdb", small / "portrait.duckdb")
    limits = {"sms": 0.0005, "tencent_ads": 0.0005, "bi_generic": 0.006}  # 500 B text, 6 kB parquet
    with duckdb.connect(str(small / "portrait.duckdb")) as con:
        for name, limit in limits.items():
            con.execute(
                "update activation.activation_destinations set spec = json_merge_patch(spec, ?) where destination = ?",
                [json.dumps({"max_file_mb": limit}), name],
            )
    chosen = ["--segments", "skincare_lovers", "--destinations", ",".join(limits)]
    assert export(small, tmp_path / "small", *chosen, target=demo_build.work_dir / "target") == 0
    assert export(demo_build.work_dir, tmp_path / "whole", *chosen) == 0
    whole = {m["destination"]: exported_ids(f, m) for f, m in manifests(tmp_path / "whole")}
    for folder, found in manifests(tmp_path / "small"):
        limit = limits[found["destination"]] * 1_000_000
        assert len(found["files"]) > 1, found["destination"]
        for file in found["files"]:
            path = folder / file["name"]
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    assert archive.infolist()[0].file_size <= limit
            assert path.stat().st_size <= limit
        assert exported_ids(folder, found) == whole[found["destination"]]


KILLER = """
import os, signal, sys
from portrait.activation import files
files.BATCH_ROWS = 5
write_rows = files.TextPartWriter.write_rows
def write_then_die(self, rows):
    write_rows(self, rows)
    os.kill(os.getpid(), signal.SIGKILL)
files.TextPartWriter.write_rows = write_then_die
from portrait.cli import main
sys.exit(main(["export", *sys.argv[1:]]))
"""


def test_a_killed_export_leaves_no_partial_file_and_the_previous_export_intact(demo_build, tmp_path):
    out = tmp_path / "exports"
    args = ["--db", str(demo_build.work_dir / "portrait.duckdb"), "--target", str(demo_build.work_dir / "target")]
    args += ["--out", str(out), "--segments", "skincare_lovers", "--destinations", "sms", "--no-progress"]
    assert cli.main(["export", *args]) == 0
    folder = out / "sms" / "skincare_lovers"
    state = (folder / "state.parquet").read_bytes()
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER)
    killed = subprocess.run([sys.executable, str(killer), *args], capture_output=True, check=False)
    assert killed.returncode == -9
    assert any(path.name.endswith(".tmp") for path in folder.rglob("*"))  # it died mid-write
    listed = {folder_ / file["name"] for folder_, m in manifests(out) for file in m["files"]}
    listed |= {folder_ / "manifest.json" for folder_, _ in manifests(out)}
    final_names = {p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert final_names - listed == {folder / "state.parquet"}
    ((previous, manifest),) = manifests(out)
    for file in manifest["files"]:
        assert hashlib.sha256((previous / file["name"]).read_bytes()).hexdigest() == file["sha256"]
    assert (folder / "state.parquet").read_bytes() == state
    assert cli.main(["export", *args, "--incremental"]) == 0  # the next export clears the debris
    assert not any(path.name.endswith(".tmp") for path in folder.rglob("*"))
    assert [m["mode"] for _, m in manifests(out)] == ["full", "incremental"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--segments", "no_such_segment"], "unknown segment 'no_such_segment'"),
        (["--destinations", "fax"], "unknown destination 'fax'"),
        (["--segments", ","], "--segments names no segment"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_arguments_give_one_line_and_fail(demo_build, args, expected):
    common = ["--db", str(demo_build.work_dir / "portrait.duckdb"), "--target", str(demo_build.work_dir / "target")]
    result = run_portrait("export", *common, *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and expected in result.stderr, result.stderr


def test_a_missing_database_gives_one_line(demo_build, tmp_path):
    result = run_portrait(
        "export",
        "--db",
        str(tmp_path / "none.duckdb"),
        "--target",
        str(demo_build.work_dir / "target"),
    )
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1 and "does not exist" in result.stderr


def test_a_bad_spec_stops_the_dbt_build_naming_destination_and_field(demo_build, tmp_path):
    project = copy_project(tmp_path / "project")
    exposures = project / "models" / "activation" / "_activation__exposures.yml"
    exposures.write_text(exposures.read_text().replace("kind: advertising", "kind: billboard", 1))
    try:
        run = run_dbt(
            # the destinations read the identifier types' export forms from the seed: load it first
            ["build", "--select", "identifier_types", "activation_destinations"],
            demo_build.raw_dir,
            tmp_path / "work",
            project,
        )
        message = "\n".join(run.failures() + run.messages)
    except Exception as error:  # dbt raises compilation errors of the selected node
        message = str(error)
    assert "Destination definition 'tencent_ads'" in message, message[-1500:]
    assert "field 'kind' is 'billboard'" in message, message[-1500:]


def test_minors_never_reach_an_advertising_destination(demo_build, tmp_path):
    """The demo data has no minors: mark some consented members as minors in a copy of the build,
    rebuild the activation models, and they must vanish from the ad files only."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(demo_build.work_dir / "portrait.duckdb", work / "portrait.duckdb")
    consented = consented_people(demo_build)
    members = {
        one_id
        for (one_id,) in demo_build.query(
            "select one_id from segments.segment_members where segment_code = 'price_sensitive' and not is_holdout"
        )
    }
    held = person_identifiers(demo_build)
    minors = sorted(one_id for one_id in members & consented["ads"] & consented["sms"] if held[one_id].get("phone"))[
        :25
    ]
    assert len(minors) >= 10
    with duckdb.connect(str(work / "portrait.duckdb")) as con:
        con.execute("update tags.customer_profile set is_minor = true where list_contains(?, one_id)", [minors])
    run = run_dbt(["run", "--select", "path:models/activation"], demo_build.raw_dir, work)
    assert run.success, run.failures()
    chosen = ["--segments", "price_sensitive", "--destinations", "tencent_ads,sms"]
    assert export(work, tmp_path / "out", *chosen, target=work / "target") == 0
    files = {m["destination"]: exported_ids(f, m) for f, m in manifests(tmp_path / "out")}
    phones = {phone for one_id in minors for phone in held[one_id]["phone"]}
    hashed = {("phone_md5", hashlib.md5(phone.encode()).hexdigest()) for phone in phones}
    assert not hashed & files["tencent_ads"]
    for one_id in minors:  # still texted: SMS is not advertising (one phone a person)
        assert {("phone", phone) for phone in held[one_id]["phone"]} & files["sms"], one_id
