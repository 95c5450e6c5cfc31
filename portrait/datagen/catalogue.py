"""Product catalogue and offline stores (fixed size, independent of --customers),
plus the vectorised SKU chooser used by purchases and behaviour events.

The catalogue export is re-sent whole when it changes: on each simulated day after --end a few
SKUs get a new list price (orders from that day pay it), so an increment replaces products.*."""

import numpy as np

from . import reference as ref
from .frames import ALWAYS, Frame
from .idcodes import unique_ints
from .sqltext import date_of, money, pick

N_SKUS = 520
N_STORES = 120
NEW_PRODUCT_WINDOW_DAYS = 90
NEVER = np.iinfo(np.int64).max
PRICE_FACTORS = (0.9, 0.95, 1.05, 1.1, 1.15)  # list price updates after --end


class Catalogue:
    """Products as arrays; SKUs are grouped by category_l1 and sorted by
    relative price (list price / median price of its category_l2)."""

    def __init__(self, ctx):
        rng = ctx.rng("catalogue")
        cal = ctx.cal
        l1_counts = np.round(np.array(ref.CATEGORY_L1_SKU_SHARE) * N_SKUS).astype(int)
        rows = []
        for l1_idx, l1 in enumerate(ref.CATEGORY_L1):
            l2s = ref.CATEGORY_L2[l1]
            l2_share = np.array([x[2] for x in l2s])
            l2_pick = rng.choice(len(l2s), size=l1_counts[l1_idx], p=l2_share / l2_share.sum())
            brands = ref.BRANDS[l1]
            b_share = np.array([b[1] for b in brands])
            for j in l2_pick:  # ~500 catalogue rows, not per customer
                l2, median, _, noun, specs = l2s[j]
                brand = brands[rng.choice(len(brands), p=b_share / b_share.sum())][0]
                series = ref.SERIES[l1][rng.integers(len(ref.SERIES[l1]))]
                spec = specs[rng.integers(len(specs))]
                price = median * rng.lognormal(0, 0.35)
                price = max(29, int(round(price / 10.0)) * 10 - 1)
                name = f"{brand}{series}{noun} {spec}"
                if l2 == "口红":
                    name = f"{brand}{series}{noun} #{rng.integers(100, 999)}"
                rows.append((l1_idx, l2, name, brand, price, price / median))
        n = len(rows)
        self.n = n
        self.l1 = np.array([r[0] for r in rows])
        self.l2 = [r[1] for r in rows]
        self.name = [r[2] for r in rows]
        self.brand = [r[3] for r in rows]
        self.price_cents = np.array([r[4] for r in rows], dtype=np.int64) * 100
        rel = np.array([r[5] for r in rows])
        self.sku_no = unique_ints(rng, n, 100_000, 999_999)
        self.sku_id = [f"SK{x}" for x in self.sku_no]

        # launch dates (days relative to start): classics, window launches, new products
        H = cal.horizon
        u = rng.random(n)
        launched = rng.uniform(-(cal.start_days - np.datetime64("2016-01-01").astype(np.int64)), cal.first_day, n)
        recent = min(NEW_PRODUCT_WINDOW_DAYS, H)
        window = u < 0.22
        launched[window] = rng.uniform(0, H - recent, int(window.sum()))
        new = u > 0.94
        launched[new] = rng.uniform(H - recent, H - 0.5, int(new.sum()))
        self.launched = np.floor(launched).astype(np.int64)
        # order SKUs inside each l1 by relative price for price-targeted picking
        order = np.lexsort((rel, self.l1))
        self.by_l1 = order
        self.rel_sorted = rel[order]
        self.l1_sorted = self.l1[order]
        self.block_start = np.searchsorted(self.l1_sorted, np.arange(5))
        self.block_end = np.searchsorted(self.l1_sorted, np.arange(5), side="right")
        # fallback: the oldest SKU of each l1 (always launched before the window)
        self.classic = np.array(
            [
                order[s + np.argmin(self.launched[order[s:e]])]
                for s, e in zip(self.block_start, self.block_end, strict=True)
            ]
        )
        self._price_updates(rng, cal)

    def _price_updates(self, rng, cal) -> None:
        """2-4 SKUs a day get a new list price on each simulated day after --end
        (price_change_day: days from the start, NEVER for the others; new_price_cents)."""
        self.price_change_day = np.full(self.n, NEVER, dtype=np.int64)
        self.new_price_cents = self.price_cents.copy()
        for day in range(cal.horizon, cal.world_horizon):
            unchanged = np.flatnonzero(self.price_change_day == NEVER)
            skus = rng.choice(unchanged, int(rng.integers(2, 5)), replace=False)
            factor = rng.choice(PRICE_FACTORS, len(skus))
            price = np.maximum(29, np.round(self.price_cents[skus] / 100 * factor / 10).astype(np.int64) * 10 - 1)
            self.new_price_cents[skus] = price * 100
            self.price_change_day[skus] = day

    def price_on(self, sku: np.ndarray, day: np.ndarray) -> np.ndarray:
        """List price in cents of each SKU on each day (days from the start)."""
        return np.where(day >= self.price_change_day[sku], self.new_price_cents[sku], self.price_cents[sku])

    def choose(
        self, draws, category_pref: np.ndarray, spend: np.ndarray, day: np.ndarray, jitter: int = 3
    ) -> np.ndarray:
        """Pick one SKU per row (draws: streams.RowDraws of the rows): category_l1 by preference
        (rows of probabilities), price near the buyer's spend level, launched on or before ``day``."""
        from .people import sample_rows

        m = len(spend)
        l1 = sample_rows(draws, category_pref)
        target = spend * draws.lognormal(0, 0.35)
        key = self.rel_sorted + self.l1_sorted * 1000.0
        base = np.searchsorted(key, target + l1 * 1000.0)
        lo, hi = self.block_start[l1], self.block_end[l1] - 1
        sku = np.full(m, -1, dtype=np.int64)
        todo = np.arange(m)
        for _ in range(4):
            pos = np.clip(base[todo] + draws.sub(todo).integers(-jitter, jitter + 1), lo[todo], hi[todo])
            cand = self.by_l1[pos]
            ok = self.launched[cand] <= day[todo]
            sku[todo[ok]] = cand[ok]
            todo = todo[~ok]
            if not len(todo):
                break
        sku[todo] = self.classic[l1[todo]]
        return sku


