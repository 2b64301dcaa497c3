/*
 * site.h: the immutable site snapshot built from the capsule tree.
 */
#ifndef SITE_H
#define SITE_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "article.h"
#include "buf.h"

struct catalog;
struct memo;

#define SITE_ORDER_DEFAULT	1000	/* no order: after the ordered */
#define SITE_DEPTH_MAX		16	/* folder nesting */
#define SITE_SOURCE_MAX		(8 << 20) /* bytes in one article source */
#define SITE_TAGS_MAX		32	/* tags of one article */
#define SITE_TAG_NAME_MAX	100	/* bytes in a tag as written */

struct category {
	char			 *path;		/* "/thoi-su/" (with slash) */
	char			 *name;		/* folder name "thoi-su" */
	char			 *title;	/* _category.ini or name */
	char			 *description;	/* may be NULL */
	int			  order;	/* _category.ini order, or
						   SITE_ORDER_DEFAULT */
	unsigned		  num;		/* in site->allcats */
	struct category		 *parent;	/* NULL at top level */
	struct category		**children;	/* sorted by order, title */
	size_t			  nchildren;
	uint32_t		 *arts;		/* own articles, newest first:
						   in site->articles */
	size_t			  narticles;
	size_t			  total;	/* own + all subcategories */
};

/*
 * An article as listings need it: 40 bytes, and its strings (path,
 * title, tags) in the snapshot's pool, by offset (site_article_path,
 * site_article_title): a million articles fit on a small board. The
 * rest of what its page shows (body, author, summary, language) is
 * read again from its source when the page is made (site_article_page).
 */
#define ART_HAS_DATE	0x01		/* date from the header or name */
#define ART_HAS_TIME	0x02		/* the header gave HH:MM */
#define ART_HAS_ZONE	0x04		/* zone is known */
#define ART_OWN_SRC	0x08		/* the source is not the path's (a
					   symbolic link): its src follows
					   its path in the pool */

struct article {
	uint32_t		  path;		/* "/thoi-su/2020-05-21-x" */
	uint32_t		  title;	/* always set */
	uint32_t		  tags;		/* "tags" as written; 0: none */
	int32_t			  zone;		/* date's offset from UTC,
						   seconds east */
	int64_t			  date;		/* wall clock in the site's
						   zone encoded as UTC (as
						   article_meta's), the
						   mtime's when it has none */
	uint64_t		  stat;		/* its source's size and mtime
						   (ns), as site_stat_key()
						   mixes them: unchanged? */
	int32_t			  counter_slot;	/* counter.c; -1 = none */
	uint16_t		  cat;		/* in site->allcats */
	uint8_t			  fmt;		/* enum article_fmt */
	uint8_t			  flags;	/* ART_* */
};

struct site_file {			/* attachment or static page */
	char			 *path;		/* "/thoi-su/anh/x.jpg" */
	char			 *src;		/* "thoi-su/anh/x.jpg" */
	char			 *title;	/* static .gmi pages: the first
						   heading; otherwise NULL */
	off_t			  size;
};

struct site_day {			/* articles of one day, contiguous */
	int			  year, month, day;
	size_t			  first;	/* index in site->articles */
	size_t			  count;
};

/*
 * A tag: every article whose "tags" (header, or HTML keywords) name it.
 * Spellings with the same slug ("Đại hội", "đại hội", "Dai hoi") are
 * one tag, shown as the spelling most of its articles use (on a tie,
 * the newest article's).
 */
struct site_tag {
	char			 *slug;		/* "dai-hoi": /tags/dai-hoi/ */
	char			 *name;		/* "Đại hội" */
	uint32_t		 *arts;		/* in site->articles, newest
						   first */
	size_t			  narts;
};

enum site_node_type {
	SITE_NONE,
	SITE_CATEGORY,			/* node.cat */
	SITE_ARTICLE,			/* node.art */
	SITE_FILE,			/* node.file */
	SITE_DIR			/* plain folder (not a category):
					   node.file is its index.gmi or NULL */
};

struct site_node {
	enum site_node_type	  type;
	struct category		 *cat;
	struct article		 *art;
	struct site_file	 *file;
};

