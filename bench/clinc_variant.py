#!/usr/bin/env python3
"""One otai configuration on CLINC150 (oos-train setting), scored like bench/intents_benchmark.py.

Trains `otai train` on the recipe the intents bench wrote (train + oos_train, validated on val + oos_val) with extra
trainer settings and CLI flags, predicts val and test, and prints in-scope accuracy / oos recall on test for argmax and
for the threshold tuned on val ("t: val acc").

Usage: python3 bench/clinc_variant.py NAME '{"seed": 1}' --encoder minilm --features hybrid --encoder-layers all --hidden 256
Needs: a finished `python3 bench/intents_benchmark.py --work WORK` run (its recipe and JSONL files; WORK from
$OTAI_INTENTS_WORK, default /tmp/otai-intents) and the Release CLI (or $OTAI). $OTAI_CLINC_SETTING picks the setting
the bench ran: oos (default; oos rows train as a class) or thr (in-scope rows only, oos by threshold).
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intents_benchmark as bench  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = os.environ.get("OTAI_INTENTS_WORK", "/tmp/otai-intents")
exe = os.environ.get("OTAI", os.path.join(root, "src", "OpenTicketAI.Cli", "bin", "Release", "net10.0", "otai"))
key = "clinc-" + os.environ.get("OTAI_CLINC_SETTING", "oos")
name, trainer, flags = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
out = os.path.join(work, f"variant-{name}")
recipe = json.load(open(os.path.join(work, f"otai-{key}-hybrid.recipe.json")))
recipe["trainer"].update(trainer)
recipe_path = out + ".recipe.json"
json.dump(recipe, open(recipe_path, "w"), indent=1)

start = time.time()
with open(out + ".train.log", "w") as log:
    subprocess.run([exe, "train", "--recipe", recipe_path, "--out", out, *flags], check=True, stdout=log, stderr=subprocess.STDOUT)
train_s = time.time() - start


def predict(tag):
    path = f"{out}-{tag}.pred.jsonl"
    subprocess.run([exe, "predict", "--model", out, "--input", os.path.join(work, f"otai-{key}-{tag}.jsonl"), "--id", "id", "--output", path],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = sorted((json.loads(line) for line in open(path)), key=lambda o: int(o["id"]))
    return [o["predictions"]["intent"] for o in rows], [float(o["confidence"]["intent"]) for o in rows]


truth = {tag: [json.loads(line)["intent"] for line in open(os.path.join(work, f"otai-{key}-{tag}.jsonl"))] for tag in ("val", "test")}
val_labels, val_conf = predict("val")
test_labels, test_conf = predict("test")
with open(os.path.join(work, f"scores-otai-{name}-{key}.json"), "w") as f:
    json.dump({"val": [val_labels, val_conf], "test": [test_labels, test_conf]}, f)
acc, rec = bench.oos_scores(truth["test"], test_labels, test_conf, 0.0)
t = bench.tune_threshold(truth["val"], val_labels, val_conf, "val acc")
acc_t, rec_t = bench.oos_scores(truth["test"], test_labels, test_conf, t)
print(f"{name}: argmax {100 * acc:.2f} / {100 * rec:.1f} | t {t:.3f}: {100 * acc_t:.2f} / {100 * rec_t:.1f} | training {train_s:.0f} s | {trainer} {' '.join(flags)}")
