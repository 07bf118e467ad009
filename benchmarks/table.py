"""README's performance table from a full run: ``python -m benchmarks > run.json``, then
``python -m benchmarks.table run.json`` prints the Markdown rows (every figure from that run).
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _spread(s: dict[str, Any], unit: str = "", digits: int = 1) -> str:
    def f(x: float) -> str:
        return f"{x:,.{digits}f}"

    return f"{f(s['median'])}{unit} ({f(s['min'])}–{f(s['max'])})"


def _met(ok: bool, text: str = "") -> str:
    return ("✓ " if ok else "✗ ") + text


def rows(run: dict[str, Any]) -> list[str]:
    out = [
        "| what | ours: median (min–max) | floor / fair peer, same run | goal | met |",
        "|---|---|---|---|---|",
    ]
    chat = run["chat"]
    gap = chat["reply_gap_ms"]
    out.append(
        f"| `dxlab chat` answer through a pipe (reply gap, {chat['rounds']} rounds × 57 answers) "
        f"| {gap['ours_1']['median']} ms, p99 {gap['ours_1']['p99']} ms "
        f"| bare durable loop (draft row + history row): {gap['floor_1']['median']} ms "
        f"| ≤ 2× | {_met(chat['answer_ratio_median'] <= 2, str(chat['answer_ratio_median']) + '×')} |"
    )
    for n in (2, 4):
        if f"ours_{n}" in gap:
            r = chat[f"p99_ratio_{n}_processes_vs_1"]
            goal = "≤ 3×" if n == 2 else "–"
            met = _met(r <= 3, f"{r}×") if n == 2 else f"{r}×"
            out.append(
                f"| {n} `dxlab chat` processes on one database: reply-gap p99 "
                f"| {gap[f'ours_{n}']['p99']} ms (median {gap[f'ours_{n}']['median']} ms) "
                f"| one process alone: p99 {gap['ours_1']['p99']} ms; bare loop ×{n}: p99 "
                f"{gap[f'floor_{n}']['p99']} ms | {goal} | {met} |"
            )
    cli = run["cli"]
    floor = cli["floor_ms"]
    for key, label in (
        ("chat_first_question", "`dxlab chat` to the first question"),
        ("check_json", "`dxlab check FILE --json`"),
    ):
        r = cli[f"{key}_ratio"]
        out.append(
            f"| {label} ({cli['rounds']} cold runs) | {_spread(cli[f'{key}_ms'], ' ms', 0)} "
            f'| `python -c "import sqlite3, json"` {_spread(floor, " ms", 0)} '
            f"| ≤ 8× | {_met(r <= 8, f'{r}×')} |"
        )
    out.append(
        f"| `dxlab --help` | {_spread(cli['help_ms'], ' ms', 0)} | same floor | – | {cli['help_ratio']}× |"
    )
    cmp = run["compare"]
    for n in (2000, 10000):
        c = cmp.get(f"labs_{n}")
        if c:
            rss_goal = " and ≤ 150 MB" if n == 10000 else ""
            ok = c["ratio"] <= 5 and (n != 10000 or c["ours_peak_rss_mb"] <= 150)
            out.append(
                f"| `dxlab compare` to CSV, {n:,} full drafts ({c['rounds']} rounds) "
                f"| {_spread(c['ours_s'], ' s', 2)}, peak RSS {c['ours_peak_rss_mb']} MB "
                f"| bare script reading every draft, writing a row: {_spread(c['bare_s'], ' s', 2)}, "
                f"{c['bare_peak_rss_mb']} MB | ≤ 5×{rss_goal} | {_met(ok, str(c['ratio']) + '×')} |"
            )
    eng = run["engine"]
    for key in ("stored_0", "stored_10000"):
        e = eng.get(key)
        if e:
            out.append(
                f"| engine turn that ran the checks (distinct growing drafts, {e['active_drafts']} labs × 57 "
                f"answers × {e['turn_us']['n']} rounds, {e['stored_drafts']:,} other full drafts stored) "
                f"| {_spread(e['checking_turn_us'], ' µs', 0)}, p99 {e['checking_turn_us']['p99']:,} µs; "
                f"all turns {e['turn_us']['median']:,.0f} µs "
                f"| durable write floor {_spread(e['floor_us'], ' µs', 0)} | ≤ 2× "
                f"| {_met(e['checking_turn_ratio_median'] <= 2, str(e['checking_turn_ratio_median']) + '×')} "
                f"(all turns {e['ratio_median']}×) |"
            )
    chk = run["checks"]
    cached, uncached = chk["check_full_application_cached"], chk["check_full_application_uncached"]
    out.append(
        f"| check of the full application: cached / uncached | {cached['median_us']:,.0f} / "
        f"{uncached['median_us']:,.0f} µs, p99 {cached['p99_us']:,.0f} / {uncached['p99_us']:,.0f} µs "
        f"| – | p99 ≤ 5 ms | {_met(chk['goal_met'])} |"
    )
    tg = run["telegram"]
    for key, label in (("instant_api", "API answering at once"), ("api_20ms", "API answering in 20 ms")):
        t = tg[key]
        out.append(
            f"| Telegram updates/s, {label} ({t['rounds']} rounds) "
            f"| {_spread(t['ours_updates_per_s'], '/s', 0)} "
            f"| PTB echo bot, same update processor: {_spread(t['echo_updates_per_s'], '/s', 0)} "
            f"| ≥ 0.9× | {_met(t['ratio_median'] >= 0.9, str(t['ratio_median']) + '×')} |"
        )
    sl = run["slack"]
    out.append(
        f"| Slack acknowledgement, {sl['concurrency']} concurrent signed requests × {sl['rounds']} rounds "
        f"| p50 {sl['ours']['ack_p50_ms']} ms, p99 {sl['ours']['ack_p99_ms']} ms "
        f"| echo app on the same stack: p50 {sl['echo']['ack_p50_ms']} ms, p99 {sl['echo']['ack_p99_ms']} ms "
        f"| p99 ≤ 1.3× | {_met(sl['ack_p99_ratio'] <= 1.3, str(sl['ack_p99_ratio']) + '×')} |"
    )
    rd = run["render"]
    ms = rd["ms"]
    out.append(
        f"| Word render of the full application ({rd['rounds']} rounds) | {_spread(ms['ours'], ' ms')} "
        f"| python-docx, same elements, styles resolved once: {_spread(ms['fair_peer'], ' ms')} "
        f"| ≤ 1.3×, ≤ 300 ms | {_met(rd['meets_goal'], str(rd['ratio_vs_fair_peer']) + '×')} |"
    )
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print("\n".join(rows(json.load(handle))))
