"""Raw files as brands' systems write them: encodings, RFC 4180 CSV, typed Parquet and JSON, and a
new user's first build. Expected values come from Python's codecs and csv module, not from the
landing SQL; the real-world cases (tests/data/cases/) are checked against their README."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from cases import build_case, build_raw
from dbt_runner import ROOT
from portrait_command import run_portrait

from portrait.raw_files import prepare_raw_file
from portrait.text_encodings import detect_encoding

MEMBER_HEADER = [
    "member_id", "phone", "email", "name", "gender", "birthday", "province", "city",
    "register_channel", "register_store_id", "registered_at", "member_level", "updated_at",
]  # fmt: skip
ORDER_HEADER = [
    "platform", "order_id", "buyer_id", "member_id", "phone", "order_time", "status", "paid_amount",
    "discount_amount", "coupon_code", "store_id",
]  # fmt: skip


def one_id(build, identifier_type: str, value: str) -> str | None:
    return build.scalar(
        "select one_id from identity.customer_identities where identifier_type = ? and identifier_value = ?",
        [identifier_type, value],
    )


def order_owner(build, order_id: str) -> str | None:
    return build.scalar("select one_id from customers.customer_orders where order_id = ?", [order_id])


def members(build) -> dict[str, dict]:
    rows = build.query("select member_id, member_name, city, member_level, phone from staging.stg_crm__members")
    return {row[0]: {"name": row[1], "city": row[2], "level": row[3], "phone": row[4]} for row in rows}


def quarantined(build, source: str) -> list[tuple]:
    return build.query(
        "select source_file, source_row, quarantine_reason from staging.quarantined_rows"
        " where source_name = ? order by source_file, source_row",
        [source],
    )


# --- the real-world cases -------------------------------------------------------------------


@pytest.fixture(scope="module")
def case_builds(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("raw_cases")
    return {
        name: build_case(case, base / name.replace("/", "_"), variant)
        for name, case, variant in [
            ("02", "02-gbk-encoded-export", "raw"),
            ("02_mixed", "02-gbk-encoded-export", "raw_mixed"),
            ("03", "03-pandas-float-phone", "raw"),
            ("12", "12-quoted-newline-address", "raw"),
        ]
    }


def test_case_02_gbk_export_is_decoded(case_builds):
    build = case_builds["02"]
    assert build.run.success, build.run.failures()
    staged = members(build)
    assert staged["M001"] == {"name": "张伟", "city": "深圳市", "level": "金卡", "phone": "13912340001"}
    assert staged["M002"]["name"] == "李娜" and staged["M002"]["city"] == "杭州市"
    assert order_owner(build, "T1") == one_id(build, "member_id", "M001")


def test_case_02_one_gbk_line_in_a_utf8_file_is_decoded_and_the_rest_builds(case_builds):
    build = case_builds["02_mixed"]
    assert build.run.success, build.run.failures()
    staged = members(build)
    assert staged["M001"]["name"] == "Zhang Wei"
    assert staged["M002"]["name"] == "李娜"  # the GBK line
    assert staged["M003"]["name"] == "王芳"  # a UTF-8 line, not read as GBK
    assert quarantined(build, "crm_members") == []
    assert order_owner(build, "T1") == one_id(build, "member_id", "M001")


def test_case_03_whole_number_float_phones_keep_their_digits(case_builds):
    build = case_builds["03"]
    assert build.run.success, build.run.failures()
    m001, m002 = one_id(build, "member_id", "M001"), one_id(build, "member_id", "M002")
    assert m001 and m002 and m001 != m002
    assert order_owner(build, "J1") == m001
    assert order_owner(build, "D1") == m002
    spend = dict(build.query("select one_id, sum(paid_amount) from customers.customer_orders group by all"))
    assert spend[m001] == Decimal("100.00") and spend[m002] == Decimal("80.00")
    assert build.scalar("select count(*) from customers.customer_orders where one_id in (?, ?)", [m001, m002]) == 2


def test_case_12_a_quoted_line_break_is_one_record(case_builds):
    build = case_builds["12"]
    assert build.run.success, build.run.failures()
    staged = members(build)
    assert staged["M001"]["level"] == "金卡"
    assert staged["M001"]["city"].replace("\r", "") == "深圳市\n南山区"
    assert quarantined(build, "crm_members") == []
    assert (
        build.scalar(
            "select _source_row from staging.base_crm__members where member_id = 'M001' and row_status = 'staged'"
        )
        == 2
    )  # the line where the record starts
    assert (
        build.scalar(
            "select _source_row from staging.base_crm__members where member_id = 'M002' and row_status = 'staged'"
        )
        == 4
    )


# --- encodings ------------------------------------------------------------------------------

ENCODED_TEXT = "member_id,name,city\r\nE1,张伟,深圳市\r\nE2,𠮷野家,上海市\r\nE3,Zoë,北京市\r\n"


@pytest.mark.parametrize(
    ("encoding", "data", "detected"),
    [
        ("utf-8", ENCODED_TEXT.encode("utf-8"), "utf-8"),
        ("utf-8-sig", ENCODED_TEXT.encode("utf-8-sig"), "utf-8-sig"),
        ("utf-16 with BOM", ENCODED_TEXT.encode("utf-16"), "utf-16-le"),
        ("utf-16-be with BOM", codecs.BOM_UTF16_BE + ENCODED_TEXT.encode("utf-16-be"), "utf-16-be"),
        ("utf-16-le without BOM", ENCODED_TEXT.encode("utf-16-le"), "utf-16-le"),
        ("gb18030", ENCODED_TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_encodings_are_detected_and_decoded(tmp_path, encoding, data, detected):
    path = tmp_path / "members.csv"
    path.write_bytes(data)
    assert detect_encoding(path).encoding == detected
    prepared = prepare_raw_file(str(path), str(tmp_path / "cache"))
    assert Path(prepared.read_path).read_bytes().decode("utf-8") == ENCODED_TEXT
    assert (Path(prepared.read_path) == path) == (detected == "utf-8")


def test_a_gbk_file_whose_short_lines_are_also_valid_utf8_is_read_as_gbk(tmp_path):
    text = "member_id,name\n" + "".join(f"G{i},{name}\n" for i, name in enumerate(["郑丞", "张伟", "李娜", "王芳"] * 5))
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    assert "郑丞".encode("gbk").decode("utf-8")  # the trap: these GBK bytes are valid UTF-8
    prepared = prepare_raw_file(str(path), str(tmp_path / "cache"))
    assert prepared.encoding == "gb18030"
    assert Path(prepared.read_path).read_text(encoding="utf-8") == text


def test_a_changed_file_is_prepared_again_and_an_unchanged_one_is_not(tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes("member_id,name\nA,张伟\n".encode("gbk"))
    first = prepare_raw_file(str(path), str(tmp_path / "cache"))
    Path(first.read_path).write_text("member_id,name\nA,cached\n", encoding="utf-8")
    assert (
        Path(prepare_raw_file(str(path), str(tmp_path / "cache")).read_path).read_text() == "member_id,name\nA,cached\n"
    )
    path.write_bytes("member_id,name\nA,李娜 \n".encode("gbk"))
    second = prepare_raw_file(str(path), str(tmp_path / "cache"))
    assert Path(second.read_path).read_text(encoding="utf-8") == "member_id,name\nA,李娜 \n"
    assert not Path(first.read_path).exists()


# --- one build over files of every kind -----------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding="utf-8", newline="\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([header, *rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return buffer.getvalue()


def member_row(member_id: str, phone: str, name: str, city: str) -> list[str]:
    values = dict.fromkeys(MEMBER_HEADER, "")
    values.update(member_id=member_id, phone=phone, name=name, city=city, registered_at="2023-01-05 10:00:00")
    return [values[column] for column in MEMBER_HEADER]


def expected_members(text: str) -> dict[str, tuple[str, str, int]]:
    """member_id -> (name, city, line where the record starts), read by Python's csv module."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    found, start = {}, 2
    for row in reader:
        found[row["member_id"]] = (row["name"], row["city"], start)
        start = reader.line_num + 1
    return found


