"""Writes Gleditsch and Ward's state numbers (db/data/country-identifiers.tsv).

    pip install country_converter && python -m seed.identifiers

They come from the data file the country-converter package ships (its GWcode column),
read as text: the package's own loader needs pandas, which the API does not. That
package has no Correlates of War column, so COW codes are not among the identifiers.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

from db.countries import IDENTIFIERS


def gleditsch_ward(table: str) -> list[tuple[str, str]]:
    """(alpha-2 code, GW number) for each row of country-converter's table that has both."""
    rows = csv.DictReader(io.StringIO(table), delimiter="\t")
    found = {
        row["ISO2"]: str(int(float(row["GWcode"])))
        for row in rows
        if row.get("ISO2") and row.get("GWcode", "").strip()
    }
    return sorted(found.items())


def main() -> int:
    # Found, not imported: importing the package would import pandas.
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        print("country_converter is not installed: pip install country_converter", file=sys.stderr)
        return 1
    folder = Path(next(iter(spec.submodule_search_locations)))
    table = (folder / "country_data.tsv").read_text(encoding="utf-8")
    rows = gleditsch_ward(table)
    lines = [
        "# Gleditsch and Ward's state numbers by ISO 3166-1 alpha-2 code, from country-converter.",
        *(f"{code}\t{number}" for code, number in rows),
    ]
    IDENTIFIERS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Wrote {IDENTIFIERS} ({len(rows)} countries).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
