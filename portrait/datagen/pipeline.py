"""Orchestration: people in chunks, each chunk's sources written as it is built, then the
ground truth; and the next-day increment of an existing data set.

The simulated world is fixed by (customers, seed, start, end): the people acquired up to --end,
their behaviour until WORLD_DAYS_AFTER_END days after --end, and the people who arrive on those
days. A data set observes that world up to a day (`through`, --end by default); an increment adds
the rows of the next day.
"""

import ctypes
import ctypes.util
import json
import os
import shutil
import time
import zlib

import duckdb
import numpy as np

from . import behaviour, catalogue, marketing, members, purchases, service, wechat
from .frames import BEGINNING, GenerateError
from .ground_truth import GroundTruth
from .idcodes import appid_values, id_prefixes, set_seed
from .identifiers import IdentifierBook
from .people import PERSONAS, generate_persons
from .seasonality import Calendar
from .segment_lists import GuestList
from .sources import SOURCE_ORDER
from .sqltext import lit
from .streams import BLOCK, Streams
from .writers import SourceWriter

FORMATS = ("mixed", "csv", "jsonl", "parquet")
DEFAULT_CHUNK_SIZE = 200_000  # people per chunk
WORLD_DAYS_AFTER_END = 7  # days simulated after --end (increments can add up to this many days)
MAX_CUSTOMERS = 40_000_000  # phone numbers and codes are bijections of person numbers below 5 * 10^7
DUCKDB_MEMORY_LIMIT = "2GB"  # DuckDB spills to out_dir/.generate-work beyond this
PEOPLE_SOURCES = [s for s in SOURCE_ORDER if s not in ("products", "stores")]


class Context:
    """The world's fixed parts (calendar, apps, campaigns) and the DuckDB connection; streams of
    random draws per purpose, renewed for every chunk."""

    def __init__(self, customers, seed, out_dir, start, end, file_format):
        self.customers = int(customers)
        self.seed = int(seed)
        self.out_dir = str(out_dir)
        self.raw_dir = os.path.join(self.out_dir, "raw")
        self.gt_dir = os.path.join(self.out_dir, "ground_truth")
        self.file_format = file_format
        self.cal = Calendar(np.datetime64(start, "D"), np.datetime64(end, "D"), WORLD_DAYS_AFTER_END)
        self.work_dir = os.path.join(self.out_dir, ".generate-work")
        self.con = duckdb.connect()
        self.con.execute("SET preserve_insertion_order = true")
        self.con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        spill = os.path.join(self.work_dir, "duckdb").replace("'", "''")
        self.con.execute(f"SET temp_directory = '{spill}'")
        rng = self.rng("wechat-apps")
        # one official account + two mini-programs (store, member centre)
        self.appids = appid_values(rng, 3)
        self.openid_prefixes = id_prefixes(rng, 3)
        self.unionid_prefix = id_prefixes(rng, 1)[0]
        set_seed(self.seed)
        self.email_numbers = max(50 * self.customers, 1_000_000)
        self.campaigns = marketing.scheduled_campaigns(self.cal)
        self._streams = {}

    def rng(self, name: str) -> np.random.Generator:
        """One stream for something global (catalogue, stores, apps, arrivals)."""
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])

    def streams(self, purpose: str) -> Streams:
        """The per-block streams of one purpose (see streams.py)."""
        if purpose not in self._streams:
            self._streams[purpose] = Streams(self.seed, purpose)
        return self._streams[purpose]

    def new_chunk(self) -> None:
        """Forgets the generators of the previous chunk's blocks."""
        self._streams = {}


def arrivals(ctx) -> np.ndarray:
    """People who arrive on each simulated day after --end (length WORLD_DAYS_AFTER_END): about
    the daily number of new customers in the window, with that day's seasonal demand."""
    cal = ctx.cal
    early = sum(p.share for p in PERSONAS if p.early) / sum(p.share for p in PERSONAS)
    per_day = 0.65 * (1 - early) * ctx.customers / max(cal.horizon - 3, 1)
    demand = cal.multiplier(np.arange(cal.horizon, cal.world_horizon)) / cal.multiplier(np.arange(cal.horizon)).mean()
    return ctx.rng("arrivals").poisson(per_day * demand)


