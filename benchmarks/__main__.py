"""Every kiptui figure in one table: python -m benchmarks

Figures, never pass/fail gates; docs/PERFORMANCE.md records them with the machine and method.
Each pair (ours vs its baseline) is measured side by side in the same run.
"""

from __future__ import annotations

import os
import platform
import sys
import time

from benchmarks import bench_follow, bench_minutes, bench_ui, bench_vault, print_table


def main() -> None:
    started = time.perf_counter()
    print(f"kiptui benchmarks · Python {platform.python_version()} · {platform.machine()} · "
          f"{os.cpu_count()} CPUs · load {os.getloadavg()[0]:.2f}", flush=True)
    rows: list[tuple[str, str, str, str]] = []
    for name, fn in (("vault", bench_vault.main), ("minutes and bundles", bench_minutes.main),
                     ("UI", bench_ui.main), ("follow view", bench_follow.table_rows)):
        print(f"… {name}", file=sys.stderr, flush=True)
        rows.extend(fn())
    print_table(rows)
    print(f"(all figures in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
