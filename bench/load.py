"""An HTTP load client in its own process (bench/run starts it): POSTs prepared JSON bodies and times them.

    # open loop: a request every 1/150 s, whatever the server does
    .venv/bin/python bench/load.py --url http://127.0.0.1:8765/api/v1/complaints \
        --bodies var/bench/bodies.jsonl --rate 150 --duration 30
    # closed loop: saturation
    .venv/bin/python bench/load.py ... --concurrency 8 --duration 20

Open loop: request i is due at start + i/rate and its latency counts from that moment, so a server that
falls behind is charged for the queue it builds (no coordinated omission). Closed loop: C clients each send
the next request as soon as the last one is answered. Plain asyncio streams, one connection per request
(gunicorn's sync workers close it after each answer). Prints one JSON object.
"""

import argparse
import asyncio
import json
import time
from collections import Counter
from urllib.parse import urlsplit

from measure import percentile


class Client:
    def __init__(self, url: str, bodies: list[bytes]):
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port or 80, parts.path
        self.bodies = bodies
        self.next = 0
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()

    def body(self) -> bytes:
        body = self.bodies[self.next % len(self.bodies)]
        self.next += 1
        return body

    async def post(self, body: bytes, since: float) -> None:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            writer.write(
                f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            answer = await reader.read()
            writer.close()
            status = answer[9:12].decode() if answer.startswith(b"HTTP/1.") else "bad"
        except OSError as error:
            status = type(error).__name__
        self.latencies.append(time.perf_counter() - since)
        self.statuses[status] += 1


async def open_loop(client: Client, rate: float, duration: float) -> float:
    total = int(rate * duration)
    started = time.perf_counter()
    tasks = []
    for i in range(total):
        due = started + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(client.post(client.body(), due)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - started


async def closed_loop(client: Client, concurrency: int, duration: float) -> float:
    started = time.perf_counter()
    stop = started + duration

    async def worker():
        while time.perf_counter() < stop:
            since = time.perf_counter()
            await client.post(client.body(), since)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--bodies", required=True, help="a JSON body per line")
    parser.add_argument("--rate", type=float, help="open loop: requests per second offered")
    parser.add_argument("--concurrency", type=int, help="closed loop: clients sending back to back")
    parser.add_argument("--duration", type=float, default=30.0)
    args = parser.parse_args()
    if (args.rate is None) == (args.concurrency is None):
        parser.error("give --rate (open loop) or --concurrency (closed loop)")
    with open(args.bodies, "rb") as lines:
        bodies = [line.rstrip(b"\n") for line in lines if line.strip()]
    client = Client(args.url, bodies)
    cpu = time.process_time()
    if args.rate:
        elapsed = asyncio.run(open_loop(client, args.rate, args.duration))
    else:
        elapsed = asyncio.run(closed_loop(client, args.concurrency, args.duration))
    ok = client.statuses.get("201", 0)
    ms = [1000 * s for s in client.latencies]
    print(
        json.dumps(
            {
                "mode": "open" if args.rate else "closed",
                "offered_per_s": args.rate,
                "concurrency": args.concurrency,
                "seconds": round(elapsed, 2),
                "requests": len(client.latencies),
                "created": ok,
                "statuses": dict(client.statuses),
                "created_per_s": round(ok / elapsed, 1),
                "p50_ms": round(percentile(ms, 50), 1) if ms else None,
                "p90_ms": round(percentile(ms, 90), 1) if ms else None,
                "p99_ms": round(percentile(ms, 99), 1) if ms else None,
                "max_ms": round(max(ms), 1) if ms else None,
                # The client's own CPU: it shares the machine's two cores with the server.
                "client_cpu_s": round(time.process_time() - cpu, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
