#!/usr/bin/env python3
"""Language identification side by side: the service's identifier (Lingua, low/high accuracy), the default model's own
language head, and two peers trained on UMSAB train (scikit-learn char n-grams, fastText), on the same rows.

Benchmark driver only (never part of the product). Needs: .NET SDK, Debian's `fasttext`, /usr/bin/python3 with sklearn.
Usage: /usr/bin/python3 bench/language_id.py [--data ../shared/data] [--model models/default] [--work /tmp/otai-langid]
       [--methods otai,otai-nofw,...] [--sets catalogs,...] [--half all|tune|report]
Prints one markdown table: accuracy per language and set, then cost per method.

Sets (gold label in brackets):
  umsab      UMSAB val tweets [the file's language]; Hindi only where most letters are Devanagari
  umsab-hi-latin  UMSAB Hindi val tweets in Latin script (romanised Hindi) [hi] -- reported apart
  tickets    ticket rows whose language is certain: the language column agrees with a stop-word count that is
             at least 3 and twice the next language's (the column alone is wrong for ~20% of 'de' rows)
  *-40       the first 40 characters of the same rows; subjects: the subject alone (certain rows, non-empty subject)
  catalogs   clean human-written sentences: the translated messages of the gettext catalogs installed on this machine
             (/usr/share/locale/<lang>/LC_MESSAGES/*.mo but the lists of names such as iso_639; English = the catalogs'
             source strings), placeholders and
             mnemonics removed, at least 4 words and 25 characters, deduplicated; up to 1,000 per language, seeded
  catalogs-short  the catalogs' messages of 2+ words and at most 40 characters (a subject line's length)
  help       natural sentences in en de es fr it pt: GNOME's desktop help as people wrote and translated it (Debian package
             gnome-user-docs, fetched with `apt-get download` into --work and extracted there, not installed)
  help-short its whole sentences of 2+ words and at most 40 characters; help-40: the first 40 characters of 'help' rows
  catalogs-unserved  250 catalog sentences in each of 12 languages the service does not serve (nl tr pl sv ro id cs da
             fi hu ca ru; some of them the identifier's decoys) [und]; a served answer is wrong
  catalogs-unseen  the same for 9 languages no method uses as a decoy (sk sl hr et lt lv eu gl nb) [und]: whether a
             decoy list also keeps languages it does not name away from the served ones
  catalogs-unserved-short, catalogs-unseen-short  the same languages' short messages (2+ words, at most 40 characters)
Peers: sklearn-char and fasttext learn from UMSAB train; sklearn-char+clean and fasttext+clean also from the tuning half's
help and catalogs sentences (only with --half report, so that they never see a reported row).
A method scores a row only when it names the gold language; `und` counts as a miss (and is shown apart as abstained);
"confidently wrong" is a wrong language without needsReview (the peers have no review flag: every wrong answer counts).
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict

LANGS = {"english": "en", "german": "de", "spanish": "es", "french": "fr", "portuguese": "pt", "italian": "it", "arabic": "ar", "hindi": "hi"}
TICKET_FILES = ["tickets-en-de-a.csv", "tickets-en-de-b.csv", "tickets-multilang-5lang.csv", "tickets-de-it-queues.csv", "tickets-de-50-queues.csv"]
STOP = {
    "en": "the and to of is in for you your we our this that with be it on are please have can not my i will".split(),
    "de": "der die das und ist nicht ich sie wir ein eine zu mit den dem auf für bitte ihr ihre unser uns es von sich".split(),
    "es": "el la los las y es que de en por para con un una su sus nuestro nos se del al no está".split(),
    "fr": "le la les et est que de des en pour avec un une vous nous ce pas du au sur votre notre il".split(),
    "pt": "o a os as e é que de em para com um uma seu sua nosso não do da no na dos das ao você".split(),
    "it": "il lo la gli le e è che di in per con un una non del della sono siamo il vostro nostro".split(),
}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def stopword_language(text):
    words = Counter(w.lower() for w in WORD.findall(text))
    counts = sorted(((sum(words[w] for w in set(ws)), lang) for lang, ws in STOP.items()), reverse=True)
    (best, lang), (second, _) = counts[0], counts[1]
    return lang if best >= 3 and best >= 2 * second else None


def load_sets(data):
    rows = []  # (set, gold, subject, body)
    for folder, code in LANGS.items():
        with open(os.path.join(data, "sentiment/umsab", folder, "val_text.txt"), encoding="utf-8") as f:
            for line in f:
                text = line.strip()
                if not text:
                    continue
                name = "umsab"
                if code == "hi":
                    letters = [c for c in text if c.isalpha()]
                    if sum(1 for c in letters if DEVANAGARI.match(c)) * 2 < len(letters):
                        name = "umsab-hi-latin"
                rows.append((name, code, "", text, text))
                rows.append((name + "-40", code, "", text[:40], text))
    seen, kept, dropped = set(), Counter(), Counter()
    for name in TICKET_FILES:
        with open(os.path.join(data, "tickets", name), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                subject = (r.get("subject") or "").strip()
                body = (r.get("body") or "").replace("\\n", "\n").strip()
                column = (r.get("language") or "").strip().lower()
                if (subject, body) in seen or not body:
                    continue
                seen.add((subject, body))
                if stopword_language(f"{subject} {body}") != column:
                    dropped[column] += 1
                    continue
                kept[column] += 1
                source = f"{subject}\n{body}"
                rows.append(("tickets", column, subject, body, source))
                rows.append(("tickets-40", column, "", f"{subject} {body}".strip()[:40], source))
                if subject:
                    rows.append(("subjects", column, subject, "", source))
    print(f"ticket rows kept (certain) {dict(kept)}, dropped {dict(dropped)}", file=sys.stderr)
    return rows


PLACEHOLDER = re.compile(r"%(\d+\$)?[-#0 +']*\d*(\.\d+)?(hh|h|ll|l|j|z|t|L|I64)?[a-zA-Z%]|\{[^{}]*\}|\$\{?\w+\}?|<[^<>]*>|&\w+;")
NAME_LISTS = ("iso_", "xkeyboard-config", "libgweather", "tzdata", "geoclue")  # lists of names, not sentences
CATALOG_DIRS = {"en": [], "de": ["de"], "es": ["es"], "fr": ["fr"], "pt": ["pt", "pt_BR"], "it": ["it"], "ar": ["ar"], "hi": ["hi"]}
UNSERVED_DIRS = {"nl": ["nl"], "tr": ["tr"], "pl": ["pl"], "sv": ["sv"], "ro": ["ro"], "id": ["id"], "cs": ["cs"], "da": ["da"], "fi": ["fi"], "hu": ["hu"], "ca": ["ca"], "ru": ["ru"]}
# Unserved languages no method uses as a decoy (held out: what a decoy list does for languages it does not name). Last in
# the dict, so the seeded draws of every other language's rows stay as they were.
UNSEEN_DIRS = {"sk": ["sk"], "sl": ["sl"], "hr": ["hr"], "et": ["et"], "lt": ["lt"], "lv": ["lv"], "eu": ["eu"], "gl": ["gl"], "nb": ["nb"]}
UNSERVED_SETS = ("catalogs-unserved", "catalogs-unseen", "catalogs-unserved-short", "catalogs-unseen-short")


def clean_message(text):
    text = PLACEHOLDER.sub(" ", text.replace("\\n", " ")).replace("_", "").replace("&", "")
    return " ".join(text.split()).strip(" :.-")


def load_catalogs(per_language=1000, seed=13, root="/usr/share/locale"):
    """Translated messages of the installed gettext catalogs: (set, gold, text) rows for 'catalogs' and 'catalogs-short'."""
    import gettext
    import glob
    import random
    messages = {lang: set() for lang in {**CATALOG_DIRS, **UNSERVED_DIRS, **UNSEEN_DIRS}}
    sources = set()
    for lang, dirs in {**CATALOG_DIRS, **UNSERVED_DIRS, **UNSEEN_DIRS}.items():
        for d in dirs:
            for path in sorted(glob.glob(os.path.join(root, d, "LC_MESSAGES", "*.mo"))):
                if os.path.basename(path).startswith(NAME_LISTS):
                    continue
                try:
                    with open(path, "rb") as f:
                        catalog = gettext.GNUTranslations(f)._catalog
                except Exception:
                    continue
                for key, value in catalog.items():
                    source = key[0] if isinstance(key, tuple) else key
                    if not source or not value or "\x04" in source:
                        continue
                    if lang in CATALOG_DIRS:
                        sources.add(clean_message(source))
                    translated = clean_message(value)
                    if translated and translated != clean_message(source):
                        messages[lang].add(translated)
    messages["en"] = sources
    rows, rng, short_rng = [], random.Random(seed), random.Random(seed + 1)
    for lang, texts in messages.items():
        texts = sorted(t for t in texts if sum(c.isalpha() for c in t) * 2 > len(t))
        long = [t for t in texts if len(t) >= 25 and len(WORD.findall(t)) >= 4]
        short = [t for t in texts if len(t) <= 40 and len(WORD.findall(t)) >= 2]
        if lang in UNSERVED_DIRS or lang in UNSEEN_DIRS:
            # Languages the service does not serve: the right answer is `und`, never a served language.
            for text in rng.sample(long, min(per_language // 4, len(long))):
                rows.append(("catalogs-unserved" if lang in UNSERVED_DIRS else "catalogs-unseen", "und", "", text, text, lang))
            for text in short_rng.sample(short, min(per_language // 4, len(short))):
                rows.append(("catalogs-unserved-short" if lang in UNSERVED_DIRS else "catalogs-unseen-short", "und", "", text, text, lang))
            continue
        for name, pool in (("catalogs", long), ("catalogs-short", short)):
            for text in rng.sample(pool, min(per_language, len(pool))):
                rows.append((name, lang, "", text, text))
    return rows


HELP_PACKAGE = "gnome-user-docs"
HELP_DIRS = {"en": ["C"], "de": ["de"], "es": ["es"], "fr": ["fr"], "it": ["it"], "pt": ["pt", "pt_BR"]}
MALLARD = "{http://projectmallard.org/1.0/}"
HELP_CODE = {"code", "cmd", "sys", "file", "input", "output", "screen", "var", "link"}  # a paragraph holding these is not prose
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def help_paragraphs(path):
    import xml.etree.ElementTree as ET
    try:
        tree = ET.parse(path)
    except ET.ParseError:
        return []
    paragraphs = []
    for p in tree.iter(MALLARD + "p"):
        if any(e.tag.replace(MALLARD, "") in HELP_CODE for e in p.iter() if e is not p):
            continue
        text = " ".join("".join(p.itertext()).split())
        if text:
            paragraphs.append(text)
    return paragraphs


def load_help(work, per_language=1000, seed=13):
    """Sentences of GNOME's desktop help (Debian package gnome-user-docs, extracted, not installed), written by its authors
    in English and translated by people: 'help' (4+ words, 25+ characters), 'help-short' (whole sentences of 2+ words
    and at most 40 characters) and 'help-40' (the first 40 characters of the 'help' rows). No Arabic; Hindi is almost
    untranslated there, so left out. Paragraphs left in English inside a translation are dropped."""
    import glob
    import random
    root = os.path.join(work, "gnome-user-docs")
    if not os.path.isdir(os.path.join(root, "usr/share/help")):
        os.makedirs(root, exist_ok=True)
        subprocess.run(["apt-get", "download", HELP_PACKAGE], cwd=work, check=True, capture_output=True, timeout=600)
        deb = sorted(glob.glob(os.path.join(work, HELP_PACKAGE + "_*.deb")))[-1]
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True, timeout=300)
    english = set()
    for path in sorted(glob.glob(os.path.join(root, "usr/share/help/C/*/*.page"))):
        english.update(help_paragraphs(path))
    rows, rng = [], random.Random(seed)
    for lang, dirs in HELP_DIRS.items():
        sentences = set()
        for d in dirs:
            for path in sorted(glob.glob(os.path.join(root, "usr/share/help", d, "*/*.page"))):
                for paragraph in help_paragraphs(path):
                    if lang == "en" or paragraph not in english:
                        sentences.update(SENTENCE_END.split(paragraph))
        sentences = sorted(sentences)
        long = [t for t in sentences if len(t) >= 25 and len(WORD.findall(t)) >= 4]
        short = [t for t in sentences if len(t) <= 40 and len(WORD.findall(t)) >= 2]
        for text in rng.sample(long, min(per_language, len(long))):
            rows.append(("help", lang, "", text, text))
            rows.append(("help-40", lang, "", text[:40], text))
        for text in rng.sample(short, min(per_language, len(short))):
            rows.append(("help-short", lang, "", text, text))
    return rows


def half_of(source):
    import hashlib
    return "tune" if hashlib.sha256(f"langid-half|{source}".encode("utf-8")).digest()[0] % 2 == 0 else "report"


def esc(s):
    return s.replace("\t", " ").replace("\r", " ").replace("\n", "\\n")


def run_dotnet(method, sets_path, work, model):
    out = os.path.join(work, f"pred-{method}.tsv")
    cmd = ["dotnet", "run", "-c", "Release", "bench/language/LanguageIdBench.cs", "--", method, sets_path, out] + ([model] if method == "head" else [])
    result = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=3600)
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    with open(out, encoding="utf-8") as f:
        return [(c[0], c[2] == "1", float(c[1])) for c in (line.split("\t") for line in f.read().splitlines())], stats


def umsab_train(data):
    texts, labels = [], []
    for folder, code in LANGS.items():
        with open(os.path.join(data, "sentiment/umsab", folder, "train_text.txt"), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    texts.append(line.strip())
                    labels.append(code)
    return texts, labels


def text_of(row):
    return f"{row[2]}\n{row[3]}".strip()


def run_sklearn(rows, data, extra=(), name="sklearn-char"):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    texts, labels = umsab_train(data)
    texts, labels = texts + [t for t, _ in extra], labels + [l for _, l in extra]
    start = time.perf_counter()
    pipe = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2), LogisticRegression(max_iter=2000, C=10))
    pipe.fit(texts, labels)
    load = (time.perf_counter() - start) * 1000
    inputs = [text_of(r) for r in rows]
    times = []
    for t in inputs[:2000]:
        s = time.perf_counter()
        pipe.predict([t])
        times.append((time.perf_counter() - s) * 1e6)
    times.sort()
    return [(p, False) for p in pipe.predict(inputs)], {"method": name, "loadMs": round(load), "rssMb": None, "p50us": round(times[len(times) // 2]), "p95us": round(times[int(len(times) * 0.95)])}


def run_fasttext(rows, data, work, extra=(), name="fasttext"):
    texts, labels = umsab_train(data)
    texts, labels = texts + [t for t, _ in extra], labels + [l for _, l in extra]
    train = os.path.join(work, f"{name}-train.txt")
    with open(train, "w", encoding="utf-8") as f:
        for t, l in zip(texts, labels):
            f.write(f"__label__{l} {esc(t).lower()}\n")
    start = time.perf_counter()
    subprocess.run(["fasttext", "supervised", "-input", train, "-output", os.path.join(work, name), "-minn", "1", "-maxn", "4", "-dim", "50",
                    "-epoch", "25", "-lr", "0.5", "-thread", "2", "-verbose", "0"], check=True, timeout=1800)
    load = (time.perf_counter() - start) * 1000
    test = os.path.join(work, "ft-test.txt")
    with open(test, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(esc(text_of(r)).replace("\\n", " ").lower() + "\n")
    start = time.perf_counter()
    out = subprocess.run(["fasttext", "predict", os.path.join(work, name + ".bin"), test], check=True, capture_output=True, text=True, timeout=1800).stdout.splitlines()
    per = (time.perf_counter() - start) * 1e6 / len(rows)
    return [(o.replace("__label__", "").strip(), False) for o in out], {"method": name, "loadMs": round(load), "rssMb": None, "p50us": round(per), "p95us": None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--work", default="/tmp/otai-langid")
    ap.add_argument("--methods", default="lingua-low,lingua-high,lingua-low-nodecoys,head,sklearn-char,fasttext")
    ap.add_argument("--sets", default="", help="comma-separated sets to keep (default: all)")
    ap.add_argument("--half", choices=["all", "tune", "report"], default="all",
                    help="keep half of every set's rows, split by a hash of each row's source text (a tweet, a ticket, a "
                         "message: its cuts land in the same half): 'tune' to choose constants on, 'report' to report on")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rows = load_sets(a.data) + load_catalogs() + load_help(a.work)
    # The '+clean' peers also learn from the tuning half's clean sentences (help, catalogs: text whose language is certain).
    clean = [(text_of(r), r[1]) for r in rows if r[0] in ("help", "catalogs") and half_of(r[4]) == "tune"]
    if a.half != "report" and any(m.endswith("+clean") for m in a.methods.split(",")):
        sys.exit("the +clean peers learn from the tuning half: run them with --half report")
    if a.sets:
        rows = [r for r in rows if r[0] in a.sets.split(",")]
    if a.half != "all":
        rows = [r for r in rows if half_of(r[4]) == a.half]
    sets_path = os.path.join(a.work, "sets.tsv")
    with open(sets_path, "w", encoding="utf-8") as f:
        f.write("set\tgold\tsubject\tbody\n")
        for r in rows:
            f.write("\t".join(esc(x) for x in r[:4]) + "\n")
    results, costs = {}, []
    for method in a.methods.split(","):
        if method in ("sklearn-char", "sklearn-char+clean"):
            preds, stats = run_sklearn(rows, a.data, clean if method.endswith("+clean") else (), method)
        elif method in ("fasttext", "fasttext+clean"):
            preds, stats = run_fasttext(rows, a.data, a.work, clean if method.endswith("+clean") else (), method)
        else:
            preds, stats = run_dotnet(method, sets_path, a.work, a.model)
        results[method] = preds
        costs.append(stats)
        print(json.dumps(stats), file=sys.stderr)
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump({"costs": costs, "preds": results}, f)
    report(rows, results, costs)


def report(rows, results, costs):
    sets = ["help", "help-short", "help-40", "catalogs", "catalogs-short", "catalogs-unserved", "catalogs-unseen", "catalogs-unserved-short", "catalogs-unseen-short", "umsab", "umsab-40", "tickets", "tickets-40", "subjects", "umsab-hi-latin", "umsab-hi-latin-40"]
    langs = list(LANGS.values())
    n = Counter((r[0], r[1]) for r in rows)
    print("| method | set | " + " | ".join(langs) + " | min | abstained (und) | wrong language | confidently wrong |")
    print("|---|---|" + "---|" * (len(langs) + 4))
    for method, preds in results.items():
        for s in sets:
            hit, und, wrong, confident = Counter(), 0, 0, 0
            total = 0
            for r, (p, review, *_) in zip(rows, preds):
                if r[0] != s:
                    continue
                total += 1
                if p == r[1]:
                    hit[r[1]] += 1
                elif p == "und":
                    und += 1
                else:
                    wrong += 1
                    confident += not review
            if total == 0:
                continue
            cells, accs = [], []
            for l in langs:
                if n[(s, l)]:
                    acc = hit[l] / n[(s, l)]
                    accs.append(acc)
                    cells.append(f"{acc:.3f}")
                else:
                    cells.append("")
            # On unserved languages `und` is the right answer: "min" is then the share answered `und`.
            low = min(accs) if accs else sum(hit.values()) / total
            print(f"| {method} | {s} | " + " | ".join(cells) + f" | {low:.3f} | {und / total:.3f} | {wrong / total:.3f} | {confident / total:.3f} |")
    print()
    print("rows per set and language: " + "; ".join(f"{s}: " + ", ".join(f"{l} {n[(s, l)]}" for l in langs if n[(s, l)]) for s in sets))
    print()
    # Unserved languages one by one: the share answered with a served language without needsReview.
    for s in UNSERVED_SETS:
        unserved = sorted({r[5] for r in rows if r[0] == s})
        if not unserved:
            continue
        print(f"| method | {s}: confidently answered as a served language, by language | " + " | ".join(unserved) + " |")
        print("|---|---|" + "---|" * len(unserved))
        for method, preds in results.items():
            wrong, total = Counter(), Counter()
            for r, (p, review, *_) in zip(rows, preds):
                if r[0] == s:
                    total[r[5]] += 1
                    wrong[r[5]] += p != "und" and not review
            print(f"| {method} | {sum(wrong.values()) / sum(total.values()):.3f} | " + " | ".join(f"{wrong[l] / total[l]:.3f}" for l in unserved) + " |")
        print()
    # Whether the confidence means something: of the answers given without needsReview, the share that is right, and the
    # expected calibration error (15 bins) of every answered row (served gold only; `und` is no answer).
    print("| method | rows | catalogs: answered without review | right among them | ECE | other sets: answered without review | right among them | ECE |")
    print("|---|---|---|---|---|---|---|---|")
    for method, preds in results.items():
        if not preds or len(preds[0]) < 3 or not method.startswith("otai"):
            continue
        cells = []
        for group in (("catalogs", "catalogs-short"), ("umsab", "umsab-40", "tickets", "tickets-40", "subjects")):
            picked = [(r, p) for r, p in zip(rows, preds) if r[0] in group and not (r[0].startswith("umsab") and r[1] == "hi")]
            sure = [(r, p) for r, p in picked if p[0] != "und" and not p[1]]
            answered = [(r, p) for r, p in picked if p[0] != "und"]
            bins = defaultdict(lambda: [0, 0.0, 0])
            for r, p in answered:
                b = bins[min(14, int(p[2] * 15))]
                b[0] += 1
                b[1] += p[2]
                b[2] += p[0] == r[1]
            ece = sum(abs(b[1] - b[2]) for b in bins.values()) / max(1, len(answered))
            cells += [f"{len(sure) / max(1, len(picked)):.3f}", f"{sum(p[0] == r[1] for r, p in sure) / max(1, len(sure)):.4f}", f"{ece:.4f}"]
        print(f"| {method} | {sum(1 for r in rows if r[0] not in UNSERVED_SETS)} | " + " | ".join(cells) + " |")
    print()
    print("| method | load ms | RSS added (MB) | p50 µs/text | p95 µs/text |")
    print("|---|---|---|---|---|")
    for c in costs:
        print(f"| {c['method']} | {c['loadMs']} | {c['rssMb'] if c['rssMb'] is not None else 'n/a'} | {c['p50us']} | {c['p95us'] if c['p95us'] is not None else 'n/a'} |")


if __name__ == "__main__":
    main()
