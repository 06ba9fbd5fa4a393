"""Matching the business a consumer names against the registry.

Pure: no Django. Consumers write the same business many ways: "Công ty TNHH Điện máy Xanh", "dien may xanh",
"Điện Máy Xanh Co., Ltd", with typos, sometimes with a tax code (MST). We compare keys: the folded name with
its legal form ("công ty TNHH", "JSC"...) removed, because the legal form says nothing about which business
it is and consumers rarely get it right.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from stdnum.exceptions import ValidationError
from stdnum.vn import mst

from bvntd.core.text import clean_line, fold

# Folded, longest first. Only removed as whole words: "ltd" in "ltdx" or "corp" in "corpus" stays.
LEGAL_FORMS: tuple[str, ...] = (
    "cong ty trach nhiem huu han hai thanh vien tro len",
    "cong ty trach nhiem huu han mot thanh vien",
    "one member limited liability company",
    "cong ty tnhh hai thanh vien tro len",
    "cong ty tnhh mot thanh vien",
    "cong ty trach nhiem huu han",
    "limited liability company",
    "hai thanh vien tro len",
    "doanh nghiep tu nhan",
    "joint stock company",
    "trach nhiem huu han",
    "van phong dai dien",
    "cong ty tnhh mtv",
    "company limited",
    "cong ty co phan",
    "mot thanh vien",
    "ho kinh doanh",
    "cong ty tnhh",
    "tong cong ty",
    "corporation",
    "cong ty cp",
    "hop tac xa",
    "one member",
    "chi nhanh",
    "co., ltd",
    "tap doan",
    "company",
    "cong ty",
    "limited",
    "pte ltd",
    "co ltd",
    "cty cp",
    "corp",
    "ctcp",
    "dntn",
    "tnhh",
    "cty",
    "hkd",
    "htx",
    "inc",
    "jsc",
    "llc",
    "ltd",
    "mtv",
    "plc",
    "pte",
)

_PUNCTUATION = re.compile(r"[\W_]+")


def _strip_punctuation(folded: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


# Forms are matched on the punctuation-free text, so "co., ltd" is looked for as "co ltd". Sorting by length
# again keeps the longest alternative first after that rewrite: the regex takes the first that matches.
_FORM_PHRASES = sorted({_strip_punctuation(form) for form in LEGAL_FORMS}, key=len, reverse=True)
_LEGAL_FORM_RE = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _FORM_PHRASES)) + r")(?!\w)")


def name_key(name: str) -> str:
    """Folded name without punctuation or legal forms, wherever they appear: "Chi nhánh Công ty TNHH ABC tại
    Vĩnh Long" → "abc tai vinh long". A name that is nothing but a legal form keeps it ("Công ty TNHH" →
    "cong ty tnhh") rather than becoming an empty key that would match nothing or everything."""
    bare = _strip_punctuation(fold(name))
    return " ".join(_LEGAL_FORM_RE.sub(" ", bare).split()) or bare


def name_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two name keys (see `name_key`). An empty key matches nothing."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    # score = max(token, char), token = (shared / smaller set + shared / union) / 2 over the sets of words,
    # char = SequenceMatcher ratio of the keys. "Shared over the smaller set" recognises a name inside a
    # longer one ("abc" in "abc tai vinh long"); averaging it with the Jaccard index keeps that below 1.0 the
    # more words the longer name adds (here 0.625). The character ratio catches typos, which break whole
    # words; taking the better of the two lets either recognise a match without the other dragging it down.
    whole = _score(a, b)
    rest_a, rest_b = _distinctive(a), _distinctive(b)
    if not (rest_a and rest_b):
        return whole
    # Trade words ("thương mại", "dịch vụ"), "và" and a branch's "tại <place>" are shared by thousands of
    # names and often left out by consumers: the distinctive rest weighs three quarters. Two names that agree
    # only on trade words are different businesses; one that omits them is still the same business; and the
    # whole name's quarter keeps an exact name above its branches ("abc" over "abc tai vinh long").
    return (3 * _score(rest_a, rest_b) + whole) / 4


# Words that say what a business does, not which business it is.
GENERIC_WORDS = frozenset(
    [
        *["thuong", "mai", "dich", "vu", "san", "xuat", "nhap", "khau", "dau", "tu", "phat", "trien"],
        *["cong", "nghe", "ky", "thuat", "tong", "hop", "xay", "dung", "kinh", "doanh", "giai", "phap"],
        *["quoc", "te", "viet", "nam", "vn", "va"],
    ]
)
_BRANCH_PLACE = re.compile(r"\btai\b.*$")


def _distinctive(key: str) -> str:
    key = _BRANCH_PLACE.sub("", key)
    return " ".join(word for word in key.split() if word not in GENERIC_WORDS)


def _score(a: str, b: str) -> float:
    return max(_token_score(a, b), difflib.SequenceMatcher(None, a, b).ratio())


def _token_score(a: str, b: str) -> float:
    tokens_a, tokens_b = set(a.split()), set(b.split())
    shared = len(tokens_a & tokens_b)
    return (shared / min(len(tokens_a), len(tokens_b)) + shared / len(tokens_a | tokens_b)) / 2


def normalize_tax_code(value: str) -> str | None:
    """The compact tax code (MST): 10 digits, or 13 for a branch ("0100109106-001" → "0100109106001"); None
    when empty or invalid (wrong length, letters, check digit)."""
    number = "".join(clean_line(value).split())
    if not number:
        return None
    try:
        return mst.validate(number)
    except ValidationError:
        return None


@dataclass(frozen=True)
class Candidate:
    business_id: int
    score: float
    reason: str  # "tax_code" or "name"


def rank_candidates(
    query_name: str,
    query_tax_code: str,
    rows: Iterable[tuple[int, str, str]],
    limit: int = 5,
    min_score: float = 0.6,
) -> list[Candidate]:
    """The registry businesses the query most likely means, best first, at most `limit`.

    `rows` are (business_id, tax_code, name_key); a business appears once per name it is known by (aliases)
    and keeps its best score. An exact tax-code match scores 1.0 and comes first; names count from
    `min_score` up. Ties go to the lower id so the order is stable."""
    tax_code = normalize_tax_code(query_tax_code)
    key = name_key(query_name)
    best: dict[int, Candidate] = {}
    for business_id, row_tax_code, row_key in rows:
        candidate = _match(business_id, tax_code, key, row_tax_code, row_key, min_score)
        if candidate and _better(candidate, best.get(business_id)):
            best[business_id] = candidate
    ranked = sorted(best.values(), key=lambda c: (c.reason != "tax_code", -c.score, c.business_id))
    return ranked[:limit]


def _match(
    business_id: int, tax_code: str | None, key: str, row_tax_code: str, row_key: str, min_score: float
) -> Candidate | None:
    if tax_code and tax_code == _compact(row_tax_code):
        return Candidate(business_id, 1.0, "tax_code")
    if not key or not row_key:
        return None
    if key != row_key and _upper_bound(key, row_key) < min_score:
        return None  # Cheap rejection: most registry rows share nothing with the query.
    score = name_similarity(key, row_key)
    return Candidate(business_id, score, "name") if score >= min_score else None


def _upper_bound(a: str, b: str) -> float:
    # quick_ratio() counts shared characters regardless of order, so it bounds ratio() from above.
    return max(_token_score(a, b), difflib.SequenceMatcher(None, a, b).quick_ratio())


def _better(candidate: Candidate, current: Candidate | None) -> bool:
    if current is None:
        return True
    return (candidate.reason == "tax_code", candidate.score) > (current.reason == "tax_code", current.score)


def _compact(tax_code: str) -> str:
    # The registry stores validated codes; tolerate the separators people type rather than re-validating.
    return "".join(tax_code.split()).replace(".", "").replace("-", "")
