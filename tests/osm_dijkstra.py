#!/usr/bin/env python3
"""osm_dijkstra.py: shortest road paths over an OSM XML extract, for tests.

Independent of vcourier, osm2pgrouting and pgRouting: it reads the OSM XML
(.osm or .osm.gz) itself, keeps highway=* ways of the classes a profile may
use (speed > 0), walks them node by node (great-circle segment lengths),
one-way as OSM says (oneway=yes/true/1 forward, -1/reverse backward,
junction=roundabout forward unless oneway=no), and runs a plain Dijkstra.

usage:
  osm_dijkstra.py FILE SPEEDS_JSON pick N SEED [CLASS,...]
      N nodes on ways of the given classes (default: any kept class) that
      lie in the largest strongly connected part of the graph, chosen with
      SEED: "node lat lon" lines.
  osm_dijkstra.py FILE SPEEDS_JSON pairs [--no-bridges] < "from to" lines
      "from to metres seconds" (or "from to none none") for each node pair.
  osm_dijkstra.py FILE SPEEDS_JSON isolated CLASS
      a node of the largest part on a CLASS way far from every other way.
  osm_dijkstra.py FILE SPEEDS_JSON island
      a node of a small part cut off from the largest one: "node lat lon".
SPEEDS_JSON: {"residential": 30, ...} km/h; classes absent are barred.
"""
import gzip
import heapq
import json
import math
import random
import sys
import xml.etree.ElementTree as ET

R = 6371008.8


def dist_m(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R * math.asin(math.sqrt(min(1.0, h)))


def load(path, speeds, no_bridges=False):
    nodes, ways = {}, []
    f = gzip.open(path) if path.endswith(".gz") else open(path, "rb")
    for _, el in ET.iterparse(f):
        if el.tag == "node":
            nodes[el.get("id")] = (float(el.get("lat")), float(el.get("lon")))
            el.clear()
        elif el.tag == "way":
            t = {x.get("k"): x.get("v") for x in el.findall("tag")}
            cls = t.get("highway")
            if cls in speeds and speeds[cls] > 0 and not (no_bridges and t.get("bridge") not in (None, "no")):
                ow = t.get("oneway")
                d = 1 if ow in ("yes", "true", "1") else -1 if ow in ("-1", "reverse") else 0
                if t.get("junction") == "roundabout" and ow != "no" and d == 0:
                    d = 1
                ways.append(([n.get("ref") for n in el.findall("nd")], cls, d))
            el.clear()
    graph = {}
    for refs, cls, d in ways:
        mps = speeds[cls] / 3.6
        refs = [r for r in refs if r in nodes]
        for a, b in zip(refs, refs[1:]):
            m = dist_m(nodes[a], nodes[b])
            if d >= 0:
                graph.setdefault(a, []).append((b, m, m / mps, cls))
            if d <= 0:
                graph.setdefault(b, []).append((a, m, m / mps, cls))
            graph.setdefault(a, [])
            graph.setdefault(b, [])
    return nodes, graph, ways


def dijkstra(graph, src, weight):
    best = {src: 0.0}
    heap = [(0.0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > best.get(u, math.inf):
            continue
        for v, m, s, _ in graph.get(u, ()):
            nd = d + (m if weight == "m" else s)
            if nd < best.get(v, math.inf):
                best[v] = nd
                heapq.heappush(heap, (nd, v))
    return best


def largest_scc(graph):
    """Nodes reachable from and to the node reaching the most (good enough for road nets)."""
    rev = {}
    for u, es in graph.items():
        for v, *_ in es:
            rev.setdefault(v, []).append((u, 0, 0, ""))
    seen, best = set(), set()
    for u in sorted(graph):
        if u in seen or len(graph[u]) == 0:
            continue
        fwd = set(dijkstra(graph, u, "m"))
        comp = fwd & set(dijkstra(rev, u, "m"))
        seen |= comp
        if len(comp) > len(best):
            best = comp
        if len(best) > len(graph) / 2:
            break
    return best


def main():
    path, speeds, cmd = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    no_bridges = "--no-bridges" in sys.argv
    nodes, graph, ways = load(path, speeds, no_bridges)
    if cmd == "pick":
        n, seed = int(sys.argv[4]), int(sys.argv[5])
        classes = set(sys.argv[6].split(",")) if len(sys.argv) > 6 else None
        scc = largest_scc(graph)
        cand = sorted({r for refs, cls, _ in ways if classes is None or cls in classes
                       for r in refs if r in scc})
        for node in random.Random(seed).sample(cand, n):
            print(node, "%.7f" % nodes[node][0], "%.7f" % nodes[node][1])
    elif cmd == "isolated":
        # A node of the largest part on a CLASS way, as far as can be from nodes of other ways.
        cls_ = sys.argv[4]
        scc = largest_scc(graph)
        mine = sorted({r for refs, c, _ in ways if c == cls_ for r in refs if r in scc})
        other = [nodes[r] for refs, c, _ in ways if c != cls_ for r in refs]
        best = max(random.Random(1).sample(mine, min(300, len(mine))),
                   key=lambda u: min(dist_m(nodes[u], o) for o in other))
        print(best, "%.7f" % nodes[best][0], "%.7f" % nodes[best][1])
    elif cmd == "island":
        # A node with no road link at all, either way, to the largest part.
        und = {}
        for u, es in graph.items():
            for v, *_ in es:
                und.setdefault(u, set()).add(v)
                und.setdefault(v, set()).add(u)
        scc = largest_scc(graph)
        todo, linked = list(scc), set(scc)
        while todo:
            for v in und.get(todo.pop(), ()):
                if v not in linked:
                    linked.add(v)
                    todo.append(v)
        island = sorted(u for u in und if u not in linked)
        u = island[len(island) // 2]
        print(u, "%.7f" % nodes[u][0], "%.7f" % nodes[u][1])
    elif cmd == "pairs":
        cache = {}
        for line in sys.stdin:
            a, b = line.split()
            if a not in cache:
                cache[a] = (dijkstra(graph, a, "m"), dijkstra(graph, a, "s"))
            dm, ds = cache[a]
            if b in dm:
                print(a, b, "%.3f" % dm[b], "%.3f" % ds[b])
            else:
                print(a, b, "none", "none")


if __name__ == "__main__":
    main()
