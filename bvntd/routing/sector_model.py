"""The sector model: reads a complaint (description and business name) and suggests its sector code, with a
probability for each sector and the words that weighed most.

Trained by the app itself (`manage.py train_router`) from the seed set shipped in `routing/data/` plus the
agencies' own closed cases; nothing is loaded from a model hub. Features are word and character n-grams over
the diacritic-folded text ("toi mua dien thoai" and "tôi mua điện thoại" look alike to it) and words over the
NFC text (where diacritics disambiguate), feeding a multinomial logistic regression.
"""

import csv
import hashlib
import pickle
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import FeatureUnion, Pipeline

from bvntd.core.text import clean_text, fold

DATA_DIR = Path(__file__).resolve().parent / "data"
HOLDOUT_PERCENT = 20


@dataclass(frozen=True)
class Example:
    text: str
    sector: str


@dataclass(frozen=True)
class Suggestion:
    sector: str
    confidence: float
    alternatives: list[dict]
    top_terms: list[str]
    model_version: str
    flags: list[str] = field(default_factory=list)


def document(description: str, business_name: str = "") -> str:
    return clean_text(f"{business_name}. {description}" if business_name else description)


def lower_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def load_seed(directory: Path = DATA_DIR) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("seed_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                examples.append(Example(document(row["text"], row.get("business_name", "")), row["sector"]))
    return examples


def is_held_out(example: Example) -> bool:
    """A fixed fifth of the seed set, chosen by a hash of the text: never trained on, only evaluated."""
    digest = hashlib.sha256(example.text.encode()).digest()
    return digest[0] * 100 // 256 < HOLDOUT_PERCENT


def split_seed(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if not is_held_out(e)]
    held_out = [e for e in examples if is_held_out(e)]
    return train, held_out


def build_pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            ("folded_words", TfidfVectorizer(preprocessor=fold, ngram_range=(1, 2), sublinear_tf=True)),
            (
                "folded_chars",
                TfidfVectorizer(
                    preprocessor=fold, analyzer="char_wb", ngram_range=(3, 6), sublinear_tf=True, min_df=2
                ),
            ),
            ("words", TfidfVectorizer(preprocessor=lower_nfc, ngram_range=(1, 1), sublinear_tf=True)),
        ]
    )
    # C and the character n-gram range were chosen by 5-fold cross-validation on the training part only
    # (bench/routing.py reports the held-out figures; the held-out part never chose anything).
    classifier = LogisticRegression(C=100.0, max_iter=5000)
    return Pipeline([("features", features), ("classifier", classifier)])


def train(examples: Sequence[Example]) -> Pipeline:
    pipeline = build_pipeline()
    pipeline.fit([e.text for e in examples], [e.sector for e in examples])
    return pipeline


def evaluate(pipeline: Pipeline, examples: Sequence[Example]) -> dict:
    if not examples:
        return {}
    probabilities = pipeline.predict_proba([e.text for e in examples])
    classes = pipeline.classes_
    truth = np.array([e.sector for e in examples])
    ranked = np.argsort(-probabilities, axis=1)
    top1 = classes[ranked[:, 0]]
    top2_hit = [truth[i] in classes[ranked[i, :2]] for i in range(len(examples))]
    return {
        "n": len(examples),
        "accuracy": round(float(np.mean(top1 == truth)), 4),
        "top2_accuracy": round(float(np.mean(top2_hit)), 4),
        "macro_f1": round(float(f1_score(truth, top1, average="macro")), 4),
    }


def dumps(pipeline: Pipeline) -> bytes:
    return pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes) -> Pipeline:
    # Only blobs this app wrote itself (RouterModel rows made by train_router) are ever unpickled.
    return pickle.loads(blob)  # noqa: S301


def predict(pipeline: Pipeline, text: str, *, version: str, alternatives: int = 3) -> Suggestion:
    # Transform once: the probabilities and the explanation read the same vector.
    vector = features_of(pipeline.named_steps["features"], text)
    probabilities = pipeline.named_steps["classifier"].predict_proba(vector)[0]
    order = np.argsort(-probabilities)
    classes = pipeline.classes_
    best = int(order[0])
    return Suggestion(
        sector=str(classes[best]),
        confidence=round(float(probabilities[best]), 4),
        alternatives=[
            {"sector": str(classes[i]), "confidence": round(float(probabilities[i]), 4)}
            for i in order[1 : 1 + alternatives]
        ],
        top_terms=explain(pipeline, vector, best),
        model_version=version,
        flags=flags_for(text),
    )


