"""Consent fails closed: common status words are read as grants and opt-outs, and a consent row
quarantined because its status or time cannot be read still blocks the channel of the identifier it
names, while staying in quarantine with its reason."""

from __future__ import annotations

from pathlib import Path

from cases import build_raw

MEMBERS_HEADER = (
    "member_id,phone,email,name,gender,birthday,province,city,register_channel,register_store_id,"
    "registered_at,member_level,updated_at"
)
CONSENTS_HEADER = "identifier_type,identifier,channel,status,updated_at"

# member_id -> phone; every member is granted sms (and M5 wecom) in January 2024.
MEMBERS = {f"M{index}": f"1391234001{index}" for index in range(1, 8)}
LATER_ROWS = [
    "phone,13912340011,sms,unsubscribed,2024-03-01 10:00:00",  # M1: an opt-out word
    "phone,13912340012,sms,退订,2024-03-01 10:00:00",  # M2: an opt-out word in Chinese
    "phone,13912340013,sms,revoked,2024/04/31 10:00:00",  # M3: a date that does not exist
    "phone,13912340014,sms,maybe,2024-03-01 10:00:00",  # M4: a status nobody can read
    "phone,13912340015,wecom,perhaps,2024-03-01 10:00:00",  # M5: unreadable, but only for wecom
    "phone,13912340017,sms,revoked,",  # M7: no time at all
]
# What the rows above mean, written out: who may get SMS, and what staging quarantines.
EXPECTED_SMS_CONSENTED = {"M5", "M6"}
EXPECTED_QUARANTINE = {
    "13912340013": "invalid_updated_at",
    "13912340014": "invalid_status",
    "13912340015": "invalid_status",
    "13912340017": "missing_updated_at",
}


def write_raw(raw_dir: Path) -> None:
    members = [
        f"{member},{phone},,,,,,,,,2023-06-01 10:00:00,,2023-06-01 10:00:00" for member, phone in MEMBERS.items()
    ]
    grant_words = {"M6": "同意", "M2": "opt-in"}
    grants = [
        f"phone,{phone},sms,{grant_words.get(member, 'granted')},2024-01-05 10:00:00"
        for member, phone in MEMBERS.items()
    ]
    grants.append("phone,13912340015,wecom,subscribed,2024-01-05 10:00:00")
    files = {
        "crm_members": ("members.csv", MEMBERS_HEADER, members),
        "consents": ("consents.csv", CONSENTS_HEADER, grants + LATER_ROWS),
    }
    for folder, (name, header, rows) in files.items():
        (raw_dir / folder).mkdir(parents=True, exist_ok=True)
        (raw_dir / folder / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def test_unreadable_consent_rows_block_the_channel_and_stay_quarantined(tmp_path):
    raw_dir = tmp_path / "raw"
    write_raw(raw_dir)
    build = build_raw(raw_dir, tmp_path / "work")
    assert build.run.success, build.run.failures()

    members = dict(
        build.query(
            "select substr(node_id, 11), one_id from identity.identity_one_ids"
            " where identifier_type = 'member_id' and is_current"
        )
    )
    assert set(members) == set(MEMBERS)
    consents = {
        (one_id, channel): is_consented
        for one_id, channel, is_consented in build.query(
            "select one_id, channel, is_consented from activation.int_activation_consents"
        )
    }
    sms_consented = {member for member, one_id in members.items() if consents.get((one_id, "sms"))}
    assert sms_consented == EXPECTED_SMS_CONSENTED
    assert consents[(members["M5"], "wecom")] is False

    quarantined = build.query(
        "select raw_record, quarantine_reason from staging.quarantined_rows where source_name = 'consents'"
    )
    reasons = {
        phone: reason for raw_record, reason in quarantined for phone in EXPECTED_QUARANTINE if phone in raw_record
    }
    assert reasons == EXPECTED_QUARANTINE
    assert len(quarantined) == len(EXPECTED_QUARANTINE)
