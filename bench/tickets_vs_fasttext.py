#!/usr/bin/env python3
"""Side-by-side benchmark: otai vs the fastText CLI vs the linear peers of bench/peers.py on the same de-duplicated,
stratified ticket split.

Benchmark driver only (never part of the product). Needs: the otai CLI built (dotnet build -c Release), Debian's
`fasttext`, and for the peers Debian's python3-sklearn (run with /usr/bin/python3).
Tuning rows: every 10th training row is held out of training for every method: otai gets them as its validation rows
(early stopping, calibration, the per-head network/linear choice), the peers pick C on them (accuracy), fastText
ignores them. The test split is never seen before scoring.
Usage: /usr/bin/python3 bench/tickets_vs_fasttext.py [--data ../shared/data/tickets] [--work /tmp/otai-bench] [--seed 42]
       [--otai-flags="--encoder minilm"] [--peers/--no-peers] [--no-fasttext] [--reuse-otai]
Prints markdown tables (accuracy and macro-F1 per head, tags micro-F1, training time, prediction throughput).
"""
import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict

FILES = ["tickets-en-de-a.csv", "tickets-en-de-b.csv", "tickets-multilang-5lang.csv"]
HEADS = ["queue", "priority", "type"]
FASTTEXT_ARGS = ["-wordNgrams", "2", "-minn", "2", "-maxn", "5", "-epoch", "25", "-lr", "0.5", "-dim", "100", "-thread", "2"]


def load(data_dir):
    rows, seen = [], set()
    for name in FILES:
        with open(os.path.join(data_dir, name), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                key = ((r.get("subject") or "").strip(), (r.get("body") or "").strip())
                if key in seen or not (key[0] or key[1]):
                    continue
                seen.add(key)
                tags = sorted({(r[c] or "").strip() for c in r if c.startswith("tag_") and (r[c] or "").strip()})
                rows.append({"subject": key[0], "body": key[1], **{h: (r.get(h) or "").strip() for h in HEADS}, "tags": tags})
    return rows


def stratified_split(rows, seed, test_fraction=0.2):
    by_queue = defaultdict(list)
    for r in rows:
        by_queue[r["queue"]].append(r)
    rng = random.Random(seed)
    train, test = [], []
    for queue in sorted(by_queue):
        group = by_queue[queue]
        rng.shuffle(group)
        k = max(1, round(len(group) * test_fraction)) if len(group) > 1 else 0
        test += group[:k]
        train += group[k:]
    rng.shuffle(train)
    return train, test


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "subject", "body", *HEADS, "tags"])
        for i, r in enumerate(rows):
            w.writerow([i, r["subject"], r["body"], *[r[h] for h in HEADS], "|".join(r["tags"])])


def fasttext_text(r):
    text = (r["subject"] + " " + r["body"]).replace("\\n", " ").lower()
    return re.sub(r"\s+", " ", text).strip()


def label_token(label):
    return "__label__" + label.replace(" ", "_")


def macro_f1(truth, pred):
    labels = set(truth) | set(pred)
    f1s = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, pred) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, pred) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, pred) if t == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s)


def micro_f1(truth_sets, pred_sets):
    tp = sum(len(t & p) for t, p in zip(truth_sets, pred_sets))
    fp = sum(len(p - t) for t, p in zip(truth_sets, pred_sets))
    fn = sum(len(t - p) for t, p in zip(truth_sets, pred_sets))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def fit_peers(train, tune, test):
    """Per single-label head every peer of bench/peers.py (C picked on the tuning rows); for tags a one-vs-rest
    TF-IDF LogisticRegression (liblinear, C 10, score >= 0.5), scikit-learn's answer to a multi-label head."""
    import peers
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    text = lambda rows: [(r["subject"] + " " + r["body"]).replace("\\n", " ") for r in rows]
    pairs = lambda rows: [(r["subject"], r["body"]) for r in rows]
    features = peers.Features(text(train), pairs(train))
    blocks = {k: features.blocks(text(rows), pairs(rows)) for k, rows in [("train", train), ("tune", tune), ("test", test)]}
    pred = {name: {} for name in peers.PEERS}
    for head in HEADS:
        for name in peers.PEERS:
            fitted = peers.fit(name, blocks["train"], [r[head] for r in train], blocks["tune"], [r[head] for r in tune])
            pred[name][head] = fitted.predict(blocks["test"])[0]
    binarizer = MultiLabelBinarizer()
    y = binarizer.fit_transform([r["tags"] for r in train])
    ovr = OneVsRestClassifier(LogisticRegression(C=10, solver="liblinear")).fit(blocks["train"]["tfidf"], y)
    scores = ovr.predict_proba(blocks["test"]["tfidf"])
    tags = [{binarizer.classes_[k] for k in range(scores.shape[1]) if row[k] >= 0.5} for row in scores]
    return pred, {"TF-IDF + LogReg": tags}