class Stores:
    """Offline counters across Chinese cities, weighted by population and tier."""

    def __init__(self, ctx):
        rng = ctx.rng("stores")
        cal = ctx.cal
        w = np.array([c[3] * ref.TIER_STORE_WEIGHT[c[2]] for c in ref.CITIES])
        expect = N_STORES * w / w.sum()
        counts = np.floor(expect).astype(int) + (rng.random(len(w)) < expect % 1)
        counts = np.minimum(counts, len(ref.MALLS))
        counts[0:2] = np.maximum(counts[0:2], 1)  # Beijing, Shanghai
        city, flagship = [], []
        for c, k in enumerate(counts):  # ~120 stores
            city += [c] * int(k)
            flagship += ([True] + [False] * (int(k) - 1)) if k else []
        self.n = len(city)
        self.city = np.array(city)
        self.flagship = np.array(flagship)
        self.store_no = 1001 + np.arange(self.n)
        self.store_id = [f"ST{x}" for x in self.store_no]
        self.province = [ref.CITIES[c][0] for c in city]
        self.city_name = [ref.CITIES[c][1] for c in city]
        self.tier = np.array([ref.CITIES[c][2] for c in city])
        names = []
        for c in np.unique(self.city):
            malls = rng.permutation(len(ref.MALLS))[: int((self.city == c).sum())]
            short = ref.CITIES[c][1].rstrip("市")
            names += [f"{ref.STORE_BRAND}{short}{ref.MALLS[m]}店" for m in malls]
        self.name = names
        # opening dates (days relative to start); flagships open well before the window
        opened = rng.uniform(-6 * 365, cal.horizon - 60, self.n)
        opened = np.where(self.flagship, rng.uniform(-9 * 365, cal.first_day - 30, self.n), opened)
        self.opened = np.floor(opened).astype(np.int64)
        first_of_city = np.array([np.flatnonzero(self.city == c)[0] for c in self.city])
        self.fallback = first_of_city
        self.terminals = 1 + (self.tier <= 1) + rng.integers(0, 3, self.n)
        self.slash_time_format = rng.random(self.n) < 0.2  # older POS software
        self.guides = 3 + rng.integers(0, 6, self.n)
        # lookup: stores per city and per province
        self.city_order = np.argsort(self.city, kind="stable")
        self.city_start = np.searchsorted(self.city[self.city_order], np.arange(len(ref.CITIES)))
        self.city_count = np.bincount(self.city, minlength=len(ref.CITIES))
        prov_of_city = np.array([_prov_index(c) for c in range(len(ref.CITIES))])
        sprov = prov_of_city[self.city]
        self.prov_of_city = prov_of_city
        self.prov_order = np.argsort(sprov, kind="stable")
        n_prov = prov_of_city.max() + 1
        self.prov_start = np.searchsorted(sprov[self.prov_order], np.arange(n_prov))
        self.prov_count = np.bincount(sprov, minlength=n_prov)

    def pick_home_store(self, draws, city: np.ndarray) -> np.ndarray:
        """A store in the person's city, else in the province (70%), else none (-1)."""
        u = draws.random()
        cc = self.city_count[city]
        in_city = self.city_order[np.minimum(self.city_start[city] + (u * cc).astype(int), self.n - 1)]
        prov = self.prov_of_city[city]
        pc = self.prov_count[prov]
        in_prov = self.prov_order[np.minimum(self.prov_start[prov] + (u * pc).astype(int), self.n - 1)]
        return np.where(cc > 0, in_city, np.where((pc > 0) & (draws.random() < 0.7), in_prov, -1)).astype(np.int64)