@pytest.fixture(scope="module")
def kinds_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("raw_kinds")
    raw = base / "raw"
    members_dir = raw / "crm_members"
    expected: dict[str, tuple[str, str, int, str]] = {}

    def add(file_name: str, rows: list[list[str]], encoding="utf-8", newline="\n"):
        text = write_csv(members_dir / file_name, MEMBER_HEADER, rows, encoding, newline)
        for member_id, (name, city, line) in expected_members(text).items():
            expected[member_id] = (name, city, line, file_name)

    add("a_utf8_bom_crlf.csv", [member_row("U1", "13912340001", "张伟", "深圳市")], "utf-8-sig", "\r\n")
    add("b_utf16.csv", [member_row("U2", "13912340002", "李娜", "杭州市")], "utf-16")
    add("c_utf16le.csv", [member_row("U3", "13912340003", "王芳", "成都市")], "utf-16-le")
    add(
        "d_gb18030.csv",
        [member_row("U4", "13912340004", "𠮷野", "南京市"), member_row("U5", "", "刘洋", "西安市")],
        "gb18030",
    )
    add(
        "e_rfc4180.csv",
        [
            member_row("R1", "13912340011", '王"小"明', "广州市, 天河区"),
            member_row("R2", "13912340012", "陈静", "深圳市\r\n南山区"),
            member_row("R3", "13912340013", "赵磊", "第一行\n\n第三行"),
            member_row("R4", "13912340014", "孙丽", "苏州市"),
            member_row("R5", "13912340015", "周杰", '"引号"\n"再一行"'),
        ],
        newline="\r\n",
    )
    stray_rows = [("S1", "13912340021", '身高5" 8'), ("S2", "13912340022", "吴刚"), ("S3", "13912340023", "郑爽")]
    stray = "".join(f"{mid},{phone},,{name},,,,上海市,,,2023-01-05 10:00:00,,\n" for mid, phone, name in stray_rows)
    (members_dir / "f_stray_quote.csv").write_text(",".join(MEMBER_HEADER) + "\n" + stray, encoding="utf-8")
    mixed = ",".join(MEMBER_HEADER).encode() + b"\n"
    mixed += "X1,13912340031,,张三,,,,,,,2023-01-05 10:00:00,,\n".encode()
    mixed += "X2,13912340032,,李四,,,,,,,2023-01-05 10:00:00,,\n".encode("gbk")
    mixed += b"X3,13912340033,,\xff\xfe\xff,,,,,,,2023-01-05 10:00:00,,\n"
    mixed += "X4,13912340034,,王五,,,,,,,2023-01-05 10:00:00,,\n".encode()
    (members_dir / "g_mixed.csv").write_bytes(mixed)

    orders_dir = raw / "ecommerce_orders"
    orders_dir.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"""
            copy (
                select 'tmall' as platform, 'P1' as order_id, 'b1' as buyer_id,
                    13912340001.0::double as phone,
                    timestamptz '2024-05-01 10:00:00+08:00' as order_time,
                    'paid' as status, 100.50::decimal(18, 2) as paid_amount, 7::integer as store_id
                union all
                select 'tmall', 'P2', 'b2', 13912340002.0, timestamptz '2024-05-01 23:30:00-05:00', 'paid', 20.00, 8
            ) to '{orders_dir / "orders_typed.parquet"}' (format parquet)
        """)
        con.execute(f"""
            copy (
                select 'jd' as platform, 'P3' as order_id, 'b3' as buyer_id, 13912340003.0::double as phone,
                    timestamp '2024-05-02 10:00:00' as order_time, 'paid' as status, 30.0::double as paid_amount
            ) to '{orders_dir / "orders_naive.parquet"}' (format parquet)
        """)
    lines = [
        {"platform": "douyin", "order_id": "P4", "buyer_id": "b4", "phone": 13912340004.0,
         "order_time": "2024-05-03T10:00:00+08:00", "status": "paid", "paid_amount": 40.0},
        {"platform": "douyin", "order_id": "P5", "buyer_id": "b5", "phone": 13912340011,
         "order_time": "2024-05-03 10:00:00", "status": "paid", "paid_amount": "50.00"},
    ]  # fmt: skip
    (orders_dir / "orders.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    write_awkward_files(raw)
    build = build_raw(raw, base / "work")
    return build, expected


PRODUCT_HEADER = "sku_id,name,category_l1,category_l2,brand,list_price,launched_at"


def write_awkward_files(raw: Path) -> None:
    """Files that once broke the landing step or lost rows silently, one per kind."""
    orders = raw / "ecommerce_orders"
    good = (orders / "orders_typed.parquet").read_bytes()
    (orders / "truncated.parquet").write_bytes(good[: len(good) // 2])
    (orders / "zero.parquet").write_bytes(b"")
    order = {"platform": "tmall", "order_id": "A1", "order_time": "2024-05-01 10:00:00", "status": "paid"}
    (orders / "api_dump.json").write_text(json.dumps([order] * 30000))  # one 2.3 MB line: a JSON array
    shouting = {
        "PLATFORM": "jd",
        "Order_ID": "K1",
        "ORDER_TIME": "2024-05-05 10:00:00",
        "STATUS": "paid",
        "Paid_Amount": 5,
    }
    (orders / "upper_keys.jsonl").write_text(json.dumps(shouting) + "\n")
    nested = orders / "2024-05" / "daily"
    nested.mkdir(parents=True)
    (nested / "orders.CSV").write_text(",".join(ORDER_HEADER) + "\njd,N1,b9,,,2024-05-06 10:00:00,paid,9.00,,,\n")
    taobao = 'tmall,="4987654321098765432",="tb88",,="13912340001",2024-05-08 10:00:00,paid,8.00,,,\n'
    (orders / "taobao_export.csv").write_text(",".join(ORDER_HEADER) + "\n" + taobao)
    with duckdb.connect() as con:
        con.execute(f"""
            copy (
                select 'tmall' as platform, 'F1' as order_id, 13912340001::float as phone,
                    '2024-05-07 10:00:00' as order_time, 'paid' as status, encode('张三') as coupon_code,
                    19.9::float as paid_amount
            ) to '{orders / "hive.parquet"}' (format parquet)
        """)
    products = raw / "products"
    products.mkdir()
    (products / "skus.csv").write_text(
        PRODUCT_HEADER + ',"价格(元,含税)"\n'
        'S1,"限量款 T恤,服装,T恤,ACME,99,2024-01-01,1\n'
        "S2,卫衣,服装,卫衣,ACME,199,2024-01-01,1\n"
        "S3,帽子,配饰,帽子,ACME,59,2024-01-01,1\n"
        'S4,显示器 27",数码,显示器,AOC,999,2024-01-01,1\n'
        "S5,鼠标,数码,鼠标,罗技,99,2024-01-01,1\n"
        'S6,"礼盒装\n含贺卡",礼品,礼盒,ACME,199,2024-01-01,1\n'
        "S7,键盘,数码,键盘,罗技,199,2024-01-01,1\n",
        encoding="utf-8",
    )
    members = raw / "crm_members"
    (members / "h_gbk_women.csv").write_bytes(
        (
            "member_id,name,gender,registered_at\nW1,郑丞,女,2023-01-05 10:00:00\nW2,叶倩,女,2023-01-05 10:00:00\n"
        ).encode("gbk")
    )
    (members / "i_big5.csv").write_bytes(
        "member_id,name,city,registered_at\nB1,陳大文,臺北市,2023-01-05 10:00:00\n".encode("big5")
    )
    (members / "j_chinese_header.csv").write_bytes("会员ID,手机号\nC1,13912340099\nC2,13912340098\n".encode("gbk"))


def test_awkward_files_are_read_or_quarantined_never_lost_or_build_breaking(kinds_build):
    build, _ = kinds_build
    assert build.run.success, build.run.failures()
    orders = {
        row[0]: row[1:] for row in build.query("select order_id, phone, coupon_code from staging.stg_ecommerce__orders")
    }
    assert {"K1", "N1", "F1"} <= orders.keys()  # upper-case JSON keys, a nested folder, a Hive Parquet file
    assert orders["F1"] == (None, "张三")  # a float32 phone is not exact: no identifier; BLOB text decoded
    assert orders["4987654321098765432"] == ("13912340001", None)  # ="..." as marketplace exports write
    quarantined_files = {
        (Path(file).name, row, reason)
        for file, row, reason in build.query(
            "select source_file, source_row, quarantine_reason from staging.quarantined_rows"
            " where source_name in ('ecommerce_orders', 'crm_members')"
        )
    }
    assert ("truncated.parquet", 0, "malformed_line_unreadable_file") in quarantined_files
    assert ("zero.parquet", 0, "malformed_line_unreadable_file") in quarantined_files
    assert ("api_dump.json", 1, "malformed_line_invalid_json") in quarantined_files
    assert ("j_chinese_header.csv", 2, "malformed_line_no_contract_columns") in quarantined_files
    assert ("j_chinese_header.csv", 3, "malformed_line_no_contract_columns") in quarantined_files


def test_a_stray_quote_never_swallows_whole_lines_after_it(kinds_build):
    build, _ = kinds_build
    rows = build.query(
        "select _source_row, sku_id, product_name, row_status, quarantine_reason from staging.base_catalog__products"
        " order by _source_row"
    )
    by_line = {row[0]: row[1:] for row in rows}
    assert by_line[2][2:] == ("quarantined", "malformed_line_bad_quoting")
    assert by_line[5][2:] == ("quarantined", "malformed_line_bad_quoting")
    assert [by_line[line][0] for line in (3, 4, 6, 7, 9)] == ["S2", "S3", "S5", "S6", "S7"]
    assert by_line[7][1] == "礼盒装\n含贺卡"
    assert 8 not in by_line  # the second line of S6's quoted value


def test_gbk_text_that_is_also_valid_utf8_and_big5_text_are_read_right(kinds_build):
    build, _ = kinds_build
    staged = members(build)
    assert staged["W1"]["name"] == "郑丞" and staged["W2"]["name"] == "叶倩"
    assert staged["B1"]["name"] == "陳大文" and staged["B1"]["city"] == "臺北市"
    genders = dict(build.query("select member_id, gender from staging.stg_crm__members where member_id like 'W%'"))
    assert set(genders.values()) == {"female"}


def test_every_encoding_and_rfc4180_form_stages_what_pythons_csv_module_reads(kinds_build):
    build, expected = kinds_build
    assert build.run.success, build.run.failures()
    rows = build.query(
        "select member_id, member_name, city, _source_row, _source_file from staging.base_crm__members"
        " where row_status = 'staged'"
    )
    staged = {row[0]: (row[1], row[2], row[3], Path(row[4]).name) for row in rows}
    for member_id, (name, city, line, file_name) in expected.items():
        assert member_id in staged, (member_id, file_name)
        staged_name, staged_city, staged_line, staged_file = staged[member_id]
        assert (staged_name, staged_file, staged_line) == (name, file_name, line), member_id
        assert staged_city.replace("\r\n", "\n") == city.replace("\r\n", "\n"), member_id


def test_a_stray_quote_quarantines_its_line_only(kinds_build):
    build, _ = kinds_build
    rows = build.query(
        "select member_id, _source_row, row_status, quarantine_reason from staging.base_crm__members"
        " where _source_file like '%f_stray_quote.csv' order by _source_row"
    )
    assert [(row[1], row[2], row[3]) for row in rows] == [
        (2, "quarantined", "malformed_line_bad_quoting"),
        (3, "staged", None),
        (4, "staged", None),
    ]
    assert [row[0] for row in rows[1:]] == ["S2", "S3"]


def test_lines_in_two_encodings_are_each_decoded_and_undecodable_bytes_quarantined(kinds_build):
    build, _ = kinds_build
    staged = members(build)
    assert staged["X1"]["name"] == "张三" and staged["X2"]["name"] == "李四" and staged["X4"]["name"] == "王五"
    assert "X3" not in staged
    bad = [row for row in quarantined(build, "crm_members") if row[0].endswith("g_mixed.csv")]
    assert [(row[1], row[2]) for row in bad] == [(4, "malformed_line_invalid_encoding")]


def test_typed_parquet_and_json_values_are_read_by_their_type(kinds_build):
    build, _ = kinds_build
    rows = build.query("select order_id, phone, ordered_at, paid_amount from staging.stg_ecommerce__orders")
    staged = {row[0]: row[1:] for row in rows}
    shanghai = timezone(timedelta(hours=8))

    def utc(text: str, tz=None) -> datetime:
        moment = datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(UTC).replace(tzinfo=None)

    assert staged["P1"] == ("13912340001", utc("2024-05-01T10:00:00+08:00"), Decimal("100.50"))
    assert staged["P2"] == ("13912340002", utc("2024-05-01T23:30:00-05:00"), Decimal("20.00"))
    assert staged["P3"] == ("13912340003", utc("2024-05-02T10:00:00", shanghai), Decimal("30.00"))
    assert staged["P4"] == ("13912340004", utc("2024-05-03T10:00:00+08:00"), Decimal("40.00"))
    assert staged["P5"] == ("13912340011", utc("2024-05-03T10:00:00", shanghai), Decimal("50.00"))
    assert order_owner(build, "P5") == one_id(build, "member_id", "R1")
    rows = build.query(
        "select _source_row from staging.base_ecommerce__orders where _source_file like '%orders_typed.parquet'"
        " order by order_id"
    )
    assert [row[0] for row in rows] == [1, 2]


# --- a new user's first build ---------------------------------------------------------------


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory):
    """Three sources of a user's own (members, orders, consents), no demo data, no segment lists."""
    base = tmp_path_factory.mktemp("newcomer")
    raw = base / "raw"
    write_csv(
        raw / "crm_members" / "members.csv",
        MEMBER_HEADER,
        [member_row(f"N{i}", f"1391234{i:04d}", f"会员{i}", "上海市") for i in range(1, 6)]
        + [member_row("N6", "13800138000", "占位", "上海市")],  # the placeholder number forms fill in
    )
    orders = []
    for i in range(1, 6):
        for k in range(i):
            day = f"2024-0{k % 6 + 1}-1{i % 9} 12:00:00"
            orders.append(["tmall", f"N{i}-{k}", f"tb{i}", f"N{i}", "", day, "paid", f"{50 * (k + 1)}.00", "", "", ""])
    orders.append(["tmall", "N1-late", "tb1", "N1", "", "2024-07-05 12:00:00", "paid", "80.00", "", "", ""])
    write_csv(raw / "ecommerce_orders" / "orders.csv", ORDER_HEADER, orders)
    (raw / "CRM_Members").mkdir()  # a folder no source reads (a typo of crm_members)
    write_csv(
        raw / "consents" / "consents.csv",
        ["identifier_type", "identifier", "channel", "status", "updated_at"],
        [["phone", f"1391234{i:04d}", "sms", "granted", "2024-01-01 10:00:00"] for i in range(1, 6)],
    )
    return build_raw(raw, base / "work"), base


def test_a_new_users_first_build_of_three_sources_succeeds(newcomer):
    build, _ = newcomer
    assert build.run.success, build.run.failures()
    assert (build.work_dir / "portrait.duckdb").exists()
    assert any("/CRM_Members' is not a source" in message and "did you mean 'crm_members'" in message
               for message in build.run.messages)  # fmt: skip
    statuses = dict(build.query("select segment_code, input_status from segments.segment_definitions"))
    assert statuses["salon_event_guests"].startswith("missing list file")
    assert build.scalar("select count(*) from customers.customers") == 6
    assert build.scalar("select phone from customers.customers where member_id = 'N6'") is None  # blocked
    fit_statuses = build.query("select fit_status from scores.model_gamma_gamma_params")
    assert fit_statuses and all(status.startswith(("fitted", "not fitted: ")) for (status,) in fit_statuses)


def run_command(*args: str, db: Path) -> subprocess.CompletedProcess:
    return run_portrait(*args, "--db", str(db))


def test_a_new_users_summary_exports_and_explanations_run_without_a_traceback(newcomer):
    build, base = newcomer
    db = build.work_dir / "portrait.duckdb"
    summary = run_command("summary", db=db)
    assert summary.returncode == 0, summary.stderr
    assert "segment salon_event_guests has no members: missing list file" in summary.stdout
    assert "as_of 2024-06-30:" in summary.stdout
    assert "1 staged orders are after as_of (the latest 2024-07-05)" in summary.stdout
    listed = run_command("explain", "segment", "salon_event_guests", one_id(build, "member_id", "N1"), db=db)
    assert "the segment has no members: missing list file" in listed.stdout, listed.stdout + listed.stderr
    exported = run_command(
        "export", "--out", str(base / "exports"), "--target", str(build.work_dir / "target"), "--no-progress", db=db
    )
    assert exported.returncode == 0, exported.stderr
    assert "Traceback" not in exported.stderr
    person = one_id(build, "member_id", "N5")
    explained = run_command("explain", "segment", "gold_and_above", person, db=db)
    assert explained.returncode == 0 and "Traceback" not in explained.stderr, explained.stderr
    linked = run_command("explain", "identity", "member_id:N5", "phone:+86 139-1234-0005", db=db)
    assert linked.returncode == 0 and "Traceback" not in linked.stderr, linked.stderr
    assert "member_id:N5 and phone:13912340005 are both" in linked.stdout
    refused = run_command("explain", "identity", "phone:010-12345678", db=db)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "portrait explain identity: '010-12345678' is not a valid phone"


def test_plain_dbt_seed_on_a_fresh_clone_creates_the_database_folder(tmp_path):
    database = tmp_path / "fresh" / "build" / "portrait.duckdb"
    env = {**os.environ, "PORTRAIT_DB_PATH": str(database), "PORTRAIT_TEMP_DIR": str(database.parent / "tmp")}
    env["DBT_PROFILES_DIR"] = str(ROOT)
    dbt = Path(sys.executable).parent / "dbt"
    target = ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    result = subprocess.run(
        [str(dbt), "seed", "--quiet", *target], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert database.exists()
