#!/usr/bin/env python3
"""Usage: python3 bench/ece_floor.py MODEL/eval.json [...]  (eval.json of otai train / otai eval)."""
# Expected ECE of a PERFECTLY calibrated model with the same confidence histogram (reliability bins of eval.json):
# each bin's correct count drawn ~ Binomial(n, mean confidence); 15 equal-width bins as otai eval reports.
import json, random, sys
random.seed(1)
for path in sys.argv[1:]:
    e = json.load(open(path))
    for h in e["singleLabelHeads"]:
        bins = [(b["count"], b["meanConfidence"]) for b in h["reliabilityBins"] if b["count"]]
        n = sum(c for c, _ in bins)
        sims = []
        for _ in range(2000):
            ece = 0.0
            for c, p in bins:
                k = sum(random.random() < p for _ in range(c))
                ece += c / n * abs(k / c - p)
            sims.append(ece)
        sims.sort()
        print(f"{path.split('/')[-2]:>12} {h['head']:>10} rows {n:5d} measured ECE {h['expectedCalibrationError']:.3f}  "
              f"perfect-calibration ECE mean {sum(sims)/len(sims):.3f} 95th pct {sims[int(0.95*len(sims))]:.3f}")
