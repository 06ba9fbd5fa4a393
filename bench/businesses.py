"""The business registry and mass-complaint alerts, in-process: loading, fuzzy matching, MinHash, detection.

    .venv/bin/python bench/businesses.py [--businesses 20000] [--complaints 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/businesses.py

Like bench/intake.py it builds a throw-away database: a temp SQLite file by default, or, when DATABASE_URL
points at PostgreSQL (or with --database postgres), a database `bvntd_bench_businesses` on that server
(postgres@127.0.0.1:5432 without DATABASE_URL); both are removed at the end. It loads the reference data,
then prints one JSON line per figure:

- registry_load: N businesses with generated Vietnamese names (seeded word lists: legal form, trade words,
  industry, a distinctive part; upper case or without diacritics for some), inserted with bulk_create
  (Business + BusinessName, keys from names.name_key), rows per second; and, for contrast, 200 businesses
  through the service `business_create` (rolled back). ANALYZE follows, as autovacuum would.
- candidate_match: `registry.business_candidates` for 300 consumer spellings of registered names (no
  diacritics, legal form dropped or changed, one typo): latency and whether the right business ranks first
  or in the top 5. The candidate pool is a substring scan (LIKE '%word%') on BusinessName.key, so its cost
  grows with the registry; the line says so, and how often the pool cap left the right business out.
- candidate_match_tax_code: the same targets looked up by their exact tax code, and `business_for_tax_code`
  (what intake calls).
- minhash: `similarity.signature` per second on one core over 2,000 real Vietnamese review texts (UIT-ViOCD,
  research-only: a benchmark reads it, the product never ships it), or generated text without the folder.
- mass_alert_detection: M complaints about 200 businesses over 14 days (input from `valid_intake` checked by
  `parse_intake`, rows bulk-created), 5% of them copies of 3 templates about 3 businesses; then
  `alerts.detect_mass_complaint` on each in arrival order, timed, and whether each planted cluster gave
  exactly one alert holding its copies. `complaint_submit` itself is timed on 100 more (rolled back).

Every line carries the machine facts (cores, database vendor and version, Python, load average) and the date.
"""

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("BVNTD_BENCH_DATA", "/work/shared/data"))
BENCH_DATABASE = "bvntd_bench_businesses"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
SEED = 20261128
FACTS: dict = {}


# --- the throw-away database ----------------------------------------------------------------------------


