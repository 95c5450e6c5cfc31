"""One normalisation per identifier type (seeds/identity/identifier_types.csv, macro
normalize_identifier), used wherever an identifier enters: the phone rule checked against
libphonenumber (the `phonenumbers` package) on a generated corpus of written forms; invisible
characters, floats and letter case in ids; case 09 of tests/data/cases (an IDFA opt-out written in
another case than the app events); and a raw folder whose ids are written differently per source."""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path

import duckdb
import phonenumbers
import pytest
from cases import build_case, build_raw
from dbt_runner import ROOT, run_dbt
from raw_reference import IP_PREFIXES, canonical_phone
from test_activation import consented_people, destinations, export, exported_ids, manifests

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SEPARATORS = [" ", "-", ".", "/", "\u00a0", "\u3000", "\u2014", "\u2010", "  "]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]
TYPES = ["phone", "member_id", "email", "idfa", "oaid", "android_id", "unionid"]


@pytest.fixture(scope="module")
def normalise(tmp_path_factory):
    """value (and identifier_type) -> the canonical forms the project's SQL gives: the macro compiled
    once by dbt (the seed loaded into a scratch database), then run by DuckDB on a Python table."""
    work = tmp_path_factory.mktemp("normalise")
    raw = work / "raw"
    raw.mkdir()
    seeded = run_dbt(["seed", "--select", "identifier_types"], raw, work)
    assert seeded.success, seeded.failures()
    columns = ", ".join(f"""{{{{ normalize_identifier("'{kind}'", 'value') }}}} as {kind}""" for kind in TYPES)
    inline = (
        f"select value, {{{{ normalize_identifier('identifier_type', 'value') }}}} as by_type, {columns} from corpus"
    )
    compiled = run_dbt(["compile", "--inline", inline], raw, work)
    assert compiled.success, compiled.failures()
    sql = compiled.results[0].node.compiled_code

    def run(values: list[str], identifier_type: str = "phone") -> list[dict]:
        with duckdb.connect() as con:
            con.execute("create table corpus (value varchar, identifier_type varchar)")
            con.executemany("insert into corpus values (?, ?)", [(value, identifier_type) for value in values])
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return run


def _random_numbers(rng: random.Random, count: int) -> list[str]:
    """11-digit numbers starting 13-19: assigned mobile ranges and unassigned ones (140, 149, 154...)."""
    return [f"1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d}" for _ in range(count)]


def _written_forms(rng: random.Random, number: str) -> list[str]:
    """Ways people and systems write one number: prefixes, separators, full-width digits, floats."""
    grouped = lambda sep: sep.join([number[:3], number[3:7], number[7:]])  # noqa: E731
    sep = rng.choice(SEPARATORS)
    forms = [
        number,
        grouped(sep),
        f"+86 {grouped(sep)}",
        f"+86{number}",
        f"0086{rng.choice(['', ' ', '-'])}{number}",
        f"86-{number}",
        f"86{number}",
        f"(+86) {grouped(rng.choice(SEPARATORS))}",
        f"({number[:3]}) {number[3:7]}-{number[7:]}",
        number.translate(FULL_WIDTH),
        f"+８６ {grouped(sep)}".translate(FULL_WIDTH),
        f"{number}.0",
        f"{number}.00",
        f"{number[0]}.{number[1:]}E10",
        f"{number[0]}.{number[1:]}e+10",
        f"{number[0]}.{number[1:6]}E+10",  # Excel's shortened display: digits hidden
        f"{number[:10]}.{number[10]}",  # a fraction, not a whole number
        f"{rng.choice(IP_PREFIXES)}{rng.choice(['', ' ', '-'])}{number}",
        f"0{number}",
        f"0{grouped(sep)}",
        f"+86 0{number}",
        f"{rng.choice(INVISIBLE)}{number}{rng.choice(INVISIBLE)}",
        f"\u00a0{grouped(' ')}\u3000",
        number[:3] + "****" + number[7:],
        number[:3] + " **** " + number[7:],
        number[:-1],
        number[:-3],
        number + str(rng.randint(0, 9)),
        f"1{number}",
    ]
    return forms


