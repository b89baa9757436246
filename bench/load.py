"""Load run: the public report and lists under concurrent clients, bounded in time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench_national \
        python bench/load.py --clients 50 --seconds 60

Starts gunicorn on loopback (unless --url is given), then runs `--clients` clients
that each request the public pages in turn for `--seconds`, over plain sockets with
asyncio (no client library, so the client costs little of the machine's two cores).
Prints throughput, latency percentiles and errors (anything but 200, and timeouts).
Not a test: it asserts nothing."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PATHS = [
    "/cong-khai/",
    "/bao-cao/2019/",
    "/bao-cao/2018/",
    "/cong-khai/cum-cong-nghiep/",
    "/cong-khai/lang-nghe/",
    "/cong-khai/du-an-ho-tro/",
    "/cong-khai/hoi-cho/",
    "/cong-khai/lang-nghe/?trang=7",
    "/cong-khai/du-an-ho-tro/?trang=3",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round((len(ordered) - 1) * p)))]


async def fetch(host: str, port: int, path: str, timeout: float) -> int:
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port), timeout
    )
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
            "User-Agent: kc-bench\r\n\r\n".encode()
        )
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status_line = data.split(b"\r\n", 1)[0].split()
    return int(status_line[1]) if len(status_line) > 1 else 0


async def client(n, host, port, paths, deadline, latencies, errors, timeout):
    i = n
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            status = await fetch(host, port, path, timeout)
        except (TimeoutError, OSError) as exc:
            errors.append(f"{path}: {type(exc).__name__}")
            continue
        latencies.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            errors.append(f"{path}: HTTP {status}")


async def run(url: str, clients: int, seconds: float, timeout: float, paths):
    parts = urlsplit(url)
    latencies: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(
            client(n, parts.hostname, parts.port or 80, paths, deadline, latencies,
                   errors, timeout)
            for n in range(clients)
        )
    )  # fmt: skip
    return latencies, errors, time.monotonic() - started


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "WARNING",
        **os.environ,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "khuyencong.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/cong-khai/", timeout=5)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; default: start gunicorn")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        server = start_gunicorn(args.port, args.workers)
        url = f"http://127.0.0.1:{args.port}"
    try:
        # One request per page first: the figures are for a warm server.
        for path in PATHS:
            try:
                urllib.request.urlopen(url + path, timeout=args.timeout)
            except OSError as exc:
                print(f"warm-up {path}: {exc}")
        latencies, errors, elapsed = asyncio.run(
            run(url, args.clients, args.seconds, args.timeout, PATHS)
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    done = len(latencies)
    print(
        f"load: {args.clients} clients, {elapsed:.0f} s, {url} "
        f"({os.environ.get('DATABASE_URL', 'default database')})"
    )
    print(f"   requests {done:,}, throughput {done / elapsed:,.1f} req/s")
    if latencies:
        figures = {
            "median": statistics.median(latencies),
            "p90": percentile(latencies, 0.90),
            "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99),
            "max": max(latencies),
            "mean": statistics.fmean(latencies),
        }
        print("   latency ms: " + ", ".join(f"{k} {v:.0f}" for k, v in figures.items()))
    print(f"   errors {len(errors)}")
    for line in sorted(set(errors))[:20]:
        print(f"     {line} ×{errors.count(line)}")


if __name__ == "__main__":
    main()
