#!/usr/bin/env python3
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/report.py: turns the measurements of bench/run.sh into
# BENCHMARKS.md (tables, ratios to the peers and to the ceiling, and
# the targets met or missed), and lets bench/proxy.sh, bench/scale.sh,
# bench/board.sh, bench/slow.sh and bench/redis.sh put their "PROXY
# protocol", "Scale", "Board", "Slow clients" and "Counters in Redis"
# sections into the same file. Each script owns its section and keeps
# the others', so they can be run in any order.
#
#   report.py run --results R --idle I --out F [--duration S] ...
#   report.py section --title "## Scale"|"## Board"|"## Counters in Redis"
#       --body FILE --out F [--part "### ..."]: the body replaces that
#       part of the section only (its text from that heading to the next
#       "### "), keeping the section's other parts: bench/scale.sh's
#       runs of each size
#   report.py slow --results R --logs L --out F [--n N] ...

import argparse
import csv
import os
import platform
import re
import subprocess
import time

# the sections other scripts write (bench/redis.sh too), in the order they are kept at the
# end of the file
SECTIONS = ("## PROXY protocol", "## Scale", "## Board", "## Slow clients",
            "## Counters in Redis")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def pkg_version(name):
    try:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name],
                           capture_output=True, text=True, timeout=10)
        return r.stdout.strip() or "not installed"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def openssl_version():
    try:
        r = subprocess.run(["openssl", "version"], capture_output=True,
                           text=True, timeout=10)
        return r.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "OpenSSL (unknown version)"


def split_sections(text):
    """The file's text without the sections of SECTIONS, and those
    sections, by title. Each runs from its title to the next "## "
    heading or the end."""
    found = {}
    for title in SECTIONS:
        m = re.search(r"^" + re.escape(title) + r"\b.*$", text, re.M)
        if not m:
            continue
        rest = text[m.start():]
        n = re.search(r"^## ", rest[len(title):], re.M)
        end = len(title) + n.start() if n else len(rest)
        found[title] = rest[:end].rstrip("\n") + "\n"
        text = text[:m.start()] + rest[end:]
    return text.rstrip("\n") + "\n", found


def join_sections(head, found):
    """head, then the sections found, in the order of SECTIONS."""
    for title in SECTIONS:
        if title in found:
            head += "\n" + found[title]
    return head


