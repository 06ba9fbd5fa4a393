"""The intake figures of bench/run: complaints through the real HTTP path, beside the raw write limit.

1. Bodies: realistic intake JSON (the demo's complaint templates, real provinces and communes, a registered
   business's tax code for some, phones and e-mails), written once to var/bench/bodies.jsonl.
2. gunicorn serves the app (config.wsgi, workers = cores, DEBUG off, persistent database connections) on the
   bench database; bench/load.py, a separate process, offers a fixed rate (open loop) and then saturates it
   (closed loop). Each worker's peak RSS (VmHWM) is read from /proc when the load ends.
3. The limit: the rows the HTTP path wrote for those complaints (the complaint, every row that points at it,
   its task-queue rows and its statistics upsert) are written again straight through psycopg, one
   transaction per complaint, from as many connections as there are workers, into the same tables with the
   same indexes. Complaints per second of that, and the ratio.
4. Everything both wrote is deleted again (the bench database stays as generated, its rollup exact).
"""

import datetime as dt
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
COMPLAINT = "complaints_complaint"
TASKS = "django_tasks_database_dbtaskresult"
STATS = "stats_monthlycount"


# --- bodies -------------------------------------------------------------------------------------------------


def write_bodies(path: Path, count: int, seed: int, conn) -> None:
    from bvntd.complaints.demo_texts import (
        FAMILY,
        GIVEN_F,
        GIVEN_M,
        MIDDLE_F,
        MIDDLE_M,
        MOBILE_PREFIXES,
        STREETS,
        TEMPLATES,
    )
    from bvntd.core.text import fold

    rng = random.Random(seed)
    communes: dict[str, list[str]] = {}
    for province, commune in conn.execute(
        "SELECT province_id, code FROM geo_commune WHERE valid_to IS NULL ORDER BY code"
    ):
        communes.setdefault(province, []).append(commune)
    provinces = sorted(communes)
    tax_codes = [
        row[0]
        for row in conn.execute(
            "SELECT tax_code FROM businesses_business TABLESAMPLE SYSTEM (1) WHERE tax_code <> '' LIMIT 2000"
        )
    ]
    today = dt.date.today()
    with path.open("w") as out:
        for i in range(count):
            template = rng.choice(TEMPLATES)
            business = rng.choice(template.businesses)
            purchased = today - dt.timedelta(days=rng.randint(1, 45))
            amount = rng.randrange(2, 500) * 10_000 if template.amount else None
            female = rng.random() < 0.5
            family, given = rng.choice(FAMILY), rng.choice(GIVEN_F if female else GIVEN_M)
            province = rng.choice(provinces)
            email = f"{fold(given)}.{fold(family)}.{i}@example.com" if rng.random() < 0.45 else ""
            body = {
                "consumer_name": f"{family} {rng.choice(MIDDLE_F if female else MIDDLE_M)} {given}",
                "phone": f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}",
                "email": email,
                "address": f"Số {rng.randint(1, 250)} {rng.choice(STREETS)}",
                "province_code": province,
                "commune_code": rng.choice(communes[province]) if rng.random() < 0.85 else "",
                "business_name": business,
                "business_tax_code": rng.choice(tax_codes) if tax_codes and rng.random() < 0.3 else "",
                "description": template.text.format(
                    dn=business,
                    ngay=f"{purchased:%d/%m/%Y}",
                    tien=f"{amount or 0:,}".replace(",", "."),
                    thang=purchased.month,
                ),
                "amount_vnd": amount,
                "purchased_on": purchased.isoformat(),
                "desired_outcome": template.wish,
                "contacted_business": rng.choice([True, True, False, None]),
                "publish_consent": rng.random() < 0.6,
                "consent": True,
            }
            out.write(json.dumps(body, ensure_ascii=False) + "\n")


# --- the server ---------------------------------------------------------------------------------------------


class Server:
    def __init__(self, env_file: Path, workers: int, port: int, threads: int = 1):
        self.port = port
        self.env = {**os.environ, **read_env(env_file)}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(40),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_COOKIES": "0",
                "LOG_LEVEL": "WARNING",
                "DB_CONN_MAX_AGE": "600",
            }
        )
        self.command = [
            str(Path(PY).with_name("gunicorn")),
            "config.wsgi",
            f"--workers={workers}",
            # Threads overlap a worker's waits on PostgreSQL (each commit waits for the disk) with another
            # request's Python; one thread is gunicorn's plain sync worker.
            f"--threads={threads}",
            f"--worker-class={'gthread' if threads > 1 else 'sync'}",
            f"--bind=127.0.0.1:{port}",
            "--backlog=4096",
            "--log-level=warning",
        ]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)  # noqa: S603 (our command)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/openapi.json", timeout=5)
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def peak_rss_mb(self) -> dict[int, float]:
        peaks = {}
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks[pid] = round(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024, 1)
        return peaks

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)


