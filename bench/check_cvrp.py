#!/usr/bin/env python3
"""Independent checker for a CVRPLIB solution (not the solver's code).

usage: check_cvrp.py INSTANCE.vrp SOLUTION [--vehicles K]
Checks that every customer is visited exactly once, no route exceeds the
capacity, the fleet limit (when given) holds, and the printed Cost equals
the cost recomputed with TSPLIB EUC_2D rounding. Prints the cost and the
number of routes; exits 1 with the reason on the first violation.
"""
import math
import sys


def read_instance(path):
    coords, demand, depot = {}, {}, []
    capacity = dim = None
    section = None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line or line == "EOF":
                continue
            if ":" in line and not line[0].isdigit() and not line.startswith("-"):
                key, val = (s.strip() for s in line.split(":", 1))
                if key == "DIMENSION":
                    dim = int(val)
                elif key == "CAPACITY":
                    capacity = int(val)
                section = None
                continue
            if line.endswith("_SECTION"):
                section = line
                continue
            parts = line.split()
            if section == "NODE_COORD_SECTION":
                coords[int(parts[0])] = (float(parts[1]), float(parts[2]))
            elif section == "DEMAND_SECTION":
                demand[int(parts[0])] = int(parts[1])
            elif section == "DEPOT_SECTION" and int(parts[0]) != -1:
                depot.append(int(parts[0]))
    return dim, capacity, coords, demand, (depot[0] if depot else 1)


def dist(a, b):
    return int(math.floor(math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) + 0.5))


def main():
    args = sys.argv[1:]
    vehicles = None
    if "--vehicles" in args:
        i = args.index("--vehicles")
        vehicles = int(args[i + 1])
        del args[i:i + 2]
    dim, capacity, coords, demand, depot = read_instance(args[0])
    customers = [n for n in range(1, dim + 1) if n != depot]
    # CVRPLIB numbering: customers 1..n in file order, depot omitted
    node_of = {k + 1: n for k, n in enumerate(customers)}
    routes, printed = [], None
    with open(args[1]) as f:
        for line in f:
            if line.startswith("Route #"):
                routes.append([int(t) for t in line.split(":", 1)[1].split()])
            elif line.startswith("Cost"):
                printed = int(line.split()[1])
    if printed is None:
        sys.exit("no Cost line")
    seen, total = set(), 0
    for r in routes:
        if not r:
            sys.exit("empty route")
        load = 0
        prev = depot
        for c in r:
            if c not in node_of:
                sys.exit("unknown customer %d" % c)
            if c in seen:
                sys.exit("customer %d visited twice" % c)
            seen.add(c)
            node = node_of[c]
            load += demand[node]
            total += dist(coords[prev], coords[node])
            prev = node
        total += dist(coords[prev], coords[depot])
        if load > capacity:
            sys.exit("route over capacity: %d > %d" % (load, capacity))
    if len(seen) != len(customers):
        sys.exit("%d customers not visited" % (len(customers) - len(seen)))
    if vehicles is not None and len(routes) > vehicles:
        sys.exit("%d routes > %d vehicles" % (len(routes), vehicles))
    if total != printed:
        sys.exit("printed Cost %d, recomputed %d" % (printed, total))
    print(total, len(routes))


if __name__ == "__main__":
    main()
