#!/usr/bin/env python3
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# tests/gen_scale.py: writes a large content tree in the shapes of the
# bundled capsule, for `make bench-scale`: category folders (some with
# subcategories) each with a _category.ini, articles in Markdown,
# gemtext, plain text and HTML with "key: value" headers (or a ---
# block, or HTML <meta>), dated file names and a few undated ones, a
# few attachments, and static pages at the top. Vietnamese throughout,
# English in the english category. The same seed gives the same tree,
# byte for byte, with mtimes set from the article dates.
#
#   gen_scale.py DIR [-n 100000] [--seed 1]

import argparse
import os
import random
import sys
import time
import unicodedata

# (path, title, description, order, language, share of articles)
CATEGORIES = [
    ("thoi-su", "Thời sự", "Tin hoạt động của Quận ủy, HĐND, UBND quận và "
     "các phường.", 1, "vi", 0.22),
    ("thoi-su/dai-hoi-dang", "Tuyên truyền Đại hội Đảng các cấp",
     "Tin, bài về đại hội chi bộ, đảng bộ cơ sở và Đảng bộ quận.", 1, "vi",
     0.08),
    ("kinh-te", "Kinh tế", "Doanh nghiệp, chợ, hộ kinh doanh và thuế.", 2,
     "vi", 0.15),
    ("van-hoa", "Văn hóa - Xã hội", "Lễ hội, y tế, môi trường và đời sống "
     "khu phố.", 3, "vi", 0.14),
    ("van-hoa/le-hoi", "Lễ hội", "Đường hoa, Trung thu và các ngày hội.", 1,
     "vi", 0.05),
    ("giao-duc", "Giáo dục", "Trường lớp, tuyển sinh và khuyến học.", 4,
     "vi", 0.14),
    ("the-thao", "Thể thao", "Giải chạy, bóng đá và phong trào rèn luyện "
     "thân thể.", 5, "vi", 0.12),
    ("english", "English", "News from Bình Lâm District in English.", 6,
     "en", 0.10),
]

VI_SUBJECTS = [
    "Hội nghị", "Ủy ban nhân dân quận", "Phường 7", "Tổ dân phố 12",
    "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Trường Tiểu học Bình Lâm",
    "Chợ Bình Lâm", "Trung tâm Y tế quận", "Ban Quản lý dự án",
    "Hội Cựu chiến binh", "Công an phường", "Hội đồng nhân dân quận",
    "Câu lạc bộ dưỡng sinh", "Nhà văn hóa khu phố 3", "Đảng bộ quận",
]
VI_VERBS = [
    "triển khai", "tổng kết", "phát động", "kiểm tra", "hỗ trợ",
    "tổ chức", "lấy ý kiến về", "hoàn thành", "khai mạc", "sơ kết",
    "đẩy mạnh", "chuẩn bị cho",
]
VI_OBJECTS = [
    "kế hoạch chỉnh trang hẻm", "phong trào Chủ nhật xanh",
    "chiến dịch tiêm vắc xin", "giải chạy vì cộng đồng",
    "công tác phòng chống ngập", "đợt khám sức khỏe cho người cao tuổi",
    "hội chợ hàng Việt", "năm học mới", "đại hội chi bộ",
    "chương trình chuyển đổi số", "đường hoa Xuân", "lễ hội Trung thu",
    "cải cách thủ tục hành chính", "thanh toán không dùng tiền mặt",
    "phân luồng giao thông", "tuyển sinh lớp 6",
]
VI_SENTENCES = [
    "Sáng {d}/{m}, {s} đã {v} {o} với sự tham gia của gần {n} người dân.",
    "Theo báo cáo, trong năm qua quận đã giải quyết {n} hồ sơ đúng hạn, "
    "đạt tỷ lệ {p}%.",
    "Nhiều ý kiến đề nghị tiếp tục {v} {o}, nhất là ở các hẻm nhỏ "
    "thường xuyên ngập khi triều cường.",
    "Ông Nguyễn Văn {a}, tổ trưởng tổ dân phố {t}, cho biết người dân "
    "rất đồng tình và sẵn sàng đóng góp ngày công.",
    "Bà Trần Thị {a} phát biểu: \"Chúng tôi mong {o} được duy trì "
    "thường xuyên, không chỉ làm theo phong trào.\"",
    "Kinh phí thực hiện khoảng {n} triệu đồng, từ ngân sách phường và "
    "nguồn xã hội hóa.",
    "Dịp này, {s} đã trao {t} phần quà cho các hộ gia đình khó khăn "
    "và học sinh vượt khó học giỏi.",
    "Kết thúc buổi làm việc, lãnh đạo quận ghi nhận kết quả đạt được và "
    "giao các phường rà soát, báo cáo trước ngày {d}/{m}.",
]
VI_HEADINGS = [
    "Kết quả nổi bật", "Ý kiến cử tri", "Nhiệm vụ thời gian tới",
    "Những khó khăn còn tồn tại", "Người dân đồng tình",
    "Phân công thực hiện",
]
VI_AUTHORS = ["THANH HÀ", "MINH TÂM", "HOÀNG NAM", "MỸ DUNG", "KHÁNH LINH",
              "QUỐC BẢO", "NGỌC ÁNH", "ĐỨC THẮNG"]