def _landlines(rng: random.Random, count: int) -> list[str]:
    """Fixed-line numbers with area codes, written with and without the trunk 0 and +86."""
    forms = []
    for _ in range(count):
        area = rng.choice(["10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "755", "571", "512", "898"])
        local = str(
            rng.randint(2_000_000, 8_999_999)
            if len(area) == 3 and rng.random() < 0.5
            else rng.randint(20_000_000, 89_999_999)
        )
        forms += [f"0{area}-{local}", f"0{area}{local}", f"+86 {area} {local}", f"({area}){local}", f"{area}{local}"]
    return forms


def test_phones_normalise_as_libphonenumber_reads_them(normalise):
    """Thousands of written forms of random numbers (in and out of the mobile ranges), landlines,
    masked and truncated numbers: the SQL gives the mobile number libphonenumber (with Portrait's
    documented IP-prefix and float rules applied first) gives, and null where it finds none."""
    rng = random.Random(11)
    corpus = [form for number in _random_numbers(rng, 400) for form in _written_forms(rng, number)]
    valid_examples = [
        phonenumbers.format_number(phonenumbers.example_number_for_type("CN", phonenumbers.PhoneNumberType.MOBILE), f)
        for f in (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    ]
    corpus += _landlines(rng, 200) + valid_examples + ["", "12", "null", "13800138000,extra", "139-1234-000１"]
    rows = normalise(corpus)
    assert len(rows) == len(corpus) > 10_000
    mismatches = [(row["value"], row["phone"], canonical_phone(row["value"])) for row in rows]
    mismatches = [m for m in mismatches if m[1] != m[2]]
    assert not mismatches, mismatches[:20]
    kept = sum(row["phone"] is not None for row in rows)
    assert 0.2 * len(rows) < kept < 0.8 * len(rows)  # the corpus holds both kinds in earnest
    assert all(row["by_type"] == row["phone"] for row in rows)  # the case over types gives the same


def test_the_phone_ranges_are_libphonenumbers_mobile_ranges(normalise):
    """Every three-digit prefix 130-199 with random subscriber numbers: kept exactly when
    libphonenumber calls the number a valid CN mobile number."""
    rng = random.Random(5)
    numbers = [f"{prefix}{rng.randint(0, 99_999_999):08d}" for prefix in range(130, 200) for _ in range(40)]
    numbers += [f"1740{rng.randint(0, 9)}{rng.randint(0, 999_999):06d}" for _ in range(100)]
    numbers += [f"1610{rng.randint(0, 9_999_999):07d}" for _ in range(50)]
    for row in normalise(numbers):
        parsed = phonenumbers.parse(row["value"], "CN")
        mobile = phonenumbers.is_valid_number(parsed) and (
            phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        )
        assert (row["phone"] == row["value"]) is mobile, row["value"]
        assert mobile or row["phone"] is None


@pytest.mark.parametrize("character", ["\u00a0", "\u200b", "\u200c", "\u200d", "\ufeff", "\u3000", "\u2060", "\t"])
def test_invisible_and_non_breaking_characters_never_stay_inside_an_id(normalise, character):
    values = [f"M001{character}", f"{character}M001", f"M0{character}01", f"{character}{character}M001"]
    for kind in ("member_id", "unionid"):
        assert {row[kind] for row in normalise(values, kind)} == {"M001"}
    emails = normalise([f"Foo@Bar.cn{character}", f"foo{character}@bar.cn"])
    assert {row["email"] for row in emails} == {"foo@bar.cn"}
    assert normalise([f"139 1234 0001{character}"])[0]["phone"] == "13912340001"
    assert normalise([f"null{character}"], "member_id")[0]["member_id"] is None


def test_whole_number_floats_are_read_per_type(normalise):
    """member_id declares whole_number_floats (pandas writes 1001 as 1001.0); unionid does not."""
    rows = {row["value"]: row for row in normalise(["1001.0", "1001.00", "1001.5", "M1.0", "1.001E3"], "member_id")}
    assert rows["1001.0"]["member_id"] == rows["1001.00"]["member_id"] == "1001"
    assert rows["1001.5"]["member_id"] == "1001.5" and rows["M1.0"]["member_id"] == "M1.0"
    assert rows["1.001E3"]["member_id"] == "1.001E3"  # the exponent form is read for phones only
    assert rows["1001.0"]["unionid"] == "1001.0"


def test_device_ids_compare_case_insensitively_in_one_canonical_case(normalise):
    idfa = "6d92078a-8246-4BA4-ae5b-76104861e7dc"
    rows = normalise([idfa, idfa.upper(), idfa.lower(), f" {idfa.lower()}\u200b"])
    assert {row["idfa"] for row in rows} == {idfa.upper()}  # IDFA as Apple writes it
    assert {row["oaid"] for row in rows} == {idfa.lower()}  # OAID as MSA SDKs write it
    assert {row["android_id"] for row in normalise(["9774D56D682E549C", "9774d56d682e549c"])} == {"9774d56d682e549c"}
    by_type = {row["identifier_type"]: row["by_type"] for row in _by_type(normalise, idfa)}
    assert by_type == {"idfa": idfa.upper(), "oaid": idfa.lower(), "member_id": idfa, "unknown_kind": idfa}


def _by_type(normalise, value):
    for identifier_type in ("idfa", "oaid", "member_id", "unknown_kind"):
        yield {"identifier_type": identifier_type, **normalise([value], identifier_type)[0]}


def test_blocklisted_exact_values_are_canonical_and_zeroed_device_ids_blocked(normalise):
    """An exact blocklist value must be written as its type's canonical form, or it would never
    match what staging produces; zeroed advertising ids are blocked in every layout."""
    with (ROOT / "seeds" / "identity" / "identifier_blocklist.csv").open(encoding="utf-8") as handle:
        rules = list(csv.DictReader(handle))
    for rule in rules:
        if rule["match_kind"] == "exact" and rule["identifier_type"] != "*":
            (row,) = normalise([rule["pattern"]], rule["identifier_type"])
            assert row["by_type"] == rule["pattern"], rule
    zeroed = ["00000000-0000-0000-0000-000000000000", "0000000000000000", "00000000000000000000000000000000"]
    regexes = [rule for rule in rules if rule["match_kind"] == "regex"]
    with duckdb.connect() as con:
        for kind in ("idfa", "oaid"):
            for row in normalise(zeroed, kind):
                assert any(
                    rule["identifier_type"] in (kind, "*")
                    and con.execute("select regexp_matches(?, ?)", [row[kind], rule["pattern"]]).fetchone()[0]
                    for rule in regexes
                ), row


# --- builds ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def idfa_case(tmp_path_factory):
    build = build_case("09-idfa-case-optout", tmp_path_factory.mktemp("case09"))
    assert build.run.success, build.run.failures()
    return build


def _one_id(build, member_id: str) -> str:
    return build.scalar(
        "select one_id from customers.identifier_people where identifier_type = 'member_id' and identifier = ?",
        [member_id],
    )


def test_case_09_an_idfa_opt_out_in_another_case_keeps_the_person_out_of_ad_audiences(idfa_case, tmp_path):
    m001, m002, m003 = (_one_id(idfa_case, member) for member in ("M001", "M002", "M003"))
    assert len({m001, m002, m003}) == 3 and None not in {m001, m002, m003}
    consented = consented_people(idfa_case)  # the independent reading of consents (test_activation)
    assert m001 not in consented["ads"]
    assert {m002, m003} <= consented["ads"]
    staged = set(idfa_case.query("select identifier_type, identifier from staging.stg_consent__consents"))
    assert ("idfa", "6D92078A-8246-4BA4-AE5B-76104861E7DC") in staged
    assert ("oaid", "abcdef01-2345-6789-abcd-ef0123456789") in staged

    specs = destinations(idfa_case.work_dir / "portrait.duckdb")
    advertising = {name for name, spec in specs.items() if spec["kind"] == "advertising"}
    assert advertising
    audience = idfa_case.query(
        "select destination, one_id, id_type, exported_identifier from activation.activation_audience_identifiers"
    )
    assert not [row for row in audience if row[0] in advertising and row[1] == m001]
    oaid_md5 = hashlib.md5(b"abcdef01-2345-6789-abcd-ef0123456789").hexdigest()
    for destination in advertising:
        assert (destination, m003, "oaid_md5", oaid_md5) in audience  # M003's OAID grant counts

    # Every file an export writes: nothing of M001 in any ad destination's files.
    out = tmp_path / "exports"
    assert export(idfa_case.work_dir, out) == 0
    m001_values = {row[3] for row in idfa_case.query(
        "select * from activation.activation_audience_identifiers where one_id = ?", [m001]
    )}  # fmt: skip
    m001_values |= {
        hashing(value.encode()).hexdigest()
        for value in ("13912340001", "6D92078A-8246-4BA4-AE5B-76104861E7DC")
        for hashing in (hashlib.md5, hashlib.sha256)
    }
    for folder, manifest in manifests(out):
        if manifest["destination"] in advertising:
            assert not {value for _, value in exported_ids(folder, manifest)} & m001_values, folder


def _write_csv(path: Path, header: str, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + "".join(row + "\n" for row in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def forms_build(tmp_path_factory):
    """Ids written differently per source: a member id with a trailing no-break space in the CRM
    and without it in orders, a member id as a pandas float, an OAID in two cases, zeroed IDFAs."""
    base = tmp_path_factory.mktemp("forms")
    raw = base / "raw"
    _write_csv(
        raw / "crm_members" / "members.csv",
        "member_id,phone,email,name,gender,birthday,province,city,register_channel,register_store_id,registered_at,member_level,updated_at",
        [
            "M001\u00a0,13912340001,,,,,,,,,2023-01-05 10:00:00,,",
            "1002,13912340002,,,,,,,,,2023-01-05 10:00:00,,",
        ],
    )
    _write_csv(
        raw / "ecommerce_orders" / "orders.csv",
        "platform,order_id,buyer_id,member_id,phone,order_time,status,paid_amount,discount_amount,coupon_code,store_id",
        [
            "jd,J1,jd_a,M001,,2024-05-01 10:00:00,paid,100.0,,,",
            "jd,J2,jd_b,\u200bM001\u3000,,2024-05-02 10:00:00,paid,50.0,,,",
            "tmall,T1,tb_c,1002.0,,2024-05-03 10:00:00,paid,80.0,,,",
            "tmall,T2,tb_d,,+86 139 1234 0002,2024-05-04 10:00:00,paid,20.0,,,",
        ],
    )
    _write_csv(
        raw / "app_events" / "app.csv",
        "event_id,device_id,device_id_type,member_id,event_name,sku_id,content_id,event_time,properties",
        [
            "A1,abcdef01-2345-6789-abcd-ef0123456789,oaid,M001,app_open,,,2024-05-01 10:00:00,",
            "A2,ABCDEF01-2345-6789-ABCD-EF0123456789,OAID,,app_open,,,2024-05-02 10:00:00,",
            "A3,00000000-0000-0000-0000-000000000000,idfa,1002,app_open,,,2024-05-01 10:00:00,",
            "A4,0000000000000000,idfa,M001,app_open,,,2024-05-01 10:00:00,",
        ],
    )
    build = build_raw(raw, base / "work")
    assert build.run.success, build.run.failures()
    return build


def test_a_member_id_with_a_trailing_no_break_space_is_the_same_customer(forms_build):
    assert forms_build.scalar("select count(*) from customers.customers") == 2
    members = dict(
        forms_build.query(
            "select identifier, one_id from customers.identifier_people where identifier_type = 'member_id'"
        )
    )
    assert set(members) == {"M001", "1002"}
    orders = dict(forms_build.query("select order_id, one_id from customers.customer_orders"))
    assert orders["J1"] == orders["J2"] == members["M001"]
    assert orders["T1"] == orders["T2"] == members["1002"]


def test_an_oaid_in_two_cases_is_one_identifier_and_zeroed_idfas_link_nobody(forms_build):
    nodes = {node for (node,) in forms_build.query("select node_id from identity.customer_identities")}
    assert "oaid:abcdef01-2345-6789-abcd-ef0123456789" in nodes
    assert not {node for node in nodes if node.startswith("oaid:") and node != node.lower()}
    blocked = dict(forms_build.query("select node_id, block_reason from identity.identity_blocked_identifiers"))
    assert "idfa:00000000-0000-0000-0000-000000000000" in blocked
    assert "idfa:0000000000000000" in blocked
    owner = forms_build.scalar(
        "select one_id from identity.customer_identities where node_id = 'oaid:abcdef01-2345-6789-abcd-ef0123456789'"
    )
    assert owner == forms_build.scalar(
        "select one_id from customers.identifier_people where identifier_type = 'member_id' and identifier = 'M001'"
    )
