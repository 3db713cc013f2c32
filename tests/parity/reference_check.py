#!/usr/bin/env python3
"""An independent reference for the core CLI's time-zone ops: retry_schedule, overdue and
package_runs, re-implemented with Python's datetime and zoneinfo (no shared code), checked
against core_cli's answers for the parity cases: the values, and for invalid input the
first error's code and field. Zones are read from the same files the CLIs load
(/usr/share/zoneinfo, via ZoneInfo.from_file), not from node's ICU data, so the two sides
agree on the zone rules by construction and the check is about the arithmetic.
Usage: python3 reference_check.py cases.jsonl answers.jsonl
(reference_check.js covers invoice_totals and billing_period.)"""
import datetime as dt
import json
import os
import re
import sys
from zoneinfo import ZoneInfo

ZONEINFO = "/usr/share/zoneinfo"
RETRY_DAYS = (3, 7, 14)
MAX_RUNS = 1000
LAST_INSTANT = 253402300799  # 9999-12-31T23:59:59Z
FIRST_INSTANT = -62135596800  # 0001-01-01T00:00:00Z
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class Fail(Exception):
    def __init__(self, code, field):
        super().__init__(code, field)
        self.code, self.field = code, field


class Skip(Exception):
    """Input outside what this reference can compute (e.g. local times before year 1)."""


def absent(c, k):
    return k not in c or c[k] is None


def string(c, key, required, non_empty=True):
    if absent(c, key):
        if required:
            raise Fail("VALIDATION_REQUIRED", key)
        return None
    v = c[key]
    if not isinstance(v, str):
        raise Fail("INVALID_TYPE", key)
    if non_empty and not v.strip(" \t\r\n"):
        raise Fail("VALIDATION_REQUIRED", key)
    return v


def parse_date(s):
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", s)
    if not m:
        return None
    try:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        return dt.date(y, mo, d) if y >= 1 else None
    except ValueError:
        return None


def date(c, key, required):
    s = string(c, key, required, non_empty=False)
    if s is None:
        return None
    d = parse_date(s)
    if d is None:
        raise Fail("INVALID_DATE", key)
    return d


def instant(c, key, required):
    s = string(c, key, required, non_empty=False)
    if s is None:
        return None
    m = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})", s)
    d = parse_date(m[1]) if m else None
    if not m or d is None or int(m[2]) > 23 or int(m[3]) > 59 or int(m[4]) > 59:
        raise Fail("INVALID_DATETIME", key)
    offset = 0
    if m[5] != "Z":
        oh, om = int(m[5][1:3]), int(m[5][4:6])
        if oh > 23 or om > 59:
            raise Fail("INVALID_DATETIME", key)
        offset = (oh * 3600 + om * 60) * (-1 if m[5][0] == "-" else 1)
    days = (d - dt.date(1970, 1, 1)).days
    return days * 86400 + int(m[2]) * 3600 + int(m[3]) * 60 + int(m[4]) - offset


_zones = {}


def zone(c):
    name = string(c, "time_zone", True)
    segment_ok = all(seg and seg[0].isascii() and seg[0].isalpha() for seg in name.split("/"))
    if (name in ("localtime", "posixrules", "Factory") or name.startswith(("posix/", "right/"))
            or len(name) > 64 or not segment_ok or not re.fullmatch(r"[A-Za-z0-9/_+-]+", name)):
        raise Fail("INVALID_TIME_ZONE", "time_zone")
    if name not in _zones:
        path = os.path.join(ZONEINFO, name)
        z = None
        if os.path.isfile(path):
            with open(path, "rb") as f:
                if f.read(4) == b"TZif":
                    f.seek(0)
                    z = ZoneInfo.from_file(f, key=name)
        _zones[name] = z
    if _zones[name] is None:
        raise Fail("UNKNOWN_TIME_ZONE", "time_zone")
    return _zones[name]


