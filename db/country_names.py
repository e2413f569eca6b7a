"""What countries are called: the display name people write, ISO's and the official names,
the other names they are known by, and their names in other languages.

Every name comes from maintained data: pycountry (ISO 3166-1 and 3166-3, and ISO's
translations), the labels of the Wikidata items the release names
(db/data/wikidata-countries.tsv) and CLDR's territory names through Babel. The display name
is the label of the country's Wikidata item, the name Wikipedia's editors settled on
("Democratic Republic of the Congo", "Vatican City", "Turkey", "Ivory Coast"); the world's
posts are named with it ("Embassy of the United States of America, Brussels"). A country
without one has the shorter of pycountry's common name and ISO's name where that is not a
sorting form (not "Iran, Islamic Republic of" nor "Holy See (Vatican City State)"), else
CLDR's English name, else ISO's. DISPLAY_OVERRIDES holds the one country whose label is not
the form people write.
"""

from __future__ import annotations

import re
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError, localedata

from db.countries import former_states, iso_countries, wikidata_items, wikidata_of_countries
from db.countries import translations as iso_translations

DISPLAY_OVERRIDES = {
    # ISO's "Palestine, State of", Wikidata's "State of Palestine", CLDR's "Palestinian
    # Territories": none is the short form people write.
    "PS": "Palestine",
}

ENGLISH = "en"
# ISO's inverted forms ("Korea, Republic of", "Virgin Islands, British") and its notes in
# parentheses; "Saint Helena, Ascension and Tristan da Cunha" is a name, not one of these.
_SORTING_FORM = re.compile(r"\(|, (?:The )?[A-Z][^,]* of(?: the)?$|, (?:British|U\.S\.)$")
_PARENTHESIS = re.compile(r"^(.+?) \((.+)\)$")


def _pycountry(code: str) -> object | None:
    return pycountry.countries.get(alpha_2=code) if len(code) == 2 else None


@cache
def _cldr_english() -> dict[str, str]:
    return dict(Locale(ENGLISH).territories)


def iso_name(code: str) -> str | None:
    """ISO 3166-1's name for a country, as pycountry gives it ("Palestine, State of")."""
    entry = _pycountry(code)
    return None if entry is None else str(entry.name)  # type: ignore[attr-defined]


def official_name(code: str) -> str | None:
    """ISO 3166-1's official name, where it has one ("Republic of Türkiye")."""
    entry = _pycountry(code)
    found = getattr(entry, "official_name", None)
    return None if found is None else str(found)


def wikidata_labels(code: str) -> list[str]:
    """The labels of the Wikidata items that stand for the country itself, most used first."""
    return [
        item.label
        for item in wikidata_items().values()
        if item.code == code and not item.government
    ]


@cache
def display_names() -> dict[str, str]:
    """Each country's display name, by code (former states keep the gazetteer's name)."""
    names = {}
    for country in iso_countries():
        code = country.code
        # A territory's item from db/data/territory-wikidata.tsv has no label of a release.
        own = wikidata_items().get(wikidata_of_countries().get(code, ""))
        label = None if own is None else own.label.removeprefix("The ")
        iso = iso_name(code)
        entry = _pycountry(code)
        everyday = [
            name
            for name in (getattr(entry, "common_name", None), iso)
            if name and not _SORTING_FORM.search(name)
        ]
        names[code] = (
            DISPLAY_OVERRIDES.get(code)
            or label
            or min(everyday, key=len, default=None)
            or _cldr_english().get(code)
            or country.name
        )
    names.update({state.code: state.name for state in former_states()})
    return names


def display_name(code: str) -> str:
    """A country's display name ("Palestine", "Vatican City"); its code if it has none."""
    return display_names().get(code, code)


@cache
def _former_iso_names() -> dict[str, list[str]]:
    """ISO 3166-3's names of codes it withdrew, under the code that replaced them
    ("Burma" under MM, "Zaire" under CD): the last two letters of a four-letter code are
    the new code. States of the project's own (Czechoslovakia) are countries apart."""
    ours = {state.code for state in former_states()}
    current = {country.code for country in iso_countries()}
    found: dict[str, list[str]] = {}
    for entry in pycountry.historic_countries:
        successor = entry.alpha_4[2:]
        if entry.alpha_4 in ours or successor not in current:
            continue
        # ISO writes them as sorting forms: "Burma, Socialist Republic of the Union of".
        found.setdefault(successor, []).append(entry.name.split(", ")[0])
    return found


@cache
def known_as() -> dict[str, list[str]]:
    """The other English names of each country, by code: ISO's, the official name, Wikidata's
    labels, CLDR's (its "Myanmar (Burma)" read as two) and ISO's former names, without the
    display name and each once."""
    found = {}
    for country in iso_countries():
        code = country.code
        entry = _pycountry(code)
        names: list[str] = [
            name
            for name in (
                iso_name(code),
                official_name(code),
                getattr(entry, "common_name", None),
                *wikidata_labels(code),
                *_parts(_cldr_english().get(code)),
                *_former_iso_names().get(code, []),
            )
            if name
        ]
        display = display_name(code)
        found[code] = [n for n in dict.fromkeys(names) if n != display]
    return found


def _parts(name: str | None) -> list[str]:
    if name is None:
        return []
    both = _PARENTHESIS.fullmatch(name)
    return [name] if both is None else [both.group(1), both.group(2)]


@cache
def cldr_translations() -> dict[str, dict[str, str]]:
    """Every country's name in each language CLDR has and ISO's translations lack (one per
    language, no regional variants), by Babel's locale and alpha-2 code."""
    codes = {country.code for country in iso_countries()}
    found: dict[str, dict[str, str]] = {}
    iso = iso_translations()
    for identifier in localedata.locale_identifiers():
        if "_" in identifier or identifier in (ENGLISH, "root") or identifier in iso:
            continue  # ISO's translations come first: CLDR's are read only where ISO has none
        try:
            territories = Locale.parse(identifier).territories
        except (UnknownLocaleError, ValueError):
            continue
        names = {code: name for code, name in territories.items() if code in codes}
        if names:
            found[identifier] = names
    return found


@cache
def translations() -> dict[str, dict[str, str]]:
    """Every country's name by locale and code: English (the display names), ISO's
    translations as pycountry ships them, and CLDR's for the languages ISO's lack."""
    found = {ENGLISH: {code: display_name(code) for code in _current_codes()}}
    found.update(iso_translations())
    for identifier, names in cldr_translations().items():
        found.setdefault(identifier, names)
    return found


@cache
def _current_codes() -> tuple[str, ...]:
    return tuple(country.code for country in iso_countries())


def language(text: str) -> str | None:
    """The locale a BCP 47 language tag names among those with translations, in any case,
    falling back along the tag: pt-BR → pt_BR, en-GB → en, zh-Hant-TW → zh_TW → zh."""
    parts = [part for part in re.split(r"[-_]", text.strip()) if part]
    if not parts or not parts[0].isalpha():
        return None
    base = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next((p.upper() for p in parts[1:] if len(p) in (2, 3) and p.isalnum()), None)
    candidates = [
        "_".join(filter(None, (base, script, region))),
        "_".join(filter(None, (base, region))),
        "_".join(filter(None, (base, script))),
        base,
    ]
    return next((c for c in candidates if c in translations()), None)
