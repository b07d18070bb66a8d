#!/usr/bin/env python3
"""UMSAB sentiment, 8 languages: otai vs fastText vs the linear peers of bench/peers.py, one run, same rows.

Benchmark driver only (never part of the product). Every method trains ONE multilingual model on all eight
train_text/train_labels files (8 x 1,839 tweets; the default model's sentiment head is trained the same way) and is
scored on each language's val_* file (324 tweets): macro-F1 per language and over all val rows. Tuning rows: a fixed
10% of the training rows (every 10th row), used by otai for early stopping, calibration and its per-head choice of
network/linear path, and by the peers to pick C (macro-F1); no method sees val_*. The published XLM-T figure is on the
test split, which is not in ../shared (reference only).

Usage: /usr/bin/python3 bench/sentiment_umsab.py [--work /tmp/otai-umsab] [--otai PATH] [--variants ngrams,hybrid]
                                                 [--methods fasttext,peers,otai]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import peers

LANGS = ["arabic", "english", "french", "german", "hindi", "italian", "portuguese", "spanish"]
LABELS = {"0": "negative", "1": "neutral", "2": "positive"}
FASTTEXT_ARGS = ["-wordNgrams", "2", "-minn", "2", "-maxn", "5", "-epoch", "25", "-lr", "0.5", "-dim", "100", "-thread", "2"]
VARIANT_FLAGS = {"ngrams": [], "hybrid": ["--encoder", "minilm", "--features", "hybrid"],
                 "hybrid-sum": ["--encoder", "minilm", "--features", "hybrid", "--linear", "sum"],
                 "ngrams-net": ["--linear", "off"]}
log = peers.log


def load(root, split):
    rows = []
    for lang in LANGS:
        d = os.path.join(root, lang)
        with open(os.path.join(d, f"{split}_text.txt"), encoding="utf-8") as t, open(os.path.join(d, f"{split}_labels.txt")) as l:
            rows += [(text.rstrip("\n"), LABELS[label.strip()], lang) for text, label in zip(t, l)]
    return rows


def macro_f1(truth, pred):
    f1s = []
    for label in sorted(set(truth) | set(pred)):
        tp = sum(t == label and p == label for t, p in zip(truth, pred))
        fp = sum(t != label and p == label for t, p in zip(truth, pred))
        fn = sum(t == label and p != label for t, p in zip(truth, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def fasttext(work, train, val):
    norm = lambda s: " ".join(s.replace("\n", " ").lower().split())
    path = os.path.join(work, "ft.train")
    with open(path, "w", encoding="utf-8") as f:
        for text, label, _ in train:
            f.write(f"__label__{label} {norm(text)}\n")
    started = time.perf_counter()
    subprocess.run(["fasttext", "supervised", "-input", path, "-output", os.path.join(work, "ft"), *FASTTEXT_ARGS], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    with open(os.path.join(work, "ft.val"), "w", encoding="utf-8") as f:
        for text, _, _ in val:
            f.write(norm(text) + "\n")
    out = subprocess.run(["fasttext", "predict", os.path.join(work, "ft.bin"), os.path.join(work, "ft.val")], check=True,
                         capture_output=True, text=True).stdout.split("\n")
    return [line[len("__label__"):] for line in out[:len(val)]], seconds


def otai(work, exe, variant, train, tune, val, seed, trainer=None, tag=""):
    def jsonl(path, rows):
        with open(path, "w", encoding="utf-8") as f:
            for i, (text, label, _) in enumerate(rows):
                f.write(json.dumps({"id": str(i), "subject": "", "body": text, "sentiment": label}, ensure_ascii=False) + "\n")
    jsonl(os.path.join(work, "otai.train.jsonl"), train)
    jsonl(os.path.join(work, "otai.tune.jsonl"), tune)
    jsonl(os.path.join(work, "otai.val.jsonl"), val)
    source = {"path": os.path.join(work, "otai.train.jsonl"), "text": ["subject", "body"], "labels": {"sentiment": "sentiment"}}
    recipe = {"name": "umsab", "seed": seed, "deduplicate": False, "heads": {"sentiment": "single"}, "sources": [source],
              "validation": [{**source, "path": os.path.join(work, "otai.tune.jsonl")}], "trainer": {"testFraction": 0.0, **(trainer or {})}}
    with open(os.path.join(work, "otai.recipe.json"), "w") as f:
        json.dump(recipe, f)
    model = os.path.join(work, f"otai-{variant}{tag}")
    started = time.perf_counter()
    with open(model + ".train.log", "w") as logf:
        subprocess.run([exe, "train", "--recipe", os.path.join(work, "otai.recipe.json"), "--out", model, *VARIANT_FLAGS[variant]],
                       check=True, stdout=logf, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    out = os.path.join(work, f"otai-{variant}{tag}.val.pred.jsonl")
    subprocess.run([exe, "predict", "--model", model, "--input", os.path.join(work, "otai.val.jsonl"), "--id", "id", "--output", out],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    by_id = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            by_id[int(o["id"])] = o["predictions"]["sentiment"]
    with open(os.path.join(model, "model.json")) as f:
        path = json.load(f)["heads"][0].get("path") or "network"
    return [by_id[i] for i in range(len(val))], seconds, path


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "sentiment", "umsab"))
    ap.add_argument("--work", default="/tmp/otai-umsab")
    ap.add_argument("--otai", default=os.path.join(root, "src", "OpenTicketAI.Cli", "bin", "Release", "net10.0", "otai"))
    ap.add_argument("--variants", default="ngrams,hybrid")
    ap.add_argument("--methods", default="fasttext,peers,otai")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--trainer", action="append", default=[], help="recipe 'trainer' overrides as JSON for an extra otai run each, e.g. '{\"classWeightExponent\": 1}'")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    methods = args.methods.split(",")
    all_train, val = load(args.data, "train"), load(args.data, "val")
    tune = all_train[9::10]
    train = [r for i, r in enumerate(all_train) if i % 10 != 9]
    log(f"train {len(train)}, tuning {len(tune)}, val {len(val)}; load average {os.getloadavg()}")
    results = []  # (method, predictions on val, training seconds, note)
    if "fasttext" in methods and shutil.which("fasttext"):
        # fastText has no tuning step here: it trains on the same rows and ignores the tuning rows.
        pred, seconds = fasttext(args.work, train, val)
        results.append(("fastText CLI", pred, seconds, ""))
    if "peers" in methods:
        texts = lambda rows: [t for t, _, _ in rows]
        pairs = lambda rows: [("", t) for t, _, _ in rows]
        features, fitted = peers.fit_all(texts(train), pairs(train), [l for _, l, _ in train], texts(tune), pairs(tune),
                                         [l for _, l, _ in tune], score=macro_f1)
        val_blocks = features.blocks(texts(val), pairs(val))
        for name, model in fitted.items():
            results.append((name, model.predict(val_blocks)[0], model.fit_s, f"C {model.c:g}"))
    if "otai" in methods:
        for variant in args.variants.split(","):
            pred, seconds, path = otai(args.work, args.otai, variant, train, tune, val, args.seed)
            results.append((f"otai {variant}", pred, seconds, f"head path: {path}"))
            for n, override in enumerate(args.trainer):
                pred, seconds, path = otai(args.work, args.otai, variant, train, tune, val, args.seed, json.loads(override), f"-t{n}")
                results.append((f"otai {variant} {override}", pred, seconds, f"head path: {path}"))
    log(f"load average at end {os.getloadavg()}")

    print(f"### UMSAB sentiment, val macro-F1 per language (train {len(train)}, tuning {len(tune)}, val {len(val)})\n")
    print("| method | " + " | ".join(LANGS) + " | all | training (s) | notes |")
    print("|---" * (len(LANGS) + 4) + "|")
    for name, pred, seconds, note in results:
        cells = []
        for lang in LANGS:
            idx = [i for i, r in enumerate(val) if r[2] == lang]
            cells.append(f"{macro_f1([val[i][1] for i in idx], [pred[i] for i in idx]):.3f}")
        print(f"| {name} | " + " | ".join(cells) + f" | {macro_f1([r[1] for r in val], pred):.3f} | {seconds:.1f} | {note} |")


if __name__ == "__main__":
    main()
