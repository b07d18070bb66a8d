#!/usr/bin/python3
"""Help-desk filter fields for the /similar scale corpus (bench/answers/scale_corpus.py), so filtered queries can be
timed: each document gets a (queue, language) pair drawn from the rows of the shared 5-language ticket file (10 queues;
en 42 %, de 19 %, es 18 %, pt 12 %, fr 10 %) and a resolved-at date uniform over 2024-2025, seeded. The pairs are not
the document's own (most scale documents have none); they give filters the selectivity a real help desk's have.

    /usr/bin/python3 bench/answers/scale_labels.py --corpus /tmp/scale/corpus.jsonl --out /tmp/scale-f/corpus.jsonl
"""
import argparse, csv, datetime, json, os, random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TICKETS = os.path.join(ROOT, "..", "shared", "data", "tickets", "tickets-multilang-5lang.csv")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with open(TICKETS, newline="", encoding="utf-8") as f:
        pairs = [(row["queue"], row["language"]) for row in csv.DictReader(f)]
    random.seed(args.seed)
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    with open(args.corpus, encoding="utf-8") as source, open(args.out, "w", encoding="utf-8") as out:
        for line in source:
            doc = json.loads(line)
            doc["queue"], doc["language"] = random.choice(pairs)
            doc["date"] = (start + datetime.timedelta(seconds=random.randrange(731 * 86400))).isoformat()
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