def read_out(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def write_out(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def num(v, default=0.0):
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def ms(us):
    return "%.2f" % (num(us) / 1000.0)


def ratio(a, b):
    a, b = num(a), num(b)
    if a <= 0 or b <= 0:
        return None
    return a / b


def fmt_ratio(r):
    return "–" if r is None else "%.2f×" % r


KEY = ("proto", "server", "page", "conc", "tls", "mode")
MEDIAN = ("rps", "p50_us", "p99_us", "cpu_us", "pss_kb", "resumed")


def median(vals):
    v = sorted(vals)
    n = len(v)
    if n == 0:
        return 0.0
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


class Results:
    """One row per case; a case run in several rounds is folded into
    one row: the median of each measure, the sum of the counts."""

    def __init__(self, path):
        with open(path, newline="", encoding="utf-8") as f:
            raw = list(csv.DictReader(f, delimiter="\t"))
        groups = {}
        for r in raw:
            groups.setdefault(tuple(r[k] for k in KEY), []).append(r)
        self.rows = []
        for rs in groups.values():
            row = dict(rs[0])
            for k in MEDIAN:
                m = median([num(r[k]) for r in rs])
                row[k] = ("%.3f" % m) if k == "resumed" else "%.0f" % m
            for k in ("ok", "err"):
                row[k] = str(sum(int(num(r[k])) for r in rs))
            row["note"] = " ".join((r.get("note") or "").strip()
                                   for r in rs).strip()
            row["rounds"] = len(rs)
            row["spread"] = ""
            cpus = [num(r["cpu_us"]) for r in rs]
            if len(rs) > 1:
                row["spread"] = "%.0f–%.0f" % (min(cpus), max(cpus))
            self.rows.append(row)

    def find(self, **kw):
        for r in self.rows:
            if all(r.get(k) == str(v) for k, v in kw.items()):
                return r
        return None

    def select(self, **kw):
        return [r for r in self.rows
                if all(r.get(k) == str(v) for k, v in kw.items())]


def tls_name(t):
    return {"13": "1.3", "12": "1.2"}.get(t, t)


def errors(r):
    """The error count, with its kinds when there are any."""
    n = int(num(r["err"]))
    if n == 0:
        return "0"
    kinds = {}
    for k, v in re.findall(r"e_([a-z]+)=(\d+)", r.get("note") or ""):
        kinds[k] = kinds.get(k, 0) + int(v)
    return "%d (%s)" % (n, ", ".join("%s %d" % kv
                                     for kv in sorted(kinds.items())))


def cpu_cell(r):
    """CPU per request; over several rounds, the median and the range."""
    if r.get("spread"):
        return "%s (%s)" % (r["cpu_us"], r["spread"])
    return r["cpu_us"]


def gemini_table(res, out):
    out.append("| server | page | TLS | handshake | conc | req/s | "
               "p50 ms | p99 ms | CPU µs/req | PSS KB | errors | "
               "resumed | ×peer | ×ceiling | ×static |")
    out.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
               "---:|---:|---:|---:|")
    for r in res.select(proto="gemini"):
        if r["page"] == "hold":
            continue
        key = dict(proto="gemini", page="static", tls=r["tls"],
                   mode=r["mode"], conc=r["conc"])
        peer = ceil = stat = None
        if r["server"] == "bantin":
            p = res.find(server="molly-brown", **key)
            c = res.find(server="bare", **key)
            s = res.find(server="bantin", **key)
            peer = ratio(r["cpu_us"], p["cpu_us"]) if p else None
            ceil = ratio(r["cpu_us"], c["cpu_us"]) if c else None
            if r["page"] != "static" and s:
                stat = ratio(r["cpu_us"], s["cpu_us"])
        out.append("| %s | %s | %s | %s | %s | %.0f | %s | %s | %s | %s | "
                   "%s | %.0f%% | %s | %s | %s |" % (
                       r["server"], r["page"], tls_name(r["tls"]),
                       r["mode"], r["conc"], num(r["rps"]),
                       ms(r["p50_us"]), ms(r["p99_us"]), cpu_cell(r),
                       r["pss_kb"], errors(r), 100 * num(r["resumed"]),
                       fmt_ratio(peer), fmt_ratio(ceil),
                       fmt_ratio(stat) if stat else ""))


def gopher_table(res, out):
    out.append("| server | page | conc | req/s | p50 ms | p99 ms | "
               "CPU µs/req | PSS KB | errors | ×peer | ×ceiling |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in res.select(proto="gopher"):
        if r["page"] == "hold":
            continue
        peer = ceil = None
        if r["server"] == "bantin":
            p = res.find(proto="gopher", server="gophernicus",
                         page="static", conc=r["conc"])
            c = res.find(proto="gopher", server="bare-tcp", page="static",
                         conc=r["conc"])
            peer = ratio(r["cpu_us"], p["cpu_us"]) if p else None
            ceil = ratio(r["cpu_us"], c["cpu_us"]) if c else None
        out.append("| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | "
                   "%s |" % (r["server"], r["page"], r["conc"],
                             num(r["rps"]), ms(r["p50_us"]),
                             ms(r["p99_us"]), cpu_cell(r), r["pss_kb"],
                             errors(r), fmt_ratio(peer), fmt_ratio(ceil)))


def note_field(r, key):
    m = re.search(r"\b" + key + r"=(\S+)", r.get("note") or "")
    return m.group(1) if m else ""


def hold_table(res, out):
    out.append("| server | protocol | held | answered | errors | "
               "p50 ms | p99 ms | PSS idle KB | PSS held KB | "
               "KB per held conn | processes | detail |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in res.select(page="hold"):
        idle = num(note_field(r, "idle_pss"))
        n = num(r["conc"])
        per = (num(r["pss_kb"]) - idle) / n if n else 0
        detail = re.sub(r"\b(idle_pss|procs)=\S+\s*", "",
                        r.get("note") or "").strip()
        out.append("| %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %.1f |"
                   " %s | %s |" % (
                       r["server"], r["proto"], r["conc"], r["ok"],
                       r["err"], ms(r["p50_us"]), ms(r["p99_us"]), idle,
                       r["pss_kb"], per, note_field(r, "procs"), detail))


def verdict(ok):
    return "**met**" if ok else "**not met**"


def targets(res, idle, hold_s, out):
    """The targets, at concurrency 16 unless named."""
    rows = []

    def cpu(server, page="static", tls="13", mode="full", conc="16",
            proto="gemini"):
        r = res.find(proto=proto, server=server, page=page, tls=tls,
                     mode=mode, conc=conc)
        return (num(r["cpu_us"]), r) if r else (None, None)

    for tls in ("13", "12"):
        b, _ = cpu("bantin", tls=tls)
        c, _ = cpu("bare", tls=tls)
        m, _ = cpu("molly-brown", tls=tls)
        # the signature's round trip to the key process (tls_key.c) is
        # in bantin's figure; bench/bare keeps its key in process
        if b and c:
            rows.append(("Gemini full handshake, TLS %s: ≤ 1.15× bare "
                         "responder" % tls_name(tls),
                         "%.0f vs %.0f µs = %.2f×" % (b, c, b / c),
                         verdict(b <= 1.15 * c)))
        k, _ = cpu("bare-key", tls=tls)
        if k and c:
            rows.append(("(the key process alone: bare-key, bench/bare "
                         "with its key in a key process, vs bare, TLS %s)"
                         % tls_name(tls),
                         "%.0f vs %.0f µs = %.2f×" % (k, c, k / c), "–"))
        if b and m:
            rows.append(("Gemini full handshake, TLS %s: ≤ 0.9× "
                         "molly-brown" % tls_name(tls),
                         "%.0f vs %.0f µs = %.2f×" % (b, m, b / m),
                         verdict(b <= 0.9 * m)))
        b, br = cpu("bantin", tls=tls, mode="resumed")
        m, _ = cpu("molly-brown", tls=tls, mode="resumed")
        if b and m:
            rows.append(("Gemini resumed, TLS %s: ≤ molly-brown resumed"
                         % tls_name(tls),
                         "%.0f vs %.0f µs = %.2f×" % (b, m, b / m),
                         verdict(b <= m)))
        if br:
            f = num(br["resumed"])
            rows.append(("Gemini resumed, TLS %s: tickets work across "
                         "workers" % tls_name(tls),
                         "%.1f%% of handshakes resumed" % (100 * f),
                         verdict(f >= 0.95)))
    for mode in ("full", "resumed"):
        s, _ = cpu("bantin", mode=mode)
        for page in ("home", "category", "article", "search",
                     "search-new"):
            p, _ = cpu("bantin", page=page, mode=mode)
            if s and p:
                name = ("search page, a new query each request"
                        if page == "search-new" else page + " page")
                rows.append(("%s, %s handshake, TLS 1.3: ≤ 1.2× the "
                             "static page" % (name, mode),
                             "%.0f vs %.0f µs = %.2f×" % (p, s, p / s),
                             verdict(p <= 1.2 * s)))
    c, _ = cpu("bare-tcp", tls="-", mode="-", proto="gopher")
    g, _ = cpu("gophernicus", tls="-", mode="-", proto="gopher")
    for page in ("static", "article", "menu"):
        b, _ = cpu("bantin", page=page, tls="-", mode="-", proto="gopher")
        if b and c:
            extra = " (gophernicus: %.0f×)" % (g / c) if g else ""
            rows.append(("Gopher %s: ≤ 2× the bare TCP responder" % page,
                         "%.0f vs %.0f µs = %.2f×%s" % (b, c, b / c, extra),
                         verdict(b <= 2 * c)))
    c64 = [r for r in res.select(server="bantin", conc="64")]
    if c64:
        bad = sum(int(num(r["err"])) for r in c64)
        n = sum(int(num(r["ok"])) for r in c64)
        rows.append(("concurrency 64: every request answered",
                     "%d answered, %d errors in %d cases" % (n, bad,
                                                             len(c64)),
                     verdict(bad == 0)))
    for r in res.select(server="bantin", page="hold"):
        rows.append(("%s, %s held %s s: every request answered"
                     % (r["proto"], r["conc"], hold_s),
                     "%s of %s answered, %s errors %s" % (
                         r["ok"], r["conc"], r["err"],
                         re.sub(r"\b(idle_pss|procs|held)=\S+\s*", "",
                                r.get("note") or "").strip()),
                     verdict(num(r["err"]) == 0 and
                             num(r["ok"]) == num(r["conc"]))))
    if "bantin" in idle:
        kb = idle["bantin"][0]
        rows.append(("PSS idle, bundled capsule: < 6 MB",
                     "%d KB in %s processes" % (kb, idle["bantin"][1]),
                     verdict(kb < 6 * 1024)))
    h = res.find(server="bantin", page="hold", proto="gemini")
    if h:
        idle_kb = num(note_field(h, "idle_pss"))
        per = (num(h["pss_kb"]) - idle_kb) / max(num(h["conc"]), 1)
        rows.append(("PSS per held TLS connection at %s held: ≤ 32 KB"
                     % h["conc"],
                     "%.0f → %s KB: %.1f KB each" % (idle_kb, h["pss_kb"],
                                                     per),
                     verdict(per <= 32)))
    out.append("| target | measured (bantin vs reference) | result |")
    out.append("|---|---|---|")
    for t in rows:
        out.append("| %s | %s | %s |" % t)
    met = sum(1 for t in rows if "not met" not in t[2])
    out.append("")
    out.append("%d of %d targets met." % (met, len(rows)))


def cmd_run(a):
    res = Results(a.results)
    idle = {}
    try:
        with open(a.idle, encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) >= 4 and p[0] == "idle":
                    idle[p[1]] = (int(num(p[2])), p[3])
    except OSError:
        pass
    out = []
    out.append("# Benchmarks")
    out.append("")
    out.append("Produced by `%s` (bench/run.sh) on %s, in %d s." % (
        a.command, time.strftime("%Y-%m-%d %H:%M %Z"), a.seconds))
    out.append("")
    out.append("- Machine: %s, %d cores, Linux %s; %s." % (
        cpu_model(), os.cpu_count() or 0, platform.release(),
        openssl_version()))
    out.append("- Peers, from Debian: molly-brown %s (Gemini), "
               "gophernicus %s (Gopher, under systemd-socket-activate, "
               "one process per connection)." % (
                   pkg_version("molly-brown"), pkg_version("gophernicus")))
    out.append("- The ceiling: bench/bare, bantin's own listen.c, loop.c "
               "and tls.c (same `tls_ctx_new` settings) answering a fixed "
               "4 KB page and nothing else; bare-key is the same with its "
               "key in a key process (tls_key.c), as bantin's; bare-tcp is "
               "its plain-TCP "
               "mode.")
    out.append("- Server pinned to core 0, bench/loadgen to core 1 "
               "(taskset); %s s per case; every request a new connection; "
               "ECDSA P-256 certificate; 127.0.0.1 only." % a.duration)
    out.append("- **CPU µs/req** is the server's CPU time per answered "
               "request: utime + stime (+ reaped children) of all its "
               "processes, from /proc/<pid>/stat before and after the "
               "case. PSS is summed over the processes (smaps_rollup) at "
               "the end of the case. ×peer and ×ceiling divide bantin's "
               "CPU per request by molly-brown's or gophernicus's, and by "
               "the bare responder's, for the 4 KB static page in the same "
               "setting; ×static divides a generated page's by bantin's "
               "static page. On a 2-core machine the load generator's own "
               "TLS work caps requests/s, so the ratios are the result, "
               "not req/s.")
    out.append("- The static-page cases of bantin, the ceiling and the "
               "peers run %s times, interleaved (A B C A B C ...), so that "
               "they share the machine's load; the tables give the median "
               "and, in brackets, the range of CPU µs/req over the rounds. "
               "bantin's generated pages join each round in the setting "
               "of their targets (TLS 1.3, concurrency 16); other cases "
               "run once." % a.rounds)
    out.append("- Pages: static = a 4 KB gemtext file at the top of the "
               "capsule (bare: its fixed 4 KB answer), article = an "
               "article in Markdown, home = `/`, category = `/thoi-su/`, "
               "search = `/search?hội nghị` (after its first request, "
               "a hit in the worker's page cache), search-new = a "
               "different query every request (bench/queries.py: "
               "words, phrases, prefixes, later pages), never cached; "
               "Gopher menu = `/`.")
    out.append("- gophernicus runs with `-i 0 -k 0` (no throttling; `-i 0` "
               "alone makes it divide by zero after a client has fetched "
               "16 MB) in a private System V IPC namespace. It caches "
               "`lsb_release` (a Python script, run when the optional "
               "lsb-release package is installed) in that shared memory, "
               "so the script runs once, not per request.")
    out.append("")
    out.append("## Targets")
    out.append("")
    out.append("Concurrency 16 and TLS 1.3 unless named.")
    out.append("")
    targets(res, idle, a.hold_secs, out)
    out.append("")
    out.append("## Gemini")
    out.append("")
    gemini_table(res, out)
    out.append("")
    out.append("## Gopher")
    out.append("")
    gopher_table(res, out)
    out.append("")
    out.append("## Held connections")
    out.append("")
    out.append("All connections opened at once, handshakes completed, held "
               "idle, then a request sent on each. PSS is read while "
               "they are held.")
    out.append("")
    hold_table(res, out)
    out.append("")
    out.append("## Memory when idle")
    out.append("")
    out.append("| server | PSS KB | processes |")
    out.append("|---|---:|---:|")
    for name, (kb, n) in idle.items():
        out.append("| %s | %d | %s |" % (name, kb, n))
    out.append("")
    text = "\n".join(out)
    _, found = split_sections(read_out(a.out))
    text = join_sections(text, found)
    write_out(a.out, text)
    print(text)


def put_section(path, title, body):
    """Write body as the section title of the file, keeping the rest."""
    text = read_out(path)
    if not text:
        text = "# Benchmarks\n\nRun `make bench` for the main tables.\n"
    head, found = split_sections(text)
    found[title] = body.rstrip("\n") + "\n"
    write_out(path, join_sections(head, found))


def put_part(path, title, part, body):
    """Write body as the part (a "### " heading) of the section title,
    keeping the section's text before its first part and its other
    parts, in the order they came (a new one last)."""
    _, found = split_sections(read_out(path))
    old = found.get(title, title + "\n\n")
    pieces = re.split(r"(?m)^(?=### )", old)
    head, parts = pieces[0], pieces[1:]
    new = body.rstrip("\n") + "\n\n"
    for i, p in enumerate(parts):
        if p.split("\n", 1)[0].strip() == part.strip():
            parts[i] = new
            break
    else:
        parts.append(new)
    put_section(path, title, head + "".join(parts))


def cmd_section(a):
    with open(a.body, encoding="utf-8") as f:
        body = f.read()
    if a.part:
        put_part(a.out, a.title, a.part, body)
    else:
        put_section(a.out, a.title, body)


def slow_groups(path):
    """bench/slow.sh's rows folded by setting: the requests and errors
    summed over the rounds, the median p50 and p99, the last note."""
    groups = {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            key = (r["server"], r["max"], r["limits"], r["attack"],
                   r["proto"])
            groups.setdefault(key, []).append(r)
    out = []
    for key, rs in groups.items():
        out.append(dict(zip(("server", "max", "limits", "attack", "proto"),
                            key),
                        ok=sum(int(num(r["ok"])) for r in rs),
                        err=sum(int(num(r["err"])) for r in rs),
                        p50=median([num(r["p50_us"]) for r in rs]),
                        p99=median([num(r["p99_us"]) for r in rs]),
                        rounds=len(rs), note=rs[-1]["note"]))
    return out


def cmd_slow(a):
    rows = slow_groups(a.results)
    logs = []
    try:
        with open(a.logs, encoding="utf-8") as f:
            logs = list(csv.DictReader(f, delimiter="\t"))
    except OSError:
        pass
    out = ["## Slow clients", ""]
    out.append("Produced by `make bench-slow` (bench/slow.sh) on %s, in "
               "%d s, on %s, %d cores." % (
                   time.strftime("%Y-%m-%d %H:%M %Z"), a.seconds,
                   cpu_model(), os.cpu_count() or 0))
    out.append("The attack: bench/slow.py holds %s connections from %s to "
               "the Gemini port, each stuck in the first bytes of its "
               "ClientHello, and opens again once a second every one the "
               "server closed. The reader: bench/loadgen from 127.0.0.1, "
               "one request at a time for %s s, the home page, each a new "
               "connection (Gemini: a full TLS 1.3 handshake). Server on "
               "core 0; attacker and reader on core 1, so what the "
               "attacker spends opening connections again is felt by the "
               "reader too. bantin runs with its limits per address (on: "
               "the defaults, 32 connections per address and a 5 s "
               "handshake, but no rate limit, since the reader is one "
               "address asking as fast as it can) and without them (off: "
               "max_connections_per_ip = 0, handshake_timeout = "
               "request_timeout = 10 s, as before the limits existed), "
               "with the default max_connections (1024, more than the "
               "attack holds) and with 256 (fewer); molly-brown, the "
               "Gemini peer of `make bench`, takes the same attack. Each "
               "setting ran %s rounds, with and without the attack in "
               "turn: the medians of p50 and p99 are given, and the "
               "requests of all rounds. A request that failed (no reply "
               "within 10 s, or a refused connection) is counted under "
               "errors, not in p50 and p99 (– when none was answered). "
               "The rounds of a setting share the machine's load; between "
               "settings it moves (the machine is shared), so compare the "
               "rows with and without the attack within a setting." % (
                   a.n, a.src, a.duration, a.rounds))
    out.append("")
    out.append("| target | measured | result |")
    out.append("|---|---|---|")
    met = total = 0
    for r in rows:
        if r["server"] != "bantin" or r["limits"] != "on" or \
                r["attack"] == "0":
            continue
        ok = r["ok"] > 0 and r["p99"] < 50000 and r["err"] == 0
        met += ok
        total += 1
        out.append("| %s, %s slow connections, limits on, max_connections "
                   "%s: p99 < 50 ms, no error | p99 %s ms, %d errors in %d "
                   "| %s |" % (r["proto"], r["attack"], r["max"],
                               ms(r["p99"]), r["err"], r["ok"] + r["err"],
                               verdict(ok)))
    out.append("")
    out.append("%d of %d targets met." % (met, total))
    out.append("")
    out.append("| server | max_connections | limits | slow connections | "
               "protocol | requests | errors | p50 ms | p99 ms | attack: "
               "connections opened, closed by the server (last round) |")
    out.append("|---|---:|---|---:|---|---:|---:|---:|---:|---|")
    for r in rows:
        out.append("| %s | %s | %s | %s | %s | %d | %d | %s | %s | %s |" % (
            r["server"], r["max"], r["limits"], r["attack"], r["proto"],
            r["ok"] + r["err"], r["err"],
            ms(r["p50"]) if r["ok"] else "–",
            ms(r["p99"]) if r["ok"] else "–", r["note"]))
    if logs:
        out.append("")
        out.append("bantin's log lines (each a worker's, 10 s apart at "
                   "most): " + "; ".join(
                       "max_connections %s, limits %s: %s of refusals, %s "
                       "of handshakes cut" % (l["max"], l["limits"],
                                              l["refused"], l["cut"])
                       for l in logs) + ".")
    body = "\n".join(out) + "\n"
    put_section(a.out, "## Slow clients", body)
    print(body)


def measured(p, duration, rounds):
    """The arguments of a subcommand that reports measurements."""
    p.add_argument("--results", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seconds", type=int, default=0)
    p.add_argument("--duration", default=duration)
    p.add_argument("--rounds", default=rounds)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    measured(r, "3", "1")
    r.add_argument("--idle", required=True)
    r.add_argument("--hold-secs", default="4")
    r.add_argument("--command", default="make bench")
    s = sub.add_parser("section")
    s.add_argument("--title", default="## Scale", choices=SECTIONS)
    s.add_argument("--body", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--part")
    w = sub.add_parser("slow")
    measured(w, "4", "3")
    w.add_argument("--logs", required=True)
    w.add_argument("--n", default="1000")
    w.add_argument("--src", default="127.0.0.2")
    a = ap.parse_args()
    if a.cmd == "run":
        cmd_run(a)
    elif a.cmd == "slow":
        cmd_slow(a)
    else:
        cmd_section(a)


if __name__ == "__main__":
    main()