def configure(database: str):
    """Point Django at a fresh database; returns the function that removes it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "1"  # throw-away keys (encryption, blind index); query logging is turned off below
    # Detection runs only where this script times it: enqueued tasks go nowhere.
    os.environ["TASK_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    if database == "postgres":
        import psycopg

        given = os.environ.get("DATABASE_URL", "")
        server = given if given.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        os.environ["DATABASE_URL"] = urlunparse(urlparse(server)._replace(path=f"/{BENCH_DATABASE}"))

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    else:
        folder = tempfile.mkdtemp(prefix="bvntd-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(folder, ignore_errors=True)

    import django

    django.setup()
    return drop


def machine_facts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    # The code under test is young and changes: a digest of it ties each figure to the version measured.
    digest = hashlib.sha256()
    for name in ("registry.py", "names.py", "similarity.py", "alerts.py", "models.py"):
        digest.update((ROOT / "bvntd" / "businesses" / name).read_bytes())
    return {
        "code_sha256": digest.hexdigest()[:12],
        "cores": os.cpu_count(),
        "database": connection.vendor,
        "database_version": version,
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
    }


# --- figures --------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latency(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50) * 1000, 2),
        "p95_ms": round(percentile(samples, 95) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
    }


def emit(figure: str, **fields) -> None:
    # The load average says whether something else shared the two cores during the figure.
    facts = {**FACTS, "load_average_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps({"figure": figure, **fields, **facts}, ensure_ascii=False), flush=True)


def share(count: int, total: int) -> float:
    return round(count / total, 3) if total else 0.0


# --- Vietnamese business names --------------------------------------------------------------------------


def words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


# (display form, weight). Folded, every one of them is a legal form `names.name_key` removes.
LEGAL_FORMS = [
    ("Công ty TNHH", 34),
    ("Công ty Cổ phần", 20),
    ("Công ty TNHH MTV", 8),
    ("Công ty TNHH Một thành viên", 4),
    ("Công ty TNHH Hai thành viên trở lên", 2),
    ("Công ty CP", 3),
    ("Doanh nghiệp tư nhân", 5),
    ("Hộ kinh doanh", 10),
    ("Chi nhánh Công ty TNHH", 4),
    ("Hợp tác xã", 2),
    ("Công ty Cổ phần Tập đoàn", 2),
]
TRADE = [
    ("", 35),
    ("Thương mại", 14),
    ("Thương mại và Dịch vụ", 12),
    ("Thương mại Dịch vụ", 8),
    ("Dịch vụ", 5),
    ("Sản xuất và Thương mại", 6),
    ("Sản xuất Thương mại Dịch vụ", 4),
    ("Đầu tư và Phát triển", 4),
    ("Xuất nhập khẩu", 4),
    ("Đầu tư Xây dựng", 2),
    ("Công nghệ", 3),
    ("Kỹ thuật", 2),
    ("Tổng hợp", 1),
]
INDUSTRIES = words(
    "Điện máy|Điện thoại|Điện tử|Điện lạnh|Máy tính|Viễn thông|Thực phẩm|Nông sản|Thủy sản|Mỹ phẩm|"
    "Dược phẩm|Thiết bị y tế|Nha khoa|Thẩm mỹ|Du lịch|Lữ hành|Vận tải|Chuyển phát nhanh|Nội thất|"
    "Thời trang|Giày da|Dệt may|Bất động sản|Địa ốc|Giáo dục|Đào tạo|Ngoại ngữ|Ô tô|Xe máy|Gia dụng|"
    "Bảo hiểm|Tài chính|Vật liệu xây dựng|Sữa|Nước giải khát|Quảng cáo|Truyền thông|Giải trí|Thể thao|"
    "Đồ chơi|Trang sức|Vàng bạc đá quý|Khách sạn|Nhà hàng|Xăng dầu|Phân bón|Hóa chất|Cơ khí|Năng lượng|"
    "Môi trường|Phần mềm|Sách|Mẹ và bé|Siêu thị|Dịch vụ ăn uống|Cầm đồ|Bánh kẹo|Cà phê|Gạo|Internet",
    "|",
)
SYLLABLES = words(
    "An Bảo Bình Châu Chí Công Cường Đại Đông Đức Gia Hà Hải Hạnh Hòa Hoàng Hồng Hùng Hưng Hương Khang "
    "Khánh Kim Lâm Lộc Long Mai Minh Nam Nghĩa Ngọc Nhật Phát Phong Phú Phúc Phương Quang Quốc Sơn Tài Tâm "
    "Tân Thái Thành Thắng Thiên Thịnh Thuận Tiến Toàn Trí Trung Trường Tuấn Uy Vạn Việt Vinh Vĩnh Xuân Yến "
    "Hiếu Đạt Sáng Hậu Lợi Nguyên Thanh Hoa Đăng Khoa Duy Anh Tín Nhân Lạc Mỹ Thọ Trang Ánh Dương Sao Ngân "
    "Hiền Bách Cát Diệp Hoàn Kiên Luân Nhi Quý Sang Tường"
)
BRAND_HEADS = words(
    "Vina Sai Hano Viet Mekong Eco Smart Green Sun Star Blue Gold Asia Alpha Nova Delta Lotus"
)
BRAND_TAILS = words("tech mart food pharma land tel soft star shop med home pro care life net gas milk tour")
SUFFIXES = [("", 84), ("Việt Nam", 7), ("Sài Gòn", 3), ("Hà Nội", 2), ("Miền Nam", 2), ("Quốc tế", 2)]
CITIES = ["Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Vĩnh Long", "Bình Dương", "Nha Trang", "Huế"]
SURNAMES = words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
MIDDLE = words("Văn Thị Hữu Minh Ngọc Thanh Quốc Đức Thu Kim")
SHOP_KINDS = ["Cửa hàng", "Nhà thuốc", "Tiệm vàng", "Nhà hàng", "Spa", "Phòng khám", "Đại lý"]
ENGLISH_FORMS = ["Co., Ltd", "Company Limited", "JSC", "Joint Stock Company", "Corp"]
# How consumers write a legal form, folded.
CONSUMER_FORMS = words(
    "cty|cong ty|cty tnhh|cong ty tnhh|cty cp|cong ty co phan|ctcp|tnhh|cong ty tnhh mtv|dntn|cty tnhh mtv",
    "|",
)


def weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def strip_marks(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Điện Máy" → "Dien May"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))


def tax_codes(rng: random.Random):
    """Distinct valid 10-digit tax codes (MST) with a province-like prefix."""
    from stdnum.vn import mst

    seen = set()
    while True:
        body = rng.choice(["01", "02", "03", "04", "05", "18", "25", "31", "37", "46", "79", "86"])
        body += f"{rng.randrange(10**7):07d}"
        check = mst.calc_check_digit(body)
        code = body + check
        if len(check) == 1 and code not in seen:
            seen.add(code)
            yield code


def make_registry(count: int, rng: random.Random) -> list[dict]:
    """`count` businesses with distinct name keys (the registration law refuses identical names)."""
    from bvntd.businesses.names import name_key

    codes = tax_codes(rng)
    keys: set[str] = set()
    out: list[dict] = []
    while len(out) < count:
        form = weighted(rng, LEGAL_FORMS)
        trade = weighted(rng, TRADE)
        industry = rng.choice(INDUSTRIES) if rng.random() < 0.75 else ""
        roll = rng.random()
        if form == "Hộ kinh doanh" and roll < 0.5:
            # A household business is often known by its owner's name, sometimes with the shop it runs.
            trade, industry = "", ""
            distinct = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(SYLLABLES)}"
            if rng.random() < 0.5:
                distinct = f"{rng.choice(SHOP_KINDS)} {distinct}"
        elif roll < 0.72:
            distinct = " ".join(rng.sample(SYLLABLES, 2))
        elif roll < 0.84:
            distinct = " ".join(rng.sample(SYLLABLES, 3))
        else:
            distinct = rng.choice(BRAND_HEADS) + rng.choice(BRAND_TAILS)
        suffix = weighted(rng, SUFFIXES)
        if form.startswith("Chi nhánh"):
            suffix = f"tại {rng.choice(CITIES)}"
        display = " ".join(part for part in (form, trade, industry, distinct, suffix) if part)
        style = rng.random()
        if style < 0.25:
            display = display.upper()  # as the national registration portal prints it
        elif style < 0.35:
            display = strip_marks(display)  # typed without diacritics
        key = name_key(display)
        if key in keys:
            continue
        keys.add(key)
        code = "" if form == "Hộ kinh doanh" and rng.random() < 0.4 else next(codes)
        if code and form.startswith("Chi nhánh"):
            code += f"{rng.randrange(1, 20):03d}"  # a branch's 13-digit code
        aliases, shops = [], []
        if rng.random() < 0.25 and not form.startswith("Hộ"):
            aliases.append(f"{strip_marks(distinct)} {rng.choice(ENGLISH_FORMS)}")
        if rng.random() < 0.10:
            shops.append(f"{distinct} {rng.choice(['Official Store', 'Mall', 'Shop', 'Store'])}")
        out.append(
            {
                "name": display,
                "key": key,
                "tax_code": code,
                "form": form,
                "trade": trade,
                "industry": industry,
                "distinct": distinct,
                "suffix": suffix,
                "aliases": aliases,
                "shops": shops,
            }
        )
    return out


NEIGHBOURS = {
    a: b
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for a, b in zip(row, row[1:] + row[-2], strict=True)
}


def typo(word: str, rng: random.Random) -> str:
    """One slip of the finger: two letters swapped, one dropped, one doubled or a neighbouring key."""
    i = rng.randrange(len(word))
    op = rng.choice(["swap", "drop", "double", "neighbour"])
    if op == "swap" and i < len(word) - 1 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "neighbour" and word[i] in NEIGHBOURS:
        return word[:i] + NEIGHBOURS[word[i]] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def consumer_spelling(record: dict, rng: random.Random) -> tuple[str, dict]:
    """How a consumer writes a registered name: no diacritics, the legal form dropped or changed, trade
    words sometimes left out, exactly one typo in a word of at least 3 letters (not the legal form)."""
    variant = {
        "form": "dropped" if rng.random() < 0.5 else "changed",
        "trade_dropped": bool(record["trade"]) and rng.random() < 0.4,
    }
    trade = "" if variant["trade_dropped"] else record["trade"]
    industry = record["industry"] if rng.random() < 0.85 else ""
    suffix = record["suffix"] if rng.random() < 0.5 else ""
    words = strip_marks(" ".join(p for p in (trade, industry, record["distinct"], suffix) if p)).split()
    words = [w.lower() for w in words]
    candidates = [i for i, w in enumerate(words) if len(w) >= 3] or list(range(len(words)))
    i = rng.choice(candidates)
    words[i] = typo(words[i], rng)
    if variant["form"] == "changed":
        original = strip_marks(record["form"]).lower()
        form = rng.choice([f for f in CONSUMER_FORMS if f != original])
        words = [*form.split(), *words] if rng.random() < 0.85 else [*words, rng.choice(["co ltd", "jsc"])]
    text = " ".join(words)
    if rng.random() < 0.3:
        text = text.title()
    return text, variant


# --- 1. registry load -----------------------------------------------------------------------------------


def registry_load(records: list[dict], rng: random.Random) -> list[dict]:
    from django.db import transaction
    from django.utils import timezone

    from bvntd.businesses.models import Business, BusinessName, NameKind
    from bvntd.businesses.names import name_key
    from bvntd.geo.models import Province

    provinces = list(Province.objects.values_list("pk", flat=True))
    now = timezone.now()
    for record in records:
        record["province"] = rng.choice(provinces)
    started = time.perf_counter()
    # The keys: name_key folds character by character in Python, a visible share of the load.
    for record in records:
        keys, seen = [], set()
        for kind, texts in (
            (NameKind.LEGAL, [record["name"]]),
            (NameKind.ALIAS, record["aliases"]),
            (NameKind.SHOP, record["shops"]),
        ):
            for text in texts:
                key = name_key(text)
                if key and key not in seen:  # the (business, key) unique constraint
                    seen.add(key)
                    keys.append((kind, text, key))
        record["keys"] = keys
    keyed = time.perf_counter()
    with transaction.atomic():
        businesses = Business.objects.bulk_create(
            [
                Business(
                    tax_code=r["tax_code"],
                    name=r["name"],
                    name_key=r["keys"][0][2],
                    province_id=r["province"],
                    created_at=now,
                    updated_at=now,
                )
                for r in records
            ],
            batch_size=2000,
        )
        names = []
        for record, business in zip(records, businesses, strict=True):
            record["id"] = business.pk
            names += [
                BusinessName(business=business, name=t, key=k, kind=kind) for kind, t, k in record["keys"]
            ]
        BusinessName.objects.bulk_create(names, batch_size=2000)
    seconds = time.perf_counter() - started
    rows = len(businesses) + len(names)
    emit(
        "registry_load",
        businesses=len(businesses),
        business_names=len(names),
        rows=rows,
        seconds=round(seconds, 2),
        rows_per_second=round(rows / seconds, 1),
        businesses_per_second=round(len(businesses) / seconds, 1),
        name_key_seconds=round(keyed - started, 2),
        insert_seconds=round(seconds - (keyed - started), 2),
        how="names.name_key for every name, then bulk_create(batch_size=2000) of Business and BusinessName "
        "in one transaction (indexes on name_key, key, tax_code and (business, key) kept as rows go in)",
        service_business_create=service_rate(records, rng),
        name_styles={
            "upper_case": sum(r["name"].isupper() for r in records),
            "without_diacritics": sum(r["name"] == strip_marks(r["name"]) for r in records),
            "with_tax_code": sum(bool(r["tax_code"]) for r in records),
            "branch_13_digit": sum(len(r["tax_code"]) == 13 for r in records),
        },
        sample_names=[r["name"] for r in records[:4]],
    )
    return records


def service_rate(records: list[dict], rng: random.Random) -> dict:
    """200 businesses through `registry.business_create` (row by row: tax-code check, names, audit event),
    rolled back: the contrast with the bulk load."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from bvntd.businesses.registry import business_create

    actor = get_user_model().objects.get(username="canbo.sct")
    taken = {r["tax_code"] for r in records}
    extra = [r for r in make_registry(220, random.Random(rng.random())) if r["tax_code"] not in taken][:200]
    now = timezone.now()
    samples = []
    with transaction.atomic():
        for record in extra:
            started = time.perf_counter()
            business_create(
                actor=actor,
                now=now,
                name=f"{record['name']} Số 2",
                tax_code=record["tax_code"],
                aliases=record["aliases"],
                shops=record["shops"],
            )
            samples.append(time.perf_counter() - started)
        transaction.set_rollback(True)
    return {"per_second": round(len(samples) / sum(samples), 1), **latency(samples), "rolled_back": True}


