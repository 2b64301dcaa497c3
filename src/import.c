/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * import.c: bantin -I DIR. A newsroom's old portal comes over from its
 * saved pages: a `wget --mirror` (a folder named after the host, as
 * wget makes it, or the host's files themselves) or a CMS export. Each
 * page is read as the site would read it (convert_html_page): one
 * without a story, a listing of headlines, the home page, a search or
 * login page is skipped with its reason. Each article goes into the
 * category its article:section, breadcrumb or address names (a folder
 * per category, an ASCII name, a _category.ini with the title, made
 * when missing), as YYYY-MM-DD-<title>.html: the page as it was, with
 * its date, author and tags in <meta> ahead of its own, the pictures
 * and documents its story shows copied into anh/<name>/ beside it and
 * its links to them and to the other articles imported rewritten.
 *
 * It never writes outside the tree: every folder and file is made
 * below the root's descriptor, never through a symbolic link, under an
 * ASCII name it made; every file is written to a hidden temporary name
 * and renamed, so that a running bantin takes each whole. It never
 * reads outside the mirror (symbolic links are not followed, paths do
 * not climb above it) and fetches nothing. Each article records the
 * page it came from (<meta name="bantin:source">): a second run finds
 * its work done and imports nothing twice.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "convert.h"
#include "gemtext.h"
#include "import.h"
#include "path.h"
#include "scheme.h"
#include "utf8.h"

#define IMPORT_DEPTH	16		/* folders followed in a mirror */
#define IMPORT_PAGE_MAX	(8 << 20)	/* bytes of one page */
#define IMPORT_FILE_MAX	(64 << 20)	/* bytes of one picture, document */
#define IMPORT_SLUG	80		/* bytes of a title's file name */
#define IMPORT_LEVELS	3		/* category folders, nested */
#define IMPORT_MIN	200		/* characters of an article, at least */
#define IMPORT_DEFAULT	"tin-tuc"	/* with nowhere said to file it */
#define IMPORT_DEFTITLE	"Tin tức"
#define IMPORT_ASSETS	"anh"		/* pictures, documents: cat/anh/<a>/ */

struct page {
	char		*rel;		/* below the mirror's root */
	struct convert_page pg;
	const char	*why;		/* skipped: why; NULL: an article */
	char		 whybuf[256];
	char		 date[17];	/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" */
	int		 filedate;	/* the date is the file's time */
	int		 article;	/* it is one (why may say it is
					   already imported) */
	char		*cat;		/* "kinh-te" or "tin-tuc/kinh-te" */
	char		*cattitle[IMPORT_LEVELS];
	char		*name;		/* "2023-12-04-giai-ngan.html" */
};

struct imp {
	int		 rootfd;
	char		 mroot[PATH_MAX];	/* the mirror's pages */
	const char	*host;		/* its host folder's name, or NULL */
	struct page	*pages;
	size_t		 npages, cap;
	FILE		*out;
	size_t		 imported, skipped;
	int		 failed;
};

static int	 html_name(const char *);
static int	 walk(struct imp *, const char *, int);
static int	 read_all(int, const char *, struct buf *, size_t);
static void	 classify(struct page *, time_t);
static int	 url_date(const char *, char *);
static int	 lead_date(const char *, char *);
static char	*menu_title(const struct page *, const char *);
static int	 place(struct imp *, struct page *);
static int	 page_cmp(const void *, const void *);
static struct page *page_find(struct imp *, const char *);
static int	 mirror_file(struct imp *, const struct page *, const char *,
		    char *, size_t);
static int	 tree_dir(struct imp *, const char *, int);
static int	 write_at(int, const char *, const char *, size_t);
static int	 has_source(struct imp *, const char *, const char *);
static int	 put_attr(struct buf *, const char *);
static int	 replace_attr(struct buf *, const char *, const char *);
static int	 asset(struct imp *, struct buf *, const char *, int, char *,
		    size_t, size_t *);
static int	 category_ini(int, const char *);
static int	 write_article(struct imp *, struct page *);

/* A page by its name: the extension before any query wget kept. */
static int
html_name(const char *name)
{
	static const char *const exts[] = {
		"html", "htm", "shtml", "asp", "aspx", "php", "jsp", "cfm"
	};
	const char	*end = name + strcspn(name, "?"), *dot;
	size_t		 i, n;

	for (dot = end; dot > name && dot[-1] != '.'; dot--)
		;
	if (dot == name)
		return 0;
	n = (size_t)(end - dot);
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strlen(exts[i]) == n && strncasecmp(dot, exts[i], n) == 0)
			return 1;
	/* wget --adjust-extension: "index.php?id=5.html" */
	return *end == '?' && strlen(end) > 5 &&
	    strcasecmp(end + strlen(end) - 5, ".html") == 0;
}

/* The pages below rel (a folder of the mirror), symbolic links left. */
static int
walk(struct imp *im, const char *rel, int depth)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX], sub[PATH_MAX];
	void		*v;
	int		 r = 0;

	if (depth > IMPORT_DEPTH)
		return 0;
	if (snprintf(path, sizeof(path), "%s/%s", im->mroot, rel) >=
	    (int)sizeof(path) || (d = opendir(path)) == NULL)
		return 0;
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s%s%s", rel,
		    *rel != '\0' ? "/" : "", de->d_name) >= (int)sizeof(sub) ||
		    snprintf(path, sizeof(path), "%s/%s", im->mroot, sub) >=
		    (int)sizeof(path) || lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode))
			r = walk(im, sub, depth + 1);
		else if (S_ISREG(st.st_mode) && html_name(de->d_name)) {
			if (im->npages == im->cap) {
				im->cap = im->cap ? im->cap * 2 : 64;
				if ((v = reallocarray(im->pages, im->cap,
				    sizeof(*im->pages))) == NULL) {
					r = -1;
					break;
				}
				im->pages = v;
			}
			memset(&im->pages[im->npages], 0, sizeof(*im->pages));
			if ((im->pages[im->npages].rel = strdup(sub)) == NULL)
				r = -1;
			else
				im->npages++;
		}
	}
	closedir(d);
	return r;
}

