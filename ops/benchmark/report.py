"""Markdown tables of benchmark results, for docs/performance.md.

    python ops/benchmark/report.py benchmarks/results/{sqlite,postgresql}-{100,1000}.json
    python ops/benchmark/report.py --grow benchmarks/results/postgresql-{1000,10000}.json

`--grow SMALL LARGE` compares two sizes of centre page by page: each page's median CPU time as a
multiple of the baseline page's at both sizes, and p95 at the larger over p95 at the smaller
(target: at most 1.2), then each CSV download's time per thousand rows and added memory at both.

Pages are rows, runs are columns: p95 (median) in ms, and CPU ms, and the page's SQL queries (each
run's, where they differ); then the PDF, bulk exports and the 500 MB upload, one line per run.
"""

import json
import sys
from pathlib import Path


def _label(report: dict) -> str:
    return f"{report['database']} {report['centre']['candidates']:,}"


def pages_table(reports: list[dict]) -> str:
    names = list(dict.fromkeys(page["name"] for report in reports for page in report.get("pages", [])))
    header = "| page | " + " | ".join(f"{_label(r)}: x baseline (CPU) | p95 (median) ms | CPU ms" for r in reports) + " | queries |"
    lines = [header, "|---" * (3 * len(reports) + 2) + "|"]
    for name in names:
        cells, queries = [], []
        for report in reports:
            page = next((p for p in report.get("pages", []) if p["name"] == name), None)
            if page is None:
                cells += ["—", "—", "—"]
                continue
            cells += [f"{page.get('cpu_ratio', 0):.2f}", f"{page['p95_ms']:.0f} ({page['median_ms']:.0f})",
                      f"{page['cpu_median_ms']:.0f}"]
            queries.append(str(page["queries"]))
        # One count when every run agrees, else each run's (in the columns' order).
        counted = queries[0] if len(set(queries)) == 1 else " / ".join(queries)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {counted} |")
    return "\n".join(lines)


def exports_table(reports: list[dict]) -> str:
    lines = [
        "| run | generate | unit PDF: wall s (CPU s), pages, peak MB | bulk 25 / 50 / 100 units: s, peak MB "
        "| 500 MB upload: s, added MB | load average before → after |",
        "|---|---|---|---|---|---|",
    ]
    for report in reports:
        pdf = report.get("pdf")
        pdf_cell = (f"{pdf['first_render_s']} ({pdf['first_render_cpu_s']}), {pdf['pages']} pages, "
                    f"{pdf['peak_mb']:.0f} MB" if pdf else "—")
        bulk = " / ".join(f"{b['seconds']:.0f} s, {b['peak_mb']:.0f} MB" for b in report.get("bulk", [])) or "—"
        upload = report.get("upload")
        upload_cell = f"{upload['seconds']} s, +{upload['added_mb']} MB" if upload else "—"
        load = f"{report['machine']['load_average'][0]} → {report.get('load_average_after', ['?'])[0]}"
        lines.append(f"| {_label(report)} | {report['centre']['generate_seconds']:.0f} s | {pdf_cell} | {bulk} "
                     f"| {upload_cell} | {load} |")
    return "\n".join(lines)


GROWTH_TARGET = 1.2


def growth_table(small: dict, large: dict) -> str:
    """Each page at two sizes: x baseline (CPU) at each, then p95 growth, ratios first, ms second."""
    a, b = _label(small), _label(large)
    lines = [
        f"| page | x baseline, {a} | x baseline, {b} | p95 {b} / p95 {a} (target ≤ {GROWTH_TARGET}) "
        f"| median, {b} / {a} | p95 ms, {a} → {b} | CPU ms, {a} → {b} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    smaller = {page["name"]: page for page in small.get("pages", [])}
    for page in large.get("pages", []):
        before = smaller.get(page["name"])
        if before is None:
            continue
        grew = page["p95_ms"] / before["p95_ms"] if before["p95_ms"] else 0.0
        mark = "" if grew <= GROWTH_TARGET else " **over**"
        # The median's growth beside the p95's: 30 requests' p95 on a busy machine is one slow request.
        median = page["median_ms"] / before["median_ms"] if before["median_ms"] else 0.0
        lines.append(
            f"| {page['name']} | {before.get('cpu_ratio', 0):.2f} | {page.get('cpu_ratio', 0):.2f} | {grew:.2f}{mark} "
            f"| {median:.2f} "
            f"| {before['p95_ms']:.0f} → {page['p95_ms']:.0f} | {before['cpu_median_ms']:.0f} → {page['cpu_median_ms']:.0f} |"
        )
    downloads = {d["name"]: d for d in small.get("downloads", [])}
    if large.get("downloads"):
        lines += ["", f"| download | rows, {a} → {b} | ms per 1,000 rows, {a} → {b} | added MB at peak, {a} → {b} |",
                  "|---|---:|---:|---:|"]
        for download in large["downloads"]:
            before = downloads.get(download["name"], {})
            lines.append(
                f"| {download['name']} | {before.get('rows', '—')} → {download['rows']} "
                f"| {before.get('ms_per_thousand_rows') or '—'} → {download['ms_per_thousand_rows'] or '—'} "
                f"| {before.get('added_mb', '—')} → {download['added_mb']} |"
            )
    return "\n".join(lines)


def main(paths: list[str]) -> None:
    if paths and paths[0] == "--grow":
        small, large = (json.loads(Path(path).read_text(encoding="utf-8")) for path in paths[1:3])
        print(growth_table(small, large))
        return
    reports = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    print(pages_table(reports))
    print()
    print(exports_table(reports))


if __name__ == "__main__":
    main(sys.argv[1:])
