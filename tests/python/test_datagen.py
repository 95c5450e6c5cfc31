"""Tests for the demo-data generator (portrait.datagen, `portrait generate`).

One mixed-format data set of 2,000 customers is generated per session and
shared; a few tests generate smaller extra sets.
"""

import csv
import datetime as dt
import hashlib
import json
import os
from collections import Counter, defaultdict

import duckdb
import pytest
from portrait_command import run_portrait

from portrait.datagen import generate, writers
from portrait.datagen.noise import PLACEHOLDER_PHONES, RATES
from portrait.datagen.pipeline import GenerateError
from portrait.datagen.sources import SPECS
from portrait.datagen.streams import BLOCK


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    counts = generate(2000, 42, str(out), "2024-01-01", "2026-09-30", "mixed")
    return out, counts


# ------------------------------------------------------------------ helpers
def read_raw(out, source, names=None):
    """Every physical row of a source (of its files `names`, default all): list of dicts with
    file, line, ok, values.

    line: 1-based physical line (header = line 1) for CSV/JSONL, 1-based row for Parquet.
    ok: False for lines that do not parse (wrong field count / invalid JSON).
    """
    folder = os.path.join(out, "raw", source)
    rows = []
    for name in sorted(names if names is not None else os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".csv"):
            with open(path, encoding="utf-8", newline="") as fh:
                lines = fh.read().split("\n")
            assert lines[-1] == "", "CSV must end with a newline"
            header = next(csv.reader([lines[0]]))
            for i, text in enumerate(lines[1:-1], start=2):
                fields = next(csv.reader([text]))
                ok = len(fields) == len(header)
                rows.append(
                    dict(
                        file=name,
                        line=i,
                        text=text,
                        ok=ok,
                        values=dict(zip(header, fields, strict=True)) if ok else None,
                    )
                )
        elif name.endswith(".jsonl"):
            with open(path, encoding="utf-8") as fh:
                for i, text in enumerate(fh.read().split("\n")[:-1], start=1):
                    try:
                        values, ok = json.loads(text), True
                    except json.JSONDecodeError:
                        values, ok = None, False
                    rows.append(dict(file=name, line=i, text=text, ok=ok, values=values))
        else:
            con = duckdb.connect()
            rel = con.execute(f"SELECT * FROM read_parquet('{path}')")
            cols = [d[0] for d in rel.description]
            for i, tup in enumerate(rel.fetchall(), start=1):
                rows.append(dict(file=name, line=i, text=repr(tup), ok=True, values=dict(zip(cols, tup, strict=True))))
    return rows


def columns_of(out, source):
    """Column names per file (CSV header, JSON keys of valid lines, Parquet schema)."""
    result = {}
    folder = os.path.join(out, "raw", source)
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".csv"):
            with open(path, encoding="utf-8") as fh:
                result[name] = fh.readline().rstrip("\n").split(",")
        elif name.endswith(".jsonl"):
            keys = set()
            with open(path, encoding="utf-8") as fh:
                for text in fh:
                    try:
                        keys |= set(json.loads(text))
                    except json.JSONDecodeError:
                        pass
            result[name] = sorted(keys)
        else:
            con = duckdb.connect()
            desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
            assert all(d[1] == "VARCHAR" for d in desc), "parquet columns must be VARCHAR"
            result[name] = [d[0] for d in desc]
    return result


def gt_rows(out):
    con = duckdb.connect()
    return con.execute(f"SELECT * FROM read_parquet('{out}/ground_truth/rows.parquet')").fetchall()


def summary(out):
    with open(os.path.join(out, "ground_truth", "noise_summary.json"), encoding="utf-8") as fh:
        return json.load(fh)