static int
read_all(int fd, const char *path, struct buf *b, size_t max)
{
	int	 f, r;

	buf_reset(b);
	if ((f = openat(fd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	r = buf_read_fd(b, f, max, 65536);
	close(f);
	return r;
}

/* Folded words of s joined by '-' into out; -1 if none. */
int
import_slug(const char *text, char *out, size_t max)
{
	struct buf	 f = BUF_INIT;
	size_t		 i, n = 0, cut = 0;
	int		 dash = 0;
	unsigned char	 c;

	if (max < 2 || utf8_fold(&f, text, strlen(text)) == -1) {
		buf_free(&f);
		return -1;
	}
	for (i = 0; i < f.len && n + 1 < max; i++) {
		c = (unsigned char)f.data[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > 0) {
				cut = n;
				out[n++] = '-';
				if (n + 1 >= max)
					break;
			}
			out[n++] = (char)c;
			dash = 0;
		} else
			dash = 1;
	}
	/* cut short: at a word's end */
	if (i < f.len && n + 1 >= max && cut > 0)
		n = cut;
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	buf_free(&f);
	return n > 0 ? 0 : -1;
}

/* n digits at s, or -1 */
static int
digits(const char *s, size_t min, size_t max, size_t *used)
{
	size_t	 i;
	int	 v = 0;

	for (i = 0; i < max && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i < min || (s[i] >= '0' && s[i] <= '9'))
		return -1;
	*used = i;
	return v;
}

/* a month named in words, in folded Vietnamese ("muoi hai"), or -1 */
static int
month_word(const char *s, size_t *used)
{
	static const struct {
		const char	*w;
		int		 m;
	} months[] = {
		{ "muoi mot", 11 }, { "muoi hai", 12 }, { "muoi", 10 },
		{ "mot", 1 }, { "gieng", 1 }, { "hai", 2 }, { "ba", 3 },
		{ "tu", 4 }, { "bon", 4 }, { "nam", 5 }, { "sau", 6 },
		{ "bay", 7 }, { "tam", 8 }, { "chin", 9 }, { "chap", 12 }
	};
	size_t	 i, n;

	for (i = 0; i < sizeof(months) / sizeof(months[0]); i++) {
		n = strlen(months[i].w);
		if (strncmp(s, months[i].w, n) == 0 &&
		    !(s[n] >= 'a' && s[n] <= 'z')) {
			*used = n;
			return months[i].m;
		}
	}
	return -1;
}

/* A time near a date: "11:15", "11:15:00 SA", "05:20 CH", "9:05 PM". */
static int
find_time(const char *s, size_t len, int *hh, int *mi)
{
	size_t	 i, u, k;
	int	 h, m;

	for (i = 0; i + 4 <= len; i++) {
		if ((h = digits(s + i, 1, 2, &u)) < 0 || s[i + u] != ':' ||
		    (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
			continue;
		k = i + u + 1;
		if ((m = digits(s + k, 2, 2, &u)) < 0)
			continue;
		k += u;
		if (s[k] == ':' && digits(s + k + 1, 2, 2, &u) >= 0)
			k += 1 + u;
		while (s[k] == ' ')
			k++;
		if ((strncmp(s + k, "ch", 2) == 0 || strncmp(s + k, "pm",
		    2) == 0) && h < 12)
			h += 12;
		else if ((strncmp(s + k, "sa", 2) == 0 ||
		    strncmp(s + k, "am", 2) == 0) && h == 12)
			h = 0;
		if (h > 23 || m > 59)
			continue;
		*hh = h;
		*mi = m;
		return 0;
	}
	return -1;
}

/* "YYYY-MM-DD", and " HH:MM" if hh is not -1, into out[17]: checked
 * values, so the widths hold */
static void
put_date(char *out, int y, int m, int d, int hh, int mi)
{
	if (hh >= 0)
		(void)snprintf(out, 17, "%04hu-%02hhu-%02hhu %02hhu:%02hhu",
		    (unsigned short)y, (unsigned char)m, (unsigned char)d,
		    (unsigned char)hh, (unsigned char)mi);
	else
		(void)snprintf(out, 17, "%04hu-%02hhu-%02hhu",
		    (unsigned short)y, (unsigned char)m, (unsigned char)d);
}

int
import_text_date(const char *text, char *out)
{
	struct buf	 f = BUF_INIT;
	const char	*s;
	size_t		 i, u, k, start, end;
	int		 d, m, y, hh, mi, r = -1;

	if (utf8_fold(&f, text, strlen(text)) == -1 || f.data == NULL)
		goto done;
	s = f.data;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
			continue;
		start = i;
		d = m = y = -1;
		if ((y = digits(s + i, 4, 4, &u)) >= 0 && s[i + u] == '-') {
			/* 2020-05-21 */
			k = i + u + 1;
			if ((m = digits(s + k, 2, 2, &u)) < 0 ||
			    s[k + u] != '-')
				continue;
			k += u + 1;
			if ((d = digits(s + k, 2, 2, &u)) < 0)
				continue;
			end = k + u;
		} else if ((d = digits(s + i, 1, 2, &u)) >= 0 &&
		    strchr("/.-", s[i + u]) != NULL && s[i + u] != '\0') {
			/* 21/05/2020 */
			k = i + u + 1;
			if ((m = digits(s + k, 1, 2, &u)) < 0 ||
			    s[k + u] != s[i + (k - i - 1)])
				continue;
			k += u + 1;
			if ((y = digits(s + k, 4, 4, &u)) < 0)
				continue;
			end = k + u;
		} else if (d >= 0 && s[i + u] == ' ' &&
		    strncmp(s + i + u + 1, "thang ", 6) == 0) {
			/* 21 tháng 5 năm 2020, 15 Tháng Mười 2020 */
			k = i + u + 7;
			if ((m = digits(s + k, 1, 2, &u)) < 0 &&
			    (m = month_word(s + k, &u)) < 0)
				continue;
			k += u;
			while (s[k] == ' ' || s[k] == ',')
				k++;
			if (strncmp(s + k, "nam ", 4) == 0)
				k += 4;
			if ((y = digits(s + k, 4, 4, &u)) < 0)
				continue;
			end = k + u;
		} else
			continue;
		if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 ||
		    d > 31)
			continue;
		/* a time just after it, or just before ("08:30 21/05") */
		hh = mi = -1;
		if (find_time(s + end, strlen(s + end) < 24 ? strlen(s + end) :
		    24, &hh, &mi) == -1 && start > 0)
			(void)find_time(s + (start > 12 ? start - 12 : 0),
			    start > 12 ? 12 : start, &hh, &mi);
		put_date(out, y, m, d, hh, mi);
		r = 0;
		break;
	}
done:
	buf_free(&f);
	return r;
}

/* "2023-12-04T08:30:00+07:00" and the like, as "YYYY-MM-DD[ HH:MM]" */
static int
iso_date(const char *s, char *out)
{
	char	 t[64];

	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	(void)snprintf(t, sizeof(t), "%.*s", (int)sizeof(t) - 1, s);
	if (t[10] == 'T')
		t[10] = ' ';
	return import_text_date(t, out);
}

/* A date on a short line of the story's first lines: a dateline, not
 * a date the prose mentions. */
static int
lead_date(const char *lead, char *out)
{
	char		 line[512];
	const char	*p, *e;
	size_t		 n, i, chars;

	for (p = lead; p != NULL && *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		n = (size_t)(e - p);
		for (i = 0, chars = 0; i < n; i++)
			chars += ((unsigned char)p[i] & 0xc0) != 0x80;
		if (n == 0 || n >= sizeof(line) || chars > 80)
			continue;
		memcpy(line, p, n);
		line[n] = '\0';
		if (import_text_date(line, out) == 0)
			return 0;
	}
	return -1;
}

/* 2012/10/20/ or 2012/10/ in a page's address, as folders */
static int
url_date(const char *rel, char *out)
{
	const char	*p;
	size_t		 u, k;
	int		 y, m, d;

	for (p = rel; p != NULL; p = (p = strchr(p, '/')) != NULL ? p + 1 :
	    NULL) {
		if ((y = digits(p, 4, 4, &u)) < 1990 || y > 2100 ||
		    p[u] != '/' || (m = digits(p + u + 1, 2, 2, &k)) < 1 ||
		    m > 12 || p[u + 1 + k] != '/')
			continue;
		p += u + 1 + k + 1;
		if ((d = digits(p, 2, 2, &k)) < 1 || d > 31 || p[k] != '/')
			d = 1;
		put_date(out, y, m, d, -1, -1);
		return 0;
	}
	return -1;
}

/* Does rel (folded to ASCII) hold one of the words? */
static int
rel_says(const char *rel, const char *const *words, size_t n)
{
	struct buf	 f = BUF_INIT;
	size_t		 i;
	int		 r = 0;

	if (utf8_fold(&f, rel, strlen(rel)) == 0 && f.data != NULL)
		for (i = 0; i < n && !r; i++)
			r = strstr(f.data, words[i]) != NULL;
	buf_free(&f);
	return r;
}

/* An article, or why not. */
static void
classify(struct page *p, time_t mtime)
{
	static const char *const home[] = {
		"index.html", "index.htm", "index.php", "index.asp",
		"index.aspx", "default.aspx", "default.asp", "default.htm",
		"default.html", "trang-chu.html", "home.html"
	};
	static const char *const search[] = {
		"search", "tim-kiem", "timkiem", "tim_kiem", "?q=", "&q=",
		"keyword=", "tukhoa="
	};
	static const char *const login[] = {
		"login", "dang-nhap", "dangnhap", "signin", "dang-ky",
		"register"
	};
	struct convert_page	*pg = &p->pg;
	struct tm		 tm;
	size_t			 i;

	for (i = 0; i < sizeof(home) / sizeof(home[0]); i++)
		if (strcasecmp(p->rel, home[i]) == 0 ||
		    (strncasecmp(p->rel, home[i], strlen(home[i])) == 0 &&
		    p->rel[strlen(home[i])] == '?')) {
			p->why = "the home page";
			return;
		}
	if (rel_says(p->rel, search, sizeof(search) / sizeof(search[0]))) {
		p->why = "a search page";
		return;
	}
	if (pg->password || rel_says(p->rel, login,
	    sizeof(login) / sizeof(login[0]))) {
		p->why = "a login page";
		return;
	}
	if (!pg->story) {
		p->why = "no story found: a listing, a menu or a form";
		return;
	}
	if (pg->heads >= 3) {
		(void)snprintf(p->whybuf, sizeof(p->whybuf), "a listing of "
		    "%zu headlines", pg->heads);
		p->why = p->whybuf;
		return;
	}
	if (pg->linkchars * 3 > pg->chars) {
		(void)snprintf(p->whybuf, sizeof(p->whybuf), "a listing: "
		    "%zu of its %zu characters are links", pg->linkchars,
		    pg->chars);
		p->why = p->whybuf;
		return;
	}
	if (pg->chars < IMPORT_MIN) {
		(void)snprintf(p->whybuf, sizeof(p->whybuf), "too short for "
		    "an article (%zu characters)", pg->chars);
		p->why = p->whybuf;
		return;
	}
	if (pg->meta.title == NULL) {
		p->why = "no title";
		return;
	}
	/* the date: the page's metadata, the story's date (a <time>, an
	 * element classed as a date), a short line of its lead (a
	 * dateline), its address, the file's time (wget keeps the
	 * server's) */
	if (iso_date(pg->meta.date, p->date) == 0 ||
	    (pg->meta.date != NULL &&
	    import_text_date(pg->meta.date, p->date) == 0) ||
	    (pg->date != NULL && (iso_date(pg->date, p->date) == 0 ||
	    import_text_date(pg->date, p->date) == 0)) ||
	    lead_date(pg->lead, p->date) == 0 ||
	    url_date(p->rel, p->date) == 0)
		return;
	if (localtime_r(&mtime, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	(void)strftime(p->date, sizeof(p->date), "%Y-%m-%d", &tm);
	p->filedate = 1;
}

static int
page_cmp(const void *a, const void *b)
{
	return strcmp(((const struct page *)a)->rel,
	    ((const struct page *)b)->rel);
}

static struct page *
page_find(struct imp *im, const char *rel)
{
	size_t	 lo = 0, hi = im->npages, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(rel, im->pages[mid].rel)) == 0)
			return &im->pages[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Is h[0..n) host, "www." aside on either side? */
static int
same_host(const char *h, size_t n, const char *host)
{
	size_t	 len;

	if (host == NULL)
		return 0;
	if (n > 4 && strncasecmp(h, "www.", 4) == 0) {
		h += 4;
		n -= 4;
	}
	if (strncasecmp(host, "www.", 4) == 0)
		host += 4;
	len = strlen(host);
	return len == n && strncasecmp(h, host, n) == 0;
}

/*
 * The mirror's file an address of page p names (below the mirror's
 * root, into rel), or -1: another site, no such file, or a path out of
 * the mirror. wget keeps a query in the file's name, and may have
 * added ".html" to it.
 */
static int
mirror_file(struct imp *im, const struct page *p, const char *href,
    char *rel, size_t len)
{
	struct stat	 st;
	struct buf	 raw = BUF_INIT;
	char		 norm[PATH_MAX], full[PATH_MAX], real[PATH_MAX];
	const char	*h = href, *q, *errstr, *slash;
	size_t		 n, i;
	int		 r = -1;

	h += strspn(h, " \t\r\n");
	if (strncasecmp(h, "http://", 7) == 0 ||
	    strncasecmp(h, "https://", 8) == 0 || strncmp(h, "//", 2) == 0) {
		h = strstr(h, "//") + 2;
		n = strcspn(h, "/?#");
		/* the mirror's host, or the one the page says it is at */
		if (!same_host(h, n, im->host) && !same_host(h, n, p->pg.self))
			return -1;		/* off the mirror */
		h += n;
		if (buf_putc(&raw, '/') == -1)
			goto done;
	} else if (strchr(h, ':') != NULL &&
	    strchr(h, ':') < h + strcspn(h, "/?#"))
		return -1;			/* mailto:, javascript: */
	else if (*h != '/') {
		/* relative to the page's folder */
		if ((slash = strrchr(p->rel, '/')) != NULL &&
		    (buf_putc(&raw, '/') == -1 || buf_append(&raw, p->rel,
		    (size_t)(slash - p->rel)) == -1))
			goto done;
		if (buf_putc(&raw, '/') == -1)
			goto done;
	}
	n = strcspn(h, "#");
	while (n > 0 && (unsigned char)h[n - 1] <= ' ')
		n--;
	if (buf_append(&raw, h, n) == -1 || raw.len == 0)
		goto done;
	q = raw.data + strcspn(raw.data, "?");
	if (path_normalize(raw.data, (size_t)(q - raw.data), norm,
	    sizeof(norm), &errstr) == -1)
		goto done;
	/* as it is, with its query, with wget's ".html", as a folder */
	for (i = 0; i < 4 && r == -1; i++) {
		if (snprintf(full, sizeof(full), "%s%s%s%s", norm + 1, q,
		    i == 1 ? ".html" : "", i == 2 ? "index.html" : i == 3 ?
		    "/index.html" : "") >= (int)sizeof(full))
			continue;
		if ((i == 2 && norm[strlen(norm) - 1] != '/') ||
		    (i == 3 && (norm[strlen(norm) - 1] == '/' || *q != '\0')))
			continue;
		if (snprintf(real, sizeof(real), "%s/%s", im->mroot, full) >=
		    (int)sizeof(real) || lstat(real, &st) == -1 ||
		    !S_ISREG(st.st_mode) || realpath(real, norm + 0) == NULL)
			continue;
		/* inside the mirror, whatever its folders are */
		if (strncmp(norm, im->mroot, strlen(im->mroot)) != 0 ||
		    norm[strlen(im->mroot)] != '/' || strlen(full) >= len) {
			(void)path_normalize(raw.data, (size_t)(q - raw.data),
			    norm, sizeof(norm), &errstr);
			continue;
		}
		(void)snprintf(rel, len, "%s", full);
		r = 0;
	}
done:
	buf_free(&raw);
	return r;
}

/* The folder rel of the tree, for this import (import.h). Every name
 * in rel is one this file made: [a-z0-9-_.]. */
static int
tree_dir(struct imp *im, const char *rel, int create)
{
	return import_dir(im->rootfd, rel, create);
}

int
import_dir(int rootfd, const char *rel, int create)
{
	char		 part[NAME_MAX + 1];
	const char	*p = rel;
	size_t		 n;
	int		 fd, next;

	if ((fd = dup(rootfd)) == -1)
		return -1;
	while (*p != '\0') {
		n = strcspn(p, "/");
		if (n == 0 || n > NAME_MAX || p[0] == '.') {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		if ((next = openat(fd, part, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1 && errno == ENOENT &&
		    create) {
			if (mkdirat(fd, part, 0755) == -1 && errno != EEXIST) {
				close(fd);
				return -1;
			}
			next = openat(fd, part, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		}
		close(fd);
		if (next == -1)
			return -1;
		fd = next;
		p += n;
		p += strspn(p, "/");
	}
	return fd;
}

/* name in dirfd, whole or not at all: a hidden temporary, renamed. */
static int
write_at(int dirfd, const char *name, const char *data, size_t len)
{
	static unsigned	 serial;
	char		 tmp[NAME_MAX + 1];
	ssize_t		 w;
	size_t		 off = 0;
	int		 fd, saved;

	(void)snprintf(tmp, sizeof(tmp), ".import.%ld.%u", (long)getpid(),
	    serial++);
	if ((fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0644)) == -1)
		return -1;
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) == -1)
		goto fail;
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	errno = saved;
	return -1;
}

/* Attribute text: &, <, >, " escaped, and anything not ASCII as a
 * character reference, so that it reads the same in any charset. */
static int
put_attr(struct buf *b, const char *s)
{
	size_t	 i, len = strlen(s), k;
	int	 cp, r = 0;

	for (i = 0; i < len && r == 0; i += k) {
		k = utf8_decode(s + i, len - i, &cp);
		if (cp < 0)
			continue;
		if (cp == '&')
			r = buf_puts(b, "&amp;");
		else if (cp == '<')
			r = buf_puts(b, "&lt;");
		else if (cp == '>')
			r = buf_puts(b, "&gt;");
		else if (cp == '"')
			r = buf_puts(b, "&quot;");
		else if (cp < 0x20)
			r = buf_putc(b, ' ');
		else if (cp < 0x80)
			r = buf_putc(b, cp);
		else
			r = buf_printf(b, "&#%d;", cp);
	}
	return r;
}

/* Does the article file name in folder cat come from page rel? */
static int
has_source(struct imp *im, const char *cat, const char *name_rel)
{
	struct buf	 b = BUF_INIT, want = BUF_INIT;
	const char	*name = strchr(name_rel, '\n') + 1;
	int		 fd, r = 0;

	if ((fd = tree_dir(im, cat, 0)) == -1)
		return 0;
	if (read_all(fd, name, &b, IMPORT_PAGE_MAX) == 0 &&
	    buf_puts(&want, "name=\"bantin:source\" content=\"") == 0 &&
	    buf_append(&want, name_rel, (size_t)(name - 1 - name_rel)) == 0 &&
	    buf_putc(&want, '"') == 0 && b.data != NULL)
		r = memmem(b.data, b.len, want.data, want.len) != NULL;
	close(fd);
	buf_free(&b);
	buf_free(&want);
	return r;
}

/*
 * What the page's menu calls the folder of the mirror: the words of
 * its shortest link into it ("Tin tức - Sự kiện" for
 * /tin-tuc/tabid/55/Default.aspx), malloc'd; NULL if none.
 */
static char *
menu_title(const struct page *p, const char *folder)
{
	const char	*best = NULL, *h, *t, *e;
	size_t		 i, n = strlen(folder), blen = 0, hlen;

	for (i = 0; i < p->pg.nmenu; i++) {
		h = p->pg.menu[i];
		t = strchr(h, '\t') + 1;
		hlen = (size_t)(t - 1 - h);
		if (strncasecmp(h, "http://", 7) == 0 ||
		    strncasecmp(h, "https://", 8) == 0)
			h = (e = strchr(strstr(h, "//") + 2, '/')) != NULL ? e :
			    t - 1;
		h += strspn(h, "/.");
		if (strncasecmp(h, folder, n) != 0 ||
		    (h[n] != '/' && h[n] != '\t') || strlen(t) > 60 ||
		    gemtext_same_title(t, strlen(t), p->pg.meta.title) ||
		    (best != NULL && hlen >= blen))
			continue;
		best = t;
		blen = hlen;
	}
	return best != NULL ? strdup(best) : NULL;
}

/* The category folders and the file name: where the article goes. */
static int
place(struct imp *im, struct page *p)
{
	struct convert_page	*pg = &p->pg;
	struct buf		 cat = BUF_INIT, key = BUF_INIT;
	const char		*from[IMPORT_LEVELS];
	char			 slug[IMPORT_SLUG + 1], name[NAME_MAX + 1];
	char			 dir[PATH_MAX], *s, *e;
	size_t			 i, n = 0, k;
	int			 fd, r = -1;
	struct stat		 st;

	/* named by the page: its section, else its breadcrumb's steps
	 * (the story's own title left out) */
	if (pg->section != NULL)
		from[n++] = pg->section;
	for (i = 0; n == 0 && i < pg->ncrumbs && i < IMPORT_LEVELS; i++)
		if (!gemtext_same_title(pg->crumbs[i], strlen(pg->crumbs[i]),
		    pg->meta.title))
			from[n++] = pg->crumbs[i];
	for (i = 0; i < n; i++) {
		if (import_slug(from[i], slug, 48) == -1)
			continue;
		if (cat.len == 0 && scheme_reserved(slug, 0) &&
		    strlen(slug) < 40)
			(void)strcat(slug, "-muc");
		if ((cat.len > 0 && buf_putc(&cat, '/') == -1) ||
		    buf_puts(&cat, slug) == -1)
			goto done;
		p->cattitle[i] = strdup(from[i]);
	}
	/* else by its address: its first folder that is not a year or a
	 * number (the rest of a CMS's address says little), and not the
	 * page's own (".../hoi-thi-nau-an/index.html") */
	if (cat.len == 0) {
		(void)snprintf(dir, sizeof(dir), "%s", p->rel);
		if ((s = strrchr(dir, '/')) != NULL &&
		    strncasecmp(s + 1, "index.", 6) == 0)
			*s = '\0';
		if ((s = strrchr(dir, '/')) != NULL)
			s[1] = '\0';
		for (s = dir, k = 0; k < 1 &&
		    (e = strchr(s, '/')) != NULL; s = e + 1) {
			*e = '\0';
			if (strspn(s, "0123456789") == strlen(s) ||
			    import_slug(s, slug, 48) == -1)
				continue;
			if (cat.len == 0 && scheme_reserved(slug, 0))
				(void)strcat(slug, "-muc");
			if ((cat.len > 0 && buf_putc(&cat, '/') == -1) ||
			    buf_puts(&cat, slug) == -1)
				goto done;
			p->cattitle[k] = menu_title(p, s);
			k++;
		}
	}
	if (cat.len == 0) {
		if (buf_puts(&cat, IMPORT_DEFAULT) == -1)
			goto done;
		p->cattitle[0] = strdup(IMPORT_DEFTITLE);
	}
	if (import_slug(pg->meta.title, slug, IMPORT_SLUG) == -1)
		(void)snprintf(slug, sizeof(slug), "bai-viet");
	/* a name of its own: a second run finds it taken by this page */
	for (k = 1; k <= 100; k++) {
		if (k == 100) {
			p->why = "no free file name for it";
			r = 0;
			goto done;
		}
		if (k == 1)
			(void)snprintf(name, sizeof(name), "%.10s-%s.html",
			    p->date, slug);
		else
			(void)snprintf(name, sizeof(name), "%.10s-%s-%zu.html",
			    p->date, slug, k);
		for (i = 0; i < im->npages; i++)
			if (im->pages[i].name != NULL &&
			    strcmp(im->pages[i].name, name) == 0 &&
			    strcmp(im->pages[i].cat, cat.data) == 0)
				break;
		if (i < im->npages)
			continue;
		buf_reset(&key);
		if (buf_printf(&key, "%s\n%s", p->rel, name) == -1)
			goto done;
		if ((fd = tree_dir(im, cat.data, 0)) != -1) {
			if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				close(fd);
				if (!has_source(im, cat.data, key.data))
					continue;
				(void)snprintf(p->whybuf, sizeof(p->whybuf),
				    "already imported as %.100s/%.120s",
				    cat.data, name);
				p->why = p->whybuf;
				r = 0;
				goto done;
			}
			close(fd);
		}
		break;
	}
	if ((p->name = strdup(name)) == NULL)
		goto done;
	p->cat = buf_steal(&cat, NULL);
	r = p->cat != NULL ? 0 : -1;
done:
	buf_free(&cat);
	buf_free(&key);
	return r;
}

/* Every attribute value from (as written, or with its & escaped) made
 * to. */
static int
replace_attr(struct buf *html, const char *from, const char *to)
{
	struct buf	 out = BUF_INIT, alt = BUF_INIT;
	const char	*p, *e, *hit, *forms[2];
	size_t		 i, flen;
	int		 pass, r = -1;
	char		 q;

	for (p = from; *p != '\0'; p++)
		if (*p == '&' ? buf_puts(&alt, "&amp;") == -1 :
		    buf_putc(&alt, *p) == -1)
			goto done;
	forms[0] = from;
	forms[1] = alt.data;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && strcmp(forms[0], forms[1]) == 0)
			break;
		flen = strlen(forms[pass]);
		buf_reset(&out);
		p = html->data;
		e = html->data + html->len;
		while ((hit = memmem(p, (size_t)(e - p), forms[pass],
		    flen)) != NULL) {
			/* a whole value: ="from" ='from' =from */
			i = (size_t)(hit - html->data);
			q = i > 0 ? hit[-1] : '\0';
			if (!(((q == '"' || q == '\'') && i > 1 &&
			    hit[-2] == '=' && hit[flen] == q) ||
			    (q == '=' && strchr(" \t\r\n>", hit[flen]) != NULL &&
			    hit[flen] != '\0'))) {
				if (buf_append(&out, p, (size_t)(hit - p) +
				    1) == -1)
					goto done;
				p = hit + 1;
				continue;
			}
			if (buf_append(&out, p, (size_t)(hit - p)) == -1 ||
			    buf_puts(&out, to) == -1)
				goto done;
			p = hit + flen;
		}
		if (buf_append(&out, p, (size_t)(e - p)) == -1)
			goto done;
		buf_reset(html);
		if (buf_append(html, out.data, out.len) == -1)
			goto done;
	}
	r = 0;
done:
	buf_free(&out);
	buf_free(&alt);
	return r;
}

/* A picture's or a document's name in the tree: its own, in ASCII. */
static void
asset_name(const char *rel, char *out, size_t len)
{
	const char	*base = strrchr(rel, '/') != NULL ? strrchr(rel, '/') +
			    1 : rel, *dot;
	char		 stem[NAME_MAX + 1], ext[8];
	size_t		 n = strcspn(base, "?"), i;

	for (dot = base + n; dot > base && dot[-1] != '.'; dot--)
		;
	ext[0] = '\0';
	if (dot > base && (size_t)(base + n - dot) < sizeof(ext) - 1) {
		for (i = 0; dot + i < base + n; i++)
			ext[i] = (char)((dot[i] >= 'A' && dot[i] <= 'Z') ?
			    dot[i] | 0x20 : dot[i]);
		ext[i] = '\0';
		if (strspn(ext, "abcdefghijklmnopqrstuvwxyz0123456789") !=
		    strlen(ext))
			ext[0] = '\0';
		n = (size_t)(dot - 1 - base);
	}
	if (snprintf(stem, sizeof(stem), "%.*s", (int)n, base) < 0 ||
	    import_slug(stem, stem, 64) == -1)
		(void)snprintf(stem, sizeof(stem), "tep");
	if (snprintf(out, len, "%s%s%s", stem, ext[0] != '\0' ? "." : "",
	    ext) >= (int)len)
		out[0] = '\0';
}

/* Copy the mirror's file rel into dirfd as name. */
static int
copy_asset(struct imp *im, const char *rel, int dirfd, const char *name)
{
	struct buf	 b = BUF_INIT;
	int		 mfd, r = -1;

	if ((mfd = open(im->mroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (read_all(mfd, rel, &b, IMPORT_FILE_MAX) == 0)
		r = write_at(dirfd, name, b.data != NULL ? b.data : "", b.len);
	close(mfd);
	buf_free(&b);
	return r;
}

/*
 * The mirror's file rel copied into dirfd under a name of its own (in
 * an, once: done holds "rel TAB name" lines); two files with one name
 * get a number.
 */
static int
asset(struct imp *im, struct buf *done, const char *rel, int dirfd,
    char *an, size_t len, size_t *n)
{
	struct buf	 key = BUF_INIT;
	const char	*p, *e;
	char		 stem[NAME_MAX + 1], *dot;
	size_t		 k;
	int		 r = -1;

	/* copied already, for another address of it */
	for (p = done->data; p != NULL && *p != '\0'; p = e + 1) {
		e = strchr(p, '\n');
		if (strncmp(p, rel, strlen(rel)) == 0 &&
		    p[strlen(rel)] == '\t') {
			(void)snprintf(an, len, "%.*s", (int)(e - p -
			    strlen(rel) - 1), p + strlen(rel) + 1);
			return 0;
		}
	}
	asset_name(rel, an, len);
	(void)snprintf(stem, sizeof(stem), "%s", an);
	dot = strrchr(stem, '.');
	for (k = 2; k < 1000; k++) {
		buf_reset(&key);
		if (buf_printf(&key, "\t%s\n", an) == -1)
			goto fail;
		if (done->data == NULL || strstr(done->data, key.data) == NULL)
			break;
		if ((dot != NULL ? snprintf(an, len, "%.*s-%zu%s",
		    (int)(dot - stem), stem, k, dot) : snprintf(an, len,
		    "%s-%zu", stem, k)) >= (int)len)
			goto fail;
	}
	if (copy_asset(im, rel, dirfd, an) == -1 ||
	    buf_printf(done, "%s\t%s\n", rel, an) == -1)
		goto fail;
	(*n)++;
	r = 0;
fail:
	buf_free(&key);
	return r;
}

/* [category] title = "...", quotes in it made apostrophes */
static int
category_ini(int fd, const char *title)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, start;
	int		 r = -1;

	if (buf_puts(&b, "[category]\ntitle = \"") == -1)
		goto done;
	start = b.len;
	if (buf_puts(&b, title) == -1)
		goto done;
	for (i = start; i < b.len; i++)
		if (b.data[i] == '"' || b.data[i] == '\n' ||
		    b.data[i] == '\r')
			b.data[i] = b.data[i] == '"' ? '\'' : ' ';
	if (buf_puts(&b, "\"\n") == -1)
		goto done;
	r = write_at(fd, "_category.ini", b.data, b.len);
done:
	buf_free(&b);
	return r;
}

static int
write_article(struct imp *im, struct page *p)
{
	struct convert_page	*pg = &p->pg;
	struct buf		 html = BUF_INIT, head = BUF_INIT, to = BUF_INIT;
	struct buf		 catrel = BUF_INIT, assets = BUF_INIT;
	struct page		*o;
	char			 rel[PATH_MAX], an[NAME_MAX + 1], stem[NAME_MAX];
	char			*s, *e;
	const char		*at;
	size_t			 i, k, nassets = 0;
	int			 mfd, fd = -1, afd = -1, r = -1, level;

	if ((mfd = open(im->mroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto done;
	if (read_all(mfd, p->rel, &html, IMPORT_PAGE_MAX) == -1) {
		close(mfd);
		goto done;
	}
	close(mfd);
	(void)snprintf(stem, sizeof(stem), "%.*s",
	    (int)(strlen(p->name) - 5), p->name);
	/* the story's pictures and documents beside it, its links to the
	 * other articles to their new place */
	for (i = 0; i < pg->nlinks; i++) {
		if (mirror_file(im, p, pg->links[i], rel, sizeof(rel)) == -1)
			continue;
		buf_reset(&to);
		if (html_name(strrchr(rel, '/') != NULL ?
		    strrchr(rel, '/') + 1 : rel)) {
			if ((o = page_find(im, rel)) == NULL || o->why != NULL ||
			    o->cat == NULL)
				continue;
			(void)snprintf(an, sizeof(an), "%.*s",
			    (int)(strlen(o->name) - 5), o->name);
			if (buf_printf(&to, "/%s/%s", o->cat, an) == -1)
				goto done;
		} else {
			if (afd == -1) {
				buf_reset(&catrel);
				if (buf_printf(&catrel, "%s/%s/%s", p->cat,
				    IMPORT_ASSETS, stem) == -1 ||
				    (afd = tree_dir(im, catrel.data, 1)) == -1)
					goto done;
			}
			if (asset(im, &assets, rel, afd, an, sizeof(an),
			    &nassets) == -1 || buf_printf(&to, "%s/%s/%s",
			    IMPORT_ASSETS, stem, an) == -1)
				goto done;
		}
		if (replace_attr(&html, pg->links[i], to.data) == -1)
			goto done;
	}
	/* the date, author and tags, as the site reads them (the page's
	 * own, where it has them, say the same) */
	if (buf_puts(&head, "\n<meta name=\"bantin:source\" content=\"") ==
	    -1 || put_attr(&head, p->rel) == -1 ||
	    buf_puts(&head, "\">\n<meta property=\"article:published_time\" "
	    "content=\"") == -1)
		goto done;
	if (buf_printf(&head, "%.10s%s%s\">\n", p->date, p->date[10] != '\0' ?
	    "T" : "", p->date[10] != '\0' ? p->date + 11 : "") == -1)
		goto done;
	if (pg->meta.author != NULL && (buf_puts(&head, "<meta name=\"author\" "
	    "content=\"") == -1 || put_attr(&head, pg->meta.author) == -1 ||
	    buf_puts(&head, "\">\n") == -1))
		goto done;
	if ((pg->meta.tags != NULL || pg->ntags > 0) &&
	    buf_puts(&head, "<meta name=\"keywords\" content=\"") == -1)
		goto done;
	if (pg->meta.tags != NULL && put_attr(&head, pg->meta.tags) == -1)
		goto done;
	for (i = 0; pg->meta.tags == NULL && i < pg->ntags; i++)
		if ((i > 0 && buf_puts(&head, ", ") == -1) ||
		    put_attr(&head, pg->tags[i]) == -1)
			goto done;
	if ((pg->meta.tags != NULL || pg->ntags > 0) &&
	    buf_puts(&head, "\">\n") == -1)
		goto done;
	/* at the end of the head (its charset stays where it was), else
	 * after <html ...>, else first */
	at = NULL;
	if (html.data != NULL && (s = strcasestr(html.data, "</head")) != NULL)
		at = s - 1;
	if (at == NULL && html.data != NULL &&
	    (s = strcasestr(html.data, "<html")) != NULL)
		at = strchr(s, '>');
	k = at != NULL ? (size_t)(at + 1 - html.data) : 0;
	buf_reset(&to);
	if (buf_append(&to, html.data != NULL ? html.data : "", k) == -1 ||
	    buf_append(&to, head.data, head.len) == -1 ||
	    buf_append(&to, html.data != NULL ? html.data + k : "",
	    html.len - k) == -1)
		goto done;
	/* each category folder with its title, made when missing */
	buf_reset(&catrel);
	for (s = p->cat, level = 0; *s != '\0'; level++) {
		e = s + strcspn(s, "/");
		if (buf_append(&catrel, s, (size_t)(e - s)) == -1 ||
		    (fd = tree_dir(im, catrel.data, 1)) == -1)
			goto done;
		if (faccessat(fd, "_category.ini", F_OK,
		    AT_SYMLINK_NOFOLLOW) == -1 && category_ini(fd,
		    level < IMPORT_LEVELS && p->cattitle[level] != NULL ?
		    p->cattitle[level] : catrel.data + (s - p->cat)) == -1)
			goto done;
		close(fd);
		fd = -1;
		if (*e == '\0')
			break;
		if (buf_putc(&catrel, '/') == -1)
			goto done;
		s = e + 1;
	}
	if ((fd = tree_dir(im, p->cat, 1)) == -1 ||
	    write_at(fd, p->name, to.data, to.len) == -1)
		goto done;
	fprintf(im->out, "imported %s/%s (from %s", p->cat, p->name, p->rel);
	if (nassets > 0)
		fprintf(im->out, ", %zu file%s", nassets,
		    nassets > 1 ? "s" : "");
	if (p->filedate)
		fprintf(im->out, ", dated by the file's time");
	fprintf(im->out, ")\n");
	r = 0;
done:
	if (r == -1)
		fprintf(im->out, "error: %s: %s\n", p->rel, strerror(errno));
	if (fd != -1)
		close(fd);
	if (afd != -1)
		close(afd);
	buf_free(&html);
	buf_free(&head);
	buf_free(&to);
	buf_free(&catrel);
	buf_free(&assets);
	return r;
}

int
import_portal(const char *root, const char *mirror, FILE *out)
{
	struct imp	 im;
	struct stat	 st;
	struct buf	 src = BUF_INIT;
	struct dirent	*de;
	struct page	*p;
	DIR		*d;
	char		 real[PATH_MAX], only[NAME_MAX + 1];
	size_t		 i, j, ndirs = 0, nfiles = 0;
	int		 mfd = -1, r = -1;

	memset(&im, 0, sizeof(im));
	im.out = out;
	im.rootfd = -1;
	if (realpath(mirror, im.mroot) == NULL) {
		fprintf(out, "%s: %s\n", mirror, strerror(errno));
		return -1;
	}
	if ((im.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		fprintf(out, "%s: %s\n", root, strerror(errno));
		return -1;
	}
	/* wget --mirror makes a folder named after the host */
	if ((d = opendir(im.mroot)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || snprintf(real,
			    sizeof(real), "%s/%s", im.mroot, de->d_name) >=
			    (int)sizeof(real) || lstat(real, &st) == -1)
				continue;
			if (S_ISDIR(st.st_mode)) {
				ndirs++;
				(void)snprintf(only, sizeof(only), "%s",
				    de->d_name);
			} else
				nfiles++;
		}
		closedir(d);
	}
	if (ndirs == 1 && nfiles == 0 && strchr(only, '.') != NULL &&
	    strlen(im.mroot) + strlen(only) + 2 < sizeof(im.mroot)) {
		(void)strcat(im.mroot, "/");
		(void)strcat(im.mroot, only);
		im.host = only;
	} else if (strchr(strrchr(im.mroot, '/') + 1, '.') != NULL)
		im.host = strrchr(im.mroot, '/') + 1;	/* that folder */
	if (walk(&im, "", 0) == -1) {
		fprintf(out, "out of memory\n");
		goto done;
	}
	if (im.npages > 1)
		qsort(im.pages, im.npages, sizeof(*im.pages), page_cmp);
	if ((mfd = open(im.mroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		fprintf(out, "%s: %s\n", im.mroot, strerror(errno));
		goto done;
	}
	/* what each page is, and where each article goes */
	for (i = 0; i < im.npages; i++) {
		p = &im.pages[i];
		if (read_all(mfd, p->rel, &src, IMPORT_PAGE_MAX) == -1) {
			(void)snprintf(p->whybuf, sizeof(p->whybuf), "%s",
			    errno == EFBIG ? "too large" : strerror(errno));
			p->why = p->whybuf;
			continue;
		}
		if (convert_html_page(src.data != NULL ? src.data : "",
		    src.len, &p->pg) == -1) {
			fprintf(out, "out of memory\n");
			goto done;
		}
		if (fstatat(mfd, p->rel, &st, AT_SYMLINK_NOFOLLOW) == -1)
			st.st_mtime = time(NULL);
		classify(p, st.st_mtime);
		p->article = p->why == NULL;
		/* one article saved at two addresses */
		for (j = 0; p->why == NULL && j < i; j++)
			if (im.pages[j].article &&
			    strcmp(im.pages[j].date, p->date) == 0 &&
			    im.pages[j].pg.chars == p->pg.chars &&
			    strcmp(im.pages[j].pg.meta.title,
			    p->pg.meta.title) == 0) {
				(void)snprintf(p->whybuf, sizeof(p->whybuf),
				    "the same article as %s", im.pages[j].rel);
				p->why = p->whybuf;
			}
		if (p->why == NULL && place(&im, p) == -1) {
			fprintf(out, "out of memory\n");
			goto done;
		}
	}
	for (i = 0; i < im.npages; i++) {
		p = &im.pages[i];
		if (p->why != NULL)
			im.skipped++;
		else if (write_article(&im, p) == -1)
			im.failed = 1;
		else
			im.imported++;
	}
	fprintf(out, "imported %zu, skipped %zu\n", im.imported, im.skipped);
	for (i = 0; i < im.npages; i++)
		if (im.pages[i].why != NULL)
			fprintf(out, "skipped %s: %s\n", im.pages[i].rel,
			    im.pages[i].why);
	r = im.failed ? -1 : 0;
done:
	if (mfd != -1)
		close(mfd);
	close(im.rootfd);
	for (i = 0; i < im.npages; i++) {
		p = &im.pages[i];
		free(p->rel);
		free(p->cat);
		free(p->name);
		for (j = 0; j < IMPORT_LEVELS; j++)
			free(p->cattitle[j]);
		convert_page_free(&p->pg);
	}
	free(im.pages);
	buf_free(&src);
	return r;
}
