#!/usr/bin/env python3
"""The optimum cost of a tiny VRPTW or HFVRP instance, by brute force.

usage: vrplib_optimum.py INSTANCE.vrp   (at most 8 customers)
Independent of the solver: for every subset of customers, the cheapest
feasible visiting order per vehicle (all permutations), then the cheapest
split of all customers over the fleet (dynamic programming over subsets
and vehicles). Conventions as in check_vrplib.py. Prints the cost.
"""
import itertools
import math
import sys

from check_vrplib import read_instance


def main():
    inst = read_instance(sys.argv[1])
    sec = inst["sections"]
    xy, demand = sec["NODE_COORD_SECTION"], sec["DEMAND_SECTION"]
    depot = inst.get("depot", 1)
    custs = [k for k in sorted(xy) if k != depot]
    if len(custs) > 8:
        sys.exit("vrplib_optimum: too many customers for a brute force")
    n_veh = int(inst["VEHICLES"])
    kind = inst["TYPE"]

    def exact(a, b):
        return math.sqrt((xy[a][0] - xy[b][0]) ** 2 + (xy[a][1] - xy[b][1]) ** 2)

    def tenths(a, b):
        return math.floor(10 * exact(a, b))

    def vrptw_route(order):
        """Length in tenths of a feasible order, or None."""
        tw = sec["TIME_WINDOW_SECTION"]
        service = float(inst["SERVICE_TIME"]) * 10
        t, prev, length = tw[depot][0] * 10, depot, 0
        for c in order:
            t = max(t + tenths(prev, c), tw[c][0] * 10)
            if t > tw[c][1] * 10:
                return None
            t += service
            length += tenths(prev, c)
            prev = c
        if t + tenths(prev, depot) > tw[depot][1] * 10:
            return None
        return length + tenths(prev, depot)

    def hf_cost(order, v):
        fixed = sec.get("VEHICLES_FIXED_COST_SECTION", {}).get(v, [0])[0]
        unit = sec.get("VEHICLES_UNIT_DISTANCE_COST_SECTION", {}).get(v, [100])[0]
        length, prev = 0.0, depot
        for c in order:
            length += exact(prev, c)
            prev = c
        return fixed / 100 + unit / 100 * (length + exact(prev, depot))

    inf = float("inf")
    full = (1 << len(custs)) - 1
    # route[v][mask]: cheapest route of vehicle v over the customers in mask
    vehicles = list(range(1, n_veh + 1))
    route = {}
    for v in vehicles:
        cap = sec["CAPACITY_SECTION"][v][0] if "CAPACITY_SECTION" in sec else int(inst["CAPACITY"])
        best = [inf] * (full + 1)
        for mask in range(1, full + 1):
            members = [custs[i] for i in range(len(custs)) if mask >> i & 1]
            if sum(demand[c][0] for c in members) > cap:
                continue
            for order in itertools.permutations(members):
                cost = vrptw_route(order) if kind == "VRPTW" else hf_cost(order, v)
                if cost is not None and cost < best[mask]:
                    best[mask] = cost
        route[v] = best
    # f[mask]: cheapest cover of mask with the vehicles seen so far
    f = [inf] * (full + 1)
    f[0] = 0
    for v in vehicles:
        g = f[:]
        for mask in range(1, full + 1):
            sub = mask
            while sub:
                if f[mask ^ sub] + route[v][sub] < g[mask]:
                    g[mask] = f[mask ^ sub] + route[v][sub]
                sub = (sub - 1) & mask
        f = g
    if f[full] == inf:
        sys.exit("vrplib_optimum: infeasible")
    print("%.1f" % (f[full] / 10) if kind == "VRPTW" else "%.2f" % f[full])


if __name__ == "__main__":
    main()