EN_SUBJECTS = [
    "The district People's Committee", "Ward 7", "Bình Lâm Market",
    "The district health centre", "Lê Lợi Street residents",
    "The youth union", "Bình Lâm Primary School", "The Ông Tám canal park",
]
EN_VERBS = ["opens", "reviews", "launches", "completes", "prepares",
            "extends", "celebrates", "inspects"]
EN_OBJECTS = [
    "the Tết flower street", "a new bus route", "online public services",
    "the autumn vaccination drive", "a cleaner canal campaign",
    "the community fun run", "evening language classes",
    "the Mid-Autumn lantern parade",
]
EN_SENTENCES = [
    "On {d} {mon}, {s} {v} {o}, with about {n} residents taking part.",
    "Officials said {p} per cent of applications were now handled online.",
    "Visitors are advised to arrive early; entry is free and the street "
    "is closed to traffic.",
    "Mr Nguyễn Văn {a}, a resident of group {t}, said neighbours had "
    "asked for this for years.",
    "The work costs about {n} million đồng, shared by the district and "
    "local businesses.",
    "More information is available at the ward office on Lê Lợi Street.",
]
EN_HEADINGS = ["What changes", "Practical information", "What residents say",
               "Next steps"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]

STATIC_PAGES = {
    "gioi-thieu.gmi": "# Giới thiệu\n\nBản tin điện tử của quận Bình Lâm: "
    "tin hoạt động, văn bản và đời sống khu phố.\n\n=> /date/ Xem theo "
    "ngày\n=> /search Tìm kiếm\n",
    "lien-he.gmi": "# Liên hệ\n\nBan biên tập: số 12 đường Lê Lợi, "
    "Phường 7, quận Bình Lâm.\n",
    "about.gmi": "# About\n\nThe news bulletin of Bình Lâm District, over "
    "Gemini and Gopher.\n",
}

# tiny stand-ins for the capsule's photos and PDFs: the sizes do not
# matter here, only that attachments sit among the articles
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049"
    "454e44ae426082")