def read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def load(
    port: int, bodies: Path, *, rate: float | None = None, concurrency: int | None = None, duration: float
):
    command = [PY, str(ROOT / "bench" / "load.py"), f"--url=http://127.0.0.1:{port}/api/v1/complaints"]
    command += [f"--bodies={bodies}", f"--duration={duration}"]
    command += [f"--rate={rate}"] if rate else [f"--concurrency={concurrency}"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(result.stdout)


# --- what the path wrote, and the raw replay ----------------------------------------------------------------


def child_tables(conn) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to the complaint, but the complaint's own."""
    return conn.execute(
        "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.confrelid = %s::regclass AND c.contype = 'f' AND c.conrelid <> c.confrelid ORDER BY 1, 2",
        [COMPLAINT],
    ).fetchall()


def table_writes(conn) -> dict[str, int]:
    """Rows inserted and updated per table so far (PostgreSQL's statistics, flushed about every second)."""
    time.sleep(1.2)
    conn.execute("SELECT pg_stat_clear_snapshot()")
    return {
        name: inserted + updated
        for name, inserted, updated in conn.execute(
            "SELECT relname, n_tup_ins, n_tup_upd FROM pg_stat_user_tables"
        )
    }


class Replay:
    """The rows of complaints id > after, read back, to be written again as new complaints."""

    def __init__(self, conn, after: int, since: dt.datetime):
        self.children = child_tables(conn)
        self.complaints = fetch(conn, f"SELECT * FROM {COMPLAINT} WHERE id > %s ORDER BY id", [after])
        ids = [row["id"] for row in self.complaints]
        self.rows: dict[int, list[tuple[str, str, dict]]] = {pk: [] for pk in ids}
        for table, column in self.children:
            for row in fetch(conn, f"SELECT * FROM {table} WHERE {column} = ANY(%s)", [ids]):
                self.rows[row[column]].append((table, column, row))
        tasks = fetch(conn, f"SELECT * FROM {TASKS} WHERE enqueued_at >= %s", [since])
        # Task rows carry no foreign key: hand them out evenly, as intake wrote them.
        self.tasks = {pk: tasks[i :: len(ids)] for i, pk in enumerate(ids)} if ids else {}
        self.since = since

    def run(self, dsn: str, connections: int) -> dict:
        import psycopg

        new_ids: list[int] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def write(part: list[dict]) -> None:
            try:
                with psycopg.connect(dsn) as conn:
                    for complaint in part:
                        with conn.transaction():
                            pk = self._one(conn, complaint)
                        with lock:
                            new_ids.append(pk)
            except BaseException as error:  # handed to the caller
                errors.append(error)

        parts = [self.complaints[i::connections] for i in range(connections)]
        threads = [threading.Thread(target=write, args=(part,)) for part in parts]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        if errors:
            raise RuntimeError("the raw replay failed") from errors[0]
        return {"complaints": len(new_ids), "seconds": seconds, "ids": new_ids}

    def _one(self, conn, complaint: dict) -> int:
        from bvntd.stats.rollup import ADD, month_of

        row = dict(complaint)
        old = row.pop("id")
        row["tracking_code"] = "Z" + row["tracking_code"][1:]
        pk = insert(conn, COMPLAINT, row, returning="id")
        for table, column, child in self.rows[old]:
            child = {k: v for k, v in child.items() if k != "id"}
            child[column] = pk
            insert(conn, table, child)
        for task in self.tasks.get(old, ()):
            insert(conn, TASKS, {**task, "id": uuid.uuid4()})
        month = month_of(complaint["received_at"])
        conn.execute(
            ADD, [month, complaint["province_id"], complaint["sector_id"] or "", 1, 1, 0, 0], prepare=True
        )
        return pk


def fetch(conn, sql: str, params) -> list[dict]:
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(sql, params).fetchall()


def insert(conn, table: str, row: dict, returning: str = ""):
    from psycopg.types.json import Jsonb

    columns = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    values = [Jsonb(v) if isinstance(v, dict | list) else v for v in row.values()]
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    if returning:
        return conn.execute(sql + f" RETURNING {returning}", values, prepare=True).fetchone()[0]
    conn.execute(sql, values, prepare=True)
    return None


def clean_up(conn, after: int, since: dt.datetime) -> int:
    """Delete every complaint with id > after and what points at it, the task rows since `since`, and take
    them out of the statistics rollup. The events are append-only (a trigger), so this runs as a
    replication session, which skips triggers: a bench database only."""
    from bvntd.complaints.models import Complaint
    from bvntd.stats import rollup

    # What these complaints count for in the rollup, by the rollup's own definition.
    buckets = list(rollup.raw_counts(Complaint.objects.filter(pk__gt=after)))
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        ids = [row[0] for row in conn.execute(f"SELECT id FROM {COMPLAINT} WHERE id > %s", [after])]
        for table, column in child_tables(conn):
            conn.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [ids])
        conn.execute(f"DELETE FROM {COMPLAINT} WHERE id = ANY(%s)", [ids])
        conn.execute(f"DELETE FROM {TASKS} WHERE enqueued_at >= %s", [since])
        for row in buckets:
            key = [row["month"], row["province_id"], row["sector_code"]]
            conn.execute(rollup.MOVE, [-row[name] for name in rollup.COUNTS] + key)
    # Autovacuum is off on this server: without this the dead rows and stale statistics of one run would
    # change the plans of the next.
    conn.autocommit = True
    try:
        for table in (COMPLAINT, "complaints_complaintevent", TASKS, STATS, "routing_sectorsuggestion"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        conn.autocommit = False
    return len(ids)


# --- the figures --------------------------------------------------------------------------------------------


def intake_figures(
    conn,
    dsn: str,
    env_file: Path,
    *,
    rate: float,
    duration: float,
    concurrency: int,
    threads: int,
    port: int = 8765,
) -> list[dict]:
    workers = os.cpu_count() or 2
    bodies = ROOT / "var" / "bench" / "bodies.jsonl"
    needed = int(rate * (duration + 10) + 400 * duration) + 1000
    write_bodies(bodies, needed, seed=7, conn=conn)
    after = conn.execute(f"SELECT coalesce(max(id), 0) FROM {COMPLAINT}").fetchone()[0]
    since = conn.execute("SELECT now()").fetchone()[0]
    conn.commit()
    figures = []
    try:
        before = table_writes(conn)
        # Start from a settled disk: the earlier figures (the sweep's rolled-back transaction) leave dirty
        # pages that a checkpoint would otherwise write in the middle of the measured run.
        conn.execute("CHECKPOINT")
        with Server(env_file, workers, port, threads) as server:
            # Warm up at the offered rate (imports, connections, the sector model, the reference caches),
            # then measure the sustained rate.
            load(port, bodies, rate=rate, duration=10)
            fixed = load(port, bodies, rate=rate, duration=duration)
            saturated = load(port, bodies, concurrency=concurrency, duration=duration)
            peaks = server.peak_rss_mb()
        written = table_writes(conn)
        created = conn.execute(f"SELECT count(*) FROM {COMPLAINT} WHERE id > %s", [after]).fetchone()[0]
        per_complaint = {
            table: round((written.get(table, 0) - before.get(table, 0)) / created, 2)
            for table in sorted(written)
            if written.get(table, 0) != before.get(table, 0)
        }
        replay = Replay(conn, after, since)
        conn.commit()
        raw = replay.run(dsn, workers)
        raw_rate = raw["complaints"] / raw["seconds"]
        figures += [
            {
                "figure": "intake_fixed_rate",
                "offered_per_s": rate,
                "created_per_s": fixed["created_per_s"],
                "p50_ms": fixed["p50_ms"],
                "p99_ms": fixed["p99_ms"],
                "max_ms": fixed["max_ms"],
                "statuses": fixed["statuses"],
                "target": "p99 <= 150 ms at 150/s",
            },
            {
                "figure": "intake_saturation",
                "concurrency": concurrency,
                "created_per_s": saturated["created_per_s"],
                "p50_ms": saturated["p50_ms"],
                "p99_ms": saturated["p99_ms"],
                "statuses": saturated["statuses"],
                "limit": "the same rows through psycopg, one transaction per complaint",
                "limit_per_s": round(raw_rate, 1),
                "ratio": round(saturated["created_per_s"] / raw_rate, 3),
                "target": ">= 300/s; moonshot ratio 0.4",
                "rows_written_per_complaint": per_complaint,
                "load_client_cpu_s": saturated["client_cpu_s"],
                "workers": workers,
                "threads": threads,
            },
            {
                "figure": "web_worker_peak_rss",
                "mb": max(peaks.values()),
                "workers_mb": sorted(peaks.values()),
                "target": "<= 250 MB",
            },
        ]
    finally:
        conn.rollback()
        removed = clean_up(conn, after, since)
        figures.append({"figure": "intake_cleanup", "complaints_removed": removed})
    return figures
