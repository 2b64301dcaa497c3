/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * preview.c: bantin -p FILE. An editor sees what bantin will make of
 * an article before it goes live: the file is copied, with its mtime,
 * into a scratch tree at the folder it has (or will have) below the
 * site's root, and that tree goes through the site's own scan
 * (site_load), so every check, warning and fallback is the one the
 * running server applies; only its links to the site are looked up in
 * the site's tree on disk, which the scratch tree lacks. The metadata,
 * the warnings, where the story was found on an HTML page that does
 * not mark it, and the gemtext body are printed; a file the scan would
 * skip exits 1.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "config.h"
#include "convert.h"
#include "gemtext.h"
#include "path.h"
#include "preview.h"
#include "scheme.h"
#include "site.h"
#include "zone.h"

#define PREVIEW_CATEGORY	"preview"	/* for a file outside the root */

/* The folder below root that file is in ("thoi-su/dai-hoi"), or
 * PREVIEW_CATEGORY for a file elsewhere or at the top of the tree. */
static int
category_of(const char *root, const char *file, char *dir, size_t len)
{
	char	 r[PATH_MAX], f[PATH_MAX];
	size_t	 n;
	char	*slash;

	snprintf(dir, len, "%s", PREVIEW_CATEGORY);
	if (realpath(root, r) == NULL || realpath(file, f) == NULL)
		return realpath(file, f) == NULL ? -1 : 0;
	n = strlen(r);
	if (strncmp(f, r, n) != 0 || f[n] != '/')
		return 0;
	if ((slash = strrchr(f + n + 1, '/')) == NULL)
		return 0;			/* top level: a static page */
	*slash = '\0';
	snprintf(dir, len, "%s", f + n + 1);
	return 0;
}

/* mkdir -p below base */
static int
make_dirs(const char *base, const char *dir)
{
	char	 p[PATH_MAX], *s;

	if (snprintf(p, sizeof(p), "%s/%s", base, dir) >= (int)sizeof(p))
		return -1;
	for (s = p + strlen(base) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0700) == -1 && errno != EEXIST ? -1 : 0;
}

