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


def write(ctx, P, book):
    rng = ctx.rng("segment-lists")
    folder = os.path.join(ctx.out_dir, "segment_lists")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    phones = book.phone1()
    guests = np.flatnonzero(rng.random(P.n) < GUEST_SHARE)
    rows = [("phone", phones[i]) for i in guests if phones[i]]
    strangers = rng.integers(10**8, 10**9, size=max(1, len(rows) // 20))
    rows += [("phone", f"19{n}") for n in strangers]
    rows += [("phone", "not a number"), ("", "13800000000"), ("fax", "02112345678")]
    order = rng.permutation(len(rows))
    with open(os.path.join(folder, f"{LIST_NAME}.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["identifier_type", "identifier"])
        writer.writerows(rows[i] for i in order)
