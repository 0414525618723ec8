"""Markdown tables of benchmark results, for docs/performance.md.

    python ops/benchmark/report.py benchmarks/results/{sqlite,postgresql}-{100,1000}.json

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
    header = "| page | " + " | ".join(f"{_label(r)}: p95 (median) ms | CPU ms" for r in reports) + " | queries |"
    lines = [header, "|---" * (2 * len(reports) + 2) + "|"]
    for name in names:
        cells, queries = [], []
        for report in reports:
            page = next((p for p in report.get("pages", []) if p["name"] == name), None)
            if page is None:
                cells += ["—", "—"]
                continue
            cells += [f"{page['p95_ms']:.0f} ({page['median_ms']:.0f})", f"{page['cpu_median_ms']:.0f}"]
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


def main(paths: list[str]) -> None:
    reports = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    print(pages_table(reports))
    print()
    print(exports_table(reports))


if __name__ == "__main__":
    main(sys.argv[1:])