struct site {
	unsigned long		  serial;	/* 1 for a first load, one
						   more than the snapshot a
						   reload started from */
	int			  rootfd;	/* O_DIRECTORY, owned */
	char			 *root;
	struct category		**cats;		/* top level, sorted */
	size_t			  ncats;
	struct category		**allcats;	/* every one, by its num */
	size_t			  nallcats;
	struct article		 *articles;	/* all, newest first */
	size_t			  narticles;
	const char		 *pool;		/* their strings */
	struct site_file	**files;	/* attachments, static pages */
	size_t			  nfiles;
	struct site_file	**pages;	/* top-level static pages */
	size_t			  npages;
	struct site_day		 *days;		/* newest first */
	size_t			  ndays;
	struct site_tag		 *tags;		/* sorted by slug */
	size_t			  ntags;
	size_t			  nread;	/* sources read by site_load
						   (the rest came from the
						   catalog or the last
						   snapshot unchanged) */
	int			  patched;	/* made from the last one
						   by site_patch.c, only
						   the files named read */
	size_t			  pool_dead;	/* bytes of the pool no
						   record uses (a patch's
						   dropped ones), at most */
	size_t			  nkept;	/* articles taken unchanged
						   from the last snapshot */
	uint32_t		 *kept_from;	/* each article's number in
						   that snapshot + 1, 0 if
						   read anew; NULL if none
						   (site_kept_done frees) */
	unsigned long		  kept_serial;	/* that snapshot's serial */
	unsigned long long	  stamp;	/* site_stamp() of the tree
						   as this scan saw it */
	char			 *zone;		/* the time zone its dates
						   are in: zone_current() */
	struct buf		  warnings;	/* one line per problem */
	size_t			  nwarnings;
	size_t			  walk_warn_len;	/* the first bytes
						   and lines of warnings,
						   the walk's (the rest are
						   the tags' and links') */
	size_t			  walk_nwarnings;
	size_t			  tag_warn_len;	/* and through the tags' */
	size_t			  tag_nwarnings;
	void			 *index;	/* path -> node hash, private */
};

/*
 * Scan root into a new snapshot. Problems with single files become
 * lines in site->warnings ("path:line: reason") and the file is skipped;
 * only an unusable root fails (NULL, err set). With a catalog, unchanged
 * files (same size and mtime) are taken from it without being read.
 */
struct site	*site_load(const char *root, struct catalog *,
		    char *err, size_t errlen);
/*
 * The same, for a reload: an article whose path, source, size and
 * mtime are those it had in prev is taken from prev as it was, without
 * a look at the catalog; the catalog then hears only of what changed
 * and what went. prev may be NULL (site_load), and is ignored if its
 * root is another folder. prev is not changed, and may be freed once
 * this returns.
 */
struct site	*site_reload(const char *root, struct catalog *,
		    const struct site *prev, char *err, size_t errlen);
void		 site_free(struct site *);
/* kept_from is no longer needed (the counter is bound) */
void		 site_kept_done(struct site *);

/*
 * What changed in the tree between two scans, told by inotify: a
 * watch on each folder a scan read (site_walk.c). A reload with one
 * takes a folder that no event has named since the scan of prev as it
 * was: its articles without a stat of each, its share of the stamp
 * from last time; any other folder is read and stat'ed whole, as
 * always. An overflowed queue makes every folder read again; a folder
 * that cannot be watched (the watch limit), or that holds a symbolic
 * link (its target may change elsewhere), is always read. new: NULL
 * if inotify is not to be had (then scans walk the whole tree).
 */
struct site_watch *site_watch_new(void);
void		 site_watch_free(struct site_watch *);
/* its descriptor, or -1: for a child to close */
int		 site_watch_fd(const struct site_watch *);
/* since the scan of site: 1 if something may have changed, 0 if
 * nothing did, -1 if it cannot tell (a folder not watched): walk
 * with site_stamp() then */
int		 site_watch_changed(struct site_watch *, const struct site *);
/* folders the last scan took as they were, and read whole */
void		 site_watch_counts(const struct site_watch *, size_t *clean,
		    size_t *read);
/*
 * A reload that only files changed in category folders (those the
 * events named, and no folder added or gone) patches the running
 * snapshot: its strings, records and path index are copied, and only
 * the files named are looked at. The folders it changed have their
 * share of the stamp made again by site_watch_settle (a stat of those
 * folders), which the image needs (until then they are left out of
 * it, and a walk reads them whole); it corrects *stamp (the site's):
 * 1 if it did, 0 if nothing was due, -1 on ENOMEM.
 */
int		 site_watch_settle(struct site_watch *, int rootfd,
		    unsigned long long *stamp);
/* site_reload, with w (may be NULL) */
struct site	*site_reload_watched(const char *root, struct catalog *,
		    const struct site *prev, struct site_watch *w,
		    char *err, size_t errlen);

/*
 * The snapshot kept on disk between runs (site_image.c), with each
 * folder's share of the stamp as the watch w has it. tag names what it
 * goes with (the catalog file it was built beside): an image with
 * another is not used. Written whole (a new file, synced, renamed).
 */
