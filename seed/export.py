"""Writing the whole database out in the seed file format, so that importing it gives it back.

The output is deterministic (every list in the order of its natural key) and says
no more than the format needs: what an entry inherits (its parent's section, its
event's date for a quote) is left out, as a person writing the file would.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from seed.wikidata.importer import cites_a_release

DEFAULT_TITLE = "Bilateral export"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _compact(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without empty fields (None, False, empty lists), which the format leaves out."""
    return {key: value for key, value in entry.items() if value not in (None, False, [], {})}


class _Exporter:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, model: Any, *order: Any) -> list[Any]:
        return list(await self.session.scalars(select(model).order_by(*order)))

    async def load(self) -> None:
        s = self.session
        self.countries = {c.id: c.code for c in await self._all(models.Country, models.Country.id)}
        self.sources = {row.id: row for row in await self._all(models.Source, models.Source.id)}
        self.organizations = {
            o.id: o for o in await self._all(models.Organization, models.Organization.name)
        }
        self.people = {p.id: p for p in await self._all(models.Person, models.Person.name)}
        self.missions = {
            m.id: m for m in await self._all(models.Mission, models.Mission.name, models.Mission.id)
        }
        self.links: dict[str, dict[int, list[int]]] = {}
        for table in (
            models.mission_source,
            models.head_of_mission_source,
            models.relation_source,
            models.event_source,
        ):
            subject = table.c[f"{table.name.removesuffix('_source')}_id"]
            grouped: dict[int, list[int]] = defaultdict(list)
            for subject_id, source_id in await s.execute(
                select(subject, table.c.source_id).order_by(table.c.source_id)
            ):
                grouped[subject_id].append(source_id)
            self.links[table.name] = grouped
        self._leave_out_releases()
        # The file's document: the title and address most facts cite.
        usage = Counter((row.title, row.url) for row in self.sources.values())
        ranked = sorted(usage.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))
        self.document = ranked[0][0] if ranked else (DEFAULT_TITLE, None)

    def _leave_out_releases(self) -> None:
        """Leave out what only a Wikidata release says: that release brings it back on import.

        The seed format has no place for a release's posts, coordinates or jurisdictions, so a
        post whose every source is a release is not exported, nor is what a release adds to a
        post from another source.
        """
        self.released = {pk for pk, row in self.sources.items() if cites_a_release(row.title)}
        if not self.released:
            return
        cited = self.links["mission_source"]
        self.missions = {
            pk: m
            for pk, m in self.missions.items()
            if not cited.get(pk) or any(s not in self.released for s in cited[pk])
        }
        for grouped in self.links.values():
            for subject, source_ids in grouped.items():
                grouped[subject] = [pk for pk in source_ids if pk not in self.released]
        for pk in self.released:
            del self.sources[pk]

    def _section(self, source_id: int | None, inherited: str | None = None) -> dict[str, Any]:
        """How an entry with one source names it: a section, unless it is the one it inherits."""
        source = self.sources.get(source_id) if source_id is not None else None
        if (
            source is None
            or (source.title, source.url) != self.document
            or source.section == inherited
        ):
            return {}
        return {"section": source.section}

    def _cited(self, table: str, subject_id: int, inherited: str | None = None) -> dict[str, Any]:
        """How an entry with a list of sources names them: a section when that says it all."""
        rows = [self.sources[pk] for pk in self.links[table].get(subject_id, [])]
        if len(rows) == 1 and (rows[0].title, rows[0].url) == self.document:
            return {} if rows[0].section == inherited else {"section": rows[0].section}
        return {
            "sources": [
                _compact({"title": r.title, "section": r.section, "url": r.url}) for r in rows
            ]
        }

    def _section_of(self, table: str, subject_id: int) -> str | None:
        rows = [self.sources[pk] for pk in self.links[table].get(subject_id, [])]
        return (
            rows[0].section
            if len(rows) == 1 and (rows[0].title, rows[0].url) == self.document
            else None
        )

    async def document_dict(self) -> dict[str, Any]:
        await self.load()
        title, url = self.document
        return {
            "source": _compact({"title": title, "url": url}),
            "relations": await self._relations(),
            "organizations": [self._organization(o) for o in self.organizations.values()],
            "people": await self._people(),
            "missions": await self._missions(),
            "events": await self._events(),
        }

    async def _relations(self) -> list[dict[str, Any]]:
        link = models.relation_organization
        organizations: dict[int, list[str]] = defaultdict(list)
        for relation_id, organization_id in await self.session.execute(
            select(link.c.relation_id, link.c.organization_id)
        ):
            organizations[relation_id].append(self.organizations[organization_id].name)
        entries = []
        for r in await self._all(models.Relation, models.Relation.id):
            codes = sorted([self.countries[r.country_a_id], self.countries[r.country_b_id]])
            entries.append(
                _compact(
                    {
                        "countries": codes,
                        "established": _text(r.established),
                        **self._cited("relation_source", r.id),
                        "organizations": sorted(organizations[r.id]),
                    }
                )
            )
        return sorted(entries, key=lambda entry: entry["countries"])

    def _organization(self, o: models.Organization) -> dict[str, Any]:
        return _compact(
            {
                "name": o.name,
                "kind": o.kind.name,
                "country": self.countries.get(o.country_id) if o.country_id else None,
                "founded": _text(o.founded),
                **self._section(o.source_id),
            }
        )

    async def _people(self) -> list[dict[str, Any]]:
        positions: dict[int, list[models.Position]] = defaultdict(list)
        for position in await self._all(models.Position, models.Position.id):
            positions[position.person_id].append(position)
        entries = []
        for p in self.people.values():
            section = self._section(p.source_id)
            entries.append(
                _compact(
                    {
                        "name": p.name,
                        "country": self.countries.get(p.country_id) if p.country_id else None,
                        **section,
                        "positions": [
                            _compact(
                                {
                                    "title": x.title,
                                    "country": self.countries.get(x.country_id)
                                    if x.country_id
                                    else None,
                                    "organization": self.organizations[x.organization_id].name
                                    if x.organization_id
                                    else None,
                                    "start": _text(x.start),
                                    "end": _text(x.end),
                                    "held_on": _text(x.held_on),
                                    **self._section(x.source_id, section.get("section")),
                                }
                            )
                            for x in positions[p.id]
                        ],
                    }
                )
            )
        return entries

    async def _missions(self) -> list[dict[str, Any]]:
        children: dict[str, dict[int, list[Any]]] = {}
        for name, model in (
            ("addresses", models.MissionAddress),
            ("accreditations", models.Accreditation),
            ("heads", models.HeadOfMission),
        ):
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in await self._all(model, model.id):
                grouped[row.mission_id].append(row)
            children[name] = grouped
        entries = []
        for m in self.missions.values():
            section = self._section_of("mission_source", m.id)
            entries.append(
                _compact(
                    {
                        "name": m.name,
                        "kind": m.kind.name,
                        "country": self.countries[m.country_id],
                        "host": self.countries[m.host_country_id],
                        "city": m.city,
                        "opened": _text(m.opened),
                        "closed": _text(m.closed),
                        **self._cited("mission_source", m.id),
                        "addresses": [
                            _compact(
                                {
                                    "address": a.address,
                                    "city": a.city,
                                    "from": _text(a.start),
                                    "to": _text(a.end),
                                    **self._section(a.source_id, section),
                                }
                            )
                            for a in children["addresses"][m.id]
                        ],
                        "accreditations": [
                            _compact(
                                {
                                    "country": self.countries.get(a.country_id)
                                    if a.country_id
                                    else None,
                                    "organization": self.organizations[a.organization_id].name
                                    if a.organization_id
                                    else None,
                                    "from": _text(a.start),
                                    "to": _text(a.end),
                                    **self._section(a.source_id, section),
                                }
                            )
                            for a in children["accreditations"][m.id]
                            if a.source_id not in self.released
                        ],
                        "heads": [
                            _compact(
                                {
                                    "person": self.people[h.person_id].name,
                                    "title": h.title,
                                    "ordinal": h.ordinal,
                                    "start": _text(h.start),
                                    "end": _text(h.end),
                                    "ongoing": h.ongoing,
                                    "held_on": _text(h.held_on),
                                    "gap_before": h.gap_before,
                                    **self._cited("head_of_mission_source", h.id, section),
                                }
                            )
                            for h in children["heads"][m.id]
                        ],
                    }
                )
            )
        return entries

    async def _events(self) -> list[dict[str, Any]]:
        grouped: dict[str, dict[int, list[Any]]] = {}
        for name, model in (
            ("participants", models.Participation),
            ("quotes", models.Quote),
            ("figures", models.Figure),
            ("countries", models.EventCountryDeclared),
        ):
            rows: dict[int, list[Any]] = defaultdict(list)
            order = model.id if hasattr(model, "id") else model.country_id
            for row in await self._all(model, order):
                if row.event_id is not None:
                    rows[row.event_id].append(row)
            grouped[name] = rows
        entries = []
        for e in await self._all(models.Event, models.Event.date, models.Event.title):
            place = _compact(
                {
                    "name": e.place_name,
                    "country": self.countries.get(e.place_country_id)
                    if e.place_country_id
                    else None,
                }
            )
            entries.append(
                _compact(
                    {
                        "title": e.title,
                        "kind": e.kind.name,
                        "date": str(e.date),
                        "end_date": _text(e.end_date),
                        "place": place,
                        **self._cited("event_source", e.id),
                        "summary": e.summary,
                        "countries": sorted(
                            self.countries[d.country_id] for d in grouped["countries"][e.id]
                        ),
                        "participants": [
                            self._participant(p) for p in grouped["participants"][e.id]
                        ],
                        "quotes": [
                            _compact(
                                {
                                    "speaker": self.people[q.speaker_id].name,
                                    "text": q.text,
                                    "date": _text(q.date) if q.date != e.date else None,
                                }
                            )
                            for q in grouped["quotes"][e.id]
                        ],
                        "figures": [
                            {"label": f.label, "value": f.value, "unit": f.unit}
                            for f in grouped["figures"][e.id]
                        ],
                    }
                )
            )
        return entries

    def _participant(self, p: models.Participation) -> dict[str, Any]:
        if p.country_id is not None:
            who = {"country": self.countries[p.country_id]}
        elif p.person_id is not None:
            who = {"person": self.people[p.person_id].name}
        elif p.organization_id is not None:
            who = {"organization": self.organizations[p.organization_id].name}
        else:
            assert p.mission_id is not None
            who = {"mission": self.missions[p.mission_id].name}
        return _compact({**who, "role": p.role})


async def export_document(session: AsyncSession) -> dict[str, Any]:
    """The whole database as a seed document (a plain dict, ready for YAML)."""
    return await _Exporter(session).document_dict()


def dump_document(document: dict[str, Any]) -> str:
    """A seed document as YAML text."""
    header = "# Exported by `bilateral export`; the format is described in seed/README.md.\n"
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