def digest_tree(root):
    h = {}
    for base, _, files in os.walk(root):
        for f in files:
            p = os.path.join(base, f)
            with open(p, "rb") as fh:
                h[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return h


# -------------------------------------------------------------------- tests
def test_determinism(tmp_path):
    a, b, c = (str(tmp_path / x) for x in "abc")
    generate(800, 5, a, "2024-01-01", "2026-09-30", "mixed")
    generate(800, 5, b, "2024-01-01", "2026-09-30", "mixed")
    generate(800, 6, c, "2024-01-01", "2026-09-30", "mixed")
    da, db, dc = digest_tree(a), digest_tree(b), digest_tree(c)
    assert da == db
    assert set(da) == set(dc)
    differing = [k for k in da if da[k] != dc[k]]
    assert len(differing) >= len(da) - 2


def test_layout_and_contract_columns(demo):
    out, counts = demo
    assert sorted(os.listdir(out / "raw")) == sorted(SPECS)
    assert sorted(os.listdir(out / "ground_truth")) == sorted(
        ["identifiers.parquet", "noise_summary.json", "persons.parquet", "rows.parquet"]
    )
    for source, spec in SPECS.items():
        cols = columns_of(out, source)
        assert len(cols) >= len(spec.files)
        for name, found in cols.items():
            missing = set(spec.columns) - set(found)
            assert not missing, (source, name, missing)
        assert counts[source] > 0, source
    # mixed format: every format is used, and ecommerce mixes formats within one source
    exts = {os.path.splitext(f)[1] for s in SPECS for f in os.listdir(out / "raw" / s)}
    assert exts == {".csv", ".jsonl", ".parquet"}
    eo = {os.path.splitext(f)[1] for f in os.listdir(out / "raw" / "ecommerce_orders")}
    assert eo == {".csv", ".jsonl", ".parquet"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_single_format_option(tmp_path, fmt):
    counts = generate(300, 3, str(tmp_path), "2025-01-01", "2025-12-31", fmt)
    for source, spec in SPECS.items():
        files = os.listdir(tmp_path / "raw" / source)
        assert files and all(f.endswith("." + fmt) for f in files), (source, files)
        for name, found in columns_of(tmp_path, source).items():
            assert set(spec.columns) <= set(found), (source, name)
    assert sum(counts.values()) == sum(s["raw_rows"] for s in summary(tmp_path)["sources"].values())


def test_csv_conventions(demo):
    out, _ = demo
    for source in SPECS:
        for name in os.listdir(out / "raw" / source):
            if name.endswith(".csv"):
                data = (out / "raw" / source / name).read_bytes()
                assert b"\r" not in data
                data.decode("utf-8")
                # no embedded newlines: every line parses on its own without open quotes
                for text in data.decode("utf-8").split("\n")[:-1]:
                    assert text.count('"') % 2 == 0, (source, text)


def test_noise_summary_matches_files(demo):
    out, _ = demo
    summ = summary(out)
    assert summ["rates"] == RATES
    truth = gt_rows(out)
    by_source = defaultdict(Counter)
    for source, _, _, _, _, kind, _ in truth:
        by_source[source][kind] += 1
    for source in SPECS:
        s = summ["sources"][source]
        rows = read_raw(out, source)
        assert s["raw_rows"] == len(rows) == sum(by_source[source].values()), source
        assert sum(s["files"].values()) == len(rows)
        noise = {k: v for k, v in s["noise"].items() if v}
        assert s["clean_rows"] + sum(noise.values()) == s["raw_rows"]
        assert {k: v for k, v in by_source[source].items() if k} == noise, source
        # exact duplicates counted independently from the files
        per_file = Counter((r["file"], r["text"]) for r in rows)
        dups = sum(c - 1 for c in per_file.values())
        assert dups == s["noise"].get("duplicate", 0), source
        # malformed lines are exactly the unparseable lines
        assert sum(not r["ok"] for r in rows) == s["noise"].get("malformed_line", 0), source
    # several sources carry duplicates, and noise stays rare
    assert sum(1 for s in summ["sources"].values() if s["noise"].get("duplicate")) >= 6
    total = sum(s["raw_rows"] for s in summ["sources"].values())
    noisy = sum(sum(s["noise"].values()) for s in summ["sources"].values())
    assert 0.01 < noisy / total < 0.06


def test_rows_truth_points_at_rows(demo):
    out, _ = demo
    truth = {(s, f, ln): (key, pid, kind, key0) for s, f, ln, key, pid, kind, key0 in gt_rows(out)}
    for source in ("crm_members", "ecommerce_orders", "pos_orders", "wechat_users", "app_events"):
        spec = SPECS[source]
        for r in read_raw(out, source):
            key, pid, kind, key0 = truth[(source, r["file"], r["line"])]
            assert pid is not None
            if kind is None:
                assert key0 is None
                assert key == "|".join(str(r["values"][c]) for c in spec.key), (source, r)
            else:
                assert key0
            if kind in ("missing_key", "malformed_line"):
                assert key is None


# identifier columns per source: (column, identifier_type or column holding it, scope rule)
ID_COLUMNS = {
    "crm_members": [("member_id", "member_id"), ("phone", "phone"), ("email", "email")],
    "wechat_users": [("openid", "openid"), ("unionid", "unionid"), ("phone", "phone")],
    "wecom_contacts": [("external_userid", "external_userid"), ("unionid", "unionid")],
    "miniprogram_events": [("openid", "openid"), ("unionid", "unionid")],
    "app_events": [("device_id", "@device_id_type"), ("member_id", "member_id")],
    "ecommerce_orders": [("buyer_id", "buyer_id"), ("member_id", "member_id"), ("phone", "phone")],
    "pos_orders": [("member_id", "member_id"), ("phone", "phone"), ("terminal_id", "terminal_id")],
    "ad_leads": [("phone", "phone"), ("device_id", "@device_id_type")],
    "service_tickets": [("member_id", "member_id"), ("phone", "phone")],
    "consents": [("identifier", "@identifier_type")],
    "campaign_events": [("identifier", "@identifier_type")],
    "third_party_tags": [("identifier", "@identifier_type")],
}


def test_ground_truth_covers_clean_identifiers(demo):
    out, _ = demo
    con = duckdb.connect()
    ids = set(
        con.execute(
            f"SELECT person_id, identifier_type, identifier_scope, identifier_value "
            f"FROM read_parquet('{out}/ground_truth/identifiers.parquet')"
        ).fetchall()
    )
    oa = con.execute(
        f"SELECT DISTINCT appid FROM read_json('{out}/raw/wechat_users/*.jsonl', "
        f"format='newline_delimited', ignore_errors=true) "
        f"WHERE app_type = 'official_account'"
    ).fetchall()
    assert len(oa) == 1
    truth = {(s, f, ln): (pid, kind) for s, f, ln, _, pid, kind, _ in gt_rows(out)}
    checked = Counter()
    for source, cols in ID_COLUMNS.items():
        for r in read_raw(out, source):
            pid, kind = truth[(source, r["file"], r["line"])]
            if kind is not None:
                continue
            v = r["values"]
            for col, id_type in cols:
                value = v.get(col)
                if value in (None, ""):
                    continue
                if id_type.startswith("@"):
                    id_type = v[id_type[1:]]
                if source == "ecommerce_orders" and col == "phone" and v["platform"] != "miniprogram":
                    assert "****" in value  # marketplace phones are masked
                    continue
                scope = ""
                if id_type == "openid":
                    scope = v.get("appid") or oa[0][0]
                elif id_type == "buyer_id":
                    scope = v["platform"]
                assert (pid, id_type, scope, value) in ids, (source, r["file"], r["line"], col, value)
                checked[source] += 1
    assert all(checked[s] > 0 for s in ID_COLUMNS), checked


def test_identifier_truth_properties(demo):
    out, _ = demo
    con = duckdb.connect()
    gt = f"read_parquet('{out}/ground_truth/identifiers.parquet')"
    # canonical forms
    bad = con.execute(
        f"SELECT count(*) FROM {gt} WHERE identifier_type = 'phone' "
        f"AND NOT regexp_full_match(identifier_value, '[0-9]{{11}}')"
    ).fetchone()[0]
    assert bad == 0
    assert (
        con.execute(
            f"SELECT count(*) FROM {gt} WHERE identifier_type = 'email' "
            f"AND identifier_value <> lower(trim(identifier_value))"
        ).fetchone()[0]
        == 0
    )
    # unshared identifiers belong to exactly one person; shared ones to several
    multi = con.execute(f"""SELECT identifier_type, identifier_scope, identifier_value, bool_and(is_shared),
        count(DISTINCT person_id) n FROM {gt} GROUP BY ALL HAVING n > 1""").fetchall()
    assert multi and all(r[3] for r in multi)
    placeholders = {r[2] for r in multi if r[0] == "phone"}
    assert placeholders <= set(PLACEHOLDER_PHONES) and placeholders
    shared_devices = con.execute(f"""SELECT identifier_value, count(*) FROM {gt} WHERE is_shared
        AND identifier_type IN ('oaid', 'idfa', 'android_id') GROUP BY 1""").fetchall()
    assert shared_devices and all(3 <= n <= 10 for _, n in shared_devices)
    # openids are scoped by appid: one official account + two mini-programs
    scopes = con.execute(f"SELECT DISTINCT identifier_scope FROM {gt} WHERE identifier_type = 'openid'").fetchall()
    assert len(scopes) == 3 and all(s[0].startswith("wx") and len(s[0]) == 18 for s in scopes)


def test_persons_and_purchase_process(demo):
    out, _ = demo
    con = duckdb.connect()
    p = f"read_parquet('{out}/ground_truth/persons.parquet')"
    assert con.execute(f"SELECT count(*), count(DISTINCT person_id) FROM {p}").fetchone() == (2000, 2000)
    stats = dict(con.execute(f"SELECT persona, avg(n_orders) FROM {p} GROUP BY 1").fetchall())
    assert stats["browser_never_buys"] == 0
    assert stats["loyal_vip"] > 3 * stats["skincare_enthusiast"] / 2 > stats["one_time_buyer"]
    female = con.execute(f"SELECT avg((gender = 'F')::INT) FROM {p}").fetchone()[0]
    assert 0.75 < female < 0.95
    ages = con.execute(f"SELECT min(age_at_end), max(age_at_end) FROM {p}").fetchone()
    assert ages[0] >= 17 and ages[1] <= 61


def _orders(out):
    rows = []
    truth = {(s, f, ln): kind for s, f, ln, _, _, kind, _ in gt_rows(out)}
    for source in ("ecommerce_orders", "pos_orders"):
        for r in read_raw(out, source):
            if truth[(source, r["file"], r["line"])] is None:
                rows.append((source, r["values"]))
    return rows


def test_seasonality(demo):
    out, _ = demo
    months = Counter()
    days = Counter()
    for _, v in _orders(out):
        t = v["order_time"].replace("/", "-")
        months[t[:7]] += 1
        days[t[:10]] += 1
    avg = sum(months.values()) / len(months)
    for mm in ("-06", "-11"):
        sel = [c for m, c in months.items() if m.endswith(mm)]
        assert sum(sel) / len(sel) > 1.1 * avg, (mm, sel, avg)
    median_day = sorted(days.values())[len(days) // 2]
    assert days["2025-11-11"] > 3 * median_day
    assert days["2025-06-18"] > 2 * median_day


def test_order_amounts_consistent(demo):
    out, _ = demo
    truth = {(s, f, ln): (kind, key0 or key) for s, f, ln, key, _, kind, key0 in gt_rows(out)}
    items = defaultdict(int)
    dirty = set()
    for r in read_raw(out, "pos_order_items"):
        kind, key0 = truth[("pos_order_items", r["file"], r["line"])]
        store, order, _ = key0.split("|")
        if kind is None:
            v = r["values"]
            items[(store, order)] += int(v["quantity"]) * round(float(v["unit_price"]) * 100)
        else:
            dirty.add((store, order))
    checked = 0
    for source, v in _orders(out):
        if source != "pos_orders" or (v["store_id"], v["order_id"]) in dirty:
            continue
        paid = round(float(v["paid_amount"]) * 100)
        disc = round(float(v["discount_amount"]) * 100)
        assert paid == items[(v["store_id"], v["order_id"])] - disc, v
        checked += 1
    assert checked > 100
    statuses = Counter(v["status"] for _, v in _orders(out))
    assert 0.03 < statuses["refunded"] / sum(statuses.values()) < 0.08


@pytest.mark.parametrize(
    "args",
    [
        ["--customers", "0"],
        ["--customers", "many"],
        ["--start", "2025-01-01", "--end", "2024-12-31"],
        ["--start", "2024-02-30"],
        ["--format", "xml"],
        ["--chunk-size", "0"],
        ["--chunk-size", str(BLOCK - 1)],
        ["--chunk-size", "lots"],
        ["--customers", "300", "--next-day"],  # no data set in --out yet
    ],
)
def test_cli_rejects_bad_arguments(tmp_path, args):
    res = run_portrait("generate", "--out", str(tmp_path / "x"), *args)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "x").exists()


def test_cli_runs_and_summarises(tmp_path):
    res = run_portrait(
        "generate", "--customers", "200", "--seed", "3", "--out", str(tmp_path / "cli"), "--format", "csv"
    )
    assert res.returncode == 0, res.stderr
    for source in SPECS:
        assert f"  {source} " in res.stdout
    assert sorted(os.listdir(tmp_path / "cli" / "raw")) == sorted(SPECS)
    generate(200, 3, str(tmp_path / "api"), "2024-01-01", "2026-09-30", "csv")
    assert digest_tree(tmp_path / "cli") == digest_tree(tmp_path / "api")


# ------------------------------------------------------------ chunks and increments
def parquet_rows(path):
    return duckdb.connect().execute(f"SELECT * FROM read_parquet('{path}')").fetchall()


def test_same_files_at_any_chunk_size(tmp_path, monkeypatch):
    """People are generated in chunks of whole blocks; the chunking must not change a byte of CSV or
    JSON Lines, nor a row of Parquet (row groups may differ), nor where files are split."""
    # 2,300 -> chunks of 2,000 (2,000 + 2,000 + 1,000 people); 5,000 -> chunks of 4,000 (4,000 + 1,000)
    monkeypatch.setattr(writers, "MAX_ROWS_PER_FILE", 5000)  # parts that straddle chunks
    small, large = tmp_path / "small", tmp_path / "large"
    counts = generate(5000, 13, str(small), "2024-01-01", "2026-09-30", "mixed", chunk_size=2300)
    assert generate(5000, 13, str(large), "2024-01-01", "2026-09-30", "mixed", chunk_size=5000) == counts
    a, b = digest_tree(small), digest_tree(large)
    assert set(a) == set(b)
    assert any(name.endswith(".parquet") for name in a) and any(name.endswith(".jsonl") for name in a)
    assert any(name.endswith("-part0002.csv") for name in a) and any(name.endswith("-part0003.parquet") for name in a)
    for name in a:
        if name.endswith(".parquet"):
            assert parquet_rows(small / name) == parquet_rows(large / name), name
        else:
            assert a[name] == b[name], name


def test_the_same_arguments_write_the_same_bytes(tmp_path, monkeypatch):
    """Parquet included, with many row groups per file: a daily landing compares checksums, so a data
    set generated again must not look changed."""
    monkeypatch.setattr(writers, "PARQUET_ROW_GROUP_ROWS", 2048)
    one, two = tmp_path / "one", tmp_path / "two"
    generate(3000, 17, str(one), "2024-01-01", "2026-09-30", "parquet")
    generate(3000, 17, str(two), "2024-01-01", "2026-09-30", "parquet")
    first, second = digest_tree(one / "raw"), digest_tree(two / "raw")
    assert any(name.endswith(".parquet") for name in first)
    assert first == second


def test_chunk_size_must_hold_a_block(tmp_path):
    with pytest.raises(GenerateError, match="chunk size"):
        generate(100, 1, str(tmp_path / "x"), chunk_size=BLOCK - 1)
    assert not (tmp_path / "x").exists()


NEXT_DAY = "2026-10-01"


def _local_day(value):
    """The China-local calendar day of a raw timestamp in any of the generator's formats."""
    if value.endswith("Z"):
        utc = dt.datetime.fromisoformat(value[:-1])
        return (utc + dt.timedelta(hours=8)).date().isoformat()
    return value[:10].replace("/", "-")


def test_next_day_adds_a_day_of_new_files_and_replaces_the_catalogue(tmp_path):
    out = tmp_path / "demo"
    base = generate(3000, 21, str(out), "2024-01-01", "2026-09-30", "mixed")
    before = digest_tree(out / "raw")
    added = generate(3000, 21, str(out), "2024-01-01", "2026-09-30", "mixed", next_day=True)
    after = digest_tree(out / "raw")
    # files: every earlier file is unchanged but the catalogue export, replaced at the same path
    assert set(before) <= set(after)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [os.path.join("products", "products.csv")]
    new = sorted(set(after) - set(before))
    assert new and all(f"_{NEXT_DAY}." in name for name in new)
    assert {name.split(os.sep)[0] for name in new} >= {"ecommerce_orders", "pos_orders", "app_events", "consents"}
    # about a day of a 33-month history (a daily feed): well under 1% of the rows
    day_rows = sum(rows for source, rows in added.items() if source != "products")
    assert 0.0002 < day_rows / sum(base.values()) < 0.01, (day_rows, sum(base.values()))
    # every clean row of the new files is dated on the new day
    truth = {(s, f, ln): kind for s, f, ln, _, _, kind, _ in gt_rows(out)}
    checked = 0
    for path in new:
        source, name = path.split(os.sep)
        rows = read_raw(out, source, [name])
        assert len(rows) == summary(out)["sources"][source]["files"][f"{source}/{name}"]
        for r in rows:
            if truth[(source, name, r["line"])] is None:
                for column in SPECS[source].timestamps:
                    assert _local_day(r["values"][column]) == NEXT_DAY, (source, column, r["values"])
                    checked += 1
    assert checked > 20
    # the ground truth describes the files as they now are
    summ = summary(out)
    assert summ["generator"]["through"] == NEXT_DAY and summ["generator"]["increments"] == [NEXT_DAY]
    in_truth = Counter((s, f) for s, f, _ in truth)
    for source, details in summ["sources"].items():
        for path, rows in details["files"].items():
            assert in_truth[(source, path.split("/")[1])] == rows, path
    # the next day again, then no arguments but the data set's own
    generate(3000, 21, str(out), "2024-01-01", "2026-09-30", "mixed", next_day=True)
    assert summary(out)["generator"]["through"] == "2026-10-02"
    with pytest.raises(GenerateError, match="seed 21"):
        generate(3000, 22, str(out), "2024-01-01", "2026-09-30", "mixed", next_day=True)


def test_base_and_next_day_equal_a_data_set_observed_through_the_next_day(tmp_path):
    """The increment continues the same simulated world: base + increment hold the same rows as a data
    set generated through the next day (files and line numbers aside), and the same ground truth."""
    daily, whole = tmp_path / "daily", tmp_path / "whole"
    generate(2500, 4, str(daily), "2024-01-01", "2026-09-30", "csv")
    generate(2500, 4, str(daily), "2024-01-01", "2026-09-30", "csv", next_day=True)
    generate(2500, 4, str(whole), "2024-01-01", "2026-09-30", "csv", through=NEXT_DAY)
    for source in SPECS:
        assert Counter(r["text"] for r in read_raw(daily, source)) == Counter(
            r["text"] for r in read_raw(whole, source)
        ), source
    for name in ("persons", "identifiers"):
        path = f"ground_truth/{name}.parquet"
        assert parquet_rows(daily / path) == parquet_rows(whole / path), name
    without_place = Counter((s, key, pid, kind, key0) for s, _, _, key, pid, kind, key0 in gt_rows(daily))
    assert without_place == Counter((s, key, pid, kind, key0) for s, _, _, key, pid, kind, key0 in gt_rows(whole))
