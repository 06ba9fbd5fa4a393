"""The sector model on the held-out fifth of the seed set that training never sees, and its speed.

    OMP_NUM_THREADS=1 .venv/bin/python bench/routing.py

Trains exactly as `manage.py train_router --seed-only` does (the shipped seed set less its held-out part),
then prints one JSON line per figure: top-1 and top-2 accuracy and macro-F1 on the held-out rows, the
per-sector recall, and suggestions per second on one core (the whole suggestion: probabilities, the words
that weighed most and the flags), one text at a time as at intake. Needs no database.
"""

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bvntd.routing import sector_model


def main() -> None:
    train, held_out = sector_model.split_seed(sector_model.load_seed())
    started = time.perf_counter()
    pipeline = sector_model.train(train)
    train_seconds = time.perf_counter() - started
    metrics = sector_model.evaluate(pipeline, held_out)
    print(
        json.dumps(
            {
                "figure": "held_out_quality",
                "train_rows": len(train),
                "train_seconds": round(train_seconds, 2),
                **metrics,
                "targets": {"accuracy": 0.90, "top2_accuracy": 0.97},
            }
        )
    )
    recall = {}
    for sector in sorted({e.sector for e in held_out}):
        rows = [e for e in held_out if e.sector == sector]
        predicted = pipeline.predict([e.text for e in rows])
        recall[sector] = round(float((predicted == sector).mean()), 3)
    print(json.dumps({"figure": "held_out_recall_by_sector", **recall}))
    texts = [e.text for e in held_out] * max(1, 2000 // max(1, len(held_out)))
    started = time.perf_counter()
    for text in texts:
        sector_model.predict(pipeline, text, version="bench")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "figure": "suggestions_per_second_one_core",
                "n": len(texts),
                "per_second": round(len(texts) / seconds, 1),
                "target": 500,
            }
        )
    )


if __name__ == "__main__":
    main()