def slugify(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    out = []
    for ch in s:
        if unicodedata.combining(ch):
            continue
        ch = ch.lower()
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    slug = "-".join(p for p in "".join(out).split("-") if p)
    return slug[:60].strip("-")


def fill(rng, tmpl, date, lang):
    vi = lang == "vi"
    return tmpl.format(
        d=date[2], m=date[1], mon=EN_MONTHS[date[1] - 1],
        s=rng.choice(VI_SUBJECTS if vi else EN_SUBJECTS),
        v=rng.choice(VI_VERBS if vi else EN_VERBS),
        o=rng.choice(VI_OBJECTS if vi else EN_OBJECTS),
        n=rng.randint(20, 900), p=rng.randint(80, 99),
        a=rng.choice("ABCDEHKLMNPQSTV"), t=rng.randint(1, 40))


def paragraph_pool(rng, lang, size=1500):
    """Paragraphs made once and shared: writing 100,000 articles must
    take seconds, and their text need not be unique to be realistic."""
    sents = VI_SENTENCES if lang == "vi" else EN_SENTENCES
    pool = []
    for _ in range(size):
        date = (2020, rng.randint(1, 12), rng.randint(1, 28))
        pool.append(" ".join(fill(rng, rng.choice(sents), date, lang)
                             for _ in range(rng.randint(2, 4))))
    return pool


def make_article(rng, lang, date, pool):
    if lang == "vi":
        title = "%s %s %s" % (rng.choice(VI_SUBJECTS), rng.choice(VI_VERBS),
                              rng.choice(VI_OBJECTS))
        sents, heads = VI_SENTENCES, VI_HEADINGS
    else:
        title = "%s %s %s" % (rng.choice(EN_SUBJECTS), rng.choice(EN_VERBS),
                              rng.choice(EN_OBJECTS))
        sents, heads = EN_SENTENCES, EN_HEADINGS
    author = rng.choice(VI_AUTHORS)
    # the lead is the article's own, with its date; the rest is shared
    summary = fill(rng, sents[0], date, lang)
    sections = [(None, [summary + " " + rng.choice(pool)])]
    for _ in range(rng.randint(1, 2)):
        sections.append((rng.choice(heads),
                         [rng.choice(pool) for _ in range(rng.randint(1,
                                                                      2))]))
    objs = VI_OBJECTS if lang == "vi" else EN_OBJECTS
    tags = ", ".join(sorted({rng.choice(objs), rng.choice(objs)}))
    return title, author, summary, tags, sections


def header_lines(title, date, hhmm, author, summary, tags, lang):
    return ["title: " + title,
            "date: %04d-%02d-%02d %s" % (date[0], date[1], date[2], hhmm),
            "author: " + author, "summary: " + summary, "tags: " + tags,
            "lang: " + lang]


def render(fmt, rng, art, date, hhmm, lang):
    title, author, summary, tags, sections = art
    hdr = header_lines(title, date, hhmm, author, summary, tags, lang)
    if fmt == "md":
        fence = rng.random() < 0.5
        out = (["---"] + hdr + ["---", ""]) if fence else (hdr + [""])
        for h, paras in sections:
            if h:
                out += ["## " + h, ""]
            for p in paras:
                out += [p.replace("Phường 7", "**Phường 7**"), ""]
        return "\n".join(out)
    if fmt == "gmi":
        out = hdr + [""]
        for h, paras in sections:
            if h:
                out += ["## " + h, ""]
            out += paras + [""]
        out += ["=> /%s/ Xem thêm" % "thoi-su"]
        return "\n".join(out) + "\n"
    if fmt == "txt":
        out = hdr + [""]
        for h, paras in sections:
            if h:
                out += [h, ""]
            for p in paras:
                out += [p, ""]
        return "\n".join(out)
    # html, as a web CMS exports it
    iso = "%04d-%02d-%02dT%s:00+07:00" % (date[0], date[1], date[2], hhmm)
    out = ["<!DOCTYPE html>", '<html lang="%s">' % lang, "<head>",
           '<meta charset="utf-8">',
           "<title>%s | Cổng thông tin quận Bình Lâm</title>" % title,
           '<meta name="author" content="%s">' % author,
           '<meta name="description" content="%s">' % summary,
           '<meta property="article:published_time" content="%s">' % iso,
           "</head>", '<body class="page-article">',
           '<nav class="menu"><a href="/">Trang chủ</a></nav>',
           "<article>", "<h1>%s</h1>" % title]
    for h, paras in sections:
        if h:
            out.append("<h2>%s</h2>" % h)
        out += ["<p>%s</p>" % p for p in paras]
    out += ["</article>", "<footer>SỐ LƯỢT TRUY CẬP: %d</footer>"
            % rng.randint(10 ** 6, 4 * 10 ** 7), "</body>", "</html>", ""]
    return "\n".join(out)


def generate(root, n, seed):
    rng = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    for name, text in STATIC_PAGES.items():
        with open(os.path.join(root, name), "w", encoding="utf-8") as f:
            f.write(text)
    # how many articles each category gets, summing to n exactly
    counts = [int(n * c[5]) for c in CATEGORIES]
    counts[0] += n - sum(counts)
    start = time.mktime((2000, 1, 1, 0, 0, 0, 0, 0, -1))
    span = time.mktime((2026, 6, 30, 0, 0, 0, 0, 0, -1)) - start
    pools = {"vi": paragraph_pool(rng, "vi"), "en": paragraph_pool(rng, "en")}
    written = 0
    for (path, title, desc, order, lang, _), cnt in zip(CATEGORIES, counts):
        d = os.path.join(root, path)
        os.makedirs(os.path.join(d, "anh"), exist_ok=True)
        with open(os.path.join(d, "_category.ini"), "w",
                  encoding="utf-8") as f:
            f.write("[category]\ntitle = %s\ndescription = %s\norder = %d\n"
                    % (title, desc, order))
        with open(os.path.join(d, "anh", "minh-hoa.png"), "wb") as f:
            f.write(PNG_1X1)
        seen = set()
        for i in range(cnt):
            t = start + rng.random() * span
            lt = time.localtime(t)
            date = (lt.tm_year, lt.tm_mon, lt.tm_mday)
            hhmm = "%02d:%02d" % (rng.randint(6, 21), rng.choice((0, 15,
                                                                  30, 45)))
            art = make_article(rng, lang, date, pools[lang])
            r = rng.random()
            fmt = "md" if r < 0.4 else "gmi" if r < 0.65 else \
                "txt" if r < 0.85 else "html"
            slug = slugify(art[0])
            # most names carry the date, as the capsule's do
            if rng.random() < 0.97:
                slug = "%04d-%02d-%02d-%s" % (date[0], date[1], date[2],
                                              slug)
            base, k = slug, 2
            while slug in seen:
                slug = "%s-%d" % (base, k)
                k += 1
            seen.add(slug)
            fn = os.path.join(d, "%s.%s" % (slug, fmt))
            # os.open: Python's buffered text files cost several times
            # more per small file, and there are 100,000 of them
            fd = os.open(fn, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, render(fmt, rng, art, date, hhmm, lang).encode())
            os.close(fd)
            os.utime(fn, (t, t))
            written += 1
    return written


def main():
    ap = argparse.ArgumentParser(description="generate a large capsule")
    ap.add_argument("dir")
    ap.add_argument("-n", type=int, default=100000, help="articles")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.n < len(CATEGORIES):
        sys.exit("gen_scale: -n must be at least %d" % len(CATEGORIES))
    t0 = time.time()
    os.environ["TZ"] = "Asia/Ho_Chi_Minh"
    time.tzset()
    n = generate(a.dir, a.n, a.seed)
    print("gen_scale: %d articles in %s (%.1f s)" % (n, a.dir,
                                                     time.time() - t0))


if __name__ == "__main__":
    main()
