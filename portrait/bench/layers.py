"""Seconds of a `dbt build` per layer, from its run_results.json and manifest.json.

A model's layer is its folder under models/ (models/staging/crm/base_crm__members.sql is staging).
The on-run-start hook lands the raw files (tables raw.<folder>, new and changed files only, after preparing them), so
its seconds, which dbt records in run_results.json as an `operation` node, count with staging as
"landing + staging". Data tests and unit tests are summed apart. dbt runs nodes on several
threads at once, so the sums add up to more than the build's wall time, which is given beside them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

LAYERS = ("staging", "identity", "customers", "scores", "tags", "segments", "activation", "campaigns")


def load(target_dir: Path) -> tuple[dict, dict]:
    """run_results.json and manifest.json of the dbt target folder, parsed."""
    return (
        json.loads((target_dir / "run_results.json").read_text()),
        json.loads((target_dir / "manifest.json").read_text()),
    )


def model_layer(node: dict | None) -> str:
    """The folder under models/ of a manifest node ('other' for a model outside one)."""
    parts = Path((node or {}).get("original_file_path", "")).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" else "other"


def _timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def startup_seconds(run_results: dict) -> float | None:
    """Seconds from dbt's start to its first node (loading and parsing the project), or None
    when run_results.json lacks the timestamps."""
    started = run_results.get("metadata", {}).get("invocation_started_at")
    first = [
        _timestamp(phase["started_at"])
        for result in run_results["results"]
        for phase in result.get("timing", [])
        if phase.get("started_at")
    ]
    if not started or not first:
        return None
    return round((min(first) - _timestamp(started)).total_seconds(), 3)


def _span(results: list[dict]) -> float | None:
    """Seconds from the first start to the last end of the results' timing phases (None without any)."""
    phases = [phase for result in results for phase in result.get("timing", [])]
    starts = [_timestamp(phase["started_at"]) for phase in phases if phase.get("started_at")]
    ends = [_timestamp(phase["completed_at"]) for phase in phases if phase.get("completed_at")]
    if not starts or not ends:
        return None
    return round((max(ends) - min(starts)).total_seconds(), 3)


def layer_seconds(run_results: dict, manifest: dict) -> dict:
    """Node seconds (dbt's execution_time) of one build, summed:

    {landing_hook: seconds of the on-run-start hooks (None when run_results has none),
     layers: {layer: {models, seconds}} for LAYERS in order (0 when a layer ran no model), then
             any other folder,
     landing_plus_staging: landing_hook + the staging models,
     landing_plus_staging_span: wall seconds from the hook's start to the last staging model's end
             (other layers' nodes may run in between; None without timings),
     models: every model, seeds: every seed,
     tests: {data_tests: {nodes, seconds}, unit_tests: {nodes, seconds}, seconds: both},
     nodes: every node of run_results (hooks, seeds, models, tests, exposures),
     dbt_elapsed: dbt's own elapsed seconds (wall, after parsing), startup: `startup_seconds`}.
    """
    layers = {layer: {"models": 0, "seconds": 0.0} for layer in LAYERS}
    tests = {"data_tests": {"nodes": 0, "seconds": 0.0}, "unit_tests": {"nodes": 0, "seconds": 0.0}}
    hook, seeds, nodes, hooks_seen = 0.0, 0.0, 0.0, False
    landing_staging = []
    for result in run_results["results"]:
        unique_id, seconds = result["unique_id"], float(result.get("execution_time") or 0.0)
        kind = unique_id.split(".", 1)[0]
        nodes += seconds
        if kind == "model":
            layer = layers.setdefault(model_layer(manifest["nodes"].get(unique_id)), {"models": 0, "seconds": 0.0})
            layer["models"] += 1
            layer["seconds"] += seconds
            if model_layer(manifest["nodes"].get(unique_id)) == "staging":
                landing_staging.append(result)
        elif kind in ("test", "unit_test"):
            group = tests["data_tests" if kind == "test" else "unit_tests"]
            group["nodes"] += 1
            group["seconds"] += seconds
        elif kind == "seed":
            seeds += seconds
        elif kind == "operation" and "on-run-start" in unique_id:
            hook += seconds
            hooks_seen = True
            landing_staging.append(result)
    for figures in (*layers.values(), *tests.values()):
        figures["seconds"] = round(figures["seconds"], 3)
    return {
        "landing_hook": round(hook, 3) if hooks_seen else None,
        "layers": layers,
        "landing_plus_staging": round(hook + layers["staging"]["seconds"], 3),
        "landing_plus_staging_span": _span(landing_staging),
        "models": round(sum(layer["seconds"] for layer in layers.values()), 3),
        "seeds": round(seeds, 3),
        "tests": {**tests, "seconds": round(sum(group["seconds"] for group in tests.values()), 3)},
        "nodes": round(nodes, 3),
        "dbt_elapsed": round(float(run_results.get("elapsed_time") or 0.0), 3),
        "startup": startup_seconds(run_results),
    }
