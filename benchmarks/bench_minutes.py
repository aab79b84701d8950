"""Minutes and bundle figures: Markdown minutes of the large plan (goal ≤ 50 ms), the HTML
page, and how fast a hostile bundle (work factor 2^30) is refused (goal < 100 ms).

Run: python -m benchmarks.bench_minutes
"""

from __future__ import annotations

import base64
import statistics
import time

from benchmarks.plans import large_plan


def _median_ms(fn, rounds: int = 30) -> float:  # noqa: ANN001
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def hostile_bundle() -> bytes:
    salt = base64.b64encode(b"\x00" * 16).rstrip(b"=")
    body = base64.b64encode(b"\x00" * 32).rstrip(b"=")
    header = b"age-encryption.org/v1\n-> scrypt " + salt + b" 30\n" + body + b"\n--- " + body + b"\n"
    return header + b"\x00" * 64


def main() -> list[tuple[str, str, str, str]]:
    from kiptui.bundle import BundleError, open_bundle
    from kiptui.minutes import render_html, render_markdown

    plan = large_plan()
    last = plan.meetings[-1]
    md_ms = _median_ms(lambda: render_markdown(plan, last))
    text = render_markdown(plan, last)
    html_ms = _median_ms(lambda: render_html(text, "Referat"))
    data = hostile_bundle()

    def refuse() -> None:
        try:
            open_bundle(data, "en-hvilken-som-helst-frase")
        except BundleError:
            return
        raise AssertionError("a hostile bundle was accepted")

    hostile_ms = _median_ms(refuse, rounds=50)
    return [
        ("Markdown minutes, large plan (median)", f"{md_ms:.1f} ms", f"{len(text) / 1024:.0f} KiB of Markdown", "≤ 50 ms"),
        ("HTML page of those minutes (median)", f"{html_ms:.1f} ms", "markdown-it-py js-default", ""),
        ("hostile bundle refused (scrypt 2^30)", f"{hostile_ms:.2f} ms", "before any key derivation", "< 100 ms"),
    ]


if __name__ == "__main__":
    from benchmarks import print_table

    print_table(main())