def chunks(ctx, chunk_size: int, last_day: int):
    """(person numbers, blocks, arrival days) of every chunk: runs of whole blocks of the
    population at --end, then the people who arrive after --end up to last_day (days from the
    start), one block per arrival day."""
    n = ctx.customers
    per_chunk = max(1, chunk_size // BLOCK) * BLOCK
    for first in range(0, n, per_chunk):
        idx = np.arange(first, min(first + per_chunk, n), dtype=np.int64)
        yield idx, idx // BLOCK, np.full(len(idx), np.nan)
    counts = arrivals(ctx)
    days = np.arange(ctx.cal.horizon, ctx.cal.world_horizon)
    take = days <= last_day
    if counts[take].sum():
        idx = n + np.arange(int(counts[take].sum()), dtype=np.int64)
        block = -(-n // BLOCK) + np.repeat(np.arange(take.sum()), counts[take])
        yield idx, block, np.repeat(days[take], counts[take]).astype(float)


def _chunk_frames(ctx, P, cat, stores):
    """The orders, identifier book and Frames of one chunk, frame by frame (a generator, so each
    Frame can be written and dropped before the next is built)."""
    orders = purchases.simulate(ctx, P, cat, stores)
    book = IdentifierBook(ctx, P)
    yield orders, book
    yield from purchases.ecommerce_frames(ctx, P, orders, cat, book)
    yield from purchases.pos_frames(ctx, P, orders, cat, stores, book)
    yield from behaviour.frames(ctx, P, orders, cat, book)
    yield from wechat.frames(ctx, P, book)
    yield members.crm_frame(ctx, P, stores, book)
    yield from marketing.frames(ctx, P, orders, book)
    yield service.ticket_frame(ctx, P, orders, book)


def _simulate(ctx, chunk_size, last_day, writer, truth, on_chunk, say, t0):
    """Generates every chunk of people up to last_day and hands its frames to writer.write, its
    people to truth.add and on_chunk."""
    cat = ctx.catalogue
    stores = ctx.stores
    done = 0
    for idx, block, arrival in chunks(ctx, chunk_size, last_day):
        ctx.new_chunk()
        P = generate_persons(ctx, stores, idx, block, arrival)
        frames = _chunk_frames(ctx, P, cat, stores)
        orders, book = next(frames)
        for frame in frames:
            writer.write(frame, P)
            del frame
        truth.add(P, orders, book, writer.placeholder_rows)
        writer.placeholder_rows = []
        if on_chunk:
            on_chunk(P)
        done += P.n
        say(f"  people {int(idx[0]) + 1:>11,}-{int(idx[-1]) + 1:<11,} {done:>11,} done  [{time.time() - t0:6.1f}s]")
        del P, orders, book, frames
        _release_memory()


def _release_memory() -> None:
    """Hands the memory freed by a chunk back to the system (glibc keeps freed heap memory
    otherwise, and a long run's resident size creeps up chunk by chunk)."""
    name = ctypes.util.find_library("c")
    if name:
        try:
            ctypes.CDLL(name).malloc_trim(0)
        except (OSError, AttributeError):
            pass


def generate(
    customers=20000,
    seed=42,
    out_dir="data/demo",
    start="2024-01-01",
    end="2026-09-30",
    file_format="mixed",
    progress=None,
    chunk_size=DEFAULT_CHUNK_SIZE,
    next_day=False,
    through=None,
) -> dict:
    """Generate the demo data set; returns {source: raw rows}.

    People are generated and written chunk_size at a time (rounded down to whole blocks of
    streams.BLOCK people, at least one): memory depends on chunk_size, not on customers, and the
    files are byte-identical (Parquet: the same rows in the same order) at any chunk size.
    through: the last day observed (YYYY-MM-DD, --end by default, at most WORLD_DAYS_AFTER_END
    days after it). next_day: instead of a new data set, add the day after the last one observed
    to the data set in out_dir (generated with the same customers, seed, start, end and format):
    new files raw/<source>/<stem>_<day>.<ext>, the products file replaced, the ground truth
    brought to that day; the counts returned are then the rows of the new files.
    """
    if file_format not in FORMATS:
        raise GenerateError(f"unknown format {file_format!r}")
    if int(customers) < 1:
        raise GenerateError("customers must be at least 1")
    if int(customers) > MAX_CUSTOMERS:
        raise GenerateError(f"customers must be at most {MAX_CUSTOMERS:,}")
    if int(chunk_size) < BLOCK:
        raise GenerateError(f"chunk size must be at least {BLOCK:,} people")
    if np.datetime64(end, "D") < np.datetime64(start, "D"):
        raise GenerateError("end is before start")
    if next_day and through is not None:
        raise GenerateError("through and next_day exclude each other")
    say = progress or (lambda msg: None)
    t0 = time.time()
    ctx = Context(customers, seed, out_dir, start, end, file_format)
    try:
        if next_day:
            return _next_day(ctx, int(chunk_size), say, t0)
        return _full(ctx, int(chunk_size), through, say, t0)
    finally:
        ctx.con.close()
        shutil.rmtree(ctx.work_dir, ignore_errors=True)


def _day_index(ctx, day) -> int:
    """Days from the start to a date."""
    return int((np.datetime64(day, "D") - ctx.cal.start).astype(np.int64))


def _check_through(ctx, day: str) -> None:
    last = ctx.cal.end + np.timedelta64(WORLD_DAYS_AFTER_END, "D")
    if not ctx.cal.end <= np.datetime64(day, "D") <= last:
        raise GenerateError(f"the day observed must be between --end and {last} (the world ends there), not {day}")


def _full(ctx, chunk_size, through, say, t0) -> dict:
    """A new data set observing the world up to `through`."""
    through = str(np.datetime64(through or str(ctx.cal.end), "D"))
    _check_through(ctx, through)
    for d in (ctx.raw_dir, ctx.gt_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    work = ctx.work_dir
    shutil.rmtree(work, ignore_errors=True)
    cutoff = ctx.cal.day_end_epoch(through)
    ctx.catalogue = catalogue.Catalogue(ctx)
    ctx.stores = catalogue.Stores(ctx)
    writer = SourceWriter(ctx, (BEGINNING, cutoff), "", os.path.join(work, "raw"), every_file=True)
    writer.write(catalogue.product_frame(ctx, ctx.catalogue, _day_index(ctx, through)))
    writer.write(catalogue.store_frame(ctx, ctx.stores))
    truth = GroundTruth(ctx, work, cutoff)
    guests = GuestList(ctx)
    _simulate(ctx, chunk_size, _day_index(ctx, through), writer, truth, guests.add, say, t0)
    summary = writer.finish(SOURCE_ORDER, os.path.join(ctx.gt_dir, "rows.parquet"))
    truth.finish(summary, through, [])
    guests.write()
    shutil.rmtree(work, ignore_errors=True)
    say(f"  ground truth written  [{time.time() - t0:6.1f}s]")
    return {s: summary[s]["raw_rows"] for s in SOURCE_ORDER}


def read_generator(out_dir) -> dict:
    """The `generator` block of out_dir's noise_summary.json (None when there is none)."""
    path = os.path.join(str(out_dir), "ground_truth", "noise_summary.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh).get("generator")


def _next_day(ctx, chunk_size, say, t0) -> dict:
    """Adds the day after the last one observed to the data set in ctx.out_dir."""
    generator = read_generator(ctx.out_dir)
    if generator is None:
        raise GenerateError(f"no generated data set in {ctx.out_dir}: generate it first, then add a day")
    wanted = {
        "customers": ctx.customers,
        "seed": ctx.seed,
        "start": str(ctx.cal.start),
        "end": str(ctx.cal.end),
        "format": ctx.file_format,
    }
    differ = [f"{k} {generator.get(k)} (not {v})" for k, v in wanted.items() if generator.get(k) != v]
    if differ:
        raise GenerateError(f"the data set in {ctx.out_dir} was generated with " + ", ".join(differ))
    last = generator.get("through", str(ctx.cal.end))
    day = str(np.datetime64(last, "D") + np.timedelta64(1, "D"))
    _check_through(ctx, day)
    say(f"  adding {day} to the data set observed through {last}")
    work = ctx.work_dir
    shutil.rmtree(work, ignore_errors=True)
    lo, hi = ctx.cal.day_end_epoch(last), ctx.cal.day_end_epoch(day)
    ctx.catalogue = catalogue.Catalogue(ctx)
    ctx.stores = catalogue.Stores(ctx)
    day_writer = SourceWriter(ctx, (lo, hi), f"_{day}", os.path.join(work, "day"), every_file=False)
    catalogue_writer = SourceWriter(ctx, (BEGINNING, hi), "", os.path.join(work, "catalogue"), every_file=True)
    catalogue_writer.write(catalogue.product_frame(ctx, ctx.catalogue, _day_index(ctx, day)))
    old_rows = os.path.join(ctx.gt_dir, "rows.parquet")
    old_ids = os.path.join(ctx.gt_dir, "identifiers.parquet")
    earlier = ctx.con.execute(
        "SELECT substr(person_id, 2)::BIGINT - 1 AS p, identifier_value::BIGINT AS v "
        f"FROM read_parquet({lit(old_ids)}) WHERE identifier_type = 'phone' AND is_shared"
    ).fetchnumpy()
    truth = GroundTruth(ctx, work, hi, (earlier["p"], earlier["v"]))
    _simulate(ctx, chunk_size, _day_index(ctx, day), day_writer, truth, None, say, t0)
    day_summary = day_writer.finish(PEOPLE_SOURCES, os.path.join(work, "rows_day.parquet"))
    catalogue_summary = catalogue_writer.finish(["products"], os.path.join(work, "rows_catalogue.parquet"))
    with open(os.path.join(ctx.gt_dir, "noise_summary.json"), encoding="utf-8") as fh:
        summary = json.load(fh)
    sources = summary["sources"]
    for source, new in day_summary.items():
        old = sources[source]
        old["raw_rows"] += new["raw_rows"]
        old["clean_rows"] += new["clean_rows"]
        old["noise"] = {k: old["noise"].get(k, 0) + v for k, v in new["noise"].items()}
        old["files"].update(new["files"])
    sources["products"] = catalogue_summary["products"]
    pieces = [old_rows, os.path.join(work, "rows_catalogue.parquet"), os.path.join(work, "rows_day.parquet")]
    listed = ", ".join(lit(p) for p in pieces)
    merged = os.path.join(work, "rows.parquet")
    ctx.con.execute(f"""COPY (SELECT source, file, line, record_key, person_id, noise_kind, original_record_key
        FROM read_parquet([{listed}], filename = true)
        WHERE NOT (source = 'products' AND filename = {lit(old_rows)}))
        TO {lit(merged)} (FORMAT parquet)""")
    os.replace(merged, old_rows)
    truth.finish(sources, day, [*generator.get("increments", []), day])
    shutil.rmtree(work, ignore_errors=True)
    say(f"  {day} added  [{time.time() - t0:6.1f}s]")
    counts = {s: day_summary[s]["raw_rows"] for s in PEOPLE_SOURCES}
    counts["products"] = catalogue_summary["products"]["raw_rows"]
    return {s: counts[s] for s in SOURCE_ORDER if s in counts}
