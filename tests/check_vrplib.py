#!/usr/bin/env python3
"""Independent checker of a VRPLIB solution (VRPTW, HFVRP; not the solver's code).

usage: check_vrplib.py INSTANCE.vrp SOLUTION [--trips N]
Reads the instance (PyVRP's VRPLIB dialect) and a solution (`Route #k: c1
c2 ...` lines, customers numbered from 1 = file node minus one, and `Cost
C`), then checks: every customer visited exactly once; VRPTW: at most
VEHICLES routes, each within CAPACITY, service started inside every window
(waiting when early) with DIMACS distances (Euclidean truncated to one
decimal, travel time = distance), back at the depot by its close; HFVRP:
route k uses vehicle k of the file (1-based), each vehicle at most once,
its capacity holds. Recomputes the cost in the file's convention (VRPTW:
total truncated distance; HFVRP: fixed / 100 + unit / 100 x exact
Euclidean length per used vehicle) and compares it with the printed Cost
(to its printed precision). Prints "COST ROUTES"; exits 1 with the reason
on the first violation.

--trips N (vcourier route --max-trips N): a route may go back to the depot
and out again, at most N trips; the depot (0) between two customers is
such a return. Capacity then holds per trip, time runs on through the
return (no unload time; VRPTW: back by the depot's close every time), and
every return counts in the length.
"""
import math
import sys


def read_instance(path):
    inst = {"sections": {}, "SERVICE_TIME": 0}
    section = None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line == "EOF":
                continue
            if line.endswith("_SECTION"):
                section = line
                inst["sections"][section] = {}
                continue
            if ":" in line and not line.lstrip("-").split()[0].isdigit():
                key, val = (s.strip() for s in line.split(":", 1))
                inst[key] = val
                section = None
                continue
            parts = line.split()
            if section == "DEPOT_SECTION":
                if int(parts[0]) != -1:
                    inst["depot"] = int(parts[0])
                continue
            inst["sections"][section][int(parts[0])] = [float(p) for p in parts[1:]]
    return inst


def fail(msg):
    print("check_vrplib: " + msg, file=sys.stderr)
    sys.exit(1)


def read_solution(path):
    routes, cost, cost_text = [], None, None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("Route #"):
                head, _, rest = line.partition(":")
                custs = [int(c) for c in rest.split()]
                if custs:  # an empty route is an unused vehicle
                    routes.append((int(head[len("Route #"):]), custs))
            elif line.startswith("Cost"):
                cost_text = line.split()[1]
                cost = float(cost_text)
    if cost is None:
        fail("no Cost line")
    decimals = len(cost_text.partition(".")[2])
    return routes, cost, decimals


def main():
    if len(sys.argv) not in (3, 5) or (len(sys.argv) == 5 and sys.argv[3] != "--trips"):
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    max_trips = int(sys.argv[4]) if len(sys.argv) == 5 else 1
    inst = read_instance(sys.argv[1])
    routes, printed, decimals = read_solution(sys.argv[2])
    sec = inst["sections"]
    xy = sec["NODE_COORD_SECTION"]
    demand = sec["DEMAND_SECTION"]
    depot = inst.get("depot", 1)
    dim = int(inst["DIMENSION"])
    kind = inst.get("TYPE")
    n_veh = int(inst["VEHICLES"])

    def exact(a, b):
        return math.sqrt((xy[a][0] - xy[b][0]) ** 2 + (xy[a][1] - xy[b][1]) ** 2)

    def dimacs(a, b):
        dx, dy = xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]
        return math.floor(10 * math.sqrt(dx * dx + dy * dy)) / 10

    seen = {}
    for k, custs in routes:
        returns = [i for i, c in enumerate(custs) if c + 1 == depot]
        if returns and (max_trips == 1 or returns[0] == 0 or returns[-1] == len(custs) - 1
                        or any(b == a + 1 for a, b in zip(returns, returns[1:]))):
            fail("route %d: the depot where no return may be" % k)
        if len(returns) + 1 > max_trips:
            fail("route %d: %d trips, at most %d" % (k, len(returns) + 1, max_trips))
        for c in custs:
            node = c + 1
            if node == depot:
                continue
            if node < 1 or node > dim:
                fail("customer %d out of range" % c)
            if node in seen:
                fail("customer %d visited twice" % c)
            seen[node] = True
    if len(seen) != dim - 1:
        fail("%d customers not visited" % (dim - 1 - len(seen)))

    total = 0.0
    if kind == "VRPTW":
        cap = int(inst["CAPACITY"])
        tw = sec["TIME_WINDOW_SECTION"]
        service = sec.get("SERVICE_TIME_SECTION")
        if len(routes) > n_veh:
            fail("%d routes for %d vehicles" % (len(routes), n_veh))
        for k, custs in routes:
            t, prev, load = tw[depot][0], depot, 0
            for c in custs + [depot - 1]:
                node = c + 1
                if node == depot:  # a return (or the end): back by the close, unloaded
                    total += dimacs(prev, depot)
                    t = round(t * 10 + dimacs(prev, depot) * 10) / 10
                    if t > tw[depot][1]:
                        fail("route %d: back at %.1f after the depot closes at %g" % (k, t, tw[depot][1]))
                    if load > cap:
                        fail("route %d: load %d over capacity %d" % (k, load, cap))
                    prev, load = depot, 0
                    continue
                # integer tenths, like the convention's one decimal, so no float drift
                t = round(t * 10 + dimacs(prev, node) * 10) / 10
                t = max(t, tw[node][0])
                if t > tw[node][1]:
                    fail("route %d: customer %d served at %.1f after its window closes at %g"
                         % (k, c, t, tw[node][1]))
                t += service[node][0] if service else float(inst["SERVICE_TIME"])
                load += demand[node][0]
                total += dimacs(prev, node)
                prev = node
        total = round(total * 10) / 10
    elif kind == "HFVRP":
        capacity = sec.get("CAPACITY_SECTION")
        fixed = sec.get("VEHICLES_FIXED_COST_SECTION", {})
        unit = sec.get("VEHICLES_UNIT_DISTANCE_COST_SECTION", {})
        used = set()
        for k, custs in routes:
            if k < 1 or k > n_veh or k in used:
                fail("route #%d: no such vehicle, or used twice" % k)
            used.add(k)
            cap = capacity[k][0] if capacity else int(inst["CAPACITY"])
            length, prev, load = 0.0, depot, 0
            for c in custs + [depot - 1]:
                length += exact(prev, c + 1)
                prev = c + 1
                load = 0 if prev == depot else load + demand[prev][0]
                if load > cap:
                    fail("route #%d: load %d over vehicle capacity %d" % (k, load, cap))
            total += fixed.get(k, [0])[0] / 100 + unit.get(k, [100])[0] / 100 * length
    else:
        fail("TYPE %s is not VRPTW or HFVRP" % kind)
    if abs(total - printed) > 0.5 * 10 ** -decimals + 1e-6:
        fail("printed Cost %s, recomputed %.*f" % (printed, decimals + 2, total))
    print("%.*f %d" % (decimals, total, len(routes)))


if __name__ == "__main__":
    main()
