"""Build src/armstrace/data/world-110m.json, the world map of the dashboard and the report.

Input: `countries-110m.json` (TopoJSON) from the npm package world-atlas 2.0.2 (ISC licence,
Mike Bostock), itself built from Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries
(public domain). Obtain it without any other download with

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/make_world.py /tmp/package/countries-110m.json src/armstrace/data/world-110m.json

The output is compact GeoJSON: one Feature per country with its ISO 3166-1 numeric id, its
name, its ISO alpha-3 code (numeric -> alpha-2 from CLDR via babel, alpha-2 -> alpha-3 via
rigour; both come with the project's dependencies) and a label point (centroid of its largest
polygon); coordinates rounded to 0.1 degree, repeated points dropped.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

SOURCE = (
    "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain, "
    "naturalearthdata.com), as TopoJSON countries-110m.json of the npm package world-atlas 2.0.2 "
    "(ISC licence, Mike Bostock); converted by tools/make_world.py: decoded to GeoJSON, "
    "coordinates rounded to 0.1 degree."
)
# Countries that world-atlas ships without a numeric id, and codes CLDR does not map.
EXTRA_A3 = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}

Point = list[float]
Ring = list[Point]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Delta-decode and dequantize every arc of a quantized topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[Ring]) -> Ring:
    """Stitch a ring from arc indices; a negative index ~i means arc i reversed."""
    points: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return points


def rounded(points: Ring) -> Ring:
    out: Ring = []
    for lon, lat in points:
        point = [round(lon, 1), round(lat, 1)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def unwrap(points: Ring) -> Ring:
    """Make longitudes continuous across the antimeridian; close a ring around a pole by the pole.

    The TopoJSON is spherical: a ring crossing 180 degrees jumps to -180. A flat map needs each
    ring in one piece, so the ring is unwrapped (it may then reach past 180) and `convert` adds a
    copy shifted by 360 degrees; the map clips both to the world.
    """
    out: Ring = [list(points[0])]
    for lon, lat in points[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append([lon, lat])
    turn = out[-1][0] - out[0][0]
    if abs(turn) > 180:  # encircles a pole (Antarctica): go round by the pole
        pole = -90.0 if sum(p[1] for p in out) < 0 else 90.0
        out.extend([[out[-1][0], pole], [out[0][0], pole], list(out[0])])
    low = min(p[0] for p in out)
    if low >= 180:
        out = [[p[0] - 360, p[1]] for p in out]
    elif max(p[0] for p in out) <= -180:
        out = [[p[0] + 360, p[1]] for p in out]
    return out


def shifted(polygon: list[Ring], by: float) -> list[Ring]:
    return [[[p[0] + by, p[1]] for p in r] for r in polygon]


def area(points: Ring) -> float:
    return 0.5 * sum(
        points[i][0] * points[i + 1][1] - points[i + 1][0] * points[i][1]
        for i in range(len(points) - 1)
    )


def centroid(points: Ring) -> Point:
    total = area(points)
    if abs(total) < 1e-9:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        return [round(sum(lons) / len(lons), 1), round(sum(lats) / len(lats), 1)]
    cx = cy = 0.0
    for i in range(len(points) - 1):
        cross = points[i][0] * points[i + 1][1] - points[i + 1][0] * points[i][1]
        cx += (points[i][0] + points[i + 1][0]) * cross
        cy += (points[i][1] + points[i + 1][1]) * cross
    return [round(cx / (6 * total), 1), round(cy / (6 * total), 1)]


def alpha3(numeric: str | None, name: str) -> str | None:
    from babel.core import get_global
    from rigour.territories import get_territory

    if numeric is None:
        return EXTRA_A3.get(name)
    alpha2 = get_global("territory_aliases").get(numeric)
    if not alpha2:
        return EXTRA_A3.get(name)
    territory = get_territory(alpha2[0].lower())
    return territory.alpha3.upper() if territory and territory.alpha3 else EXTRA_A3.get(name)


def convert(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry["type"]
        polygons = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"]
        coordinates = []
        for polygon in polygons:
            rings = [rounded(unwrap(ring(indices, arcs))) for indices in polygon]
            rings = [r for r in rings if len(r) >= 4]
            if not rings:
                continue
            coordinates.append(rings)
            lons = [p[0] for p in rings[0]]
            if max(lons) > 180 and min(lons) > -180:
                coordinates.append(shifted(rings, -360))
            elif min(lons) < -180 and max(lons) < 180:
                coordinates.append(shifted(rings, 360))
        if not coordinates:
            continue
        name = geometry["properties"]["name"]
        largest = max((p[0] for p in coordinates), key=lambda r: abs(area(r)))
        label = centroid(largest)
        label[0] = round((label[0] + 180) % 360 - 180, 1)
        features.append(
            {
                "type": "Feature",
                "id": geometry.get("id"),
                "properties": {
                    "name": name,
                    "iso_a3": alpha3(geometry.get("id"), name),
                    "label": label,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            }
        )
    return {"source": SOURCE, "type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="countries-110m.json from world-atlas 2.0.2")
    parser.add_argument("out", type=Path, help="where to write the GeoJSON")
    args = parser.parse_args()
    world = convert(json.loads(args.topojson.read_text(encoding="utf-8")))
    text = json.dumps(world, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(world['features'])} countries, {len(text) // 1024} KiB")


if __name__ == "__main__":
    main()
