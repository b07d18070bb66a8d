#!/usr/bin/env python3
"""Side-by-side intent benchmark: otai vs the fastText CLI vs scikit-learn TF-IDF + LogisticRegression.

Benchmark driver only (never part of the product). Everything is trained and scored in ONE run on the same splits:

* CLINC150 (Larson et al. 2019, data_full.json): in-scope accuracy on `test` and out-of-scope recall on `oos_test`.
  - "oos-train": trained on `train` + `oos_train` (an extra class "oos"), argmax prediction.
  - "oos-threshold": trained on `train` only (150 classes); a row is out-of-scope when the top confidence is below a
    threshold t picked on `val` + `oos_val` (3,000 + 100 rows) by one of two rules, both reported:
      "t: val acc"   maximises the val accuracy over all 3,100 rows with oos as a 151st class (every row weighs the
                     same, so in-scope accuracy dominates; the operating point closest to Larson et al.'s);
      "t: balanced"  maximises (val in-scope accuracy + val oos recall) (each of the 100 oos rows weighs as much as
                     30 in-scope rows, so it buys oos recall with in-scope accuracy).
    Candidates are the distinct top confidences on val (oos when confidence < t); ties go to the smallest t.
  - "oos-train + threshold": the oos-train model with the same rules on top (oos if argmax is "oos" or confidence < t).
* Bitext customer-support intents (train/dev/test CSV, column `utterance`): accuracy and macro-F1 on `test`.

Methods: fastText CLI supervised (predict-prob), the linear peers of bench/peers.py (TF-IDF + LogReg, TF-IDF +
LinearSVC, MiniLM + LogReg, TF-IDF ⊕ MiniLM + LogReg; C chosen by in-scope accuracy on val (CLINC) / dev
(Bitext), and otai (`otai train` / `otai predict`) in the variants ngrams, minilm
(--encoder minilm --features encoder), hybrid (--encoder minilm --features hybrid), hybrid-layers (every MiniLM layer
pooled, --encoder-layers all --hidden 256), hybrid-sum (hybrid with the network's and the linear path's logits summed,
--linear sum) and hybrid-ft2 (hybrid on MiniLM with its top two layers fine-tuned first,
--fine-tune-layers 2); variants the CLI does not offer
(judged from `otai train --help`) are skipped and reported as such.

Every accuracy figure comes with the training wall time and the prediction throughput on the test file (rows/s,
including process start-up and model load: each predictor runs as its own process, sklearn too).

Usage: python3 bench/intents_benchmark.py [--work /tmp/otai-intents] [--only clinc|bitext] [--otai PATH]
                                          [--variants ngrams,minilm,hybrid,hybrid-layers,hybrid-ft2] [--methods fasttext,sklearn,otai]
Needs: the otai CLI built (dotnet build src/OpenTicketAI.Cli -c Release), Debian's `fasttext`, python3-sklearn (when
the running python lacks scikit-learn but /usr/bin/python3 has it, the script re-runs itself with /usr/bin/python3).
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter

import peers

FASTTEXT_ARGS = ["-wordNgrams", "2", "-minn", "2", "-maxn", "5", "-epoch", "25", "-lr", "0.5", "-dim", "100", "-thread", "2"]
OOS = "oos"
VARIANT_FLAGS = {
    "ngrams": [],
    "minilm": ["--encoder", "minilm", "--features", "encoder"],
    "hybrid": ["--encoder", "minilm", "--features", "hybrid"],
    # The same on the int8-quantised MiniLM (about 2.5x faster to encode).
    "hybrid-int8": ["--encoder", "minilm-int8", "--features", "hybrid"],
    # The network alone, without the wide linear path (what `otai train` did before it).
    "hybrid-net": ["--encoder", "minilm", "--features", "hybrid", "--linear", "off"],
    # The network's and the linear path's logits summed in every head (--linear auto keeps the linear path unless the
    # validation rows show the sum significantly better).
    "hybrid-sum": ["--encoder", "minilm", "--features", "hybrid", "--linear", "sum"],
    # Every MiniLM layer's states pooled (7 x 384 dimensions) into a wider hidden layer.
    "hybrid-layers": ["--encoder", "minilm", "--features", "hybrid", "--encoder-layers", "all", "--hidden", "256"],
    # MiniLM's top two layers fine-tuned on the training rows first (otai train --fine-tune-layers), then the hybrid.
    "hybrid-ft2": ["--encoder", "minilm", "--features", "hybrid", "--fine-tune-layers", "2"],
}
# Larson et al. 2019, Table 2 ("Full" data set), BERT rows: (in-scope accuracy, oos recall) in percent.
LARSON_BERT = {"oos-train": (96.9, 40.3), "oos-threshold": (96.2, 52.3)}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    started = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------------------- data

def load_clinc(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    s = {k: [(t, l) for t, l in d[k]] for k in ["train", "val", "test", "oos_train", "oos_val", "oos_test"]}
    for k in ["oos_train", "oos_val", "oos_test"]:
        s[k] = [(t, OOS) for t, _ in s[k]]
    return s


def load_bitext(directory):
    s = {}
    for split in ["train", "dev", "test"]:
        with open(os.path.join(directory, split + ".csv"), newline="", encoding="utf-8") as f:
            s[split] = [(r["utterance"], r["intent"].strip()) for r in csv.DictReader(f)]
    return s


# ------------------------------------------------------------------------------------------------------- metrics

def accuracy(truth, pred):
    return sum(t == p for t, p in zip(truth, pred)) / len(truth)


def macro_f1(truth, pred):
    labels = set(truth) | set(pred)
    tp, fp, fn = Counter(), Counter(), Counter()
    for t, p in zip(truth, pred):
        if t == p:
            tp[t] += 1
        else:
            fp[p] += 1
            fn[t] += 1
    f1s = []
    for label in labels:
        denom = 2 * tp[label] + fp[label] + fn[label]
        f1s.append(2 * tp[label] / denom if denom else 0.0)
    return sum(f1s) / len(f1s)


def oos_scores(truth, labels, confs, threshold):
    """In-scope accuracy and oos recall when a row is oos if its argmax is oos or its confidence is below threshold."""
    pred = [OOS if (l == OOS or c < threshold) else l for l, c in zip(labels, confs)]
    ins = [(t, p) for t, p in zip(truth, pred) if t != OOS]
    oos = [p for t, p in zip(truth, pred) if t == OOS]
    return sum(t == p for t, p in ins) / len(ins), sum(p == OOS for p in oos) / len(oos)


def tune_threshold(truth, labels, confs, rule):
    """The t maximising, on these (val) rows, in-scope accuracy + oos recall (rule "balanced") or the accuracy over all
    rows with oos as a class (rule "val acc"); reject when confidence < t; ties -> the smallest t."""
    n_in = sum(t != OOS for t in truth)
    n_oos = len(truth) - n_in
    if rule == "val acc":
        n_in = n_oos = 1  # maximise the count of correct rows
    items = sorted(zip(confs, truth, labels))
    in_correct = sum(1 for _, t, l in items if t != OOS and l == t)
    oos_hit = sum(1 for _, t, l in items if t == OOS and l == OOS)
    best_t, best = 0.0, in_correct / n_in + oos_hit / n_oos
    i = 0
    while i < len(items):
        c = items[i][0]
        # Threshold just above c: every row with confidence <= c is rejected.
        while i < len(items) and items[i][0] == c:
            _, t, l = items[i]
            if t != OOS and l == t:
                in_correct -= 1
            if t == OOS and l != OOS:
                oos_hit += 1
            i += 1
        score = in_correct / n_in + oos_hit / n_oos
        if score > best + 1e-12:
            # Reject conf <= c, i.e. t = the next distinct confidence (or just above c at the end).
            best = score
            best_t = items[i][0] if i < len(items) else c + 1e-9
    return best_t


# ------------------------------------------------------------------------------------------------------- methods

def norm_text(text):
    return re.sub(r"\s+", " ", text.replace("\\n", " ")).strip().lower()


class FastText:
    name = "fastText CLI"

    def __init__(self, work):
        self.work = work

    def train(self, key, rows, dev=None):
        path = os.path.join(self.work, f"ft-{key}.train")
        with open(path, "w", encoding="utf-8") as f:
            for text, label in rows:
                f.write(f"__label__{label.replace(' ', '_')} {norm_text(text)}\n")
        seconds = run(["fasttext", "supervised", "-input", path, "-output", os.path.join(self.work, f"ft-{key}"), *FASTTEXT_ARGS],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return seconds, {"model MB": os.path.getsize(os.path.join(self.work, f"ft-{key}.bin")) / 1e6}

    def predict(self, key, rows, tag):
        inp, out = os.path.join(self.work, f"ft-{key}-{tag}.txt"), os.path.join(self.work, f"ft-{key}-{tag}.pred")
        with open(inp, "w", encoding="utf-8") as f:
            for text, _ in rows:
                f.write(norm_text(text) + "\n")
        with open(out, "w") as o:
            seconds = run(["fasttext", "predict-prob", os.path.join(self.work, f"ft-{key}.bin"), inp, "1"], stdout=o)
        labels, confs = [], []
        with open(out) as f:
            for line in f:
                parts = line.split()
                labels.append(parts[0][len("__label__"):] if parts else "")
                confs.append(float(parts[1]) if len(parts) > 1 else 0.0)
        if len(labels) != len(rows):
            raise RuntimeError(f"fastText wrote {len(labels)} predictions for {len(rows)} rows ({inp})")
        return labels, confs, seconds


class Peer:
    """A linear peer of bench/peers.py; peers of one run share the TF-IDF and MiniLM blocks per data set key.
    Its prediction time is in-process (features + predict), without a process start-up."""

    shared = {}

    def __init__(self, name):
        self.name = name

    def train(self, key, rows, dev):
        texts, labels = [t for t, _ in rows], [l for _, l in rows]
        known = set(labels)
        dev_in = [(t, l) for t, l in dev if l in known]
        if key not in Peer.shared:
            features = peers.Features(texts, [("", t) for t in texts], use_minilm=True)
            Peer.shared[key] = (features, features.blocks(texts, [("", t) for t in texts]))
        features, blocks = Peer.shared[key]
        dev_blocks = features.blocks([t for t, _ in dev_in], [("", t) for t, _ in dev_in])
        started = time.perf_counter()
        self.fitted = getattr(self, "fitted", {})
        self.fitted[key] = peers.fit(self.name, blocks, labels, dev_blocks, [l for _, l in dev_in])
        return self.fitted[key].fit_s, {"C": self.fitted[key].c, "grid s": time.perf_counter() - started}

    def predict(self, key, rows, tag):
        started = time.perf_counter()
        features, _ = Peer.shared[key]
        labels, confs = self.fitted[key].predict(features.blocks([t for t, _ in rows], [("", t) for t, _ in rows]))
        return labels, confs, time.perf_counter() - started


class Otai:
    def __init__(self, work, exe, variant, seed):
        self.work, self.exe, self.variant, self.seed = work, exe, variant, seed
        self.name = f"otai {variant}"

    def _jsonl(self, path, rows):
        with open(path, "w", encoding="utf-8") as f:
            for i, (text, label) in enumerate(rows):
                f.write(json.dumps({"id": str(i), "subject": "", "body": text, "intent": label}) + "\n")

    def train(self, key, rows, dev=None):
        data = os.path.join(self.work, f"otai-{key}.train.jsonl")
        self._jsonl(data, rows)
        source = {"path": data, "text": ["subject", "body"], "labels": {"intent": "intent"}}
        recipe = {
            "name": f"intents-{key}", "seed": self.seed, "deduplicate": False,
            "heads": {"intent": "single"},
            "sources": [source],
            # No held-out test split inside otai (the benchmark's test split is separate).
            "trainer": {"testFraction": 0.0},
        }
        if dev:
            # Like the peers: every training row trains; val/dev drives early stopping, calibration and thresholds
            # (rows whose label the training file lacks, e.g. oos for clinc-thr, are left out by otai).
            dev_path = os.path.join(self.work, f"otai-{key}.dev.jsonl")
            self._jsonl(dev_path, dev)
            recipe["validation"] = [{**source, "path": dev_path}]
        recipe_path = os.path.join(self.work, f"otai-{key}-{self.variant}.recipe.json")
        with open(recipe_path, "w") as f:
            json.dump(recipe, f, indent=1)
        model = self._model(key)
        with open(model + ".train.log", "w") as logf:
            seconds = run([self.exe, "train", "--recipe", recipe_path, "--out", model, *VARIANT_FLAGS[self.variant]],
                          stdout=logf, stderr=subprocess.STDOUT)
        size = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(model) for n in ns) / 1e6
        info = {"model MB": size}
        try:
            with open(os.path.join(model, "model.json")) as f:
                training = json.load(f).get("training", {})
            info.update({k: training[k] for k in ("trainRows", "validationRows", "epochs") if k in training})
        except (OSError, ValueError):
            pass
        return seconds, info

    def _model(self, key):
        return os.path.join(self.work, f"otai-{key}-{self.variant}")

    def predict(self, key, rows, tag):
        inp, out = os.path.join(self.work, f"otai-{key}-{tag}.jsonl"), os.path.join(self.work, f"otai-{key}-{self.variant}-{tag}.pred.jsonl")
        self._jsonl(inp, rows)
        seconds = run([self.exe, "predict", "--model", self._model(key), "--input", inp, "--id", "id", "--output", out],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        by_id = {}
        with open(out, encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                by_id[int(o["id"])] = (o["predictions"]["intent"], float(o["confidence"]["intent"]))
        if len(by_id) != len(rows):
            raise RuntimeError(f"otai wrote {len(by_id)} predictions for {len(rows)} rows ({inp})")
        labels = [by_id[i][0] for i in range(len(rows))]
        confs = [by_id[i][1] for i in range(len(rows))]
        return labels, confs, seconds


def otai_variants(exe, wanted):
    """The wanted variants the CLI supports, and the skipped ones with the reason."""
    try:
        help_text = subprocess.run([exe, "train", "--help"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        return [], {v: f"otai not runnable ({e})" for v in wanted}
    has_encoder = "--encoder" in help_text and "minilm" in help_text.lower()
    features = re.search(r"--features\s+<([^>]*)>", help_text)
    modes = {m.strip().lower() for m in features.group(1).split("|")} if features else set()
    ok, skipped = [], {}
    for v in wanted:
        if v == "ngrams":
            ok.append(v)
        elif not has_encoder:
            skipped[v] = "`otai train --help` has no `--encoder minilm`"
        elif any(f.startswith("--") and f not in help_text for f in VARIANT_FLAGS[v]):
            skipped[v] = "`otai train --help` lacks " + ", ".join(f"`{f}`" for f in VARIANT_FLAGS[v] if f.startswith("--") and f not in help_text)
        elif VARIANT_FLAGS[v][VARIANT_FLAGS[v].index("--features") + 1] not in modes:
            skipped[v] = f"`otai train --help` has no `--features {VARIANT_FLAGS[v][-1]}`"
        else:
            ok.append(v)
    return ok, skipped


# ------------------------------------------------------------------------------------------------------ datasets

def bench_clinc(methods, s, results, work, settings=("thr", "oos")):
    val = s["val"] + s["oos_val"]
    test = s["test"] + s["oos_test"]
    val_truth, test_truth = [l for _, l in val], [l for _, l in test]
    for m in methods:
        for key, train_rows in [(k, r) for k, r in [("clinc-thr", s["train"]), ("clinc-oos", s["train"] + s["oos_train"])] if k[6:] in settings]:
            log(f"{m.name}: training {key} on {len(train_rows)} rows")
            try:
                train_s, info = m.train(key, train_rows, val)
                vl, vc, _ = m.predict(key, val, "val")
                tl, tc, pred_s = m.predict(key, test, "test")
                _, _, startup_s = m.predict(key, test[:1], "one")
            except Exception as e:  # keep the other methods' figures
                log(f"{m.name} {key} FAILED: {e}")
                results.append({"dataset": "clinc", "method": m.name, "setting": key, "error": str(e)})
                continue
            # Every method's labels and confidences, to compare operating points afterwards (e.g. at equal oos recall).
            slug = re.sub(r"[^a-z0-9]+", "-", m.name.lower()).strip("-")
            with open(os.path.join(work, f"scores-{slug}-{key}.json"), "w") as f:
                json.dump({"val": [vl, vc], "test": [tl, tc]}, f)
            common = {"dataset": "clinc", "method": m.name, "train_s": train_s, "rows_per_s": len(test) / pred_s,
                      "pred_s": pred_s, "startup_s": startup_s, "info": info}
            setting = "oos-threshold" if key == "clinc-thr" else "oos-train + threshold"
            if key == "clinc-oos":
                acc, rec = oos_scores(test_truth, tl, tc, 0.0)
                results.append({**common, "setting": "oos-train", "in_acc": acc, "oos_recall": rec, "threshold": None})
            for rule in ["val acc", "balanced"]:
                t = tune_threshold(val_truth, vl, vc, rule)
                acc, rec = oos_scores(test_truth, tl, tc, t)
                results.append({**common, "setting": f"{setting}, t: {rule}", "in_acc": acc, "oos_recall": rec, "threshold": t})
            for r in results[-2:]:
                log(f"  {r['method']} {r['setting']}: in-scope {r['in_acc']:.4f} oos recall {r['oos_recall']:.4f} t {r['threshold']} "
                    f"train {r['train_s']:.1f} s, {r['rows_per_s']:.0f} rows/s")


def bench_bitext(methods, s, results):
    truth = [l for _, l in s["test"]]
    for m in methods:
        log(f"{m.name}: training bitext on {len(s['train'])} rows")
        try:
            train_s, info = m.train("bitext", s["train"], s["dev"])
            labels, _, pred_s = m.predict("bitext", s["test"], "test")
            _, _, startup_s = m.predict("bitext", s["test"][:1], "one")
        except Exception as e:
            log(f"{m.name} bitext FAILED: {e}")
            results.append({"dataset": "bitext", "method": m.name, "error": str(e)})
            continue
        results.append({"dataset": "bitext", "method": m.name, "acc": accuracy(truth, labels), "macro_f1": macro_f1(truth, labels),
                        "train_s": train_s, "rows_per_s": len(truth) / pred_s, "pred_s": pred_s, "startup_s": startup_s, "info": info})
        log(f"  {results[-1]}")


# ------------------------------------------------------------------------------------------------------- report

def fmt_info(info):
    parts = []
    for k, v in (info or {}).items():
        parts.append(f"{k} {v:.1f}" if isinstance(v, float) and k != "C" else f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}")
    return ", ".join(parts)


def report(results, skipped, clinc_sizes, bitext_sizes):
    clinc = [r for r in results if r["dataset"] == "clinc"]
    if clinc:
        print(f"### CLINC150 (full): train {clinc_sizes[0]} (+{clinc_sizes[1]} oos), val {clinc_sizes[2]} (+{clinc_sizes[3]} oos), "
              f"test {clinc_sizes[4]} in-scope + {clinc_sizes[5]} oos\n")
        print("| method | setting | in-scope accuracy | oos recall | threshold (val) | training (s) | predict test rows/s incl. start-up | start-up: predict 1 row (s) | notes |")
        print("|---|---|---|---|---|---|---|---|---|")
        for setting, (a, r) in LARSON_BERT.items():
            print(f"| BERT (Larson et al. 2019, published) | {setting} | {a:.1f} | {r:.1f} | - | - | - | - | reference |")
        print("| target (issue 4) | - | ≥ 97.0 | ≥ 60.0 | - | - | - | - | |")
        for r in clinc:
            if "error" in r:
                print(f"| {r['method']} | {r['setting']} | failed | | | | | | {r['error'][:80]} |")
                continue
            t = "-" if r["threshold"] is None else f"{r['threshold']:.3f}"
            print(f"| {r['method']} | {r['setting']} | {100 * r['in_acc']:.1f} | {100 * r['oos_recall']:.1f} | {t} | "
                  f"{r['train_s']:.1f} | {r['rows_per_s']:,.0f} | {r['startup_s']:.2f} | {fmt_info(r['info'])} |")
        print()
    bitext = [r for r in results if r["dataset"] == "bitext"]
    if bitext:
        print(f"### Bitext: train {bitext_sizes[0]}, dev {bitext_sizes[1]}, test {bitext_sizes[2]}, {bitext_sizes[3]} intents\n")
        print("| method | accuracy | macro-F1 | training (s) | predict test rows/s incl. start-up | start-up: predict 1 row (s) | notes |")
        print("|---|---|---|---|---|---|---|")
        for r in bitext:
            if "error" in r:
                print(f"| {r['method']} | failed | | | | | {r['error'][:80]} |")
                continue
            print(f"| {r['method']} | {r['acc']:.4f} | {r['macro_f1']:.4f} | {r['train_s']:.1f} | {r['rows_per_s']:,.0f} | {r['startup_s']:.2f} | {fmt_info(r['info'])} |")
        print()
    for v, why in skipped.items():
        print(f"- `{v}` skipped: {why}")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/tmp/otai-intents", help="scratch directory for data files, models and predictions")
    ap.add_argument("--only", choices=["clinc", "bitext"])
    ap.add_argument("--otai", default=os.path.join(root, "src", "OpenTicketAI.Cli", "bin", "Release", "net10.0", "otai"))
    ap.add_argument("--variants", default="ngrams,minilm,hybrid,hybrid-layers,hybrid-ft2", help="otai variants: ngrams, minilm, hybrid, hybrid-layers, hybrid-ft2")
    ap.add_argument("--methods", default="fasttext,sklearn,otai", help="subset of fasttext, sklearn, otai")
    ap.add_argument("--clinc", default=os.path.join(root, "..", "shared", "data", "intent", "clinc150", "data_full.json"))
    ap.add_argument("--bitext", default=os.path.join(root, "..", "shared", "data", "intent", "bitext"))
    ap.add_argument("--clinc-settings", default="thr,oos", help="thr (train on in-scope rows, threshold on val), oos (oos as a class), or both")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", help="also write the raw results here")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

    wanted = [m.strip() for m in args.methods.split(",") if m.strip()]
    methods, skipped = [], {}
    if "fasttext" in wanted:
        if shutil.which("fasttext"):
            methods.append(FastText(args.work))
        else:
            skipped["fastText"] = "no `fasttext` on PATH"
    if "sklearn" in wanted:
        try:
            import sklearn  # noqa: F401
            methods += [Peer(name) for name in peers.PEERS]
        except ImportError:
            if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
                    and subprocess.run(["/usr/bin/python3", "-c", "import sklearn"], capture_output=True).returncode == 0:
                log(f"scikit-learn is missing in {sys.executable} but present in /usr/bin/python3 (Debian): re-running with it")
                os.execv("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__), *sys.argv[1:]])
            skipped["scikit-learn peers"] = "scikit-learn is not installed"
            log("scikit-learn is not installed: the peer rows are skipped")
    if "otai" in wanted:
        variants, skip = otai_variants(args.otai, [v.strip() for v in args.variants.split(",") if v.strip()])
        skipped.update({f"otai {v}": why for v, why in skip.items()})
        for v, why in skip.items():
            log(f"otai variant {v} skipped: {why}")
        methods += [Otai(args.work, args.otai, v, args.seed) for v in variants]

    log(f"load average at start: {os.getloadavg()}")
    results, clinc_sizes, bitext_sizes = [], None, None
    if args.only in (None, "clinc"):
        s = load_clinc(args.clinc)
        clinc_sizes = [len(s[k]) for k in ["train", "oos_train", "val", "oos_val", "test", "oos_test"]]
        bench_clinc(methods, s, results, args.work, args.clinc_settings.split(","))
    if args.only in (None, "bitext"):
        s = load_bitext(args.bitext)
        bitext_sizes = [len(s["train"]), len(s["dev"]), len(s["test"]), len({l for _, l in s["train"]})]
        bench_bitext(methods, s, results)
    log(f"load average at end: {os.getloadavg()}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": results, "skipped": skipped}, f, indent=1)
    report(results, skipped, clinc_sizes, bitext_sizes)


if __name__ == "__main__":
    main()
