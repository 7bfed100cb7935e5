#!/usr/bin/env python3
"""Summarise the benchmark samples written by bench/run.sh.

    report.py SAMPLES CHECKS OUT_JSON [KEY=VALUE ...]

SAMPLES: tab-separated lines  tool format scenario n rep seconds rss_kb cpu_seconds
CHECKS:  tab-separated lines  name n ok(0/1) detail
KEY=VALUE pairs go into the JSON "meta" object as they are.

Prints a table (median wall time, its spread, median client CPU time, peak RSS, ratio to the psql
floor of the same scenario, milliseconds for the quick scenarios, rows per second for the loadData
scenario), how migrator's time and memory grow with N, then which goals of issue 12 hold (GOALS
below; a goal whose size was not run says so). Writes the same to OUT_JSON. Exit status 0 even
when a goal is missed: the numbers come from a shared, noisy machine and are informative only.
Standard library only.
"""
import json
import statistics
import sys
import time

COLD_RATIO_LIMIT = 1.2      # migrator cold update / psql floor, every N
QUICK_N = 5000              # no-op, status, validate, update-sql measured at this N
QUICK_LIMIT_MS = 60.0       # no-op update, status, validate
UPDATE_SQL_LIMIT_MS = 150.0
RSS_N = 10000               # peak RSS of every command at this N
RSS_LIMIT_MB = 25.0
VERSION_LIMIT_MS = 5.0
LOAD_RATIO_LIMIT = 2.0      # loadData / psql \copy
TOOL_ORDER = {"psql": 0, "migrator": 1, "liquibase": 2}
FMT_ORDER = {"-": 0, "xml": 1, "yaml": 2, "sql": 3}
SCEN_ORDER = {"cold": 0, "no-op": 1, "status": 2, "validate": 3, "update-sql": 4, "version": 5,
              "load": 6, "load-sql": 7}
