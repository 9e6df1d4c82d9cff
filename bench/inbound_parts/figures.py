"""The figures of one measured run, and the table that puts the bot beside the echo."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    label: str
    updates: int
    per_second: float
    p50: float
    p95: float
    p99: float
    cpu_ms: float
    peak_mb: float
    sql: float
    transactions: float

    @classmethod
    def of(cls, label: str, latencies: list[float], elapsed: float, delta: dict[str, float],
           peak_mb: float) -> Figures:  # fmt: skip
        done = sorted(latencies)
        n = max(1, len(done))

        def pct(p: float) -> float:
            return done[min(len(done) - 1, int(len(done) * p))] * 1000 if done else 0.0

        return cls(
            label, len(done), len(done) / elapsed, pct(0.50), pct(0.95), pct(0.99),
            delta["cpu"] * 1000 / n, peak_mb, delta["statements"] / n,
            (delta["commits"] + delta["rollbacks"]) / n,
        )  # fmt: skip


def print_table(rows: list[Figures]) -> None:
    """One line a run; a bot's CPU per update also as a multiple of the echo's, same mode."""
    echo = {r.label.split()[2] + r.label.split()[-1]: r for r in rows if r.label[:4] == "echo"}
    print(
        f"{'run':33} {'upd/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/upd':>10} {'x echo':>6} {'RSS MB':>7} {'SQL/upd':>7} {'tx/upd':>6}"
    )
    for r in rows:
        parts = r.label.split()
        mode = "webhook" if parts[2] in ("webhook", "2", "3", "4") else parts[2]
        base = echo.get(mode + parts[-1])
        ratio = f"{r.cpu_ms / base.cpu_ms:6.1f}" if base and base is not r else "     -"
        latency = f"{r.p50:7.1f} {r.p95:7.1f} {r.p99:7.1f}"
        print(
            f"{r.label:33} {r.per_second:7.1f} {latency} {r.cpu_ms:10.2f} {ratio} "
            f"{r.peak_mb:7.1f} {r.sql:7.2f} {r.transactions:6.2f}"
        )
