"""National-scale benchmarks, one command: every figure beside its own limit, measured in the same run.

    bench/run                       # 1,000,000 complaints (generated once, then reused)
    bench/run --complaints 10000000 # ten million: generate first (about an hour, 40 GB), then measure
    bench/run --quick               # 100,000 complaints, shorter runs: under five minutes from nothing

Prints one JSON line per figure on stdout (progress on stderr) and keeps them in var/bench/run-N.jsonl:
- intake_fixed_rate, intake_saturation (with the raw psycopg limit and the ratio), web_worker_peak_rss
  (bench/intake_http.py: gunicorn with workers = cores, load from bench/load.py in another process);
- inbox_* (first page, status filter, text search with and without diacritics; limit: hand-written SQL);
- stats_* (the rollup, nationally and for a province, over twelve months; beside it the raw count, and
  whether they agree);
- sweep_newly_overdue (the deadline sweep at the moment a working day's cases fall due; limit: one SQL
  statement), rolled back;
- machine: cores, memory, PostgreSQL and its settings, load average before and after.
The database is bvntd_scale_<N> on postgres@127.0.0.1:5432, made by bench/generate.py when missing (its keys
in var/bench/<name>.env) and left in place for the next run; --regenerate makes it anew. The app's migrations
are applied to it and the sector model trained on the shipped seed set (intake routes with it).
"""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from intake_http import read_env  # noqa: E402 (bench/ is on the path from here)

SERVER = "postgresql://postgres@127.0.0.1:5432"
# The generator's reference time: the data stops the day before.
NOW = dt.datetime(2026, 11, 28, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
# Monday 30/11/2026's cases are due at the end of that day: at midnight they are newly overdue.
SWEEP_AT = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))

ALL = ("intake", "inbox", "stats", "sweep")
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 complaints and short runs")
    parser.add_argument("--businesses", type=int, help="registry size (default 1,000,000; quick 100,000)")
    parser.add_argument("--database", help="default bvntd_scale_<N>")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=150.0, help="intake: the fixed offered rate")
    parser.add_argument("--duration", type=float, help="seconds per intake run (default 30, quick 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="intake: clients at saturation")
    parser.add_argument("--threads", type=int, default=1, help="intake: gunicorn threads per worker")
    parser.add_argument("--runs", type=int, help="runs per read figure (default 30, quick 15)")
    parser.add_argument("--only", default=",".join(ALL), help="comma-separated: " + ",".join(ALL))
    args = parser.parse_args()
    if args.quick:
        args.complaints = 100_000
    args.businesses = args.businesses or (100_000 if args.quick else 1_000_000)
    args.duration = args.duration or (10.0 if args.quick else 30.0)
    args.runs = args.runs or (15 if args.quick else 30)
    args.database = args.database or f"bvntd_scale_{suffix(args.complaints)}"
    args.only = set(args.only.split(","))
    return args


def suffix(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"


def database_ready(name: str, complaints: int, businesses: int) -> bool:
    import psycopg

    report = ROOT / "var" / "bench" / f"{name}.json"
    env_file = ROOT / "var" / "bench" / f"{name}.env"
    if not (report.exists() and env_file.exists()):
        return False
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    made = json.loads(report.read_text())
    return bool(exists) and (made["complaints"], made["businesses"]) == (complaints, businesses)


def ensure_database(args) -> Path:
    env_file = ROOT / "var" / "bench" / f"{args.database}.env"
    if args.regenerate or not database_ready(args.database, args.complaints, args.businesses):
        log(f"generating {args.complaints:,} complaints into {args.database} (bench/generate.py)")
        subprocess.run(  # noqa: S603 (our own script)
            [sys.executable, str(ROOT / "bench" / "generate.py"), f"--complaints={args.complaints}",
             f"--businesses={args.businesses}", f"--seed={args.seed}", f"--database={args.database}",
             "--keep", "--recreate"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    else:
        log(f"reusing {args.database} ({args.complaints:,} complaints)")
    # The app's migrations may be newer than the data: apply them (a no-op when they are not).
    env = {**os.environ, **read_env(env_file), "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    # Intake routes with the sector model, as in production: train it on the shipped seed set if missing.
    subprocess.run(
        [sys.executable, "manage.py", "train_router", "--seed-only", "--if-missing"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return env_file


def machine(conn) -> dict:
    settings = {
        name: conn.execute(f"SHOW {name}").fetchone()[0]
        for name in ("server_version", "shared_buffers", "work_mem", "synchronous_commit", "autovacuum")
    }
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1),
        "cpu": cpu_model(),
        "postgresql": settings,
        "python": platform.python_version(),
    }


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main() -> None:
    args = parse_args()
    partial = "" if args.only == set(ALL) else "-" + "-".join(sorted(args.only))
    out = ROOT / "var" / "bench" / f"run-{suffix(args.complaints)}{partial}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    env_file = ensure_database(args)
    os.environ.update(read_env(env_file))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    import psycopg
    import reads
    from intake_http import intake_figures

    dsn = f"{SERVER}/{args.database}"
    conn = psycopg.connect(dsn)
    common = {"complaints": args.complaints, "businesses": args.businesses, "database": args.database}
    lines = []

    def emit(figure: dict) -> None:
        line = json.dumps({**figure, **common}, ensure_ascii=False, default=str)
        lines.append(line)
        print(line, flush=True)

    load_before = os.getloadavg()[0]
    emit({"figure": "machine", **machine(conn), "load_1m_before": round(load_before, 2)})
    agency_id, agency_code, province = reads.busiest_agency(conn)
    conn.commit()
    if "inbox" in args.only:
        log(f"inbox of {agency_code}, {args.runs} runs a query")
        figures, plans = reads.inbox_figures(conn, agency_id, NOW, args.runs)
        conn.commit()
        for figure in figures:
            emit({**figure, "agency": agency_code})
        plan_file = ROOT / "var" / "bench" / f"plans-{suffix(args.complaints)}.txt"
        plan_file.write_text("".join(f"-- {name}\n{plan}\n\n" for name, plan in plans.items()))
        log(f"query plans in {plan_file.relative_to(ROOT)}")
    if "stats" in args.only:
        log("statistics")
        for figure in reads.statistics_figures(province, NOW.date(), args.runs):
            emit({**figure, "province": province})
    if "sweep" in args.only:
        log("deadline sweep")
        emit(reads.sweep_figure(conn, SWEEP_AT))
        conn.rollback()
    if "intake" in args.only:
        log(f"intake: {args.rate:g}/s for {args.duration:g}s, then {args.concurrency} clients")
        for figure in intake_figures(
            conn,
            dsn,
            env_file,
            rate=args.rate,
            duration=args.duration,
            concurrency=args.concurrency,
            threads=args.threads,
        ):
            emit(figure)
    emit(
        {
            "figure": "run",
            "seconds": round(time.perf_counter() - STARTED, 1),
            "load_1m_before": round(load_before, 2),
            "load_1m_after": round(os.getloadavg()[0], 2),
            "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        }
    )
    conn.close()
    out.write_text("\n".join(lines) + "\n")
    log(f"figures in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