QUICK = ("no-op", "status", "validate", "update-sql", "version")


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
    for tool, fmt, scen, n, rep, secs, rss, cpu in read_tsv(samples_path, 8):
        g = groups.setdefault((tool, fmt, scen, int(n)), {"s": [], "rss": [], "cpu": []})
        g["s"].append(float(secs))
        g["rss"].append(int(rss))
        g["cpu"].append(float(cpu))

    # the floor of a scenario: psql running the same work (for "load": \copy)
    psql_ref = {(s, n): statistics.median(g["s"]) for (t, f, s, n), g in groups.items()
                if t == "psql" and s in ("cold", "load")}
    results = []
    for key in sorted(groups, key=lambda k: (k[3], TOOL_ORDER.get(k[0], 9), FMT_ORDER.get(k[1], 9),
                                             SCEN_ORDER.get(k[2], 9))):
        tool, fmt, scen, n = key
        g = groups[key]
        med = statistics.median(g["s"])
        r = {
            "tool": tool, "format": fmt, "scenario": scen, "n": n, "runs": len(g["s"]),
            "median_s": round(med, 5), "min_s": round(min(g["s"]), 5),
            "max_s": round(max(g["s"]), 5),
            "samples_s": [round(x, 5) for x in g["s"]],
            "peak_rss_mb": round(max(g["rss"]) / 1024.0, 1),
            "median_client_cpu_s": round(statistics.median(g["cpu"]), 3),
            "ratio_to_psql_cold": None, "median_ms": None, "rows_per_s": None,
        }
        ref = psql_ref.get((scen, n)) or (psql_ref.get(("load", n)) if scen == "load-sql" else None)
        if ref and scen != "load-sql":
            r["ratio_to_psql_cold"] = round(med / ref, 3)
        if scen == "load":
            r["rows_per_s"] = round(n / med) if med > 0 else None
        if scen in QUICK:
            r["median_ms"] = round(med * 1000.0, 1)
        results.append(r)

    # the table
    head = ["tool", "format", "scenario", "N", "runs", "median s", "min-max s", "client CPU s",
            "peak RSS MB", "x psql", "ms", "rows/s"]
    rows = []
    for r in results:
        rows.append([r["tool"], r["format"], r["scenario"], str(r["n"]), str(r["runs"]),
                     "%.3f" % r["median_s"], "%.3f-%.3f" % (r["min_s"], r["max_s"]),
                     "%.2f" % r["median_client_cpu_s"],
                     "%.1f" % r["peak_rss_mb"],
                     "%.2f" % r["ratio_to_psql_cold"] if r["ratio_to_psql_cold"] is not None else "-",
                     ("%.1f" if r["median_ms"] < 10 else "%.0f") % r["median_ms"]
                     if r["median_ms"] is not None else "-",
                     "%d" % r["rows_per_s"] if r["rows_per_s"] is not None else "-"])
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    fmt = "  ".join("%%-%ds" % w if i < 3 else "%%%ds" % w for i, w in enumerate(widths))
    print(fmt % tuple(head))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(fmt % tuple(row))

    # growth with N: migrator's time per changeset and peak RSS at each size
    growth = {}
    for r in results:
        if r["tool"] == "migrator" and r["scenario"] in ("cold", "no-op", "status", "validate",
                                                         "update-sql") and r["n"] > 0:
            growth.setdefault((r["format"], r["scenario"]), []).append(r)
    sizes = sorted({r["n"] for v in growth.values() for r in v})
    if len(sizes) > 1:
        print()
        print("Growth with N (migrator): median ms per 1,000 changesets / peak RSS MB")
        ghead = ["format", "scenario"] + ["N=%d" % n for n in sizes]
        grows = []
        for (f, sc), rs in sorted(growth.items(), key=lambda kv: (FMT_ORDER.get(kv[0][0], 9),
                                                                 SCEN_ORDER.get(kv[0][1], 9))):
            by_n = {r["n"]: r for r in rs}
            grows.append([f, sc] + ["%.1f / %.1f" % (by_n[n]["median_s"] * 1e6 / n, by_n[n]["peak_rss_mb"])
                                    if n in by_n else "-" for n in sizes])
        gw = [max(len(x) for x in col) for col in zip(ghead, *grows)]
        gfmt = "  ".join("%%-%ds" % w if i < 2 else "%%%ds" % w for i, w in enumerate(gw))
        print(gfmt % tuple(ghead))
        for row in grows:
            print(gfmt % tuple(row))

    # the goals (XML changelog)
    def find(scen, n=None, tool="migrator", fmt="xml"):
        for r in results:
            if r["tool"] == tool and r["scenario"] == scen and (fmt is None or r["format"] == fmt) \
                    and (n is None or r["n"] == n):
                return r
        return None

    goals = []
    missing = []

    def goal(name, n, value, limit, unit, met):
        goals.append({"goal": name, "n": n, "value": value, "limit": limit, "unit": unit, "met": met})

    colds = [r for r in results if r["tool"] == "migrator" and r["format"] == "xml"
             and r["scenario"] == "cold" and r["ratio_to_psql_cold"] is not None]
    for r in colds:
        goal("cold update <= %.1f x psql" % COLD_RATIO_LIMIT, r["n"], r["ratio_to_psql_cold"],
             COLD_RATIO_LIMIT, "x psql", r["ratio_to_psql_cold"] <= COLD_RATIO_LIMIT)
    if not colds:
        missing.append("cold update <= %.1f x psql (needs psql and migrator)" % COLD_RATIO_LIMIT)
    for scen, limit in (("no-op", QUICK_LIMIT_MS), ("status", QUICK_LIMIT_MS),
                        ("validate", QUICK_LIMIT_MS), ("update-sql", UPDATE_SQL_LIMIT_MS)):
        r = find(scen, QUICK_N)
        name = "%s with %d changesets < %d ms" % (scen, QUICK_N, limit)
        if r:
            goal(name, QUICK_N, r["median_ms"], limit, "ms", r["median_ms"] < limit)
        else:
            missing.append(name + " (BENCH_SIZES without %d)" % QUICK_N)
    big = [r for r in results if r["tool"] == "migrator" and r["n"] == RSS_N]
    name = "peak RSS of every command with %d changesets < %d MB" % (RSS_N, RSS_LIMIT_MB)
    if big:
        worst = max(big, key=lambda r: r["peak_rss_mb"])
        goal(name + " (largest: %s %s)" % (worst["format"], worst["scenario"]), RSS_N,
             worst["peak_rss_mb"], RSS_LIMIT_MB, "MB", worst["peak_rss_mb"] < RSS_LIMIT_MB)
    else:
        missing.append(name + " (BENCH_SIZES without %d)" % RSS_N)
    r = find("version", 0, fmt="-")
    if r:
        goal("migrator --version < %d ms" % VERSION_LIMIT_MS, 0, r["median_ms"], VERSION_LIMIT_MS, "ms",
             r["median_ms"] < VERSION_LIMIT_MS)
    else:
        missing.append("migrator --version < %d ms" % VERSION_LIMIT_MS)
    r = find("load")
    if r and r["ratio_to_psql_cold"] is not None:
        goal("loadData within %.0f x psql \\copy" % LOAD_RATIO_LIMIT, r["n"], r["ratio_to_psql_cold"],
             LOAD_RATIO_LIMIT, "x psql", r["ratio_to_psql_cold"] <= LOAD_RATIO_LIMIT)
        worst = max(r["peak_rss_mb"], (find("load-sql", r["n"]) or r)["peak_rss_mb"])
        goal("loadData (update and update-sql) peak RSS < %d MB" % RSS_LIMIT_MB, r["n"], worst,
             RSS_LIMIT_MB, "MB", worst < RSS_LIMIT_MB)
    else:
        missing.append("loadData within %.0f x psql \\copy (needs BENCH_LOAD_ROWS and psql)" % LOAD_RATIO_LIMIT)
    loads = {r["tool"]: r for r in results if r["scenario"] == "load"}
    if "migrator" in loads and "liquibase" in loads:
        m, l = loads["migrator"], loads["liquibase"]
        goal("loadData faster than Liquibase", m["n"], round(l["median_s"] / m["median_s"], 2), 1.0,
             "x Liquibase's rows/s", m["median_s"] < l["median_s"])
    print()
    print("Goals (medians, XML changelog; informative only, never asserted):")
    for g in goals:
        print("  %-4s %s%s: %s %s" % ("MET" if g["met"] else "MISS", g["goal"],
                                    " (N=%d)" % g["n"] if g["unit"] == "x psql" else "",
                                    g["value"], g["unit"]))
    for m in missing:
        print("  -    %s: not measured" % m)
    print("  -    round trips per changeset: 1 (one pipeline per changeset; not measured here)")

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
