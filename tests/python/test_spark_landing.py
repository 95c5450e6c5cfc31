"""spark__land_raw_sources checked against the DuckDB landing on the same raw folders.

Marked `spark` (skipped by default; `pytest -m spark tests/python/test_spark_landing.py`). Both
engines land the same raw folders with `dbt run-operation land_raw_sources` in a throwaway dbt
project holding only the project's dbt_project.yml, profiles.yml, the raw, engine and utils
macros and the source YAML files (the contract), so that the rest of the project need not parse
on Spark. Every raw.<folder> table and the ledger raw._landed_files must hold the same rows on
both engines (landing_id included: both are the MD5 of path, checksum and contract columns).

Raw folders: the generated demo data (300 customers), the real-world cases of tests/data/cases,
and a folder of awkward files (encodings, RFC 4180 CSV, `="..."`, stray quotes, blank lines, CR,
CRLF and mixed line ends, too many and too few fields, typed Parquet, JSON values of every kind,
unreadable files) built here and by test_raw_files.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb
import pytest
from cases import CASES_DIR
from dbt.cli.main import dbtRunner
from dbt_runner import ROOT, run_dbt
from test_raw_files import MEMBER_HEADER, ORDER_HEADER, member_row, write_awkward_files, write_csv

from portrait import datagen
from portrait.envvars import temporary_environment

pytestmark = pytest.mark.spark

LEDGER = ["source_folder", "path", "landing_id", "size_bytes", "checksum", "landed_rows"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A dbt project of the landing step only (the contract, the macros it calls, both targets)."""
    pytest.importorskip("pyspark")
    base = tmp_path_factory.mktemp("spark_landing_project")
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, base / name)
    for folder in ("raw", "engine", "utils"):
        shutil.copytree(ROOT / "macros" / folder, base / "macros" / folder)
    for sources in (ROOT / "models" / "staging").glob("*/_*__sources.yml"):
        target = base / "models" / "staging" / sources.parent.name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(sources, target)
    os.environ.setdefault("PORTRAIT_SPARK_WAREHOUSE", str(base / "spark" / "warehouse"))
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return base


def land_on_duckdb(project: Path, raw_dir: Path, work_dir: Path) -> dict[str, list[tuple]]:
    run = run_dbt(["run-operation", "land_raw_sources"], raw_dir, work_dir, project)
    assert run.success, run.messages
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        ]
        found = {}
        for table in tables:
            relation = f"raw.{quote(table)}"
            columns = (
                LEDGER
                if table == "_landed_files"
                else [row[0] for row in con.execute(f"describe {relation}").fetchall()]
            )
            found[table] = sorted(
                con.execute(f"select {', '.join(map(quote, columns))} from {relation}").fetchall(), key=repr
            )
        return found


def quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def land_on_spark(project: Path, raw_dir: Path, work_dir: Path) -> tuple[dict[str, list[tuple]], float]:
    messages: list[str] = []
    env = {"PORTRAIT_RAW_DIR": str(raw_dir), "PORTRAIT_PYTHON": sys.executable, "PORTRAIT_THREADS": "1"}
    started = time.monotonic()
    with temporary_environment(env):
        result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(
            ["run-operation", "land_raw_sources", "--target", "spark"]
            + ["--project-dir", str(project), "--profiles-dir", str(project)]
            + ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]
        )
    elapsed = time.monotonic() - started
    assert result.success, messages
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()  # the session dbt-spark opened in this process
    found = {}
    for row in session.sql("show tables in raw").collect():
        table = row.tableName
        frame = session.table(f"raw.`{table}`")
        columns = LEDGER if table == "_landed_files" else frame.columns
        found[table] = sorted((tuple(r) for r in frame.select(*columns).collect()), key=repr)
    return found, elapsed


def assert_same_landing(duck: dict[str, list[tuple]], spark: dict[str, list[tuple]]) -> None:
    assert set(spark) == {table.lower() for table in duck}
    for table, rows in duck.items():
        spark_rows = spark[table.lower()]
        if rows != spark_rows:
            in_spark, in_duck = set(spark_rows), set(rows)
            missing = [row for row in rows if row not in in_spark][:5]
            extra = [row for row in spark_rows if row not in in_duck][:5]
            counts = f"{len(rows)} rows on DuckDB, {len(spark_rows)} on Spark"
            pytest.fail(f"raw.{table} ({counts}): DuckDB only {missing}; Spark only {extra}")


