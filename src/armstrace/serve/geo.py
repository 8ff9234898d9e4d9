"""Coordinates for the map: actors sit at their capital, places at their gazetteer point.

All from shipped data: actors.yaml capitals looked up in places.yaml, else the country's label
point in world-110m.json (Natural Earth); an actor found in neither has no point (lat None).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from armstrace.errors import DataFileError, NotFoundError
from armstrace.extract.actors import actor_kind, actor_name, all_actors
from armstrace.extract.places import lookup_place
from armstrace.resources import data_path, load_yaml, require

WORLD_FILE = "world-110m.json"


@cache
def _capital_points() -> dict[str, tuple[float, float]]:
    all_actors()  # validates actors.yaml before its raw capitals are read below
    data = load_yaml("actors.yaml")
    points: dict[str, tuple[float, float]] = {}
    for section in ("states", "groups", "organisations"):
        for entry in data.get(section) or []:
            for capital in entry.get("capitals") or []:
                place = lookup_place(capital)
                if place is not None:
                    points[entry["code"]] = (place.lat, place.lon)
                    break
    return points


@cache
def world_bytes() -> bytes:
    """The shipped world geometry (GeoJSON), checked once, as the bytes to serve."""
    path = data_path(WORLD_FILE)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataFileError(f"data file {WORLD_FILE} is missing from the package ({path})") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"data file {WORLD_FILE} is not valid JSON: {exc}") from exc
    require(
        isinstance(data, dict) and data.get("type") == "FeatureCollection",
        WORLD_FILE,
        "must be a GeoJSON FeatureCollection",
    )
    require(isinstance(data.get("features"), list), WORLD_FILE, "`features` must be a list")
    return raw


@cache
def _label_points() -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for feature in json.loads(world_bytes())["features"]:
        properties: Any = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("iso_a3") if isinstance(properties, dict) else None
        label = properties.get("label") if isinstance(properties, dict) else None
        if isinstance(code, str) and isinstance(label, list) and len(label) == 2:
            lon, lat = label
            require(
                isinstance(lon, int | float) and isinstance(lat, int | float),
                WORLD_FILE,
                f"{code}: `label` must be [lon, lat] numbers",
            )
            points[code] = (float(lat), float(lon))
    return points


def actor_point(code: str) -> tuple[float, float] | None:
    """(lat, lon) of an actor's capital, else of its country's label point."""
    return _capital_points().get(code) or _label_points().get(code)


def place_point(name: str) -> tuple[float, float] | None:
    """(lat, lon) of a route point, sea or region named in a claim's `via` or `route`."""
    place = lookup_place(name)
    return (place.lat, place.lon) if place is not None else None


def node(code: str) -> dict[str, object]:
    """A graph or map node for an actor code: {id, name, kind, lat, lon}."""
    point = actor_point(code)
    try:
        kind: str = actor_kind(code)
    except NotFoundError:  # a code stored by an older extractor: still draw it
        kind = "unknown"
    return {
        "id": code,
        "name": actor_name(code),
        "kind": kind,
        "lat": point[0] if point else None,
        "lon": point[1] if point else None,
    }
