#!/usr/bin/python3
"""Similar-question retrieval on CLINC150 and Bitext: index the train rows, query with the test rows, and count a hit
as right when it has the query's intent (P@1, MRR@10). Peers in the same run: TF-IDF cosine (scikit-learn, word and
char n-grams) and the collection's BM25 alone, encoder alone and tuned fusion (`otai index --tune --evaluate`).

    /usr/bin/python3 bench/retrieval_benchmark.py [--datasets clinc150 bitext] [--work /tmp/i-knowledge-bench] [--encoder minilm-int8]

--encoder is passed to `otai index` (minilm, minilm-int8 or an encoder directory); the dense row is named after it and
the indexing rate `otai index` reports is kept.

Needs ../shared/data (read-only) and a built CLI: dotnet build src/OpenTicketAI.Cli -c Release.
"""
import argparse, csv, json, os, re, subprocess, sys, time
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")
OTAI = os.path.join(ROOT, "src", "OpenTicketAI.Cli", "bin", "Release", "net10.0", "otai")


def load(name):
    if name == "clinc150":
        with open(os.path.join(DATA, "intent", "clinc150", "data_full.json")) as f:
            full = json.load(f)
        return {split: [(t, i) for t, i in full[split]] for split in ("train", "val", "test")}
    splits = {}
    for split, file in (("train", "train.csv"), ("val", "dev.csv"), ("test", "test.csv")):
        with open(os.path.join(DATA, "intent", "bitext", file), newline="") as f:
            splits[split] = [(r["utterance"], r["intent"]) for r in csv.DictReader(f)]
    return splits


def write_jsonl(path, rows, prefix):
    with open(path, "w") as f:
        for n, (text, label) in enumerate(rows):
            f.write(json.dumps({"id": f"{prefix}-{n}", "body": text, "queue": label}) + "\n")


def tfidf(splits, **kwargs):
    vectorizer = TfidfVectorizer(sublinear_tf=True, **kwargs)
    train = vectorizer.fit_transform([t for t, _ in splits["train"]])
    test = vectorizer.transform([t for t, _ in splits["test"]])
    labels = np.array([l for _, l in splits["train"]])
    p1 = mrr = 0.0
    for start in range(0, test.shape[0], 500):
        sims = (test[start:start + 500] @ train.T).toarray()
        top = np.argsort(-sims, axis=1)[:, :10]
        for row, (_, gold) in zip(top, splits["test"][start:start + 500]):
            hits = np.nonzero(labels[row] == gold)[0]
            p1 += 1.0 if len(hits) and hits[0] == 0 else 0.0
            mrr += 1.0 / (hits[0] + 1) if len(hits) else 0.0
    n = len(splits["test"])
    return {"precisionAt1": p1 / n, "mrrAt10": mrr / n}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", nargs="+", default=["clinc150", "bitext"])
    parser.add_argument("--work", default="/tmp/i-knowledge-bench")
    parser.add_argument("--encoder", default="minilm")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    results = {}
    for name in args.datasets:
        splits = load(name)
        files = {}
        for split, rows in splits.items():
            files[split] = os.path.join(args.work, f"{name}-{split}.jsonl")
            write_jsonl(files[split], rows, f"{name}-{split}")
        row = {"tfidf_word": tfidf(splits, ngram_range=(1, 2)), "tfidf_char": tfidf(splits, analyzer="char_wb", ngram_range=(2, 5))}
        started = time.time()
        dense = os.path.basename(os.path.normpath(args.encoder))
        collection = name if args.encoder == "minilm" else f"{name}-{dense}"
        out = subprocess.run([OTAI, "index", "--root", os.path.join(args.work, "collections"), "--collection", collection, "--rebuild", "--encoder", args.encoder,
                              "--encoder-languages", "all", "--data", files["train"], "--tune", "--validation", files["val"],
                              "--evaluate", files["test"]], capture_output=True, text=True, check=False)
        sys.stderr.write(out.stderr)
        if out.returncode != 0:
            sys.exit(f"otai index failed for {name} (exit {out.returncode})")
        measured = json.loads(out.stdout)
        for mode, quality in measured["modes"].items():
            row[{"lexical": "bm25", "dense": dense, "fused": "fused_tuned"}[mode]] = {"precisionAt1": quality["precisionAt1"], "mrrAt10": quality["mrrAt10"]}
        row["settings"] = measured["settings"]
        row["search_p50_ms"] = measured["searchP50Milliseconds"]
        row["seconds"] = time.time() - started
        rate = re.search(r"([\d,]+) documents/s \(([\d.]+) s\)", out.stderr)
        row["index_documents_per_second"] = float(rate.group(1).replace(",", "")) if rate else None
        results[name] = row
        print(f"\n{name}: train {len(splits['train'])}, val {len(splits['val'])}, test {len(splits['test'])}")
        print(f"| method | P@1 | MRR@10 |\n|---|---|---|")
        for method in ("tfidf_word", "tfidf_char", "bm25", dense, "fused_tuned"):
            print(f"| {method} | {row[method]['precisionAt1']:.3f} | {row[method]['mrrAt10']:.3f} |")
        print(f"fusion: {row['settings']}; /similar-path p50 {row['search_p50_ms']:.1f} ms; indexed {row['index_documents_per_second']} documents/s")
    with open(os.path.join(args.work, f"results-{os.path.basename(os.path.normpath(args.encoder))}.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
