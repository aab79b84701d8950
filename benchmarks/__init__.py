"""kiptui's benchmarks: figures, never pass/fail gates. Run: python -m benchmarks"""


def print_table(rows: list[tuple[str, ...]]) -> None:
    headers = ("figure", "measured", "baseline / detail", "goal")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
