#!/usr/bin/env python3
"""Route kilometres of a plan, written from docs/sampling.md section 8 alone (an independent
implementation of the distance, visiting order and lower bound; standard library only).

    bench/route_km.py REGISTRY.gpkg PLAN.json [--depot LON,LAT | --inspectors CSV]

For a fuelmap-sampling-2 plan: recomputes every route's straight_m from the registry's positions
(and fails loudly if one differs from the plan), and prints the total estimated road km
(distance_m), the total of a lower bound (per team-day, the minimum spanning tree of the base and
its stations: no closed tour is shorter), and team-days. For a fuelmap-sampling-1 plan (per-station
dealing: team and date per station) the "routes" are the stations of each (team, date) pair,
ordered by the same nearest-neighbour + 2-opt rule from --depot, or from the base of the team's
first member (id order) in the --inspectors CSV, as fuelmap-sampling-2 does (generous to the old
plan: it never had an order), and
the same totals are printed, together with how many inspector-days have stations in more than one
team-day (an inspector sent in two teams on one day).
"""
import json
import math
import sqlite3
import struct
import sys

COS = [1000000, 999848, 999391, 998630, 997564, 996195, 994522, 992546, 990268, 987688, 984808, 981627, 978148,
       974370, 970296, 965926, 961262, 956305, 951057, 945519, 939693, 933580, 927184, 920505, 913545, 906308,
       898794, 891007, 882948, 874620, 866025, 857167, 848048, 838671, 829038, 819152, 809017, 798636, 788011,
       777146, 766044, 754710, 743145, 731354, 719340, 707107, 694658, 681998, 669131, 656059, 642788, 629320,
       615661, 601815, 587785, 573576, 559193, 544639, 529919, 515038, 500000, 484810, 469472, 453990, 438371,
       422618, 406737, 390731, 374607, 358368, 342020, 325568, 309017, 292372, 275637, 258819, 241922, 224951,
       207912, 190809, 173648, 156434, 139173, 121869, 104528, 87156, 69756, 52336, 34899, 17452, 0]


def e6(v):
    """round(v * 1e6), halves away from zero (the product in double arithmetic)."""
    p = v * 1e6
    return int(math.floor(p + 0.5)) if p >= 0 else -int(math.floor(-p + 0.5))


def dist(a, b):
    deg = min(abs(a[1] + b[1]) // 2000000, 90)
    dx = abs(a[0] - b[0]) * COS[deg]
    dy = abs(a[1] - b[1]) * 1000000
    return math.isqrt(dx * dx + dy * dy) * 111195 // 10 ** 12


def order(base, stops, ids):
    k = len(stops)
    left = list(range(k))
    seq, at = [], base
    while left:
        best = min(left, key=lambda i: (dist(at, stops[i]), ids[i]))
        left.remove(best)
        seq.append(best)
        at = stops[best]
    pt = lambda pos: base if pos in (0, k + 1) else stops[seq[pos - 1]]
    improved = True
    while improved:
        improved = False
        for i in range(0, k - 1):
            for j in range(i + 2, k + 1):
                if dist(pt(i), pt(i + 1)) + dist(pt(j), pt(j + 1)) > dist(pt(i), pt(j)) + dist(pt(i + 1), pt(j + 1)):
                    seq[i:j] = reversed(seq[i:j])
                    improved = True
                    break
            if improved:
                break
    return seq


def tour(base, pts):
    total, at = 0, base
    for p in pts:
        total += dist(at, p)
        at = p
    return total + dist(at, base)


def mst(points):
    n = len(points)
    if n < 2:
        return 0
    inside = [False] * n
    best = [None] * n
    best[0] = 0
    total = 0
    for _ in range(n):
        u = min((i for i in range(n) if not inside[i]), key=lambda i: best[i] if best[i] is not None else 1 << 62)
        inside[u] = True
        total += best[u]
        for v in range(n):
            if not inside[v]:
                d = dist(points[u], points[v])
                if best[v] is None or d < best[v]:
                    best[v] = d
    return total


def point(blob):
    """The WGS84 point of a GeoPackage geometry blob."""
    flags = blob[3]
    env = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    wkb = blob[8 + env:]
    fmt = '<' if wkb[0] == 1 else '>'
    x, y = struct.unpack(fmt + 'dd', wkb[5:21])
    return (e6(x), e6(y))


def main():
    reg, plan_file = sys.argv[1], sys.argv[2]
    depot = None
    if '--depot' in sys.argv:
        lon, lat = sys.argv[sys.argv.index('--depot') + 1].split(',')
        depot = (e6(float(lon)), e6(float(lat)))
    bases = {}
    if '--inspectors' in sys.argv:
        import csv
        for row in csv.DictReader(open(sys.argv[sys.argv.index('--inspectors') + 1], encoding='utf-8')):
            if row.get('base_lon'):
                bases[row['id']] = (e6(float(row['base_lon'])), e6(float(row['base_lat'])))
    plan = json.load(open(plan_file, encoding='utf-8'))
    ids = {s['station_id'] for s in plan['selections']}
    db = sqlite3.connect(reg)
    where = {}
    for sid, geom in db.execute('SELECT station_id, geom FROM stations'):
        if sid in ids:
            where[sid] = point(geom)
    road = straight = bound = 0
    days = 0
    if plan['algorithm_version'] == 'fuelmap-sampling-2':
        base = {t['team']: (t['base_lon_e6'], t['base_lat_e6']) for t in plan['teams']}
        for r in plan['routes']:
            b = base[r['team']]
            pts = [where[s] for s in r['stations']]
            s = tour(b, pts)
            if s != r['straight_m']:
                sys.exit(f"route {r['team']} {r['date']}: straight_m {r['straight_m']} in the plan, {s} here")
            seq = order(b, pts, r['stations'])
            if seq != list(range(len(pts))):
                sys.exit(f"route {r['team']} {r['date']}: visiting order differs from section 8.6")
            straight += s
            road += r['distance_m']
            bound += mst([b] + pts)
            days += 1
        shared = 0
    else:
        groups = {}
        for s in plan['selections']:
            groups.setdefault((s['date'], tuple(s['team'])), []).append(s['station_id'])
        inspector_days = {}
        for (date, team), stations in sorted(groups.items()):
            pts = [where[s] for s in stations]
            base = depot if depot else bases[sorted(team)[0]]
            seq = order(base, pts, stations)
            s = tour(base, [pts[i] for i in seq])
            straight += s
            road += s * 13 // 10
            bound += mst([base] + pts)
            days += 1
            for m in team:
                inspector_days.setdefault((m, date), set()).add(team)
        shared = sum(1 for t in inspector_days.values() if len(t) > 1)
    print(json.dumps({'plan': plan_file, 'algorithm': plan['algorithm_version'], 'team_days': days,
                      'stations': len(ids), 'road_km': round(road / 1000, 1),
                      'straight_km': round(straight / 1000, 1), 'mst_lower_bound_km': round(bound / 1000, 1),
                      'inspector_days_in_two_teams': shared}))


if __name__ == '__main__':
    main()