def features_of(features: FeatureUnion, text: str):
    """`features.transform([text])` for one text, without FeatureUnion's per-call machinery (its parallel
    dispatch and output wrappers cost a fifth of a suggestion): the same vectors side by side."""
    assert features.transformer_weights is None
    return sparse.hstack(
        [vectorizer.transform([text]) for _name, vectorizer in features.transformer_list]
    ).tocsr()


def explain(pipeline: Pipeline, vector, class_index: int, limit: int = 6) -> list[str]:
    """The words (not character fragments) that pushed the text most towards the suggested sector."""
    features: FeatureUnion = pipeline.named_steps["features"]
    classifier: LogisticRegression = pipeline.named_steps["classifier"]
    weights = classifier.coef_[class_index]
    names, is_word = _feature_names(features)
    keep = is_word[vector.indices]
    indices = vector.indices[keep]
    scores = vector.data[keep] * weights[indices]
    scored = sorted(
        zip(scores.tolist(), (name.split("__", 1)[1] for name in names[indices]), strict=True), reverse=True
    )
    terms: list[str] = []
    for score, term in scored:
        if score <= 0 or len(terms) >= limit:
            break
        if fold(term) not in {fold(t) for t in terms}:
            terms.append(term)
    return terms


_NAMES_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _feature_names(features: FeatureUnion) -> tuple[np.ndarray, np.ndarray]:
    """The feature names, and which of them are words (the character fragments explain nothing)."""
    key = id(features)
    if key not in _NAMES_CACHE:
        names = features.get_feature_names_out()
        _NAMES_CACHE[key] = (names, ~np.char.startswith(names.astype(str), "folded_chars__"))
    return _NAMES_CACHE[key]


# Flags for a person to confirm, never to act on alone: simple phrases over the folded text.
FLAG_PHRASES: dict[str, tuple[str, ...]] = {
    # Law 19/2023 Art.33: defects that may harm life or health.
    "health_risk": (
        "ngo doc",
        "nhap vien",
        "cap cuu",
        "di ung",
        "noi man",
        "tieu chay",
        "non mua",
        "phat ban",
        "chay no",
        "phat no",
        "bong nang",
        "bi bong",
        "dien giat",
        "tu vong",
        "nguy hiem",
        "chet nguoi",
        "sung tay",
        "nhiem trung",
        "bien chung",
        "ngat xiu",
        "hoai tu",
    ),
    # Law 19/2023 Art.8: the seven groups of vulnerable consumers.
    "vulnerable": (
        "nguoi gia",
        "cao tuoi",
        "ong ba",
        "ba cu",
        "ong cu",
        "tre em",
        "tre so sinh",
        "con nho",
        "chau be",
        "be nha",
        "mang thai",
        "mang bau",
        "co bau",
        "khuyet tat",
        "tan tat",
        "khiem thi",
        "benh nang",
        "ung thu",
        "chay than",
        "ho ngheo",
        "can ngheo",
        "dan toc",
        "vung sau vung xa",
        "nguoi khiem",
        "70 tuoi",
        "80 tuoi",
        "75 tuoi",
        "me toi gia",
        "con toi",
        "con trai toi",
        "con gai toi",
        "em be",
        "dua tre",
        "hoc sinh",
        "thai phu",
        "sau sinh",
        "bo toi gia",
    ),
    "foreign_seller": (
        "nuoc ngoai",
        "quoc te",
        "trung quoc",
        "han quoc",
        "nhat ban",
        "thai lan",
        "ship tu",
        "van chuyen tu",
        "xuyen bien gioi",
        "hang order",
        "order tu",
        "taobao",
        "1688",
        "alibaba",
        "amazon",
        "temu",
        "shein",
        "nhap khau tu",
    ),
}


def flags_for(text: str) -> list[str]:
    # A phrase must start at a word boundary ("bi bong" is not found inside "bi bong bong").
    folded = f" {fold(text)} "
    return [flag for flag, phrases in FLAG_PHRASES.items() if any(f" {p}" in folded for p in phrases)]


def counts(examples: Iterable[Example]) -> dict[str, int]:
    result: dict[str, int] = {}
    for example in examples:
        result[example.sector] = result.get(example.sector, 0) + 1
    return dict(sorted(result.items()))
