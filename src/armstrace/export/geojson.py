"""GeoJSON export (RFC 7946, [lon, lat]) for QGIS, kepler.gl and web maps: a LineString per record
or claim along supplier → route points on the supplier's side → transit → other route points →
recipient, and a Point per place with the role it plays (supplier, recipient, transit, route).

Actors sit at their capital (armstrace.serve.geo); places at their gazetteer point.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from armstrace.export.base import Tally
from armstrace.export.source import ClaimItem, Scalar
from armstrace.kb.transfer_records import TransferRecord

__all__ = ["PRECISION", "write_claims", "write_records"]

PRECISION = 5  # decimal places: about a metre, plenty for a capital or a port

Position = tuple[float, float]  # (lon, lat), the RFC 7946 order


@dataclass(frozen=True, slots=True)
class _Stop:
    role: str  # supplier | recipient | transit | route
    name: str
    code: str | None  # actor code, for supplier, recipient and transit countries
    kind: str  # actor kind, or the gazetteer's place kind
    position: Position


def _position(lat: float, lon: float) -> Position:
    return (round(lon, PRECISION), round(lat, PRECISION))


def _actor(code: str | None, role: str) -> _Stop | None:
    from armstrace.serve.geo import actor_point, node

    if not code:
        return None
    point = actor_point(code)
    if point is None:
        return None
    info = node(code)
    return _Stop(role, str(info["name"]), code, str(info["kind"]), _position(*point))


def _place(
    name: str, role: str, lat: float | None = None, lon: float | None = None
) -> _Stop | None:
    from armstrace.extract.places import lookup_place

    place = lookup_place(name)
    if lat is None or lon is None:
        if place is None:
            return None
        lat, lon = place.lat, place.lon
    return _Stop(role, place.name if place else name, None, place.kind if place else "place",
                 _position(lat, lon))  # fmt: skip


def _transit(value: str) -> _Stop | None:
    """A `via` entry: a transit country's code, else a sea or region by name."""
    return _actor(value, "transit") or _place(value, "transit")


def _stops(supplier: str | None, recipient: str | None, via: Sequence[str],
           route: Sequence[tuple[str, float | None, float | None]]) -> list[_Stop]:  # fmt: skip
    """The stops of one transfer in travel order; those with no known point are dropped."""
    from armstrace.extract.places import lookup_place

    near: list[_Stop | None] = []
    far: list[_Stop | None] = []
    for name, lat, lon in route:
        place = lookup_place(name)
        side = near if place is not None and supplier and place.country == supplier else far
        side.append(_place(name, "route", lat, lon))
    transit = [_transit(v) for v in via]
    stops = [_actor(supplier, "supplier"), *near, *transit, *far, _actor(recipient, "recipient")]
    return [s for s in stops if s is not None]


class _Collection:
    def __init__(self, out: TextIO) -> None:
        self.out, self.first = out, True
        self.points: dict[tuple[str, str, Position], tuple[_Stop, int]] = {}
        self.tally = Tally()
        out.write('{"type": "FeatureCollection", "features": [\n')

    def _feature(self, geometry: dict[str, Any], properties: dict[str, Any]) -> None:
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        self.out.write(("" if self.first else ",\n") + json.dumps(feature, ensure_ascii=False))
        self.first = False
        self.tally.objects += 1

    def add(self, stops: Sequence[_Stop], properties: dict[str, Scalar]) -> None:
        for stop in stops:
            key = (stop.role, stop.name, stop.position)
            seen = self.points.get(key)
            self.points[key] = (stop, (seen[1] if seen else 0) + 1)
        line: list[Position] = []
        for stop in stops:
            if not line or line[-1] != stop.position:
                line.append(stop.position)
        if len(line) < 2:
            self.tally.leave_out("fewer than two places with coordinates: no line to draw")
            return
        geometry = {"type": "LineString", "coordinates": [list(p) for p in line]}
        self._feature(geometry, {"feature": "transfer", **properties})
        self.tally.written += 1

    def close(self) -> Tally:
        for (role, name, position), (stop, count) in sorted(self.points.items()):
            geometry = {"type": "Point", "coordinates": list(position)}
            properties = {"feature": "place", "role": role, "name": name, "code": stop.code,
                          "kind": stop.kind, "transfers": count}  # fmt: skip
            self._feature(geometry, properties)
        self.out.write("\n]}\n")
        return self.tally


def write_records(records: Iterable[TransferRecord], out: TextIO) -> Tally:
    collection = _Collection(out)
    for r in records:
        route = [(p.name, p.lat, p.lon) for p in r.route]
        properties: dict[str, Scalar] = {
            "id": r.id, "supplier": r.supplier, "supplier_name": r.supplier_name,
            "recipient": r.recipient, "recipient_name": r.recipient_name,
            "category": r.category, "status": r.status,
            "first_seen": r.first_seen.isoformat() if r.first_seen else None,
            "last_seen": r.last_seen.isoformat() if r.last_seen else None,
            "support": r.support, "independent_sources": r.independent_sources,
            "confidence": r.confidence, "embargo": bool(r.embargo),
        }  # fmt: skip
        collection.add(_stops(r.supplier, r.recipient, r.via, route), properties)
    return collection.close()


def write_claims(claims: Iterable[ClaimItem], out: TextIO) -> Tally:
    collection = _Collection(out)
    for item in claims:
        c = item.claim
        route = [(name, None, None) for name in c.route]
        properties: dict[str, Scalar] = {
            "id": c.id, "supplier": c.supplier, "recipient": c.recipient,
            "category": c.category, "status": c.status,
            "date": item.day.isoformat() if item.day else None, "source": c.source,
            "document_name": item.to_dict()["document_name"],
            "url": item.document.url if item.document else None,
        }  # fmt: skip
        collection.add(_stops(c.supplier, c.recipient, c.via, route), properties)
    return collection.close()
