"""The markdown table of bench/run's figures, for the README and docs/performance.md.

    .venv/bin/python bench/report.py var/bench/run-10m.jsonl var/bench/run-1m.jsonl

One column per run file (its size in the header), one row per figure: the app's figure, its limit and the
ratio where the figure has one, and the issue's target.
"""

import json
import sys
from pathlib import Path

ROWS = (
    ("intake_saturation", "Intake at saturation (8 clients), complaints/s", "≥ 300/s; ratio moonshot 0.4"),
    ("intake_fixed_rate", "Intake at 150/s offered: p50 / p99", "p99 ≤ 150 ms"),
    ("web_worker_peak_rss", "Web worker peak RSS", "≤ 250 MB"),
    ("inbox_open_by_due", "Inbox, open cases by due date: p50 / p95", "≤ 50 ms p95"),
    ("inbox_received_by_due", "Inbox, status “received”: p50 / p95", "≤ 50 ms p95"),
    ("inbox_search_no_diacritics", "Inbox search “dien thoai”: p50 / p95", "≤ 150 ms p95"),
    ("inbox_search_diacritics", "Inbox search “điện thoại”: p50 / p95", "≤ 150 ms p95"),
    ("stats_by_sector_national", "Statistics by sector, national, 12 months: p95", "≤ 200 ms p95"),
    ("stats_by_province_national", "Statistics by province, national: p95", "≤ 200 ms p95"),
    ("stats_by_month_province", "Statistics by month, one province: p95", "≤ 200 ms p95"),
    ("stats_by_sector_province", "Statistics by sector, one province: p95", "≤ 200 ms p95"),
    ("stats_on_time_national", "On-time share, national: p95", "≤ 200 ms p95"),
    ("stats_on_time_province", "On-time share, one province: p95", "≤ 200 ms p95"),
    ("sweep_newly_overdue", "Sweep: mark a working day's newly overdue cases", ""),
)


def cell(name: str, figure: dict) -> str:
    if name == "intake_saturation":
        return (
            f"{figure['created_per_s']:g}/s (p99 {figure['p99_ms']:g} ms); "
            f"limit {figure['limit_per_s']:g}/s; ratio {figure['ratio']:g}"
        )
    if name == "intake_fixed_rate":
        return f"{figure['created_per_s']:g}/s served; {figure['p50_ms']:g} / {figure['p99_ms']:g} ms"
    if name == "web_worker_peak_rss":
        return f"{figure['mb']:g} MB"
    if name.startswith("inbox_"):
        return (
            f"{figure['p50_ms']:g} / {figure['p95_ms']:g} ms; limit {figure['limit_p50_ms']:g} / "
            f"{figure['limit_p95_ms']:g} ms; ratio {figure['ratio_p95']:g} ({figure['matching']:,} cases)"
        )
    if name.startswith("stats_"):
        return f"{figure['p95_ms']:g} ms"
    if name == "sweep_newly_overdue":
        return (
            f"{figure['marked']:,} cases in {figure['seconds']:g} s; limit {figure['limit_seconds']:g} s; "
            f"ratio {figure['ratio']:g}"
        )
    return json.dumps(figure)


def main() -> None:
    runs = []
    for path in sys.argv[1:]:
        figures = {}
        for line in Path(path).read_text().splitlines():
            figure = json.loads(line)
            figures[figure["figure"]] = figure
        runs.append(figures)
    header = [f"{run['machine']['complaints']:,} complaints ({run['run']['date_utc']} UTC)" for run in runs]
    print("| figure | " + " | ".join(header) + " | target |")
    print("|---|" + "---|" * len(runs) + "---|")
    for name, label, target in ROWS:
        cells = [cell(name, run[name]) if name in run else "—" for run in runs]
        print(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    for run in runs:
        raw = [run.get(f"stats_raw_count_{scope}") for scope in ("national", "province")]
        if all(raw):
            agree = raw[0]["agrees_with_rollup"] and raw[1]["agrees_with_rollup"]
            print(
                f"\nAt {run['machine']['complaints']:,} complaints, the same year counted over the raw "
                f"rows took {raw[0]['ms'] / 1000:.1f} s nationally and {raw[1]['ms'] / 1000:.1f} s for the "
                f"province; rollup and raw counts agree: {agree}."
            )


if __name__ == "__main__":
    main()
