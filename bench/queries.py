#!/usr/bin/env python3
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/queries.py: the search requests of `make bench-scale`, one
# Gemini URL a line, every line different, so that no measured request
# is one the server has answered (and may have cached) before. The
# queries are what readers of the site in tests/gen_scale.py type:
# common and rare words, two- and three-word queries, quoted phrases
# and prefixes, with and without diacritics, in Vietnamese and
# English, a few that match nothing, mostly page 1 and some later
# pages. The same arguments give the same lines in the same order.
#
#   queries.py N [--seed 1] [--host localhost] [--prefixes]
#
# --prefixes: prefix queries only ("ngư*", "thanh*"), the first 3 to 6
# letters of the words above, with and without diacritics, on page 1
# to 3, so that a prefix's cost is seen apart from the mix.

import argparse
import random
import sys
import unicodedata
import urllib.parse

# words and names from the articles, common to rare
VI = [
    "hội nghị", "tiêm vắc xin", "phường", "quận", "đại hội", "chi bộ",
    "trung thu", "người cao tuổi", "chợ", "trường", "giao thông",
    "ngập", "đường hoa", "khám sức khỏe", "chuyển đổi số",
    "thủ tục hành chính", "tiền mặt", "tuyển sinh", "cựu chiến binh",
    "phụ nữ", "thanh niên", "dưỡng sinh", "công an", "ngân sách",
    "học sinh", "phần quà", "triều cường", "hẻm", "tổ dân phố",
    "Bình Lâm", "Nguyễn Văn", "Trần Thị", "lễ hội", "năm học mới",
    "giải chạy", "hội chợ hàng Việt", "nhà văn hóa", "khu phố 3",
    "phong trào Chủ nhật xanh", "kế hoạch", "ban quản lý dự án",
    "ý kiến cử tri", "khó khăn", "xã hội hóa", "báo cáo", "đồng tình",
    "ngày công", "lãnh đạo quận", "rà soát", "tổng kết", "khai mạc",
]
EN = [
    "school", "canal park", "evening language classes", "bus route",
    "youth union", "market", "vaccination", "lantern parade",
    "public services", "flower street", "fun run", "residents",
    "health centre", "Lê Lợi Street", "million đồng", "per cent",
]
SPECIAL = [
    '"chi bộ"', '"tiêm vắc xin"', "vắc*", "chuyển*", "dưỡng*",
    '"hội nghị" tổng kết', '"khu phố 3"', "2020", "2024", "covid-19",
    "xyzzy", "bão lũ", "Đà Nẵng", "thể thao bóng đá", "lantern*",
]


def plain(s):
    """The query as typed without diacritics."""
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--host", default="localhost")
    ap.add_argument("--prefixes", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if a.prefixes:
        return prefixes(a, rng)

    base = []
    for q in VI:
        base += [q, plain(q)]
    base += EN + SPECIAL
    seen = set()
    out = []
    tries = 0
    while len(out) < a.n and tries < 100 * a.n:
        tries += 1
        if base:
            q = base.pop(0)
        else:
            # then two terms, as readers narrow a search down, or
            # three
            k = 3 if rng.random() < 0.3 else 2
            q = " ".join(rng.sample(VI, k) if rng.random() < 0.85 else
                         rng.sample(EN, k))
            if rng.random() < 0.5:
                q = plain(q)
        # four in five on page 1; the rest on a later page
        page = 1 if rng.random() < 0.8 else rng.choice([2, 3, 5, 10])
        url = "gemini://%s/search?%s" % (a.host,
                                         urllib.parse.quote(q, safe=""))
        if page > 1:
            url += "&page=%d" % page
        if url not in seen:
            seen.add(url)
            out.append(url)
    return emit(a, rng, out, "queries")


def emit(a, rng, urls, what):
    """The first a.n of urls, shuffled, one a line; 1 if too few."""
    rng.shuffle(urls)
    if len(urls) < a.n:
        print("queries.py: only %d different %s" % (len(urls), what),
              file=sys.stderr)
        return 1
    sys.stdout.write("\n".join(urls[:a.n]) + "\n")
    return 0


def prefixes(a, rng):
    words = sorted({w for q in VI + EN for w in q.split()
                    if len(plain(w)) >= 3})
    out = []
    for n in (3, 4, 5, 6):
        for w in words:
            for v in (w, plain(w)):
                if len(v) >= n:
                    out.append(v[:n] + "*")
    out = sorted(set(out))
    urls = ["gemini://%s/search?%s%s" % (a.host,
            urllib.parse.quote(q, safe=""),
            "" if page == 1 else "&page=%d" % page)
            for q in out for page in (1, 2, 3)]
    return emit(a, rng, urls, "prefix queries")


if __name__ == "__main__":
    sys.exit(main())
