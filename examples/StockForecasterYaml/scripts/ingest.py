"""ingest: read one ticker's Yahoo-layout CSV into data/prices_raw.json, every record kept as text with its line."""
import csv
import json
import sys


def main(ticker, source, output):
    with open(source, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        sys.exit(f"{source}: the file is empty; expected a header line and daily records")
    header = [h.strip() for h in rows[0]]
    records = [{"line": n, "values": r} for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    with open(output, "w", encoding="utf-8") as f:
        json.dump({"ticker": ticker, "source": source, "header": header, "records": records}, f, separators=(",", ":"))
    print(f"ingested {len(records)} records of {ticker} from {source}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