def run(cmd, **kw):
    started = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - started


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "tickets"))
    ap.add_argument("--work", default="/tmp/otai-bench")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--throughput-copies", type=int, default=10, help="repeat the test set this often for the throughput run")
    ap.add_argument("--otai-flags", default="", help='extra `otai train` flags, written --otai-flags="--encoder minilm" (with =, as the value starts with --)')
    ap.add_argument("--fasttext", action=argparse.BooleanOptionalAction, default=True, help="also train the fastText CLI")
    ap.add_argument("--reuse-otai", action="store_true", help="score the otai model and predictions a previous run left in --work")
    ap.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True, help="also fit the scikit-learn peers")
    ap.add_argument("--otai", default=os.path.join(root, "src", "OpenTicketAI.Cli", "bin", "Release", "net10.0", "otai"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    w = lambda name: os.path.join(args.work, name)

    rows = load(args.data)
    train_all, test = stratified_split(rows, args.seed)
    tune = train_all[9::10]
    train = [r for i, r in enumerate(train_all) if i % 10 != 9]
    write_csv(w("train.csv"), train)
    write_csv(w("test.csv"), test)
    write_csv(w("throughput.csv"), test * args.throughput_copies)
    print(f"rows after de-duplication: {len(rows)}; train {len(train)}, tuning {len(tune)}, test {len(test)}; load average {os.getloadavg()}", file=sys.stderr)

    # otai: one multi-head model. Its own validation split (10%) comes out of train.csv; no extra test split.
    recipe = {
        "name": "bench", "seed": args.seed,
        "heads": {**{h: "single" for h in HEADS}, "tags": "multi"},
        "sources": [{"path": w("train.csv"), "text": ["subject", "body"], "labels": {h: h for h in HEADS}, "tags": ["tags"]}],
        "trainer": {"testFraction": 0.0},
    }
    # The tags column holds "a|b|c": split it for otai via JSONL instead of CSV.
    for name, part in [("train.jsonl", train), ("tune.jsonl", tune)]:
        with open(w(name), "w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps({"subject": r["subject"], "body": r["body"], **{h: r[h] for h in HEADS}, "tags": r["tags"]}) + "\n")
    recipe["sources"][0]["path"] = w("train.jsonl")
    recipe["validation"] = [{**recipe["sources"][0], "path": w("tune.jsonl")}]
    with open(w("recipe.json"), "w") as f:
        json.dump(recipe, f)

    otai_train = otai_throughput = otai_startup = float("nan")
    if not args.reuse_otai:
        otai_train = run([args.otai, "train", "--recipe", w("recipe.json"), "--out", w("otai-model"), *args.otai_flags.split()], stdout=subprocess.DEVNULL)
        run([args.otai, "predict", "--model", w("otai-model"), "--input", w("test.csv"), "--id", "id", "--output", w("otai-test.jsonl")], stderr=subprocess.DEVNULL)
        otai_throughput = run([args.otai, "predict", "--model", w("otai-model"), "--input", w("throughput.csv"), "--output", w("otai-throughput.jsonl")], stderr=subprocess.DEVNULL)
        write_csv(w("one.csv"), test[:1])
        otai_startup = run([args.otai, "predict", "--model", w("otai-model"), "--input", w("one.csv"), "--output", w("otai-one.jsonl")], stderr=subprocess.DEVNULL)

    # fastText: one model per head (it has no multi-head mode); tags with one-vs-all loss.
    ft_train, ft_pred = 0.0, {h: [] for h in HEADS + ["tags"]}
    with open(w("test.txt"), "w") as f:
        for r in test:
            f.write(fasttext_text(r) + "\n")
    with open(w("throughput.txt"), "w") as f:
        for r in test * args.throughput_copies:
            f.write(fasttext_text(r) + "\n")
    ft_throughput = ft_startup = 0.0
    with open(w("one.txt"), "w") as f:
        f.write(fasttext_text(test[0]) + "\n")
    for head in HEADS + ["tags"] if args.fasttext else []:
        with open(w(f"ft-{head}.train"), "w") as f:
            for r in train:
                labels = r["tags"] if head == "tags" else [r[head]]
                if labels:
                    f.write(" ".join(label_token(l) for l in labels) + " " + fasttext_text(r) + "\n")
        extra = ["-loss", "ova"] if head == "tags" else []
        ft_train += run(["fasttext", "supervised", "-input", w(f"ft-{head}.train"), "-output", w(f"ft-{head}"), *FASTTEXT_ARGS, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        predict_args = ["-1", "0.5"] if head == "tags" else ["1"]
        with open(w(f"ft-{head}.pred"), "w") as out:
            run(["fasttext", "predict", w(f"ft-{head}.bin"), w("test.txt"), *predict_args], stdout=out)
        with open(w(f"ft-{head}.throughput"), "w") as out:
            ft_throughput += run(["fasttext", "predict", w(f"ft-{head}.bin"), w("throughput.txt"), *predict_args], stdout=out)
        with open(w(f"ft-{head}.one"), "w") as out:
            ft_startup += run(["fasttext", "predict", w(f"ft-{head}.bin"), w("one.txt"), *predict_args], stdout=out)
        with open(w(f"ft-{head}.pred")) as f:
            for line in f:
                labels = [t[len("__label__"):].replace("_", " ") for t in line.split()]
                ft_pred[head].append(labels)

    peer_pred, peer_tags = (fit_peers(train, tune, test) if args.peers else ({}, {}))
    with open(w("otai-model/model.json")) as f:
        otai_manifest = json.load(f)
    otai_paths = {h["name"]: h.get("path") or "network" for h in otai_manifest["heads"]}
    print(f"otai training: {otai_manifest['training'].get('seconds')} s inside the trainer", file=sys.stderr)
    otai_pred = {}
    with open(w("otai-test.jsonl")) as f:
        for line in f:
            o = json.loads(line)
            otai_pred[int(o["id"])] = o["predictions"]
    print(f"otai flags: `{args.otai_flags or '(defaults)'}`; otai head paths: {otai_paths}\n")
    print("| head | majority | otai | fastText | " + " | ".join(peer_pred) + " |")
    print("|---|---|---|---|" + "---|" * len(peer_pred))
    for head in HEADS:
        truth = [r[head] for r in test]
        majority = Counter(r[head] for r in train).most_common(1)[0][0]
        cells = [sum(t == majority for t in truth) / len(truth)]
        o = [otai_pred[i][head] for i in range(len(test))]
        ft = [(p[0] if p else "").replace(" ", "_") for p in ft_pred[head]] or [""] * len(test)
        preds = [o, ft, *[peer_pred[name][head] for name in peer_pred]]
        norms = [truth, [t.replace(" ", "_") for t in truth]] + [truth] * len(peer_pred)
        cells = [f"{cells[0]:.3f}"] + [f"{sum(a == b for a, b in zip(p, t)) / len(t):.3f} / {macro_f1(t, p):.3f}" for p, t in zip(preds, norms)]
        print(f"| {head} (accuracy / macro-F1) | " + " | ".join(cells) + " |")
    truth_tags = [set(r["tags"]) for r in test]
    ft_tags_n = [set(x.replace(" ", "_") for x in p) for p in ft_pred["tags"]] or [set()] * len(test)
    tag_cells = [micro_f1(truth_tags, [set(otai_pred[i]["tags"]) for i in range(len(test))]),
                 micro_f1([set(x.replace(" ", "_") for x in t) for t in truth_tags], ft_tags_n)]
    tag_cells += [micro_f1(truth_tags, peer_tags[name]) if name in peer_tags else None for name in peer_pred]
    print("| tags (micro-F1) | - | " + " | ".join("-" if c is None else f"{c:.3f}" for c in tag_cells) + " |")
    n = len(test) * args.throughput_copies
    if not args.fasttext or args.reuse_otai:
        return
    print()
    print(f"| | otai (one 4-head model) | fastText (4 models) | ratio otai/fastText |")
    print(f"|---|---|---|---|")
    print(f"| training wall time (s) | {otai_train:.1f} | {ft_train:.1f} | {otai_train / ft_train:.2f} |")
    print(f"| predict {n} tickets, wall time incl. start-up (s) | {otai_throughput:.2f} | {ft_throughput:.2f} | {otai_throughput / ft_throughput:.2f} |")
    print(f"| throughput incl. start-up (tickets/s, all heads) | {n / otai_throughput:.0f} | {n / ft_throughput:.0f} | {ft_throughput / otai_throughput:.2f} |")
    print(f"| start-up: predict 1 ticket (s) | {otai_startup:.2f} | {ft_startup:.2f} | {otai_startup / ft_startup:.2f} |")
    o_steady, f_steady = n / max(otai_throughput - otai_startup, 1e-9), n / max(ft_throughput - ft_startup, 1e-9)
    print(f"| throughput without start-up (tickets/s, all heads) | {o_steady:.0f} | {f_steady:.0f} | {o_steady / f_steady:.2f} |")


if __name__ == "__main__":
    main()
