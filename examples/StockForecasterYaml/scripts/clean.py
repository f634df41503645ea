"""clean/validate: the raw records against config/contract.json; schema drift, bad values and missing days fail."""
import datetime
import json
import math
import sys


def fail(problems):
    print(f"validation failed with {len(problems)} problem(s):", file=sys.stderr)
    for p in problems[:50]:
        print(f"  {p}", file=sys.stderr)
    sys.exit(1)


def main(raw_path, contract_path, output):
    raw = json.load(open(raw_path, encoding="utf-8"))
    contract = json.load(open(contract_path, encoding="utf-8"))
    expected, found = contract["columns"], [h.lower() for h in raw["header"]]
    if found != expected:
        added = [c for c in found if c not in expected]
        removed = [c for c in expected if c not in found]
        diff = "; ".join(([f"added {added}"] if added else []) + ([f"removed {removed}"] if removed else []) + ["order changed"][:not (added or removed)])
        fail([f"{raw['source']}:1: schema drift: {diff}; expected columns {expected}, found {found}"])

    problems, dates, closes = [], [], []
    for record in raw["records"]:
        line, values = record["line"], record["values"]
        if len(values) != len(expected):
            problems.append(f"{raw['source']}:{line}: {len(values)} fields, expected {len(expected)}")
            continue
        try:
            day = datetime.date.fromisoformat(values[0])
        except ValueError:
            problems.append(f"{raw['source']}:{line}:1 (date): '{values[0]}' is not a date (yyyy-mm-dd)")
            continue
        try:
            close = float(values[expected.index("adjclose")])
            if not math.isfinite(close) or close <= 0:
                raise ValueError
        except ValueError:
            column = expected.index("adjclose") + 1
            problems.append(f"{raw['source']}:{line}:{column} (adjclose): '{values[column - 1]}' is not a positive number")
            continue
        if dates and day <= dates[-1]:
            problems.append(f"{raw['source']}:{line}: {day} is not after the previous date {dates[-1]}")
            continue
        dates.append(day)
        closes.append(close)

    # Without an exchange calendar a single missing weekday may be a holiday; more in a row is a missing data day.
    allowed = contract["maxConsecutiveMissingWeekdays"]
    for before, after in zip(dates, dates[1:]):
        missing = [before + datetime.timedelta(days=d) for d in range(1, (after - before).days)]
        weekdays = [d for d in missing if d.weekday() < 5]
        if len(weekdays) > allowed:
            problems.append(f"missing data days between {before} and {after}: {', '.join(map(str, weekdays))}")
    if problems:
        fail(problems)

    with open(output, "w", encoding="utf-8") as f:
        json.dump({"ticker": raw["ticker"], "dates": [d.isoformat() for d in dates], "adjclose": closes}, f, separators=(",", ":"))
    print(f"validated {len(dates)} days of {raw['ticker']}: {dates[0]} to {dates[-1]}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