int		 site_image_write(const struct site *,
		    const struct site_watch *w, unsigned long long tag,
		    const char *path, char *err, size_t errlen);
/*
 * A first load that starts from the image at path if there is a good
 * one: a stat walk of the tree (and a watch on every folder) finds
 * the folders that changed since it was saved. If none did, the image
 * is the snapshot, and nothing is read or made again (*whole is set);
 * otherwise those folders are read and the rest taken from the image,
 * as a reload does. Without an image, inotify or a usable catalog it
 * is site_reload_watched(root, catalog, NULL, w, ...).
 */
struct site	*site_load_image(const char *root, struct catalog *,
		    const char *path, unsigned long long tag,
		    struct site_watch *w, int *whole, char *err,
		    size_t errlen);

/* Look up a normalised path ("/thoi-su/", "/thoi-su/x"). A folder
 * path without its trailing slash finds the node too: the caller
 * redirects. "/" is SITE_NONE (the home page is the caller's), and so
 * is every hidden, reserved or skipped name. An index.gmi is always a
 * file, never an article. Returns the node type; n may be NULL. */
enum site_node_type site_find(const struct site *, const char *path,
		    struct site_node *n);

/* The tag of a slug ("dai-hoi"), or NULL. */
const struct site_tag *site_tag_find(const struct site *, const char *slug);
/* An article's tags, each once, in the order its source gives them:
 * up to max of them into out (SITE_TAGS_MAX is all); how many. */
size_t		 site_article_tags(const struct site *,
		    const struct article *, const struct site_tag **out,
		    size_t max);

/* An article's strings, its category, its place in site->articles. */
static inline const char *
site_article_path(const struct site *s, const struct article *a)
{
	return s->pool + a->path;
}

static inline const char *
site_article_title(const struct site *s, const struct article *a)
{
	return s->pool + a->title;
}

static inline struct category *
site_article_cat(const struct site *s, const struct article *a)
{
	return s->allcats[a->cat];
}

static inline size_t
site_article_idx(const struct site *s, const struct article *a)
{
	return (size_t)(a - s->articles);
}

/* A source's size and mtime (ns), mixed into one number: the same
 * as an article's stat if its source did not change. */
uint64_t	 site_stat_key(long long size, long long mtime_ns);
/* "2020-05-21-x": the path after its category's */
const char	*site_article_slug(const struct site *, const struct article *);
/* Its source below the root ("thoi-su/2020-05-21-x.md"), in b (reset). */
const char	*site_article_src(const struct site *, const struct article *,
		    struct buf *b);
/* Its date and title as an article_meta (strings borrowed; no author,
 * summary, lang or tags). */
void		 site_article_meta(const struct site *, const struct article *,
		    struct article_meta *);

/*
 * What an article's own page shows that the snapshot does not keep:
 * its body as gemtext and its author, summary and language, read
 * again from its source (openat on rootfd) and converted, or taken
 * from bodies (memo.h; NULL: none), which keeps a new one.
 */
struct article_page {
	struct buf		  body;		/* gemtext */
	const char		 *author;	/* in kept; NULL: none */
	const char		 *summary;
	const char		 *lang;		/* a language tag, or NULL */
	struct buf		  kept;
};
int		 site_article_page(const struct site *, struct memo *bodies,
		    const struct article *, struct article_page *, char *err,
		    size_t errlen);
void		 site_article_page_free(struct article_page *);

/*
 * Where a link to path on the site leads (convert.h's resolve): 0 to
 * a page, folder or file the site serves; 1 to the article it names by
 * its file name or slug, without the YYYY-MM-DD- prefix or a CMS's
 * "-123" id ("/kinh-te/quan-thu-ngan-sach.html" finds
 * /kinh-te/2023-11-20-quan-thu-ngan-sach), in its folder or else
 * anywhere, whose path is appended to to; -1 to nothing.
 */
int		 site_link(const struct site *, const char *path,
		    struct buf *to);
/* Does the article whose slug this is answer to a link to path, by
 * the rule above? */
int		 site_slug_answers(const char *slug, const char *path);
/* the warning an HTML article gets for its dead links */
#define SITE_DEAD_LINKS	"links to pages not on the site, shown as text"

/* Open a file the site lists (its src) read-only below rootfd, never
 * through a symbolic link. Returns the fd or -1 with errno set. */
int		 site_open(const struct site *, const char *src);

/*
 * A cheap signature of the tree under root: a hash of every path the
 * site would look at with its size, mtime and ctime (a chmod or chown
 * changes what the site can read), from a stat walk that
 * reads no file. A change means a reload is due. Returns 0, or -1 if
 * root cannot be read.
 */
int		 site_stamp(const char *root, unsigned long long *stamp);

#endif
