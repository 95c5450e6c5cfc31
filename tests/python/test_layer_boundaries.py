"""Layer boundaries, read from the manifest of `dbt parse`: every folder of models/ is a layer and a
dbt group; `int_` and `base_` models are private to their layer and every other model is public;
no model reads another layer's private model; and every relation the Python tools read
(`<schema>.<model>` in portrait/ and scripts/) has an enforced contract, or is in ALLOWED_WITHOUT_CONTRACT
with the reason it cannot have one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("staging", "identity", "customers", "scores", "tags", "segments", "activation", "campaigns")
PRIVATE_PREFIXES = ("int_", "base_")
TOOL_SOURCE_DIRS = ("portrait", "scripts")

# Relations the tools read that cannot have an enforced contract, with the reason.
ALLOWED_WITHOUT_CONTRACT = {
    # documented with data_type, not enforced
    "segment_lookalike_fits": "a dbt Python model: dbt enforces contracts on SQL models only",
    # one_id documented with data_type; tag_catalog describes the other columns
    "customer_profile": "one column per active or deprecated customer tag: its columns follow the tag definitions",
    # one <type>_count column per row of seeds/identity/identifier_types.csv
    "identity_clusters": "one count column per identifier type: its columns follow the identifier types seed",
}

RELATION = re.compile(r"(?<![\w.])(" + "|".join(LAYERS) + r")\.([a-z_][a-z0-9_]*)\b")


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    """The project's manifest.json, parsed into a temporary target path (nothing is built)."""
    work = tmp_path_factory.mktemp("layer_boundaries")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("PORTRAIT_DB_PATH", str(work / "portrait.duckdb"))
        environment.setenv("PORTRAIT_TEMP_DIR", str(work / "tmp"))
        result = dbtRunner().invoke(
            [
                "parse",
                "--project-dir", str(ROOT),
                "--profiles-dir", str(ROOT),
                "--target-path", str(work / "target"),
                "--log-path", str(work / "logs"),
                "--quiet",
            ]
        )  # fmt: skip
    if result.exception is not None:
        raise result.exception
    assert result.success, "dbt parse failed (a ref to another layer's private model fails here)"
    return json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))


def models(manifest: dict) -> dict[str, dict]:
    """unique_id -> node, for the project's models."""
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "portrait"
    }


def layer_of(node: dict) -> str:
    """The layer of a node: the first folder of its path (models/<layer>/..., tests/<layer>/...)."""
    return Path(node["original_file_path"]).parts[1]


def relations_read_by_tools(manifest: dict) -> dict[str, list[str]]:
    """Models the tools read: model name -> the files naming `<schema>.<relation>` of it."""
    by_relation = {(node["schema"], node["alias"]): node["name"] for node in models(manifest).values()}
    read: dict[str, list[str]] = {}
    for directory in TOOL_SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for schema, relation in set(RELATION.findall(text)):
                if (schema, relation) in by_relation:
                    read.setdefault(by_relation[(schema, relation)], []).append(str(path.relative_to(ROOT)))
    return read


def test_every_layer_is_a_group_with_an_owner(manifest):
    groups = {group["name"]: group for group in manifest["groups"].values()}
    assert sorted(groups) == sorted(LAYERS)
    for group in groups.values():
        assert group["owner"].get("name") or group["owner"].get("email"), group["name"]


def test_every_model_belongs_to_the_group_of_its_folder(manifest):
    wrong = {
        node["original_file_path"]: node["group"]
        for node in models(manifest).values()
        if layer_of(node) not in LAYERS or node["group"] != layer_of(node)
    }
    assert not wrong, f"models whose group is not their folder (models/<layer>/, +group in dbt_project.yml): {wrong}"


def test_singular_tests_belong_to_the_group_of_their_folder(manifest):
    wrong = {
        node["original_file_path"]: node["config"].get("group")
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["original_file_path"].startswith("tests/")
        and node["config"].get("group") != layer_of(node)
    }
    assert not wrong, f"singular tests outside their layer's group (data_tests: +group in dbt_project.yml): {wrong}"


def test_int_and_base_models_are_private_and_the_others_public(manifest):
    wrong = {
        node["name"]: node["access"]
        for node in models(manifest).values()
        if node["access"] != ("private" if node["name"].startswith(PRIVATE_PREFIXES) else "public")
    }
    assert not wrong, f"int_/base_ models must be private (config: access: private), all others public: {wrong}"


def test_no_node_reads_a_private_model_of_another_layer(manifest):
    private = {unique_id: node for unique_id, node in models(manifest).items() if node["access"] == "private"}
    violations = []
    for node in [*manifest["nodes"].values(), *manifest["exposures"].values()]:
        group = node.get("group") or node.get("config", {}).get("group")
        for parent in node.get("depends_on", {}).get("nodes", []):
            if parent in private and private[parent]["group"] != group:
                target = private[parent]
                violations.append(f"{node['original_file_path']} reads {target['name']} (private to {target['group']})")
    assert not violations, violations


def test_the_relation_scan_finds_what_the_tools_read(manifest):
    read = relations_read_by_tools(manifest)
    # a scan that finds nothing (tools moved, pattern broken) would let the contract test pass vacuously
    assert len(read) >= 10, read
    assert {"segment_members", "activation_audience_identifiers", "customer_profile"} <= set(read), read


def test_every_relation_the_tools_read_has_an_enforced_contract(manifest):
    by_name = {node["name"]: node for node in models(manifest).values()}
    missing = {}
    for name, files in sorted(relations_read_by_tools(manifest).items()):
        node = by_name[name]
        if name in ALLOWED_WITHOUT_CONTRACT:
            continue
        if node["access"] != "public":
            missing[name] = f"is {node['access']}, read by {files}"
        elif node["language"] != "sql" or not node["config"]["contract"]["enforced"]:
            missing[name] = f"has no enforced contract (config: contract: {{enforced: true}}), read by {files}"
    assert not missing, missing


def test_contracted_and_allowed_models_type_every_documented_column(manifest):
    by_name = {node["name"]: node for node in models(manifest).values()}
    assert set(ALLOWED_WITHOUT_CONTRACT) <= set(by_name), "the allow-list names a model that does not exist"
    untyped = {}
    for node in by_name.values():
        if node["config"]["contract"]["enforced"] or node["name"] in ALLOWED_WITHOUT_CONTRACT:
            columns = [column["name"] for column in node["columns"].values() if not column.get("data_type")]
            if columns or not node["columns"]:
                untyped[node["name"]] = columns or "no columns documented"
    assert not untyped, f"columns without data_type: {untyped}"
