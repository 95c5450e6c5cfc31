"""The CDNOW 1/10 sample of Fader, Hardie & Lee (2005), as it ships inside the `lifetimes` wheel on
PyPI (only its data file is read), written as raw POS orders for the purchase models."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

LIFETIMES = "lifetimes==0.11.3"
DATA_FILE = "lifetimes/datasets/CDNOW_sample.txt"


def sample_lines(cache_dir: Path) -> list[str]:
    """The lines of CDNOW_sample.txt (customer id, id in the full file, yyyymmdd, quantity, amount)."""
    wheels = sorted(cache_dir.glob("[Ll]ifetimes-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", LIFETIMES, "--no-deps", "--quiet", "-d", str(cache_dir)],
            check=True,
        )
        wheels = sorted(cache_dir.glob("[Ll]ifetimes-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        return [line for line in wheel.read(DATA_FILE).decode().splitlines() if line.strip()]


def write_raw_orders(lines: list[str], raw_dir: Path) -> None:
    """One paid POS order per line, the customer as member id; the day at noon, local time."""
    folder = raw_dir / "pos_orders"
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["store_id,order_id,member_id,order_time,status,paid_amount"]
    for number, line in enumerate(lines, start=1):
        customer, _, day, _, amount = line.split()
        rows.append(f"S1,O{number},M{customer},{day[:4]}-{day[4:6]}-{day[6:]} 12:00:00,paid,{amount}")
    (folder / "cdnow.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