# --- 2. candidate matching ------------------------------------------------------------------------------


def pool_words(key: str) -> list[str]:
    # The two longest words of >= 3 letters, the words the pool's LIKE filter uses.
    return sorted({w for w in key.split() if len(w) >= 3}, key=len, reverse=True)[:2]


class PoolProbe:
    """Watches one real `business_candidates` call, untimed: the rows it hands to `rank_candidates` (its
    candidate pool) and the time of its SQL on businesses_businessname (the pool query)."""

    def __init__(self) -> None:
        self.rows: list = []
        self.sql_seconds = 0.0
        self.sql = ""
        self.params = ()

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if 'FROM "businesses_businessname"' in sql:
                self.sql_seconds += time.perf_counter() - started
                self.sql, self.params = sql, params

    def run(self, text: str) -> tuple[set[int], float]:
        from unittest import mock

        from django.db import connection

        from bvntd.businesses import registry

        real = registry.rank_candidates

        def spy(key, tax_code, rows, **kwargs):
            self.rows = list(rows)
            return real(key, tax_code, self.rows, **kwargs)

        self.rows, self.sql_seconds = [], 0.0
        with mock.patch.object(registry, "rank_candidates", spy), connection.execute_wrapper(self):
            registry.business_candidates(name=text, tax_code="")
        return {row[0] for row in self.rows}, self.sql_seconds


