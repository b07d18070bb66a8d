"""Does refitting on train + tuning rows (after picking C on the tuning rows) help the linear peers on the tickets split?
A check before teaching the trainer to refit. WORK is a bench/tickets_vs_fasttext.py work directory (train.jsonl,
tune.jsonl, test.csv).

    /usr/bin/python3 bench/tickets_refit_probe.py WORK
"""
import csv, json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
W=sys.argv[1]
def jl(p): return [json.loads(l) for l in open(p, encoding="utf-8")]
train, tune = jl(W+"/train.jsonl"), jl(W+"/tune.jsonl")
test = list(csv.DictReader(open(W+"/test.csv", encoding="utf-8")))
def text(rows): return [(r.get("subject") or "")+"\n"+(r.get("body") or "") for r in rows]
for head in ["queue","priority","type"]:
    vec = peers.tfidf(); Xtr = vec.fit_transform(text(train)); Xtu = vec.transform(text(tune)); Xte = vec.transform(text(test))
    ytr=[r[head] for r in train]; ytu=[r[head] for r in tune]; yte=[r[head] for r in test]
    for name, mk, grid in [("LR", lambda c: LogisticRegression(C=c, solver="liblinear", max_iter=1000), peers.C_LR), ("SVC", lambda c: LinearSVC(C=c, max_iter=5000), peers.C_SVC)]:
        best=None
        for c in grid:
            m=mk(c).fit(Xtr,ytr); s=(m.predict(Xtu)==ytu).mean()
            if best is None or s>best[0]: best=(s,c,m)
        acc=(best[2].predict(Xte)==yte).mean()
        vec2=peers.tfidf(); X2=vec2.fit_transform(text(train+tune)); m2=mk(best[1]).fit(X2, ytr+ytu); acc2=(m2.predict(vec2.transform(text(test)))==yte).mean()
        print(head, name, "C", best[1], "train-only %.4f refit %.4f" % (acc, acc2), flush=True)
