"""Intake and inbox, in-process: how long the real request path takes without network or server overhead.

    .venv/bin/python bench/intake.py [--complaints 500] [--database sqlite|postgres]

It builds a fresh database (a temp SQLite file, or a database `bvntd_bench` on the local PostgreSQL), loads
the reference data, then times N complaints through POST /api/v1/complaints (Django's test client: URL
routing, middleware, validation, encryption, the service and its event) and the first page of the
officer's inbox, plain and with a search without diacritics. Prints one JSON line per figure.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "1"  # throw-away keys; the timings do not depend on it
    if database == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bvntd_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE bvntd_bench")
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/bvntd_bench"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def emit(name: str, samples: list[float], **extra) -> None:
    print(
        json.dumps(
            {
                "figure": name,
                "n": len(samples),
                "per_second": round(len(samples) / sum(samples), 1),
                "p50_ms": round(percentile(samples, 50) * 1000, 2),
                "p95_ms": round(percentile(samples, 95) * 1000, 2),
                "p99_ms": round(percentile(samples, 99) * 1000, 2),
                **extra,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=500)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    configure(args.database)

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bvntd.core.personas import create_personas

    setup_test_environment()  # ALLOWED_HOSTS for the test client, locmem mail
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    users = create_personas(password=None)
    from conftest import valid_intake

    client = Client()
    samples = []
    descriptions = [
        "Tôi mua điện thoại bị lỗi màn hình, cửa hàng không đổi.",
        "Sữa bột hết hạn vẫn bán, con tôi bị tiêu chảy.",
        "Nhà mạng trừ tiền dịch vụ tôi không đăng ký.",
        "Đặt tour du lịch bị hủy nhưng không hoàn cọc.",
    ]
    for i in range(args.complaints):
        body = json.dumps(
            valid_intake(description=f"{descriptions[i % 4]} Mã đơn {i}.", purchased_on="2026-01-10")
        )
        start = time.perf_counter()
        response = client.post("/api/v1/complaints", body, content_type="application/json")
        samples.append(time.perf_counter() - start)
        assert response.status_code == 201, response.content
    emit("intake_api_in_process", samples, database=args.database)

    client.force_login(users["canbo.sct"])
    for name, params in (("inbox_first_page", {}), ("inbox_search_dien_thoai", {"q": "dien thoai"})):
        samples = []
        for _ in range(50):
            start = time.perf_counter()
            response = client.get("/can-bo/ho-so/", params)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200
        emit(name, samples, database=args.database, open_cases=args.complaints)


if __name__ == "__main__":
    main()
