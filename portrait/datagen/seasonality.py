"""Calendar: daily demand multipliers (618, 双11, 年货节/CNY, 38 女王节 ...),
seasonal time warping for the purchase process, and time-of-day profiles.

Time is handled as float days relative to ``start`` (day 0 = start date) and,
for output, as epoch seconds of China local wall-clock time.
"""

import numpy as np

from .reference import CNY_DATES

BURN_IN_DAYS = 365  # purchases are simulated from a year before start
DAY = 86400

# Relative weights per hour of day.
ONLINE_HOURS = np.array(
    [
        2.0,
        1.0,
        0.5,
        0.3,
        0.2,
        0.2,
        0.4,
        1.0,
        2.0,
        3.0,
        3.5,
        4.0,
        4.5,
        4.0,
        3.5,
        3.5,
        3.8,
        4.0,
        4.5,
        5.5,
        6.5,
        7.0,
        6.5,
        4.5,
    ]
)
STORE_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 6, 6, 7, 7, 6, 6, 7, 8, 8, 6, 0, 0], dtype=float)


def _cny_ordinal(years: np.ndarray) -> np.ndarray:
    table = {y: np.datetime64(d, "D").astype(np.int64) for y, d in CNY_DATES.items()}
    lo, hi = min(table), max(table)
    out = np.empty(len(years), dtype=np.int64)
    for y in np.unique(years):
        yy = int(min(max(y, lo), hi))
        out[years == y] = table[yy] + (int(y) - yy) * 365
    return out


def _month_dom(days: np.ndarray):
    months = days.astype("datetime64[M]")
    month = (months - days.astype("datetime64[Y]").astype("datetime64[M]")).astype(np.int64) + 1
    dom = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return month, dom


def daily_multiplier(days: np.ndarray) -> np.ndarray:
    """Relative demand for each date (datetime64[D] array), about 1 on ordinary days."""
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month, dom = _month_dom(days)
    dow = (days.astype(np.int64) + 3) % 7  # Monday = 0
    m = np.ones(len(days))
    m += 0.10 * (dow >= 5)
    # 38 女王节 (Queen's day promotions, Mar 1-8)
    m += np.where((month == 3) & (dom <= 8), 0.35 + 0.6 * (dom >= 7), 0.0)
    m += 0.3 * ((month == 5) & (dom == 20))  # 520
    # 618: presale from May 25, peaks on Jun 1 and Jun 16-18, dip afterwards
    m += 0.35 * (((month == 5) & (dom >= 25)) | ((month == 6) & (dom <= 17)))
    m += 0.8 * ((month == 6) & (dom == 1))
    m += 1.2 * ((month == 6) & (dom >= 16) & (dom <= 17))
    m += 3.5 * ((month == 6) & (dom == 18))
    m -= 0.2 * ((month == 6) & (dom >= 19))
    # 双11: presale from Oct 20, payment days Oct 31/Nov 1, peak Nov 11
    m += 0.45 * (((month == 10) & (dom >= 20)) | ((month == 11) & (dom <= 10)))
    m += 1.2 * ((month == 10) & (dom == 31)) + 0.8 * ((month == 11) & (dom == 1))
    m += 1.0 * ((month == 11) & (dom == 10)) + 5.0 * ((month == 11) & (dom == 11))
    m -= 0.25 * ((month == 11) & (dom >= 12) & (dom <= 25))
    m += 0.6 * ((month == 12) & (dom == 12))  # 双12
    # 年货节 before Chinese New Year, then the holiday logistics dip
    d = days.astype(np.int64)
    for cny in (_cny_ordinal(year), _cny_ordinal(year + 1)):
        delta = d - cny
        m += 0.35 * ((delta >= -25) & (delta <= -9))
        m -= 0.45 * ((delta >= -7) & (delta <= 6))
    return np.maximum(m, 0.2)


def is_big_promo_day(days: np.ndarray) -> np.ndarray:
    """Jun 18 and Nov 11 (midnight shopping rush)."""
    month, dom = _month_dom(days)
    return ((month == 6) & (dom == 18)) | ((month == 11) & (dom == 11))