# --- raw folders ----------------------------------------------------------------------------------


def awkward_folder(raw: Path) -> Path:
    """Files of every kind the landing step must read, quarantine or count, as test_raw_files
    writes them, plus line ends, field counts, encodings and JSON values it does not."""
    members = raw / "crm_members"
    for name, rows, encoding, newline in [
        ("a_utf8_bom_crlf.csv", [member_row("U1", "13912340001", "张伟", "深圳市")], "utf-8-sig", "\r\n"),
        ("b_utf16.csv", [member_row("U2", "13912340002", "李娜", "杭州市")], "utf-16", "\n"),
        ("c_utf16le.csv", [member_row("U3", "13912340003", "王芳", "成都市")], "utf-16-le", "\n"),
        ("d_gb18030.csv", [member_row("U4", "13912340004", "𠮷野", "南京市"), member_row("U5", "", "刘洋", "西安市")],
         "gb18030", "\n"),
    ]:  # fmt: skip
        write_csv(members / name, MEMBER_HEADER, rows, encoding, newline)
    write_csv(
        members / "e_rfc4180.csv",
        MEMBER_HEADER,
        [
            member_row("R1", "13912340011", '王"小"明', "广州市, 天河区"),
            member_row("R2", "13912340012", "陈静", "深圳市\r\n南山区"),
            member_row("R3", "13912340013", "赵磊", "第一行\n\n第三行"),
            member_row("R4", "13912340014", "孙丽", "苏州市"),
            member_row("R5", "13912340015", "周杰", '"引号"\n"再一行"'),
        ],
        newline="\r\n",
    )
    stray = "".join(
        f"{mid},{phone},,{name},,,,上海市,,,2023-01-05 10:00:00,,\n"
        for mid, phone, name in [("S1", "13912340021", '身高5" 8'), ("S2", "13912340022", "吴刚")]
    )
    (members / "f_stray_quote.csv").write_text(",".join(MEMBER_HEADER) + "\n" + stray, encoding="utf-8")
    mixed = ",".join(MEMBER_HEADER).encode() + b"\n"
    mixed += "X1,13912340031,,张三,,,,,,,2023-01-05 10:00:00,,\n".encode()
    mixed += "X2,13912340032,,李四,,,,,,,2023-01-05 10:00:00,,\n".encode("gbk")
    mixed += b"X3,13912340033,,\xff\xfe\xff,,,,,,,2023-01-05 10:00:00,,\n"
    (members / "g_mixed.csv").write_bytes(mixed)
    header = ",".join(MEMBER_HEADER)
    row = "Q{},1391234{:04d},,名字,,,,,,,2023-01-05 10:00:00,,"
    lines = [row.format(i, i) for i in range(1, 7)]
    (members / "k_lf_then_crlf.csv").write_bytes((header + "\n" + lines[0] + "\r\n" + lines[1] + "\n\n").encode())
    (members / "l_crlf_then_lf.csv").write_bytes((header + "\r\n" + lines[2] + "\n\r\n" + lines[3] + "\r\n").encode())
    (members / "m_cr_only.csv").write_bytes((header + "\r" + lines[4] + "\r\r" + lines[5]).encode())
    (members / "n_fields.csv").write_text(
        header + "\n\n   \nF1,too,few\n" + row.format(7, 7) + ",extra,fields\n" + row.format(8, 8) + "\n  \n",
        encoding="utf-8",
    )
    (members / "o_utf16be_bom.csv").write_bytes(
        codecs.BOM_UTF16_BE + (header + "\n" + row.format(9, 9) + "\n").encode("utf-16-be")
    )
    (members / "p_utf32.csv").write_bytes((header + "\n" + row.format(10, 10) + "\n").encode("utf-32"))
    (members / "q_empty.csv").write_bytes(b"")
    (members / "r_header_only.csv").write_text(header + "\n", encoding="utf-8")
    (members / "s_upper_header.csv").write_text(
        " Member_ID ,PHONE,\ufeffName\n" + '="M1",="13912340041",="王""五"\n', encoding="utf-8"
    )
    (members / "notes.txt").write_text("not a data file\n")
    for name in ("_underscore.csv", "b[1]{2}*?.csv", "it's 会员 list.csv"):  # names Spark would skip or glob
        (members / name).write_text(header + "\n" + row.format(name[:3], 11) + "\n", encoding="utf-8")

    orders = raw / "ecommerce_orders"
    orders.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"""
            copy (
                select 'tmall' as platform, 'P1' as order_id, 'b1' as buyer_id, 13912340001.0::double as phone,
                    timestamptz '2024-05-01 10:00:00+08:00' as order_time, 'paid' as status,
                    100.50::decimal(18, 2) as paid_amount, 7::integer as store_id, date '2024-05-01' as coupon_code,
                    12345678.5::double as discount_amount
                union all
                select 'tmall', 'P2', 'b2', 13912340002.0, timestamptz '2024-05-01 23:30:00-05:00', 'paid', 20.00, 8,
                    null, 0.00001
                union all
                select 'tmall', 'P3', 'b3', 1e17, null, 'paid', -0.5, null, date '1999-12-31', 123.25
            ) to '{orders / "orders_typed.parquet"}' (format parquet)
        """)
        con.execute(f"""
            copy (
                select 'jd' as platform, 'P4' as order_id, [1, 2] as buyer_id, {{'a': 1, 'b': 'x'}} as member_id,
                    timestamp '2024-05-02 10:00:00.123456' as order_time, true as status, 30.0::double as paid_amount,
                    13912340001::float as phone, 1.5::float as discount_amount
            ) to '{orders / "orders_naive.parquet"}' (format parquet)
        """)
        hidden = orders / "_part-0.parquet"  # a name Spark's file sources skip
        con.execute(f"copy (select 'P5' as order_id, 5::bigint as paid_amount) to '{hidden}' (format parquet)")
    values = [
        {"platform": "douyin", "order_id": "J1", "phone": 13912340004.0, "paid_amount": 1.50, "status": True,
         "member_id": 12345678901234567890, "buyer_id": {"y": 1, "x": [1, 2.0]}, "store_id": None,
         "coupon_code": "s\u00e9 \"q\" \\ /", "discount_amount": 1e2, "order_time": "2024-05-03 10:00:00"},
        {"platform": "douyin", "order_id": "J2", "paid_amount": -0.0, "discount_amount": 1e-7,
         "store_id": 6908789018982499272.0, "member_id": 123456789012345678901234, "phone": "13912340011",
         "buyer_id": [], "coupon_code": 0.1},
        {"order_id": "J3", "PLATFORM": "jd", "platform": None, "Store_Id": 5, "STORE_ID": 6},
    ]  # fmt: skip
    text = "\n".join(json.dumps(value, ensure_ascii=False) for value in values)
    text += '\n\n[1, 2]\nnot json\n"a string"\nnull\n{"order_id": "J4",}\n  {"order_id": "J5"}  \r\n'
    (orders / "orders.jsonl").write_text(text, encoding="utf-8")
    (orders / "orders_gbk.ndjson").write_bytes(
        (json.dumps({"order_id": "J6", "coupon_code": "优惠券"}, ensure_ascii=False) + "\n").encode("gbk")
    )
    write_awkward_files(raw)
    write_csv(raw / "pos_orders" / "pos.csv", ORDER_HEADER[:2], [["s1", "o1"]])  # contract columns in part
    return raw


@pytest.fixture(scope="module")
def raw_folders(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("spark_landing_raw")
    generated = base / "generated"
    datagen.generate(
        customers=300, seed=7, out_dir=generated, start="2024-01-01", end="2026-09-30", file_format="mixed"
    )
    folders = {"generated": generated / "raw", "awkward": awkward_folder(base / "awkward")}
    for case in sorted(CASES_DIR.glob("*/raw*")):
        folders[f"{case.parent.name}/{case.name}"] = case
    return folders


def test_spark_lands_every_raw_folder_as_duckdb_does(project, raw_folders, tmp_path):
    timings = {}
    for name, raw_dir in raw_folders.items():
        work = tmp_path / name.replace("/", "_")
        duck = land_on_duckdb(project, raw_dir, work / "duckdb")
        spark, timings[name] = land_on_spark(project, raw_dir, work / "spark")
        assert sum(len(rows) for rows in duck.values()) > 0, name
        assert_same_landing(duck, spark)
    print("Spark landing seconds:", {name: round(seconds, 1) for name, seconds in timings.items()})