def matching_names(key: str) -> int:
    """Stored names whose key contains either of the query's two longest words: what the pool filters on,
    before its cap."""
    from django.db.models import Q

    from bvntd.businesses.models import BusinessName

    query = Q()
    for word in pool_words(key):
        query |= Q(key__contains=word)
    return BusinessName.objects.filter(business__merged_into__isnull=True).filter(query).count()


def analyze() -> None:
    """Planner statistics after a bulk load, as autovacuum (PostgreSQL) or `ANALYZE` would give a real
    registry; without them both planners walk every business through an index, one at a time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan_of(queryset) -> str:
    return " / ".join(line.strip() for line in queryset.explain().splitlines())[:400]


def plan_of_sql(sql: str, params) -> str:
    from django.db import connection

    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        lines = [" ".join(str(v) for v in row) for row in cursor.fetchall()]
    return " / ".join(line.strip() for line in lines)[:500]


def candidate_match(records: list[dict], rng: random.Random, queries: int) -> None:
    from bvntd.businesses.models import Business
    from bvntd.businesses.names import name_key
    from bvntd.businesses.registry import CANDIDATE_POOL, business_candidates, business_for_tax_code

    targets = rng.sample(records, queries)
    spelled = [(r, *consumer_spelling(r, rng)) for r in targets]
    business_candidates(name=spelled[0][1], tax_code="")  # warm the connection and the code paths
    samples, top1, top5, by_variant, misses = [], 0, 0, Counter(), []
    ranks = []
    for record, text, variant in spelled:
        started = time.perf_counter()
        found = business_candidates(name=text, tax_code="")
        samples.append(time.perf_counter() - started)
        ids = [business.pk for business, _ in found]
        first = bool(ids) and ids[0] == record["id"]
        ranks.append(first)
        top1 += first
        top5 += record["id"] in ids
        label = f"form_{variant['form']}" + ("_trade_dropped" if variant["trade_dropped"] else "")
        by_variant[label, first] += 1
        if not first and len(misses) < 4:
            misses.append(
                {"query": text, "expected": record["name"], "got": found[0][0].name if found else None}
            )
    probe = PoolProbe()
    pool = []  # (names matching, right business in the pool, pool SQL seconds, pool rows)
    for record, text, _variant in spelled:
        ids, seconds = probe.run(text)
        pool.append((matching_names(name_key(text)), record["id"] in ids, seconds, len(probe.rows)))
    sizes = [size for size, _, _, _ in pool]
    missed = [hit for (_, hit, _, _), first in zip(pool, ranks, strict=True) if not first]
    labels = sorted({label for label, _ in by_variant})
    # The pool query as the code sends it today, for one query with common words, and its plan.
    probe.run("thuong mai dich vu minh phat")
    example_sql = probe.sql
    emit(
        "candidate_match",
        registry_businesses=len(records),
        **latency(samples),
        top1=share(top1, len(spelled)),
        top5=share(top5, len(spelled)),
        query="business_candidates(name=<consumer spelling>, tax_code=''): no diacritics, legal form dropped "
        "(50%) or changed, trade words dropped in 40% of the names that have them, industry word dropped "
        "15%, place suffix dropped 50%, one typo (swap, drop, double or neighbouring key)",
        top1_by_variant={
            label: f"{by_variant[label, True]}/{by_variant[label, True] + by_variant[label, False]}"
            for label in labels
        },
        misses=len(missed),
        misses_right_business_not_in_pool=sum(not hit for hit in missed),
        misses_outranked_in_pool=sum(missed),
        candidate_pool=(
            "the BusinessName rows (business not merged) whose key contains (LIKE '%w%') either of the "
            f"query's two longest words of >= 3 letters, at most {CANDIDATE_POOL} (pool_sql_order says "
            "which), each then scored in Python (difflib). No index serves a leading-wildcard LIKE, so "
            "the query reads every name: its cost grows with the registry. Ties between equally long "
            "words follow set order (PYTHONHASHSEED), so pools and top-1 vary a little between runs"
        ),
        pool_sql_order=example_sql[example_sql.find(" ORDER BY") :][:300]
        if " ORDER BY" in example_sql
        else "none: the database returns whichever matching rows it reaches first",
        pool_plan=plan_of_sql(probe.sql, probe.params),
        statistics="ANALYZE run after the load, before these queries",
        pool_query_p50_ms=round(percentile([s for _, _, s, _ in pool], 50) * 1000, 2),
        pool_query_p95_ms=round(percentile([s for _, _, s, _ in pool], 95) * 1000, 2),
        names_matching_p50=int(percentile(sizes, 50)),
        names_matching_p95=int(percentile(sizes, 95)),
        names_matching_max=max(sizes),
        pool_rows_p50=int(percentile([rows for _, _, _, rows in pool], 50)),
        share_pool_capped=share(sum(size > CANDIDATE_POOL for size in sizes), len(sizes)),
        share_right_business_not_in_pool=share(sum(not hit for _, hit, _, _ in pool), len(pool)),
        misses_sample=misses,
    )

    coded = [r for r in targets if r["tax_code"]]
    samples, top1, top5, lookups = [], 0, 0, []
    for record in coded:
        started = time.perf_counter()
        found = business_candidates(name="", tax_code=record["tax_code"])
        samples.append(time.perf_counter() - started)
        ids = [business.pk for business, _ in found]
        top1 += bool(ids) and ids[0] == record["id"]
        top5 += record["id"] in ids
        started = time.perf_counter()
        business_for_tax_code(record["tax_code"])
        lookups.append(time.perf_counter() - started)
    emit(
        "candidate_match_tax_code",
        registry_businesses=len(records),
        **latency(samples),
        top1=share(top1, len(coded)),
        top5=share(top5, len(coded)),
        query="business_candidates(name='', tax_code=<exact code>) for the same targets that have a code "
        f"({len(coded)} of {len(targets)}; 10 digits, 13 for branches). The case panel passes the typed name "
        "too, so there a look-up costs about this plus the name query above",
        tax_code_plan=plan_of(Business.objects.with_tax_code(coded[0]["tax_code"])),
        business_for_tax_code_at_intake=latency(lookups),
    )


# --- 3. MinHash -----------------------------------------------------------------------------------------


def review_texts(limit: int) -> tuple[list[str], str]:
    """Distinct UIT-ViOCD review texts, complaints first, then ViSpamReviews comments (research-only sets:
    a benchmark may read them, the product does not ship them); generated text without the folder."""
    texts: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        text = " ".join(text.split())
        if len(text) >= 20 and text not in seen:
            seen.add(text)
            texts.append(text)

    viocd = DATA / "uit-viocd"
    if viocd.is_dir():
        rows = []
        for split in ("train", "validation", "test"):
            with open(viocd / f"{split}.jsonl", encoding="utf-8") as handle:
                rows += [json.loads(line) for line in handle if line.strip()]
        for row in sorted(rows, key=lambda row: -float(row["label"])):  # complaints (1.0) first
            add(row["text"])
    from_viocd = len(texts)
    spam = DATA / "vispam-reviews" / "train.csv"
    if len(texts) < limit and spam.is_file():
        import csv

        with open(spam, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Label"] == "0":
                    add(row["Comment"])
    texts = texts[:limit]
    if texts:
        taken = min(from_viocd, len(texts))
        return texts, f"uit-viocd {taken} (complaints first), vispam-reviews non-spam {len(texts) - taken}"
    return generated_texts(limit), "generated (no /work/shared/data)"


def generated_texts(limit: int) -> list[str]:
    rng = random.Random(SEED)
    openers = ["Tôi mua", "Em đặt", "Gia đình tôi mua", "Tôi đăng ký", "Mình order"]
    things = ["điện thoại", "tủ lạnh", "sữa bột", "gói cước 4G", "tour Đà Lạt", "máy lọc nước", "áo khoác"]
    problems = [
        "bị lỗi sau 3 ngày sử dụng",
        "giao sai màu và thiếu phụ kiện",
        "hết hạn sử dụng mà vẫn bán",
        "bị trừ tiền hai lần",
        "không được hoàn cọc khi hủy",
    ]
    endings = ["cửa hàng không đổi trả.", "tổng đài không nghe máy.", "đề nghị hoàn tiền.", "rất bức xúc."]
    return [
        f"{rng.choice(openers)} {rng.choice(things)} ngày {rng.randrange(1, 29)}/{rng.randrange(1, 13)}, "
        f"{rng.choice(problems)}, {rng.choice(endings)} Mã đơn {rng.randrange(10**6)}."
        for _ in range(limit)
    ]


def minhash(count: int) -> None:
    from bvntd.businesses import similarity

    texts, source = review_texts(count)
    passes = {}
    for label in ("cold_token_cache", "warm_token_cache"):
        if label == "cold_token_cache":
            similarity._cached_folded_words.cache_clear()
        samples = []
        for text in texts:
            started = time.perf_counter()
            similarity.signature(text)
            samples.append(time.perf_counter() - started)
        passes[label] = {
            "per_second": round(len(samples) / sum(samples), 1),
            "p50_us": round(percentile(samples, 50) * 1e6, 1),
            "p95_us": round(percentile(samples, 95) * 1e6, 1),
        }
    emit(
        "minhash",
        n=len(texts),
        source=source,
        mean_chars=round(sum(map(len, texts)) / len(texts), 1),
        mean_words=round(sum(len(t.split()) for t in texts) / len(texts), 1),
        **passes,
        how=f"similarity.signature (NUM_PERM={similarity.NUM_PERM}, word 3-grams) one text at a time, one "
        "process, OMP/OpenBLAS threads 1; cold = token-fold cache cleared first, warm = second pass",
    )


# --- 4. mass-complaint alerts ---------------------------------------------------------------------------

TEMPLATES = [
    "Ngày {date} tôi đăng ký khóa học tiếng Anh trực tuyến của {biz} qua buổi livestream trên Facebook, "
    "nhân viên tư vấn cam kết hoàn tiền 100% nếu học không hiệu quả. Tôi đã chuyển khoản {amount} đồng vào "
    "tài khoản công ty. Sau hai buổi học tôi xin dừng và yêu cầu hoàn tiền theo cam kết nhưng công ty liên "
    "tục hẹn lần hẹn lượt rồi chặn số điện thoại của tôi. Đề nghị cơ quan chức năng buộc công ty hoàn lại "
    "tiền cho học viên.",
    "Tôi mua điện thoại trả góp tại {biz} ngày {date}, giá {amount} đồng. Khi ký hợp đồng nhân viên không "
    "nói rõ phải mua kèm gói bảo hiểm khoản vay, đến kỳ thanh toán đầu tiên tôi mới biết mỗi tháng bị thu "
    "thêm phí bảo hiểm. Tôi đã gọi tổng đài nhiều lần nhưng không ai giải quyết. Yêu cầu cửa hàng hủy gói "
    "bảo hiểm và trả lại số tiền đã thu thêm của khách hàng.",
    "Nhà mạng {biz} tự ý trừ tiền trong tài khoản của tôi cho dịch vụ giá trị gia tăng mà tôi không hề đăng "
    "ký. Từ ngày {date} mỗi ngày tài khoản bị trừ 5.000 đồng, tổng cộng khoảng {amount} đồng. Khi tôi nhắn "
    "tin hủy thì dịch vụ vẫn tiếp tục bị gia hạn. Đề nghị nhà mạng hoàn trả số tiền đã trừ sai và xử lý "
    "việc đăng ký dịch vụ khi chưa có sự đồng ý của khách hàng.",
]
GREETINGS = ["Kính gửi Sở Công Thương.", "Em chào anh chị ạ.", "Xin chào quý cơ quan,", "Tôi xin trình bày:"]
TEENCODE = {"không": "ko", "được": "dc", "tôi": "t", "tiền": "tien", "nhưng": "nhung", "đồng": "đ"}
PHONE_PREFIXES = words(
    "090 091 093 094 096 097 098 086 088 070 079 077 076 078 083 084 085 081 082 032 033 035 039"
)


def copy_of(template: str, biz: str, rng: random.Random, at: dt.datetime) -> str:
    """One consumer's copy of a template passed around a group chat: their own date, amount and short name
    for the business, sometimes a greeting, a phone number, teencode, no diacritics or a sentence less."""
    day = at - dt.timedelta(days=rng.randrange(3, 40))
    text = template.format(
        date=f"{day.day}/{day.month}",
        amount=f"{rng.randrange(5, 120) * 100_000:,}".replace(",", "."),
        biz=biz,
    )
    sentences = text.split(". ")
    if rng.random() < 0.2 and len(sentences) > 3:
        del sentences[rng.randrange(1, len(sentences) - 1)]
    text = ". ".join(sentences)
    if rng.random() < 0.3:
        text = f"{rng.choice(GREETINGS)} {text}"
    if rng.random() < 0.3:
        text += f" SĐT liên hệ: {rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7):07d}."
    if rng.random() < 0.2:
        text = " ".join(TEENCODE.get(word, word) for word in text.split())
    if rng.random() < 0.3:
        text = strip_marks(text)
    return text


def planted_similarity(planted: list[tuple], rng: random.Random, pairs: int = 600) -> dict:
    """How alike the planted copies are: the true Jaccard of their word 3-gram sets and the share of pairs
    whose MinHash estimate reaches the alert threshold, over random pairs within a cluster."""
    from bvntd.businesses.alerts import policy
    from bvntd.businesses.similarity import estimate_jaccard, shingles, signature

    by_cluster: dict[int, list[str]] = {}
    for _at, _record, text, cluster in planted:
        by_cluster.setdefault(cluster, []).append(text)
    true, passing = [], 0
    for _ in range(pairs):
        a, b = rng.sample(by_cluster[rng.choice(sorted(by_cluster))], 2)
        sa, sb = shingles(a), shingles(b)
        true.append(len(sa & sb) / len(sa | sb))
        passing += estimate_jaccard(signature(a), signature(b)) >= policy("MASS_ALERT_SIMILARITY")
    return {
        "pairs": pairs,
        "true_jaccard_p10": round(percentile(true, 10), 2),
        "true_jaccard_p50": round(percentile(true, 50), 2),
        "share_estimate_at_threshold": share(passing, pairs),
        "variation": "own date, amount and spelling of the business; 30% greeting, 30% phone number, 20% a "
        "sentence dropped, 20% teencode, 30% no diacritics",
    }


class QueryCounter:
    """connection.execute_wrapper that counts the SQL statements a call sends."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def intake_rows(plan: list[tuple], rng: random.Random) -> list:
    """Complaint rows for the plan: each input made by `valid_intake` (as bench/intake.py does) and checked by
    `parse_intake`, then bulk-created with the fields `complaint_submit` sets on a new case, the registered
    business found by its tax code (no events, referral or routing: detection reads none of them)."""
    from django.utils import timezone

    from bvntd.agencies.queries import intake_owner
    from bvntd.complaints.intake import parse_intake
    from bvntd.complaints.models import Channel, Complaint
    from bvntd.complaints.services import new_tracking_code, search_text_for
    from bvntd.complaints.states import Status
    from bvntd.core.crypto import blind_index
    from bvntd.core.errors import FieldErrors
    from bvntd.core.personas import HOME_PROVINCE
    from conftest import valid_intake

    owner = intake_owner(HOME_PROVINCE)
    rows = []
    for at, record, text, _cluster in plan:
        raw = valid_intake(
            consumer_name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(SYLLABLES)}",
            phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7):07d}",
            email="",
            province_code=HOME_PROVINCE,
            business_name=record["name"],
            business_tax_code=record["tax_code"],
            description=text,
            amount_vnd=rng.randrange(1, 200) * 100_000,
            purchased_on=(timezone.localdate(at) - dt.timedelta(days=rng.randrange(1, 60))).isoformat(),
        )
        try:
            data = parse_intake(raw, today=timezone.localdate(at))
        except FieldErrors as error:
            raise SystemExit(f"generated complaint refused: {error.errors} {raw}") from None
        rows.append(
            Complaint(
                tracking_code=new_tracking_code(owner.province.abbr),
                channel=Channel.WEB,
                status=Status.RECEIVED,
                owner_agency=owner,
                consumer_name=data.consumer_name,
                phone=data.phone,
                phone_index=blind_index("phone", data.phone),
                province_id=data.province_code,
                business_name=data.business_name,
                business_tax_code=data.business_tax_code,
                business_id=record["id"],
                description=data.description,
                amount_vnd=data.amount_vnd,
                purchased_on=data.purchased_on,
                desired_outcome=data.desired_outcome,
                contacted_business=data.contacted_business,
                consent_at=at,
                search_text=search_text_for(data.description, data.business_name),
                received_at=at,
                updated_at=at,
            )
        )
    return rows


