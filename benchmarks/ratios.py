#!/usr/bin/env python3
"""Turns a JMH JSON result into the ratios BENCHMARKS.md records.

Convention: in each benchmark class, methods named peer* run the competitor, limit* a ceiling
(bare JCE, plain file copy) and every other method runs our code. For each of ours and each peer
or limit with the same parameters, it prints ours/peer as a speed ratio (> 1 means we are faster,
whether the mode is throughput or time per operation), and the allocation per operation when the
run used -prof gc.
"""
import json
import sys


def speed(result):
    score = result["primaryMetric"]["score"]
    # throughput: higher is better; average/sample time: lower is better
    return score if result["mode"] == "thrpt" else 1.0 / score


def alloc(result):
    metric = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if metric is None else metric["score"]


def main(path):
    with open(path) as f:
        results = json.load(f)
    groups = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 1)
        key = (cls.rsplit(".", 1)[-1], r["mode"], tuple(sorted(r.get("params", {}).items())))
        groups.setdefault(key, []).append((method, r))

    print("| benchmark | params | mode | score | unit | alloc B/op |")
    print("|---|---|---|---|---|---|")
    for (cls, mode, params), members in sorted(groups.items()):
        for method, r in members:
            p = ", ".join(f"{k}={v}" for k, v in params)
            a = alloc(r)
            pm = r["primaryMetric"]
            print(f"| {cls}.{method} | {p} | {mode} | {pm['score']:.4g} ± {pm['scoreError']:.2g} | "
                  f"{pm['scoreUnit']} | {'' if a is None else f'{a:.0f}'} |")

    print()
    print("| ours | versus | params | ratio (speed, ours/theirs) |")
    print("|---|---|---|---|")
    for (cls, mode, params), members in sorted(groups.items()):
        ours = [(m, r) for m, r in members if not m.startswith(("peer", "limit"))]
        others = [(m, r) for m, r in members if m.startswith(("peer", "limit"))]
        p = ", ".join(f"{k}={v}" for k, v in params)
        for om, orr in ours:
            for pm, pr in others:
                print(f"| {cls}.{om} | {pm} | {p} | {speed(orr) / speed(pr):.2f}x |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: ratios.py <jmh-result.json>")
    main(sys.argv[1])
