#!/usr/bin/env python3
"""Chooses the identifier's function-word weight and temperature on the TUNING half of bench/language_id.py's rows
(the report half is never read here). Benchmark driver only.

Usage: /usr/bin/python3 bench/language_tune.py [--data ../shared/data] [--work /tmp/otai-langtune] [--fw 0,1,2] [--t 6] [--fit -1000,-3.6]
For every (weight, T) it runs `LanguageIdBench.cs otai-try:fw=W,t=T` (every row answered with its confidence), applies
the service's thresholds (und below 0.5, needsReview below 0.9) and prints per (weight, T): mean and minimum accuracy
over the served (set, language) cells, the confidently-wrong share on unserved languages (catalogs-unserved, as before;
and catalogs-unseen, the languages no method uses as a decoy; and per language), the share of answers
without needsReview that are right, and the expected calibration error (15 bins) of the answered rows.
"""
import argparse
import os
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import language_id as lid  # noqa: E402

BY_LANGUAGE = ["cs", "hu", "da", "fi", "ca", "sk", "sl", "hr", "et", "lt", "lv", "eu", "gl", "nb"]
SERVED_SETS = ["help", "help-short", "help-40", "catalogs", "catalogs-short", "umsab", "umsab-40", "tickets", "tickets-40", "subjects"]


def run(spec, sets_path, work):
    out = os.path.join(work, f"pred-{spec.replace(':', '_').replace(',', '_')}.tsv")
    subprocess.run(["dotnet", "run", "-c", "Release", "bench/language/LanguageIdBench.cs", "--", f"otai-try:{spec}", sets_path, out],
                   check=True, capture_output=True, text=True, timeout=3600)
    with open(out, encoding="utf-8") as f:
        return [(c[0], float(c[1])) for c in (line.split("\t") for line in f.read().splitlines())]


def metrics(rows, preds, low=0.5, review=0.9):
    hit, n = Counter(), Counter()
    unserved, unserved_wrong = 0, 0
    short_unserved, short_unserved_wrong = 0, 0
    by_language, by_language_wrong = Counter(), Counter()
    answered, answered_right, bins = 0, 0, [[0, 0.0, 0] for _ in range(15)]
    for r, (label, conf) in zip(rows, preds):
        if label != "und" and conf < low:
            label = "und"
        if r[0].endswith("-short") and r[0] in lid.UNSERVED_SETS:
            short_unserved += 1
            short_unserved_wrong += label != "und" and conf >= review
            continue
        if r[0] in lid.UNSERVED_SETS:
            by_language[r[5]] += 1
            by_language_wrong[r[5]] += label != "und" and conf >= review
            if r[0] == "catalogs-unserved":
                unserved += 1
                unserved_wrong += label != "und" and conf >= review
            continue
        if r[0] not in SERVED_SETS or (r[0].startswith("umsab") and r[1] == "hi"):
            continue
        n[(r[0], r[1])] += 1
        hit[(r[0], r[1])] += label == r[1]
        if label != "und":
            b = bins[min(14, int(conf * 15))]
            b[0] += 1
            b[1] += conf
            b[2] += label == r[1]
            if conf >= review:
                answered += 1
                answered_right += label == r[1]
    accs = [hit[k] / n[k] for k in n]
    total = sum(b[0] for b in bins)
    ece = sum(abs(b[1] - b[2]) for b in bins if b[0]) / total
    short = [hit[k] / n[k] for k in n if k[0] in ("help-short", "help-40", "catalogs-short", "umsab-40", "tickets-40", "subjects")]
    help_short = [hit[k] / n[k] for k in n if k[0] == "help-short"]
    help_long = [hit[k] / n[k] for k in n if k[0] in ("help", "help-40")]
    return {"mean": sum(accs) / len(accs), "min": min(accs), "mean_short": sum(short) / len(short),
            "pt_subjects": hit[("subjects", "pt")] / max(1, n[("subjects", "pt")]),
            "help_short": sum(help_short) / max(1, len(help_short)), "help_min": min(help_long, default=0),
            "unserved_conf_wrong": unserved_wrong / max(1, unserved),
            "short_unserved_conf_wrong": short_unserved_wrong / max(1, short_unserved),
            "unseen_conf_wrong": sum(by_language_wrong[l] for l in lid.UNSEEN_DIRS) / max(1, sum(by_language[l] for l in lid.UNSEEN_DIRS)),
            "by_language": " ".join(f"{l} {by_language_wrong[l] / by_language[l]:.2f}" for l in BY_LANGUAGE if by_language[l]),
            "precision_no_review": answered_right / max(1, answered), "ece": ece}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--work", default="/tmp/otai-langtune")
    ap.add_argument("--fw", default="0,1,2,3,4,6,8,12")
    ap.add_argument("--t", default="6")
    ap.add_argument("--fit", default="-3.6", help="MinMeanNgramLogProbability values, e.g. -1000,-3.6,-3.4")
    ap.add_argument("--short", default="20:5", help="ShortTextLetters:ShortTextTemperature values, e.g. 0:6,20:5,20:4")
    ap.add_argument("--unserved", default="", help="e.g. nl+tr+pl+sv+ro+id+ca: other decoy languages than the default; "
                    "several lists separated by '/' are tried one after the other")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rows = [r for r in lid.load_sets(a.data) + lid.load_catalogs() + lid.load_help(a.work) if lid.half_of(r[4]) == "tune"]
    sets_path = os.path.join(a.work, "sets.tsv")
    with open(sets_path, "w", encoding="utf-8") as f:
        f.write("set\tgold\tsubject\tbody\n")
        for r in rows:
            f.write("\t".join(lid.esc(x) for x in r[:4]) + "\n")
    print(f"tuning rows: {len(rows)}", file=sys.stderr)
    print("| fw | T | fit | short letters:T | mean acc | min acc | mean acc short | pt subjects | help, help-40: min | help-short: mean | unserved confidently wrong | short unserved and unseen: confidently wrong | unseen confidently wrong | right without review | ECE | confidently wrong by language |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for unserved in a.unserved.split("/"):
        for t in a.t.split(","):
            for fw, fit, short in ((fw, fit, short) for fw in a.fw.split(",") for fit in a.fit.split(",") for short in a.short.split(",")):
                spec = f"fw={fw},t={t},fit={fit},short={short}" + (f",unserved={unserved}" if unserved else "")
                m = metrics(rows, run(spec, sets_path, a.work))
                print(f"| {fw} | {t}{' ' + unserved if unserved else ''} | {fit} | {short} | {m['mean']:.4f} | {m['min']:.3f} | {m['mean_short']:.4f} | {m['pt_subjects']:.3f} | {m['help_min']:.3f} | {m['help_short']:.3f} | "
                      f"{m['unserved_conf_wrong']:.3f} | {m['short_unserved_conf_wrong']:.3f} | {m['unseen_conf_wrong']:.3f} | {m['precision_no_review']:.4f} | {m['ece']:.4f} | {m['by_language']} |", flush=True)


if __name__ == "__main__":
    main()