_PROVINCES = sorted({c[0] for c in ref.CITIES})


def _prov_index(city_idx: int) -> int:
    return _PROVINCES.index(ref.CITIES[city_idx][0])


def product_frame(ctx, cat, cutoff_day: int):
    """The products source as exported on cutoff_day (days from the start): list prices of that day."""
    n = cat.n
    price = cat.price_on(np.arange(n), np.full(n, cutoff_day))
    arrays = dict(i=np.arange(n), l1=cat.l1, price=price, launched=cat.launched + ctx.cal.start_days)
    exprs = {
        "sku_id": pick(cat.sku_id, "i"),
        "name": pick(cat.name, "i"),
        "category_l1": pick(ref.CATEGORY_L1, "l1"),
        "category_l2": pick(cat.l2, "i"),
        "brand": pick(cat.brand, "i"),
        "list_price": money("price"),
        "launched_at": date_of("launched"),
    }
    order = np.array(cat.sku_no)
    return Frame(
        "products", arrays, exprs, np.full(n, -1), np.zeros(n, dtype=np.int64), order, np.arange(n), _always(n)
    )


def store_frame(ctx, stores):
    """The stores source (every counter, opened or not)."""
    n = stores.n
    arrays = dict(i=np.arange(n), tier=stores.tier, opened=stores.opened + ctx.cal.start_days)
    exprs = {
        "store_id": pick(stores.store_id, "i"),
        "name": pick(stores.name, "i"),
        "province": pick(stores.province, "i"),
        "city": pick(stores.city_name, "i"),
        "city_tier": pick(ref.CITY_TIERS, "tier"),
        "opened_at": date_of("opened"),
    }
    zeros = np.zeros(n, dtype=np.int64)
    return Frame("stores", arrays, exprs, np.full(n, -1), zeros, np.arange(n), np.arange(n), _always(n))


def _always(n: int) -> np.ndarray:
    return np.full(n, ALWAYS, dtype=np.int64)
