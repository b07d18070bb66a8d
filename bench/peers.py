"""Linear peers shared by the benchmark scripts (benchmark code only, never part of the product).

Every peer is trained on the same rows as otai, with its C picked on the validation rows of the same run:
  TF-IDF + LogReg      word 1-2 + char_wb 2-5 TF-IDF (sublinear tf, char min_df 2), LogisticRegression (liblinear OvR)
  TF-IDF + LinearSVC   the same features, LinearSVC
  MiniLM + LogReg      the mean-pooled all-MiniLM-L6-v2 embedding (L2-normalised), multinomial LogisticRegression
  TF-IDF ⊕ MiniLM + LogReg  both feature blocks side by side, LogisticRegression (liblinear OvR)
The MiniLM embeddings come from the project's own C# encoder (bench/embed/Embed.cs, same tokenizer and 128-token window
as `otai train --encoder minilm`), cached on disk by the SHA-256 of the texts, so reruns do not encode again.
"""
import hashlib
import json
import os
import subprocess
import sys
import time

C_LR = [1.0, 10.0, 100.0]
C_SVC = [0.1, 0.3, 1.0]
C_DENSE = [1.0, 10.0, 100.0]
PEERS = ["TF-IDF + LogReg", "TF-IDF + LinearSVC", "MiniLM + LogReg", "TF-IDF ⊕ MiniLM + LogReg"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def embed(pairs, cache_dir="/tmp/otai-embed-cache", max_tokens=128):
    """MiniLM embeddings (rows x 384, float32) of (subject, body) pairs via bench/embed/Embed.cs, cached on disk."""
    import numpy as np
    os.makedirs(cache_dir, exist_ok=True)
    lines = [json.dumps([s or "", b or ""], ensure_ascii=False) for s, b in pairs]
    digest = hashlib.sha256(("\n".join(lines) + f"\n{max_tokens}").encode("utf-8")).hexdigest()[:24]
    out = os.path.join(cache_dir, digest + ".f32")
    if not os.path.exists(out):
        inp = os.path.join(cache_dir, digest + ".jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        log(f"encoding {len(pairs)} texts with MiniLM (C#) into {out}")
        started = time.perf_counter()
        subprocess.run(["dotnet", "run", os.path.join(ROOT, "bench", "embed", "Embed.cs"), "--", inp, out + ".part", str(max_tokens)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        os.replace(out + ".part", out)
        log(f"  encoded in {time.perf_counter() - started:.0f} s")
    x = np.fromfile(out, dtype=np.float32)
    return x.reshape(len(pairs), -1)


def tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion
    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True, min_df=2)),
    ])


class Fitted:
    """A fitted peer: predict(block) -> (labels, confidence scores)."""

    def __init__(self, name, model, block, c, fit_s):
        self.name, self.model, self.block, self.c, self.fit_s = name, model, block, c, fit_s

    def predict(self, blocks):
        x = blocks[self.block]
        if hasattr(self.model, "predict_proba"):
            proba = self.model.predict_proba(x)
        else:
            d = self.model.decision_function(x)
            if d.ndim == 1:  # binary LinearSVC: one column for classes_[1]
                import numpy as np
                d = np.stack([-d, d], axis=1)
            proba = d
        k = proba.argmax(axis=1)
        return [self.model.classes_[i] for i in k], [float(proba[r, i]) for r, i in enumerate(k)]


class Features:
    """TF-IDF fitted on the training texts; the MiniLM block; both side by side."""

    def __init__(self, train_texts, train_pairs, use_minilm=True):
        self.vec = tfidf()
        self.vec.fit(train_texts)
        self.use_minilm = use_minilm

    def blocks(self, texts, pairs):
        from scipy.sparse import csr_matrix, hstack
        out = {"tfidf": self.vec.transform(texts)}
        if self.use_minilm:
            out["minilm"] = embed(pairs)
            out["both"] = hstack([out["tfidf"], csr_matrix(out["minilm"])]).tocsr()
        return out


def _candidates(name):
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC
    if name == "TF-IDF + LogReg":
        return "tfidf", [(c, LogisticRegression(C=c, solver="liblinear", max_iter=1000)) for c in C_LR]
    if name == "TF-IDF + LinearSVC":
        return "tfidf", [(c, LinearSVC(C=c, max_iter=5000)) for c in C_SVC]
    if name == "MiniLM + LogReg":
        return "minilm", [(c, LogisticRegression(C=c, max_iter=2000)) for c in C_DENSE]
    return "both", [(c, LogisticRegression(C=c, solver="liblinear", max_iter=1000)) for c in C_LR]


def fit(name, train_blocks, train_y, val_blocks, val_y, score=None):
    """Fits each C on the training rows and keeps the best by `score(truth, pred)` (default accuracy) on the validation rows."""
    score = score or (lambda t, p: sum(a == b for a, b in zip(t, p)) / len(t))
    block, candidates = _candidates(name)
    best = None
    for c, model in candidates:
        started = time.perf_counter()
        model.fit(train_blocks[block], train_y)
        fit_s = time.perf_counter() - started
        fitted = Fitted(name, model, block, c, fit_s)
        s = score(val_y, fitted.predict(val_blocks)[0])
        log(f"  {name}: C={c:g} validation {s:.4f} ({fit_s:.1f} s)")
        if best is None or s > best[0] + 1e-12:
            best = (s, fitted)
    return best[1]


def fit_all(train_texts, train_pairs, train_y, val_texts, val_pairs, val_y, peers=None, score=None):
    """All peers on one split; returns (features, {name: Fitted}). Rows of val_y that are None are left out of tuning."""
    peers = peers or PEERS
    features = Features(train_texts, train_pairs, use_minilm=any("MiniLM" in p for p in peers))
    tb, vb = features.blocks(train_texts, train_pairs), features.blocks(val_texts, val_pairs)
    return features, {p: fit(p, tb, train_y, vb, val_y, score) for p in peers}
