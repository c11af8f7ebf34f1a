#!/usr/bin/env python3
"""Outside load on a running `careerhub serve`: N asyncssh sessions that type.

A client that is not ours (asyncssh, not russh), as an outside load test would use. Each
session opens a pty (100x30), waits for its first frame, then types `j`/`k` about 30 times a
second (one key, wait for the frame, sleep) and reports keystroke -> first byte of the next
frame. Not part of CI. Needs `pip install asyncssh` and a server started with caps that
admit every session from one address, e.g.:

    cargo build --release
    target/release/careerhub serve --listen 127.0.0.1:2222 --max-connections 2000 \\
        --max-per-ip 2000 --max-unauthenticated 4000 --penalties off &
    python3 benches/asyncssh_load.py --port 2222 --sessions 200 --keys 40
"""

import argparse
import asyncio
import statistics
import time

import asyncssh


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[round((len(values) - 1) * p)]


async def next_frame(process):
    """Waits for the next data from the server (a frame, or its first packet)."""
    data = await process.stdout.read(65536)
    if not data:
        raise ConnectionError("channel closed")


async def drain(process, quiet=0.1):
    """Takes everything the server still sends until it is quiet for `quiet` seconds."""
    while True:
        try:
            await asyncio.wait_for(process.stdout.read(65536), quiet)
        except asyncio.TimeoutError:
            return


async def session(args, go, opened, firsts, latencies, failures):
    try:
        async with asyncssh.connect(
            args.host,
            args.port,
            username="bench",
            password="unused",  # answers keyboard-interactive, which asks nothing
            preferred_auth="keyboard-interactive",
            known_hosts=None,
            client_keys=None,
            agent_path=None,
        ) as conn:
            start = time.perf_counter()
            process = await conn.create_process(
                term_type="xterm", term_size=(100, 30), encoding=None
            )
            await next_frame(process)
            firsts.append((time.perf_counter() - start) * 1000)
            await drain(process)
            opened.release()
            await go.wait()
            for i in range(args.keys):
                t = time.perf_counter()
                process.stdin.write(b"j" if i % 2 == 0 else b"k")
                await next_frame(process)
                latencies.append((time.perf_counter() - t) * 1000)
                await asyncio.sleep(1 / args.rate)
            process.stdin.write(b"\x03")
            await process.wait_closed()
    except (OSError, asyncssh.Error) as e:
        failures.append(str(e))
        opened.release()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2222)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--rate", type=float, default=30.0, help="keys a second per session")
    args = parser.parse_args()

    go = asyncio.Event()
    opened = asyncio.Semaphore(0)
    firsts, latencies, failures = [], [], []
    tasks = [
        asyncio.create_task(session(args, go, opened, firsts, latencies, failures))
        for _ in range(args.sessions)
    ]
    for _ in range(args.sessions):
        await opened.acquire()
    go.set()
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - started

    print(f"sessions:                 {args.sessions} asyncssh clients ({len(failures)} failed)")
    if failures:
        print(f"first failure:            {failures[0]}")
    print(
        f"first frame (ms):         p50 {percentile(firsts, 0.5):.1f}  "
        f"p99 {percentile(firsts, 0.99):.1f}"
    )
    print(
        f"keystroke -> frame (ms):  p50 {percentile(latencies, 0.5):.2f}  "
        f"p99 {percentile(latencies, 0.99):.2f}  ({len(latencies)} keys, "
        f"{len(latencies) / wall:.0f} a second, mean {statistics.fmean(latencies or [0]):.2f})"
    )


if __name__ == "__main__":
    asyncio.run(main())
