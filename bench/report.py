#!/usr/bin/env python3
"""Summarise the benchmark samples written by bench/run.sh.

    report.py SAMPLES CHECKS OUT_JSON [KEY=VALUE ...]

SAMPLES: tab-separated lines  tool scenario n rep seconds rss_kb cpu_seconds
CHECKS:  tab-separated lines  name n ok(0/1) detail
KEY=VALUE pairs go into the JSON "meta" object as they are.

Prints a table (median wall time, its spread, median client CPU time, peak RSS, ratio to the psql
floor of the same scenario, milliseconds for no-op runs, rows per second for the loadData
scenario), then whether the goals hold: migrator cold <= 1.3 x psql cold for every N, migrator
no-op on N=1000 under 100 ms, migrator loadData faster than Liquibase's. Writes the same to
OUT_JSON. Exit status 0 even when a goal is missed: the numbers come from a shared, noisy
machine and are informative only.
Standard library only.
"""
import json
import statistics
import sys
import time

COLD_RATIO_LIMIT = 1.3
NOOP_LIMIT_S = 0.100
NOOP_GOAL_N = 1000
TOOL_ORDER = {"psql": 0, "migrator": 1, "liquibase": 2}
SCEN_ORDER = {"cold": 0, "no-op": 1, "load": 2}


def read_tsv(path, ncols):
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line:
                    rows.append(line.split("\t", ncols - 1))
    except FileNotFoundError:
        pass
    return rows


def main(argv):
    if len(argv) < 4:
        sys.stderr.write("usage: report.py SAMPLES CHECKS OUT_JSON [KEY=VALUE ...]\n")
        return 2
    samples_path, checks_path, out_path = argv[1:4]
    meta = {}
    for kv in argv[4:]:
        k, _, v = kv.partition("=")
        meta[k] = v
    meta.setdefault("finished_at", time.strftime("%Y-%m-%dT%H:%M:%S%z"))

    groups = {}
    for tool, scen, n, rep, secs, rss, cpu in read_tsv(samples_path, 7):
        g = groups.setdefault((tool, scen, int(n)), {"s": [], "rss": [], "cpu": []})
        g["s"].append(float(secs))
        g["rss"].append(int(rss))
        g["cpu"].append(float(cpu))

    # the floor of a scenario: psql running the same work (for "load": \copy)
    psql_ref = {(s, n): statistics.median(g["s"]) for (t, s, n), g in groups.items()
                if t == "psql" and s in ("cold", "load")}
    results = []
    for key in sorted(groups, key=lambda k: (k[2], TOOL_ORDER.get(k[0], 9), SCEN_ORDER.get(k[1], 9))):
        tool, scen, n = key
        g = groups[key]
        med = statistics.median(g["s"])
        r = {
            "tool": tool, "scenario": scen, "n": n, "runs": len(g["s"]),
            "median_s": round(med, 4), "min_s": round(min(g["s"]), 4),
            "max_s": round(max(g["s"]), 4),
            "samples_s": [round(x, 4) for x in g["s"]],
            "peak_rss_mb": round(max(g["rss"]) / 1024.0, 1),
            "median_client_cpu_s": round(statistics.median(g["cpu"]), 3),
            "ratio_to_psql_cold": None, "median_ms": None, "rows_per_s": None,
        }
        if psql_ref.get((scen, n)):
            r["ratio_to_psql_cold"] = round(med / psql_ref[(scen, n)], 3)
        if scen == "load":
            r["rows_per_s"] = round(n / med) if med > 0 else None
        if scen == "no-op":
            r["median_ms"] = round(med * 1000.0, 1)
        results.append(r)

    # the table
    head = ["tool", "scenario", "N", "runs", "median s", "min-max s", "client CPU s", "peak RSS MB",
            "x psql", "no-op ms", "rows/s"]
    rows = []
    for r in results:
        rows.append([r["tool"], r["scenario"], str(r["n"]), str(r["runs"]),
                     "%.3f" % r["median_s"], "%.3f-%.3f" % (r["min_s"], r["max_s"]),
                     "%.2f" % r["median_client_cpu_s"],
                     "%.1f" % r["peak_rss_mb"],
                     "%.2f" % r["ratio_to_psql_cold"] if r["ratio_to_psql_cold"] is not None else "-",
                     "%.0f" % r["median_ms"] if r["median_ms"] is not None else "-",
                     "%d" % r["rows_per_s"] if r["rows_per_s"] is not None else "-"])
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    fmt = "  ".join("%%-%ds" % w if i < 2 else "%%%ds" % w for i, w in enumerate(widths))
    print(fmt % tuple(head))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(fmt % tuple(row))

    # the goals
    goals = []
    for r in results:
        if r["tool"] == "migrator" and r["scenario"] == "cold" and r["ratio_to_psql_cold"] is not None:
            goals.append({"goal": "migrator cold <= %.1f x psql" % COLD_RATIO_LIMIT, "n": r["n"],
                          "value": r["ratio_to_psql_cold"], "limit": COLD_RATIO_LIMIT,
                          "unit": "x psql", "met": r["ratio_to_psql_cold"] <= COLD_RATIO_LIMIT})
    noop = [r for r in results if r["tool"] == "migrator" and r["scenario"] == "no-op"
            and r["n"] == NOOP_GOAL_N]
    if noop:
        goals.append({"goal": "migrator no-op on N=%d < %d ms" % (NOOP_GOAL_N, NOOP_LIMIT_S * 1000),
                      "n": NOOP_GOAL_N, "value": noop[0]["median_ms"],
                      "limit": NOOP_LIMIT_S * 1000, "unit": "ms",
                      "met": noop[0]["median_s"] < NOOP_LIMIT_S})
    loads = {r["tool"]: r for r in results if r["scenario"] == "load"}
    if "migrator" in loads and "liquibase" in loads:
        m, l = loads["migrator"], loads["liquibase"]
        goals.append({"goal": "migrator loadData faster than Liquibase", "n": m["n"],
                      "value": round(l["median_s"] / m["median_s"], 2), "limit": 1.0,
                      "unit": "x Liquibase's rows/s", "met": m["median_s"] < l["median_s"]})
    print()
    print("Goals (medians; informative only, never asserted):")
    if not goals:
        print("  none measured (needs psql and migrator, and N=%d for the no-op goal)" % NOOP_GOAL_N)
    for g in goals:
        print("  %-4s %s (N=%d): %s %s" % ("MET" if g["met"] else "MISS", g["goal"], g["n"],
                                        g["value"], g["unit"]))
    if not noop:
        print("  -    migrator no-op on N=%d: not measured" % NOOP_GOAL_N)

    checks = []
    for name, n, ok, detail in read_tsv(checks_path, 4):
        checks.append({"check": name, "n": int(n), "ok": ok == "1", "detail": detail})
    if checks:
        print()
        print("Checks (first repetition):")
        for c in checks:
            print("  %-4s %s (N=%d)%s" % ("ok" if c["ok"] else "DIFF", c["check"], c["n"],
                                         ": " + c["detail"] if c["detail"] else ""))

    doc = {"meta": meta, "results": results, "goals": goals, "checks": checks}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print()
    print("JSON written to %s" % out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