def service_submit_rate(records: list[dict], rng: random.Random, count: int = 100) -> dict:
    """`complaint_submit` itself for `count` complaints about registered businesses, rolled back: what the
    fixture above skips, and where the tax-code look-up shows."""
    from django.db import transaction
    from django.utils import timezone

    from bvntd.complaints.intake import parse_intake
    from bvntd.complaints.models import Channel
    from bvntd.complaints.services import complaint_submit
    from conftest import valid_intake

    now = timezone.now()
    samples = []
    with transaction.atomic():
        for record in rng.sample([r for r in records if r["tax_code"]], count):
            raw = valid_intake(
                business_name=record["name"],
                business_tax_code=record["tax_code"],
                email="",
                purchased_on=None,
            )
            data = parse_intake(raw, today=timezone.localdate(now))
            started = time.perf_counter()
            complaint_submit(data=data, channel=Channel.WEB, now=now)
            samples.append(time.perf_counter() - started)
        transaction.set_rollback(True)
    return {"per_second": round(len(samples) / sum(samples), 1), **latency(samples), "rolled_back": True}


def mass_alert_detection(records: list[dict], rng: random.Random, count: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bvntd.businesses.alerts import detect_mass_complaint, policy
    from bvntd.businesses.models import MassAlert
    from bvntd.complaints.models import Complaint

    window = dt.timedelta(days=14)
    end = timezone.now().replace(microsecond=0)
    start = end - window
    businesses = rng.sample([r for r in records if r["tax_code"]], 200)
    planted_businesses = businesses[:3]
    planted_total = round(count * 0.05)
    plan = []  # (received_at, business record, text, cluster index or None)
    for index, record in enumerate(planted_businesses):
        copies = planted_total // 3 + (index < planted_total % 3)
        # Three campaigns of about three days each, the last one running into the final 500 complaints.
        burst = start + dt.timedelta(days=1 + 4.75 * index) + dt.timedelta(hours=rng.randrange(12))
        for _ in range(copies):
            at = burst + dt.timedelta(seconds=rng.randrange(3 * 24 * 3600))
            short, _ = consumer_spelling(record, random.Random(rng.random()))
            biz = rng.choice([record["name"], short, strip_marks(record["distinct"])])
            plan.append((at, record, copy_of(TEMPLATES[index], biz, rng, at), index))
    texts, source = review_texts(count - planted_total)
    background = texts * (1 + (count - planted_total) // len(texts))
    for i in range(count - planted_total):
        at = start + dt.timedelta(seconds=rng.randrange(int(window.total_seconds())))
        plan.append((at, rng.choice(businesses), background[i], None))
    plan.sort(key=lambda item: item[0])

    started = time.perf_counter()
    with transaction.atomic():
        created = Complaint.objects.bulk_create(intake_rows(plan, rng), batch_size=500)
    fixture_seconds = time.perf_counter() - started
    analyze()
    cluster_of = {c.pk: item[3] for c, item in zip(created, plan, strict=True) if item[3] is not None}
    copy_similarity = planted_similarity([item for item in plan if item[3] is not None], rng)

    complaints = list(
        Complaint.objects.select_related("business", "province", "business_province").order_by(
            "received_at", "pk"
        )
    )
    samples, queries = [], []
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        for complaint in complaints:
            counter.count = 0
            started = time.perf_counter()
            detect_mass_complaint(complaint=complaint, now=complaint.received_at)
            samples.append(time.perf_counter() - started)
            queries.append(counter.count)
    last = samples[-500:]
    planted_queries = [q for c, q in zip(complaints, queries, strict=True) if c.pk in cluster_of]
    background_queries = [q for c, q in zip(complaints, queries, strict=True) if c.pk not in cluster_of]
    planted_last = [s for c, s in zip(complaints[-500:], last, strict=True) if c.pk in cluster_of]

    alerts = {alert.pk: alert for alert in MassAlert.objects.all()}
    members = {pk: set(alert.complaints.values_list("pk", flat=True)) for pk, alert in alerts.items()}
    clusters = []
    for index, record in enumerate(planted_businesses):
        copies = {pk for pk, c in cluster_of.items() if c == index}
        holding = [pk for pk, ids in members.items() if ids & copies]
        caught = max((len(members[pk] & copies) for pk in holding), default=0)
        clusters.append(
            {
                "business": record["name"],
                "copies": len(copies),
                "alerts_holding_copies": len(holding),
                "exactly_one_alert": len(holding) == 1,
                "copies_in_alert": caught,
                "recall": share(caught, len(copies)),
                "alert_size": len(members[holding[0]]) if len(holding) == 1 else None,
            }
        )
    planted_alerts = {pk for pk, ids in members.items() if ids & set(cluster_of)}
    flagged = set().union(*members.values()) if members else set()
    false_alerts = [alerts[pk] for pk in members if pk not in planted_alerts]
    emit(
        "mass_alert_detection",
        complaints=len(complaints),
        businesses=len(businesses),
        days=window.days,
        planted_copies=len(cluster_of),
        planted_clusters=len(planted_businesses),
        policy={k: policy(f"MASS_ALERT_{k}") for k in ("MIN_CASES", "WINDOW_DAYS", "SIMILARITY")},
        last_500=latency(last),
        queries_per_detection={
            "background_p50": int(percentile(background_queries, 50)),
            "planted_copy_p50": int(percentile(planted_queries, 50)),
            "max": max(queries),
        },
        last_500_planted_copies=latency(planted_last) if planted_last else None,
        all_complaints={**latency(samples), "per_second": round(len(samples) / sum(samples), 1)},
        alerts_opened=len(alerts),
        alerts_from_planted_clusters=len(planted_alerts),
        false_alerts=len(false_alerts),
        false_alert_samples=[alert.sample_text[:80] for alert in false_alerts[:3]],
        clusters=clusters,
        cluster_precision=share(len(planted_alerts), len(alerts)),
        cluster_recall=share(sum(c["exactly_one_alert"] for c in clusters), len(clusters)),
        complaint_precision=share(len(flagged & set(cluster_of)), len(flagged)),
        complaint_recall=share(len(flagged & set(cluster_of)), len(cluster_of)),
        background_texts=f"{source}, each about a random one of the 200 businesses",
        planted_copy_similarity=copy_similarity,
        fixture=f"{len(complaints)} complaints: valid_intake + parse_intake, then bulk_create with the "
        f"fields complaint_submit sets, {fixture_seconds:.1f} s, not timed above",
        service_complaint_submit=service_submit_rate(records, rng),
        timed="alerts.detect_mass_complaint(complaint=..., now=received_at) per complaint, in arrival order, "
        "complaint loaded beforehand with select_related as the task does",
    )


# --- main -----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--businesses", type=int, default=20_000)
    parser.add_argument("--complaints", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--texts", type=int, default=2_000)
    default = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    parser.add_argument("--database", choices=["sqlite", "postgres"], default=default)
    args = parser.parse_args()
    drop = configure(args.database)
    try:
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        from bvntd.core.personas import create_personas

        setup_test_environment(debug=False)  # locmem mail; no query log in the timings
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0, stdout=io.StringIO())  # stdout: JSON lines only
        create_personas(password=None)
        FACTS.update(machine_facts())
        FACTS["hash_seed"] = os.environ.get("PYTHONHASHSEED", "random")

        rng = random.Random(SEED)
        records = make_registry(args.businesses, rng)
        registry_load(records, rng)
        analyze()
        candidate_match(records, rng, args.queries)
        minhash(args.texts)
        mass_alert_detection(records, rng, args.complaints)
    finally:
        drop()


if __name__ == "__main__":
    main()