def iso_instant(t):
    return (EPOCH + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ").rjust(20, "0")


def retry_schedule(c):
    first = instant(c, "first_failure", True)
    tz = zone(c)
    if first < FIRST_INSTANT:
        raise Fail("OUT_OF_RANGE", "first_failure")
    if first > LAST_INSTANT - 15 * 86400:
        raise Fail("OUT_OF_RANGE", "first_failure")
    try:
        # The wall clock at the first failure, the same wall clock N calendar days later;
        # fold=0 takes the earlier of two ambiguous instants and moves a time in a gap
        # forward by the gap (PEP 495), the core's documented rule.
        wall = (EPOCH + dt.timedelta(seconds=first)).astimezone(tz).replace(tzinfo=None)
        out = []
        for days in RETRY_DAYS:
            local = (wall + dt.timedelta(days=days)).replace(tzinfo=tz, fold=0)
            out.append(iso_instant(int((local - EPOCH).total_seconds())))
    except (OverflowError, ValueError):
        raise Skip()
    return {"attempts": out}


def overdue(c):
    due = date(c, "due_date", True)
    now = instant(c, "now", True)
    tz = zone(c)
    try:
        today = (EPOCH + dt.timedelta(seconds=now)).astimezone(tz).date()
    except (OverflowError, ValueError):
        raise Skip()
    days = (today - due).days
    if days <= 0:
        bucket = "current"
    elif days <= 30:
        bucket = "1_30"
    elif days <= 60:
        bucket = "31_60"
    elif days <= 90:
        bucket = "61_90"
    else:
        bucket = "over_90"
    return {"overdue": days > 0, "days_past_due": max(days, 0), "bucket": bucket}


SCHEDULES = ("monthly", "quarterly", "annual", "one_time")


def calendar_period(schedule, d):
    """The calendar period containing d, from the calendar alone."""
    if schedule == "monthly":
        start = d.replace(day=1)
        months = 1
    elif schedule == "quarterly":
        start = dt.date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
        months = 3
    else:
        start = dt.date(d.year, 1, 1)
        months = 12
    m = start.month - 1 + months
    y = start.year + m // 12
    if y > 9999:
        return start, dt.date(9999, 12, 31)
    return start, dt.date(y, m % 12 + 1, 1) - dt.timedelta(days=1)


def package_runs(c):
    schedule = string(c, "schedule", False, non_empty=False)
    if schedule is not None and schedule not in SCHEDULES:
        raise Fail("INVALID_ENUM", "schedule")
    schedule = schedule or "monthly"
    start = date(c, "engagement_start", True)
    end = date(c, "engagement_end", False)
    frm = date(c, "from", True)
    to = date(c, "to", True)
    if to < frm:
        raise Fail("END_BEFORE_START", "to")
    if end is not None and end < start:
        raise Fail("END_BEFORE_START", "engagement_end")
    if schedule == "one_time":
        if end is None:
            raise Fail("VALIDATION_REQUIRED", "engagement_end")
        periods = [(start, end)] if frm <= start <= to else []
    else:
        # Every calendar period that overlaps the engagement, clipped to it, whose clipped
        # start falls in [from, to]; the first one considered is the period holding
        # max(from, start) (an earlier period's clipped start is before `from`).
        periods = []
        cursor = max(frm, start)
        last = to if end is None else min(to, end)
        p_start, p_end = calendar_period(schedule, cursor)
        while len(periods) < MAX_RUNS:
            clipped_start = max(p_start, start)
            if clipped_start > last:
                break
            clipped_end = p_end if end is None else min(p_end, end)
            if clipped_start >= frm:
                periods.append((clipped_start, clipped_end))
            if p_end == dt.date(9999, 12, 31):
                break
            p_start, p_end = calendar_period(schedule, p_end + dt.timedelta(days=1))
    return {"periods": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in periods]}


OPS = {"retry_schedule": retry_schedule, "overdue": overdue, "package_runs": package_runs}


def main():
    with open(sys.argv[1], encoding="utf-8", errors="surrogatepass") as f:
        cases = f.read().split("\n")
    with open(sys.argv[2], encoding="utf-8", errors="surrogatepass") as f:
        answers = f.read().split("\n")
    checked = {op: 0 for op in OPS}
    errors = skipped = 0
    for i, answer in enumerate(answers[:-1]):
        if '"INVALID_JSON"' in answer:
            continue
        try:
            c = json.loads(cases[i])
        except ValueError:
            continue
        if not isinstance(c, dict) or c.get("op") not in OPS:
            continue
        try:
            expected = json.dumps(OPS[c["op"]](c), separators=(",", ":"))
        except Skip:
            skipped += 1
            continue
        except Fail as e:
            got = json.loads(answer)
            if isinstance(got, dict) and "error" in got and got["error"].get("code") == e.code \
                    and got["error"].get("field") == e.field:
                checked[c["op"]] += 1
                errors += 1
                continue
            expected = f"error {e.code} at \"{e.field}\""
        if answer != expected:
            print(f"reference.py: MISMATCH at line {i + 1}\ncase:      {cases[i][:2000]}\n"
                  f"core:      {answer[:2000]}\nreference: {expected[:2000]}", file=sys.stderr)
            sys.exit(1)
        checked[c["op"]] += 1
    total = sum(checked.values())
    print(f"reference.py: {total} answers match the zoneinfo reference "
          f"({', '.join(f'{k} {v}' for k, v in checked.items())}; {errors} of them errors; {skipped} skipped)")
    if min(checked.values()) == 0:
        print("reference.py: some op was never checked", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
