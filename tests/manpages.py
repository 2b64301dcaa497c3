#!/usr/bin/env python3
"""manpages.py: bantin.ini(5) against the code and conf/bantin.ini, so
that they cannot drift apart. Every key config.c knows (its table
known[]), every [labels] key of label.c and every key conf/bantin.ini
sets has an entry in man/bantin.ini.5 under its section, and the page
documents no key the code does not know. conf/bantin.ini sets every
key config.c knows. The words of the comment above a key in
conf/bantin.ini (above no key: the section's) are the words its entry
in the page begins with, or the section's text, markup aside. Prints
one line per problem and "manpages: N passed, N failed"."""
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def read(path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return f.read()


def code_keys():
    """{section: set(keys)} of config.c's known[] and label.c's keys"""
    text = read("src/config.c")
    table = re.search(r"known\[\]\s*=\s*\{(.*?)NULL", text, re.S).group(1)
    keys = {}
    for sec, key in re.findall(r'"([a-z_]+):([a-z_]+)"', table):
        keys.setdefault(sec, set()).add(key)
    table = re.search(r"sections\[\]\s*=\s*\{(.*?)NULL", text, re.S).group(1)
    for sec in re.findall(r'"([a-z_]+)"', table):
        keys.setdefault(sec, set())
    labels = re.findall(r'\[L_[A-Z_]+\]\s*=\s*\{\s*"([a-z_]+)"',
                        read("src/label.c"))
    keys["labels"] = set(labels)
    return keys


def ini_keys():
    """{section: {key: comment words}}, and {section: words of the
    comment that no key follows}, from conf/bantin.ini; the file's
    opening comment, before any section, is the file's own"""
    keys, loose = {}, {}
    sec, comment = None, []
    for line in read("conf/bantin.ini").splitlines():
        line = line.strip()
        m = re.match(r"\[([a-z_]+)\]$", line)
        if m:
            if sec is not None and comment:
                loose.setdefault(sec, []).extend(comment)
            sec, comment = m.group(1), []
            keys.setdefault(sec, {})
        elif line.startswith((";", "#")):
            comment += words(line[1:])
        elif "=" in line and sec is not None:
            keys[sec][line.split("=")[0].strip()] = comment
            comment = []
        elif not line and sec is not None and comment:
            loose.setdefault(sec, []).extend(comment)
            comment = []
    if sec is not None and comment:
        loose.setdefault(sec, []).extend(comment)
    return keys, loose


# mdoc's macros, dropped from the text of a macro line
MACROS = set("""Ad An Ap Ar At Bd Bf Bk Bl Bq Bro Brq Bsx Bx Cd Cm D1 Db Dd
Dl Do Dq Dt Dv Dx Ec Ed Ef Ek El Em En Eo Er Es Ev Ex Fa Fc Fd Fl Fn Fo
Fr Ft Fx Hf Ic In It Lb Li Lk Lp Ms Mt Nd Nm No Ns Nx Oc Oo Op Os Ot Ox
Pa Pc Pf Po Pp Pq Qc Ql Qo Qq Re Rs Rv Sc Sh Sm So Sq Ss St Sx Sy Ta Tn
Ud Ux Va Vt Xc Xo Xr""".split())


def words(text):
    return re.findall(r"\w+", text.lower())


def text_words(line):
    """the words a reader sees of one line of mdoc"""
    line = re.sub(r"\\\((..)", " ", line)      # \(dq and such
    line = re.sub(r"\\.", " ", line)           # \& \e \-
    if line.startswith("."):
        line = " ".join(t for t in line[1:].split() if t not in MACROS)
    return words(line)


def page_entries():
    """{section: {key: words of its entry}} and {section: words of its
    text before the first entry}, from man/bantin.ini.5"""
    entries, intro = {}, {}
    sec, current = None, None
    for line in read("man/bantin.ini.5").splitlines():
        if line.startswith('.\\"'):
            continue
        m = re.match(r"\.Ss \[([a-z_]+)\]", line)
        if m:
            sec, current = m.group(1), None
            entries.setdefault(sec, {})
            intro[sec] = []
            continue
        if line.startswith(".Sh "):
            sec, current = None, None
            continue
        if sec is None:
            continue
        if line.startswith(".It "):
            current = re.findall(r"\bIc ([a-z_]+)", line)
            for k in current:
                entries[sec][k] = []
            continue
        if line.startswith(".El"):
            current = None
            continue
        w = text_words(line)
        if current:
            for k in current:
                entries[sec][k] += w
        else:
            intro[sec] += w
    return entries, intro


def starts(seq, prefix):
    return seq[:len(prefix)] == prefix


def contains(seq, part):
    n = len(part)
    return any(seq[i:i + n] == part for i in range(len(seq) - n + 1))


problems = []
checked = 0


def problem(text):
    if text not in problems:
        problems.append(text)


code = code_keys()
ini, loose = ini_keys()
page, intro = page_entries()

for sec in sorted(code):
    if sec not in page:
        problem(f"bantin.ini.5: no section [{sec}]")
    for key in sorted(code[sec]):
        checked += 1
        if key not in page.get(sec, {}):
            problem(f"bantin.ini.5: [{sec}] {key} is not documented")
        if sec != "labels" and key not in ini.get(sec, {}):
            problem(f"conf/bantin.ini: [{sec}] {key} is not set")
for sec in sorted(page):
    for key in sorted(page[sec]):
        checked += 1
        if key not in code.get(sec, ()):
            problem(f"bantin.ini.5: [{sec}] {key} is not a key "
                    "bantin knows")
for sec in sorted(ini):
    for key, comment in sorted(ini[sec].items()):
        checked += 1
        if key not in code.get(sec, ()):
            problem(f"conf/bantin.ini: [{sec}] {key} is not a key "
                    "bantin knows")
        entry = page.get(sec, {}).get(key)
        if entry is None:
            problem(f"bantin.ini.5: [{sec}] {key} is not documented")
        elif comment and not starts(entry, comment):
            problem(f"bantin.ini.5: [{sec}] {key} does not begin "
                    "with its comment in conf/bantin.ini: "
                    f"{' '.join(comment)}")
for sec, comment in sorted(loose.items()):
    checked += 1
    if not contains(intro.get(sec, []), comment):
        problem(f"bantin.ini.5: [{sec}] does not say what "
                f"conf/bantin.ini says of it: {' '.join(comment)}")

for p in problems:
    print(p)
print(f"manpages: {checked - len(problems)} passed, {len(problems)} failed")
sys.exit(1 if problems else 0)
