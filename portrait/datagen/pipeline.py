"""Orchestration: build every source in turn, write it, then the ground truth."""

import os
import shutil
import time
import zlib

import duckdb
import numpy as np

from . import behaviour, catalogue, ground_truth, marketing, members, purchases, segment_lists, service, wechat
from .idcodes import appid_values, id_prefixes, set_seed
from .identifiers import IdentifierBook
from .people import generate_persons
from .seasonality import Calendar
from .sources import SOURCE_ORDER
from .writers import SourceWriter

FORMATS = ("mixed", "csv", "jsonl", "parquet")


class Context:
    def __init__(self, customers, seed, out_dir, start, end, file_format):
        self.customers = int(customers)
        self.seed = int(seed)
        self.out_dir = out_dir
        self.raw_dir = os.path.join(out_dir, "raw")
        self.gt_dir = os.path.join(out_dir, "ground_truth")
        self.file_format = file_format
        self.cal = Calendar(np.datetime64(start, "D"), np.datetime64(end, "D"))
        self.con = duckdb.connect()
        self.con.execute("SET preserve_insertion_order = true")
        rng = self.rng("wechat-apps")
        # one official account + two mini-programs (store, member centre)
        self.appids = appid_values(rng, 3)
        self.openid_prefixes = id_prefixes(rng, 3)
        self.unionid_prefix = id_prefixes(rng, 1)[0]
        set_seed(self.seed)

    def rng(self, name: str) -> np.random.Generator:
        """Independent deterministic stream per module / purpose."""
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])


def generate(
    customers=20000,
    seed=42,
    out_dir="data/demo",
    start="2024-01-01",
    end="2026-09-30",
    file_format="mixed",
    progress=None,
) -> dict:
    """Generate the demo data set; returns {source: raw row count}."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    if int(customers) < 1:
        raise ValueError("customers must be at least 1")
    if np.datetime64(end, "D") < np.datetime64(start, "D"):
        raise ValueError("end is before start")
    say = progress or (lambda msg: None)
    t0 = time.time()
    ctx = Context(customers, seed, out_dir, start, end, file_format)
    for d in (ctx.raw_dir, ctx.gt_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    writer = SourceWriter(ctx)

    def emit(*frames):
        for fr in frames:
            s = writer.write(fr)
            say(f"  {fr.source:<22} {s['raw_rows']:>10,} rows  {len(s['files'])} file(s)  [{time.time() - t0:6.1f}s]")

    cat = catalogue.Catalogue(ctx)
    stores = catalogue.Stores(ctx)
    emit(catalogue.product_frame(ctx, cat), catalogue.store_frame(ctx, stores))
    P = generate_persons(ctx, stores)
    orders = purchases.simulate(ctx, P, cat, stores)
    book = IdentifierBook(ctx, P)
    emit(*purchases.ecommerce_frames(ctx, P, orders, cat, book))
    emit(*purchases.pos_frames(ctx, P, orders, cat, stores, book))
    emit(*behaviour.frames(ctx, P, orders, cat, book))
    emit(*wechat.frames(ctx, P, book))
    emit(members.crm_frame(ctx, P, stores, book))
    emit(*marketing.frames(ctx, P, orders, book))
    emit(service.ticket_frame(ctx, P, orders, book))
    segment_lists.write(ctx, P, book)
    ground_truth.write(ctx, P, orders, stores, writer, book)
    say(f"  ground_truth written  [{time.time() - t0:6.1f}s]")
    ctx.con.close()
    return {s: writer.summary[s]["raw_rows"] for s in SOURCE_ORDER}