/* copy file to dst, keeping its modification time */
static int
copy_file(const char *file, const char *dst)
{
	struct stat	 st;
	struct timespec	 ts[2];
	char		 b[65536];
	ssize_t		 n;
	int		 in, out, r = -1;

	if ((in = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(in, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		if (errno == 0)
			errno = EINVAL;
		close(in);
		return -1;
	}
	while ((n = read(in, b, sizeof(b))) > 0)
		if (write(out, b, (size_t)n) != n)
			goto done;
	if (n == 0) {
		ts[0] = st.st_atim;
		ts[1] = st.st_mtim;
		r = futimens(out, ts);
	}
done:
	close(in);
	if (close(out) == -1)
		r = -1;
	return r;
}

/* rm of the scratch tree: the copy, then its folders, deepest first */
static void
remove_tree(const char *base, const char *dir, const char *copy)
{
	char	 p[PATH_MAX], *s;

	if (copy != NULL)
		unlink(copy);
	snprintf(p, sizeof(p), "%s/%s", base, dir);
	while (strlen(p) > strlen(base)) {
		rmdir(p);
		if ((s = strrchr(p, '/')) == NULL)
			break;
		*s = '\0';
	}
	rmdir(base);
}

static void
field(FILE *out, const char *name, const char *value)
{
	fprintf(out, "%-9s %s\n", name, value != NULL && *value != '\0' ?
	    value : "-");
}

/*
 * The file is scanned alone in its scratch tree, so its links to the
 * site are looked up in the site's own tree on disk: a file or folder
 * by that name, an article source for that path, or an article of the
 * link's folder that answers to its name (site_slug_answers).
 */
struct disk_links {
	const char	*root;
	struct buf	 dead;		/* ", "-separated */
	size_t		 ndead;
};

static int
disk_has(const char *root, const char *path, const char *ext)
{
	struct stat	 st;
	char		 p[PATH_MAX];

	return snprintf(p, sizeof(p), "%s%s%s", root, path, ext) <
	    (int)sizeof(p) && stat(p, &st) == 0;
}

static int
disk_link(void *arg, const char *path, struct buf *to)
{
	static const char *const exts[] = {
		"", ".gmi", ".md", ".txt", ".html", ".htm"
	};
	struct disk_links	*dl = arg;
	struct scheme_match	 m;
	struct dirent		*de;
	DIR			*d;
	char			 norm[PATH_MAX], dir[PATH_MAX], *dot;
	const char		*errstr;
	size_t			 i;
	int			 r = -1;

	if (path_normalize(path, strcspn(path, "?#"), norm, sizeof(norm),
	    &errstr) == 0) {
		if (scheme_match(norm, &m) != SCHEME_TREE)
			return 0;
		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
			if (disk_has(dl->root, norm, exts[i]))
				return 0;
		(void)snprintf(dir, sizeof(dir), "%s", norm);
		if (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
			dir[strlen(dir) - 1] = '\0';
		*(strrchr(dir, '/') + 1) = '\0';
		(void)snprintf(norm, sizeof(norm), "%s%s", dl->root, dir);
		if ((d = opendir(norm)) != NULL) {
			while (r == -1 && (de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.' ||
				    de->d_name[0] == '_' ||
				    article_fmt(de->d_name) == -1)
					continue;
				*(dot = strrchr(de->d_name, '.')) = '\0';
				if (site_slug_answers(de->d_name, path))
					r = buf_printf(to, "%s%s", dir,
					    de->d_name) == -1 ? -1 : 1;
			}
			closedir(d);
		}
	}
	if (r == -1 && dl->ndead++ < 8)
		(void)buf_printf(&dl->dead, "%s%s", dl->ndead > 1 ? ", " : "",
		    path);
	return r;
}

/*
 * What the site will make of it, as the server converts it: the block
 * its story was found in (an HTML page without <article> or <main>),
 * the links that lead nowhere (as the scan would warn) and the body.
 */
static void
print_article(FILE *out, const struct config *conf, const struct site *s,
    const struct article *a, const char *dir, const char *copy)
{
	struct article_meta	 m, am;
	struct article_page	 pg;
	struct disk_links	 dl = { conf->root, BUF_INIT, 0 };
	const struct convert_links lk = { disk_link, &dl };
	struct buf		 src = BUF_INIT, body = BUF_INIT;
	struct tm		 tm;
	char			 date[64], err[256], chunk[8192];
	size_t			 n, skip;
	FILE			*f;
	int			 r = -1;

	if ((f = fopen(copy, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			if (buf_append(&src, chunk, n) == -1)
				break;
		fclose(f);
		r = article_parse_site(copy, site_article_cat(s, a)->path, &lk,
		    src.data != NULL ? src.data : "", src.len, &m, &body, err,
		    sizeof(err));
	} else
		(void)snprintf(err, sizeof(err), "%s", strerror(errno));
	if (dl.ndead > 0)
		fprintf(out, "%-9s %s%s: " SITE_DEAD_LINKS ": %s%s\n",
		    "warning:", dir, strrchr(copy, '/'), dl.dead.data,
		    dl.ndead > 8 ? " and more" : "");
	/* what the site keeps of it, and what its page reads again */
	site_article_meta(s, a, &am);
	if (site_article_page(s, NULL, a, &pg, err, sizeof(err)) == -1)
		memset(&pg, 0, sizeof(pg));
	field(out, "path:", site_article_path(s, a));
	field(out, "title:", am.title);
	if (gmtime_r(&am.date, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(date, sizeof(date), am.has_time ? "%Y-%m-%d %H:%M" :
	    "%Y-%m-%d", &tm);
	fprintf(out, "%-9s %s", "date:", date);
	if (am.has_zone)
		fprintf(out, " %c%02ld:%02ld", am.zone < 0 ? '-' : '+',
		    labs(am.zone) / 3600, labs(am.zone) % 3600 / 60);
	fprintf(out, " (%s)%s\n", *zone_current() != '\0' ? zone_current() :
	    "the system's zone", am.has_date ? "" :
	    ", the file's modification time: no date in the header or "
	    "the file name");
	field(out, "author:", pg.author);
	fprintf(out, "%-9s %s\n", "lang:", pg.lang != NULL ? pg.lang :
	    conf->lang);
	field(out, "tags:", a->tags != 0 ? s->pool + a->tags : NULL);
	field(out, "summary:", pg.summary);
	site_article_page_free(&pg);
	if (r == -1) {
		fprintf(out, "\nbody: %s\n", err);
		goto done;
	}
	if (a->fmt == FMT_HTML)
		field(out, "block:", m.block != NULL ? m.block :
		    "- (its <article> or <main>, or the whole page)");
	article_meta_free(&m);
	/* as readers get it: the title is above, not again in the body */
	skip = body.data != NULL ? gemtext_title_end(body.data, body.len,
	    am.title) : 0;
	while (skip < body.len && body.data[skip] == '\n')
		skip++;
	fprintf(out, "\n--- gemtext ---\n%s", body.data != NULL ?
	    body.data + skip : "");
	if (body.len > skip && body.data[body.len - 1] != '\n')
		fputc('\n', out);
done:
	buf_free(&src);
	buf_free(&body);
	buf_free(&dl.dead);
}

/* data (or, when NULL, the file file) as dir/name alone in a scratch
 * tree below $TMPDIR, scanned as the master scans: the snapshot, with
 * base and copy set for remove_tree(); NULL with a reason in err. */
static struct site *
scratch_load(const struct config *conf, const char *dir, const char *name,
    const char *file, const char *data, size_t len, char *base, char *copy,
    char *err, size_t errlen)
{
	struct site	*s;
	const char	*tmpdir;
	int		 fd, r;

	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	copy[0] = '\0';
	if (snprintf(base, PATH_MAX, "%s/bantin-preview.XXXXXX", tmpdir) >=
	    PATH_MAX || mkdtemp(base) == NULL) {
		snprintf(err, errlen, "%s: %s", base, strerror(errno));
		base[0] = '\0';
		return NULL;
	}
	if (make_dirs(base, dir) == -1 ||
	    snprintf(copy, PATH_MAX, "%s/%s/%s", base, dir, name) >=
	    PATH_MAX)
		r = -1;
	else if (data == NULL)
		r = copy_file(file, copy);
	else if ((fd = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		r = -1;
	else {
		r = write(fd, data, len) == (ssize_t)len ? 0 : -1;
		if (close(fd) == -1)
			r = -1;
	}
	if (r == -1) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return NULL;
	}
	/* dates are read and shown in the site's zone, as the master
	 * scans them */
	if (zone_use(conf->time_zone) == -1) {
		snprintf(err, errlen, "site:timezone: %s: cannot be used",
		    conf->time_zone);
		return NULL;
	}
	if ((s = site_load(base, NULL, err, errlen)) == NULL)
		return NULL;
	return s;
}

/* each warning but the dead links' (the scratch tree has none of the
 * site), with its prefix, into out */
static void
warnings(const struct site *s, const char *prefix, struct buf *out)
{
	const char	*p, *nl;

	for (p = s->warnings.data; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		if (memmem(p, (size_t)(nl - p), SITE_DEAD_LINKS,
		    strlen(SITE_DEAD_LINKS)) == NULL)
			buf_printf(out, "%s%.*s\n", prefix, (int)(nl - p), p);
	}
}

int
preview_article(const struct config *conf, const char *file, FILE *out)
{
	struct site	*s;
	struct buf	 w = BUF_INIT;
	const char	*name;
	char		 dir[PATH_MAX], base[PATH_MAX], copy[PATH_MAX];
	char		 err[512];
	int		 r = -1;

	if (category_of(conf->root, file, dir, sizeof(dir)) == -1) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return -1;
	}
	name = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;
	if (article_fmt(name) == -1) {
		fprintf(out, "%s: not an article (.gmi .md .txt .html .htm): "
		    "served as a file\n", file);
		return 1;
	}
	if ((s = scratch_load(conf, dir, name, file, NULL, 0, base, copy,
	    err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	fprintf(out, "%-9s %s/%s\n", "file:", dir, name);
	warnings(s, "warning:  ", &w);
	fputs(w.data != NULL ? w.data : "", out);
	buf_free(&w);
	if (s->narticles == 1) {
		print_article(out, conf, s, &s->articles[0], dir, copy);
		r = 0;
	} else {
		fprintf(out, "skipped: the site would not publish this "
		    "file\n");
		r = 1;
	}
	site_free(s);
done:
	if (base[0] != '\0')
		remove_tree(base, dir, copy[0] != '\0' ? copy : NULL);
	return r;
}

/* The one article's author, read again from its source (the snapshot
 * keeps none); NULL: none. -1 on error, named in warns. */
static int
author_of(const struct site *s, char **author, struct buf *warns)
{
	struct article_page	 pg;
	char			 err[512];
	int			 r = 0;

	if (site_article_page(s, NULL, &s->articles[0], &pg, err,
	    sizeof(err)) == -1) {
		buf_printf(warns, "%s\n", err);
		return -1;
	}
	if (pg.author != NULL && (*author = strdup(pg.author)) == NULL)
		r = -1;
	site_article_page_free(&pg);
	return r;
}

int
preview_data(const struct config *conf, const char *dir, const char *name,
    const char *data, size_t len, struct buf *warns, char **author)
{
	struct site	*s;
	char		 base[PATH_MAX], copy[PATH_MAX], err[512];
	int		 r = -1;

	*author = NULL;
	if ((s = scratch_load(conf, dir, name, name, data, len, base, copy,
	    err, sizeof(err))) == NULL)
		buf_printf(warns, "%s\n", err);
	else {
		warnings(s, "", warns);
		r = s->narticles == 1 ? 0 : 1;
		if (r == 0 && (author_of(s, author, warns) == -1))
			r = -1;
		site_free(s);
	}
	if (base[0] != '\0')
		remove_tree(base, dir, copy[0] != '\0' ? copy : NULL);
	return r;
}
