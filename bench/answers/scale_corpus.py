#!/usr/bin/python3
"""A 100,000-document collection for measuring /similar at scale, made as honestly as the shared data allows: every
distinct real text first (ticket subject+body, ticket answers, CLINC150, Bitext, UMSAB tweets), then, to reach the
target, documents recombined from 3-8 real ticket sentences under a real subject (ids `mix-*`). Also 200 query
tickets: the longest ticket texts (bodies that fill the encoder's 128 tokens).

    /usr/bin/python3 bench/answers/scale_corpus.py [--target 100000] [--out /tmp/i-answerbench/scale]

Writes OUT/corpus.jsonl (id, subject, body) in a seeded random order, so any prefix is a mix of all sources, and
OUT/queries.jsonl. Needs ../shared/data (read-only); nothing is written to the repository.
"""
import argparse, csv, glob, json, os, random, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n+")


def norm(text):
    return " ".join(text.lower().split())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", type=int, default=100_000)
    parser.add_argument("--out", default="/tmp/i-answerbench/scale")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    seen, docs, subjects, sentences, tickets = set(), [], [], [], []

    def add(source, subject, body):
        key = norm(f"{subject}\n{body}")
        if key and key not in seen:
            seen.add(key)
            docs.append({"id": f"{source}-{len(docs)}", "subject": subject, "body": body})

    for path in sorted(glob.glob(os.path.join(DATA, "tickets", "*.csv"))):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                subject, body = row.get("subject", "").strip(), row.get("body", "").replace("\\n", "\n").strip()
                answer = row.get("answer", "").replace("\\n", "\n").strip()
                add("ticket", subject, body)
                tickets.append((subject, body))
                if subject:
                    subjects.append(subject)
                for text in (body, answer):
                    sentences.extend(s.strip() for s in SPLIT.split(text) if len(s.strip()) > 20)
                if answer:
                    add("answer", "", answer)
    with open(os.path.join(DATA, "intent", "clinc150", "data_full.json")) as f:
        for rows in json.load(f).values():
            for text, _ in rows:
                add("clinc", "", text)
    for name in ("train.csv", "dev.csv", "test.csv"):
        with open(os.path.join(DATA, "intent", "bitext", name), newline="") as f:
            for row in csv.DictReader(f):
                add("bitext", "", row["utterance"])
    for path in sorted(glob.glob(os.path.join(DATA, "sentiment", "umsab", "*", "*_text.txt"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                add("umsab", "", line.strip())
    real = len(docs)
    random.seed(args.seed)
    sentences = sorted(set(sentences))
    while len(docs) < args.target:
        body = " ".join(random.sample(sentences, random.randint(3, 8)))
        before = len(docs)
        add("mix", random.choice(subjects), body)
        if len(docs) > before:
            docs[-1]["id"] = f"mix-{before}"
    docs = docs[:args.target]
    random.shuffle(docs)
    with open(os.path.join(args.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    longest = sorted({t for t in tickets if t[1]}, key=lambda t: -len(t[1]))[:200]
    with open(os.path.join(args.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for subject, body in longest:
            f.write(json.dumps({"subject": subject, "body": body}, ensure_ascii=False) + "\n")
    chars = sum(len(d["subject"]) + len(d["body"]) for d in docs)
    print(json.dumps({"documents": len(docs), "real": min(real, len(docs)), "recombined": max(0, len(docs) - real),
                      "distinct_sentences": len(sentences), "mean_chars": chars / len(docs)}))


if __name__ == "__main__":
    main()
