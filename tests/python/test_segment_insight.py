"""Segment insight (overlap matrix, tag comparison with TGI, explain) against Python recounts."""

from __future__ import annotations

import subprocess
from collections import defaultdict

import pytest
from portrait_command import run_portrait
from test_segments import Evaluator


@pytest.fixture(scope="module")
def memberships(demo_build) -> dict[str, set[str]]:
    members = defaultdict(set)
    for code, one_id in demo_build.query("select segment_code, one_id from segments.segment_members"):
        members[code].add(one_id)
    return members


def test_overlap_matrix_equals_set_arithmetic(demo_build, memberships):
    rows = demo_build.query(
        "select segment_code, other_segment_code, members, other_members, shared_members, share_of_members, jaccard"
        " from segments.segment_overlap"
    )
    assert len(rows) == len(memberships) ** 2
    for code, other, members, other_members, shared, share, jaccard in rows:
        a, b = memberships[code], memberships[other]
        assert (members, other_members, shared) == (len(a), len(b), len(a & b))
        assert share == pytest.approx(len(a & b) / len(a))
        assert jaccard == pytest.approx(len(a & b) / len(a | b))


def test_tag_comparison_equals_a_recount_of_shares_and_tgi(demo_build, memberships):
    categorical = {
        code
        for (code,) in demo_build.query(
            "select tag_code from tags.tag_definitions where entity = 'customer' and value_type in ('enum', 'boolean')"
        )
    }
    holders = defaultdict(set)
    for one_id, tag, value in demo_build.query("select one_id, tag_code, tag_value from tags.customer_tag_values"):
        if tag in categorical:
            holders[(tag, value)].add(one_id)
    everyone = {one_id for (one_id,) in demo_build.query("select one_id from tags.customer_profile")}
    bases = dict(demo_build.query("select segment_code, compare_to from segments.segment_definitions"))
    rows = demo_build.query(
        "select segment_code, tag_code, tag_value, segment_share, base_share, tgi, influence_rank"
        " from segments.segment_tag_comparison"
    )
    ranks = defaultdict(list)
    for code, tag, value, segment_share, base_share, tgi, rank in rows:
        segment = memberships[code]
        base = memberships[bases[code]] if bases[code] else everyone
        expected_segment = len(segment & holders[(tag, value)]) / len(segment)
        expected_base = len(base & holders[(tag, value)]) / len(base)
        assert segment_share == pytest.approx(expected_segment) and base_share == pytest.approx(expected_base)
        if expected_base:
            # tgi is rounded to one decimal: within half a unit of the exact ratio (either way at a tie)
            assert tgi == pytest.approx(100 * expected_segment / expected_base, abs=0.0501)
        ranks[code].append((rank, abs(expected_segment - expected_base)))
    for code, ranked in ranks.items():
        differences = [difference for _, difference in sorted(ranked)]
        assert differences == pytest.approx(sorted(differences, reverse=True)), code
    # every value held by someone in the segment or its base appears
    expected_pairs = sum(
        1
        for code, segment in memberships.items()
        for key, people in holders.items()
        if people & (segment | (memberships[bases[code]] if bases[code] else everyone))
    )
    assert len(rows) == expected_pairs


def explain(*args: str) -> subprocess.CompletedProcess:
    return run_portrait("explain", "segment", *args)


def test_explain_marks_the_rule_as_the_python_evaluation_does(demo_build, memberships):
    evaluator = Evaluator(demo_build)
    profiles = {row["one_id"]: row for row in evaluator.profiles}
    db = str(demo_build.work_dir / "portrait.duckdb")
    checked = 0
    for code in ("high_value_churn_risk", "loyal_not_dormant_vip", "skincare_lapsed_buyers"):
        segment = evaluator.segments[code]
        inside = sorted(memberships[code])[:2]
        outside = sorted(set(profiles) - memberships[code])[:2]
        for one_id in inside + outside:
            result = explain(code, one_id, "--db", db)
            assert result.returncode == 0, result.stderr
            lines = result.stdout.splitlines()
            top = next(line for line in lines if line.rstrip().endswith(" rule: all") or " rule: " in line)
            held = evaluator.holds(segment["rule"], profiles[one_id])
            assert top.strip().startswith("held" if held else "not held"), result.stdout
            assert lines[-1].startswith("member") == (one_id in memberships[code]), result.stdout
            checked += 1
    assert checked == 12


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["no_such_segment", "OID0"], "is not a segment"),
        (["gold_and_above", "OID-nobody"], "is not a current one_id"),
    ],
)
def test_explain_rejects_what_it_cannot_explain_in_one_line(demo_build, args, expected):
    result = explain(*args, "--db", str(demo_build.work_dir / "portrait.duckdb"))
    assert result.returncode == 1 and expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
