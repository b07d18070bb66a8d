#!/usr/bin/env python3
"""CLINC150 operating points of every method a bench run scored, from the `scores-*.json` files it left behind.

Per method: in-scope accuracy with no threshold (argmax), at the threshold tuned on val ("t: val acc", the benchmark's
rule), and — a diagnostic, not an operating point anyone could pick — at the test threshold where oos recall first
reaches 60 %, i.e. in-scope accuracy at equal oos recall.

Usage: /usr/bin/python3 bench/clinc_operating_points.py WORK [thr|oos]
(WORK of `bench/intents_benchmark.py --work WORK` and of `bench/clinc_variant.py`.)
"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intents_benchmark as bench  # noqa: E402

work, setting = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "thr")
truth = {tag: [json.loads(line)["intent"] for line in open(os.path.join(work, f"otai-clinc-{setting}-{tag}.jsonl"))] for tag in ("val", "test")}
print("| method | argmax in-scope | t: val acc (in-scope / oos recall) | in-scope at test oos recall 60 (diagnostic) |")
print("|---|---|---|---|")
for path in sorted(glob.glob(os.path.join(work, f"scores-*-clinc-{setting}.json"))):
    name = os.path.basename(path)[len("scores-"):-len(f"-clinc-{setting}.json")]
    scores = json.load(open(path))
    (val_labels, val_conf), (test_labels, test_conf) = scores["val"], scores["test"]
    argmax, _ = bench.oos_scores(truth["test"], test_labels, test_conf, 0.0)
    t = bench.tune_threshold(truth["val"], val_labels, val_conf, "val acc")
    acc, rec = bench.oos_scores(truth["test"], test_labels, test_conf, t)
    matched = next(c for c in sorted(set(test_conf)) if bench.oos_scores(truth["test"], test_labels, test_conf, c)[1] >= 0.6)
    acc60, rec60 = bench.oos_scores(truth["test"], test_labels, test_conf, matched)
    print(f"| {name} | {100 * argmax:.2f} | {100 * acc:.2f} / {100 * rec:.1f} | {100 * acc60:.2f} / {100 * rec60:.1f} |")