class Calendar:
    """The generation window plus seasonal clocks for time warping.

    `horizon` is the number of days from --start to --end; the simulated world runs `extra_days`
    further (`world_horizon`), so that the days after --end can be observed later (increments).
    """

    def __init__(self, start: np.datetime64, end: np.datetime64, extra_days: int = 0):
        self.start = np.datetime64(start, "D")
        self.end = np.datetime64(end, "D")
        self.horizon = int((self.end - self.start).astype(np.int64)) + 1  # days in window
        self.world_horizon = self.horizon + int(extra_days)
        self.first_day = -BURN_IN_DAYS
        self.grid = self.start + np.arange(self.first_day, self.world_horizon)
        self.base = daily_multiplier(self.grid)
        self.start_epoch = int(self.start.astype("datetime64[s]").astype(np.int64))
        self.start_days = int(self.start.astype(np.int64))
        self.end_epoch = self.start_epoch + self.horizon * DAY - 1  # last second of --end
        # long-term growth: about +12% demand per year
        years = np.arange(self.first_day, self.world_horizon) / 365.0
        self.base = self.base * (1 + 0.12 * np.clip(years, -1, None))
        self.big_promo = is_big_promo_day(self.grid)

    def multiplier(self, day: np.ndarray) -> np.ndarray:
        """Base multiplier for integer day offsets (relative to start)."""
        idx = np.clip(np.asarray(day, dtype=np.int64) - self.first_day, 0, len(self.base) - 1)
        return self.base[idx]

    def promo_day(self, day: np.ndarray) -> np.ndarray:
        idx = np.clip(np.asarray(day, dtype=np.int64) - self.first_day, 0, len(self.base) - 1)
        return self.big_promo[idx]

    def epoch(self, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """Integer day offset + seconds of day -> epoch seconds."""
        return self.start_epoch + np.asarray(day, dtype=np.int64) * DAY + seconds.astype(np.int64)

    def epoch_of_float(self, t: np.ndarray) -> np.ndarray:
        """Float days from the start -> epoch seconds (China local wall clock)."""
        return self.start_epoch + np.floor(np.asarray(t) * DAY).astype(np.int64)

    def day_end_epoch(self, date) -> int:
        """The last second (epoch, local) of a calendar date."""
        return int(np.datetime64(date, "D").astype("datetime64[s]").astype(np.int64)) + DAY - 1

    def clock(self, strengths) -> "SeasonalClock":
        return SeasonalClock(self, strengths)


class SeasonalClock:
    """Maps calendar days to 'operational time' whose rate follows the seasonal
    multiplier (raised to a per-group strength), and back; vectorised over
    groups by stacking the cumulative curves with large offsets."""

    OFFSET = 1e7

    def __init__(self, cal: Calendar, strengths):
        self.cal = cal
        rows, cums = [], []
        window = slice(-cal.first_day, -cal.first_day + cal.horizon)  # normalised over --start..--end
        for s in strengths:
            m = cal.base**s
            m = m / m[window].mean()
            rows.append(m)
            cums.append(np.concatenate([[0.0], np.cumsum(m)]))
        self.m = np.vstack(rows)
        self.c = np.vstack(cums)
        self.n_days = self.m.shape[1]
        self.flat = (self.c + np.arange(len(strengths))[:, None] * self.OFFSET).ravel()

    def forward(self, t: np.ndarray, g: np.ndarray) -> np.ndarray:
        x = np.asarray(t, dtype=float) - self.cal.first_day
        k = np.clip(np.floor(x).astype(np.int64), 0, self.n_days - 1)
        return self.c[g, k] + (x - k) * self.m[g, k]

    def inverse(self, tau: np.ndarray, g: np.ndarray) -> np.ndarray:
        base = g.astype(np.int64) * (self.n_days + 1)
        pos = np.searchsorted(self.flat, tau + g * self.OFFSET, side="right") - 1 - base
        pos = np.clip(pos, 0, self.n_days)
        inside = pos < self.n_days
        k = np.minimum(pos, self.n_days - 1)
        rate = np.where(inside, self.m[g, k], 1.0)
        x = pos + (tau - self.c[g, pos]) / rate
        return x + self.cal.first_day

    def uniform_between(self, draws, a: np.ndarray, b: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Random times in [a, b) with density proportional to the seasonal rate (draws: one row
        per time, see streams.RowDraws)."""
        ca, cb = self.forward(a, g), self.forward(b, g)
        t = self.inverse(ca + draws.random() * (cb - ca), g)
        return np.clip(t, a, np.nextafter(b, a))


def seconds_of_day(draws, hour_weights: np.ndarray) -> np.ndarray:
    """A second of the day per row (draws: streams.RowDraws), hours weighted by hour_weights."""
    p = hour_weights / hour_weights.sum()
    hour = draws.choice(24, p=p)
    return hour * 3600 + draws.integers(0, 3600)
