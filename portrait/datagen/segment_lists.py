"""An imported audience list for a static segment: the guests of an offline salon event, by phone.

Written beside raw/ (out_dir/segment_lists/), not a raw source: lists are uploaded by marketers.
Most guests are customers; some numbers belong to nobody Portrait knows and a few rows are
malformed, so the import report has something to count.
"""

import csv
import os
import shutil

import numpy as np

LIST_NAME = "salon_event_guests"
GUEST_SHARE = 0.03


class GuestList:
    """The salon guests, collected chunk by chunk (their phones, in person order), written and
    shuffled at the end."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.phones = []

    def add(self, P) -> None:
        """3% of the chunk's people (of the population at --end) are guests."""
        guests = (self.ctx.streams("segment-lists").rows(P.block).random() < GUEST_SHARE) & ~P.arrived
        self.phones.append(P.phone1[guests])

    def write(self) -> None:
        """out_dir/segment_lists/salon_event_guests.csv: the guests' phones, strangers' numbers
        (one per 20 guests) and three malformed rows, shuffled."""
        rng = self.ctx.rng("segment-lists")
        folder = os.path.join(self.ctx.out_dir, "segment_lists")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        phones = np.concatenate(self.phones) if self.phones else np.zeros(0, dtype=np.int64)
        strangers = 19 * 10**9 + rng.integers(10**8, 10**9, size=max(1, len(phones) // 20))
        numbers = np.concatenate([phones, strangers])
        rows = [("phone", str(n)) for n in numbers]
        rows += [("phone", "not a number"), ("", "13800000000"), ("fax", "02112345678")]
        order = rng.permutation(len(rows))
        with open(os.path.join(folder, f"{LIST_NAME}.csv"), "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["identifier_type", "identifier"])
            writer.writerows(rows[i] for i in order)
