/*
 * site_int.h: what the parts of the site module share, private to
 * site_load.c, site_image.c, site_walk.c, site_entry.c and site.c.
 *
 * site_load() (site_load.c) fills a struct scan and has site_walk.c walk the
 * tree with it; the walk hands each file it keeps to site_entry.c. The
 * snapshot's memory (the arena), its path index and its warnings are
 * site.c's, behind the functions below.
 */
#ifndef SITE_INT_H
#define SITE_INT_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "site.h"

struct catalog;
struct site_priv;			/* site.c: arena and index */

struct dent {				/* one directory entry while scanning */
	char		*name;
	char		*src;		/* physical path below root */
	mode_t		 mode;		/* of the link target for links */
	off_t		 size;
	struct timespec	 mtime;
	struct timespec	 ctime;		/* a chmod or chown changes it */
	dev_t		 dev;
	ino_t		 ino;
	const struct article *kept;	/* in prev, unchanged: its folder
					   had no event (no stat made) */
};

struct scan {				/* also walks for site_stamp() */
	struct site	*s;		/* NULL: site_stamp, no warnings */
	struct site_priv *p;
	struct catalog	*catalog;
	int		 partial;	/* catalog_begin_partial() */
	const struct site *prev;	/* its unchanged articles are kept */
	size_t		 nsame;		/* articles of prev found at their
					   path with their source */
	struct site_watch *watch;	/* or NULL: every folder is read */
	int		 prime;		/* site_watch_prime: watch what is
					   walked, though no site is made */
	unsigned long	 serial;	/* of the snapshot being made */
	uint32_t	*from;		/* with prev: each article's number
					   in prev + 1, 0 if read anew */
	int		 patch;		/* site_patch.c made it: the first
					   nkept_first records are prev's,
					   in its order */
	size_t		 nkept_first;
	size_t		 fromcap;
	int		 rootfd;
	const char	*rootreal;
	size_t		 rootlen;
	unsigned long long stamp;	/* site_stamp's sum */
	dev_t		 devs[SITE_DEPTH_MAX + 2];	/* folders being */
	ino_t		 inos[SITE_DEPTH_MAX + 2];	/* walked: loops */
	size_t		 filecap, pagecap;
	struct buf	 src;		/* a source file, reused */
	struct buf	 tmp;		/* an article's src, reused */
	struct buf	 body;		/* its gemtext, for the catalog */
	struct buf	 links;		/* HTML articles' links not found
					   as they were read, checked
					   once the walk is done: lines
					   of "dirurl TAB name (TAB
					   path)..." */
};

#define SITE_HASH_SEED	2166136261u	/* FNV-1a */

/* site_walk.c: the watch's events so far taken in; a root that is
 * not the watch's makes it start again; -1 if the root's file system
 * sends no events for changes made elsewhere (NFS, FUSE): walk it
 * all. done: the folders no scan of the snapshot serial saw go */
int		 site_watch_begin(struct site_watch *, int rootfd, dev_t,
		    ino_t);
void		 site_watch_done(struct site_watch *, unsigned long serial);

/* site_walk.c: the watch's folders, for the image: 1 with folder i's
 * path below the root and its share of the stamp if snapshot serial's
 * scan saw it, else 0 */
size_t	 site_watch_nfolders(const struct site_watch *);
int	 site_watch_folder(const struct site_watch *, size_t i,
	    unsigned long serial, const char **src, unsigned long long *stamp);

/* site_walk.c, for a patch (site_load.c): the folders changed since
 * the scan of snapshot serial, each with the files events named in it
 * (the watch's strings, until the next call); 1 if a patch can be made
 * from them, 0 if not (a folder to read whole), -1 on ENOMEM. patched:
 * the patch of snapshot serial is made (site_watch_settle is due). */
struct site_watch_change {
	const char	*src;		/* the folder below the root */
	char *const	*names;
	size_t		 nnames;
};
int	 site_watch_changes(struct site_watch *, unsigned long serial,
	    struct site_watch_change **, size_t *);
void	 site_watch_patched(struct site_watch *, unsigned long serial);

/* site_image.c: the folders an image was saved with, each with its
 * share of the stamp (sorted by src, as strcmp sorts; the strings are
 * the image's) */
struct site_image_folder {
	char		*src;
	unsigned long long stamp;
};
struct site_image_folders {
	struct site_image_folder *f;
	size_t		 n;
};
/* The image at path if it is whole and was saved for tag: a snapshot
 * without its rootfd; NULL with err set (empty if there is none). */
struct site	*site_image_read(const char *path, unsigned long long tag,
		    struct site_image_folders *, char *err, size_t errlen);
void		 site_image_folders_free(struct site_image_folders *);

/* site_walk.c: a stat walk of the whole tree that watches every
 * folder a scan would read and compares its share of the stamp with
 * the image's: a folder that has it is taken as the scan of snapshot
 * img_serial saw it. *same: every folder has it, and no other is
 * there. 0, or -1 (the root cannot be read, ENOMEM). */
int	 site_watch_prime(struct scan *, const struct site_image_folders *,
	    unsigned long img_serial, int *same);

/* site.c; freed by site_free() */
struct site_priv	*site_priv_new(struct site *);
/* the snapshot is built: the build's tables go (site.c) */
void		 site_priv_done(struct site_priv *);
/* keys in the index */
size_t		 site_index_count(const struct site_priv *);
/* FNV-1a of s[0..len), from h (SITE_HASH_SEED to start) */
uint32_t	 site_hash(uint32_t h, const char *s, size_t len);

/* site.c, for site_image.c: mappings (of the image file) adopted as
 * the pool, the articles and the path index, unmapped by site_free;
 * and the index and plain folders read back */
void	 site_priv_adopt_pool(struct site_priv *, char *, size_t len,
	    size_t maplen);
void	 site_priv_adopt_articles(struct site_priv *, struct article *,
	    size_t n, size_t maplen);
int	 site_priv_adopt_index(struct site_priv *, uint32_t *refs,
	    size_t cap, size_t n);
void	 site_priv_index(const struct site_priv *, const uint32_t **refs,
	    size_t *cap, size_t *n);
int	 site_priv_ref_ok(const struct site_priv *, uint32_t ref);
size_t	 site_priv_pool_len(const struct site_priv *);
size_t	 site_priv_ndirs(const struct site_priv *);
void	 site_priv_dir(const struct site_priv *, size_t, const char **key,
	    const struct site_file **index);
int	 site_priv_add_dir(struct site_priv *, const char *key,
	    struct site_file *index);

/* site.c: the numbers of s's files by their pointers (freed with
 * free); a file's, or -1 (f is NULL or not s's) */
struct site_fnums;
struct site_fnums *site_fnums_new(const struct site *s);
int64_t	 site_fnum(const struct site_fnums *, const struct site *s,
	    const struct site_file *f);

/* site.c, for a patch (site_patch.c): prev's pool, records (but
 * those drop marks) and index, copied; see site.c */
int	 site_priv_copy_pool(struct site_priv *, const struct site *prev);
int	 site_priv_copy_articles(struct site_priv *, const struct site *prev,
	    const uint8_t *drop, uint32_t *to, uint32_t *from);
int	 site_priv_copy_index(struct site_priv *, const struct site *prev,
	    const uint32_t *to);

/* the arena, freed by site_free() */
void	*site_arena_alloc(struct site_priv *, size_t);
char	*site_arena_strdup(struct site_priv *, const char *);
char	*site_arena_cat(struct site_priv *, const char *a, const char *b,
	    size_t blen);
/* the pool of the articles' strings: one added, or one shared (a
 * title, a tags line); its offset, 0 on ENOMEM */
uint32_t site_pool_add(struct site_priv *, const char *, size_t);
uint32_t site_pool_intern(struct site_priv *, const char *, size_t);
/* a new record at the end of site->articles (NULL on ENOMEM); the
 * last one made, dropped */
struct article *site_article_new(struct site_priv *);
void	 site_article_drop(struct site_priv *);
/* a category's number (num) in site->allcats; -1 on ENOMEM */
int	 site_cat_add(struct site_priv *, struct category *);
/* the path index: type's node number num (a category's num, a file's
 * place in site->files, an article's in site->articles); a plain
 * folder, key kept; the articles sorted, the one at old[i] now at i.
 * put returns 0, 1 if the key is taken (nothing stored), -1 on
 * ENOMEM; owner names what holds a key (until its next call). */
int	 site_index_put(struct site_priv *, const char *key, int type,
	    size_t num);
int	 site_index_dir(struct site_priv *, const char *key,
	    struct site_file *index);
void	 site_index_moved(struct site_priv *, const uint32_t *old,
	    uint32_t *to, size_t);
const char *site_index_owner(struct site_priv *, const char *key);
/* room for n keys without a resize; -1 on ENOMEM */
int	 site_index_reserve(struct site_priv *, size_t n);
/* "path:line: reason" into site->warnings (none for stamps) */
void	 site_warn(struct scan *, const char *dirurl, const char *name,
	    int line, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* The next tag of an article's "tags" value from *p on (commas
 * between tags; spaces, quotes and brackets around one are not
 * part of it): 1 with its text in name[0..namelen) and its slug in
 * slug, which is empty for a tag the site cannot use (no letter or
 * digit for a URL, or longer than SITE_TAG_NAME_MAX); 0 at the end;
 * -1 on ENOMEM. */
int	 site_tag_next(const char **p, const char **name, size_t *namelen,
	    struct buf *slug);
/* a warning about article a's tags: name[0..len) cannot be one, or
 * (name NULL) there are more than SITE_TAGS_MAX */
void	 site_tag_warn(struct scan *, const struct site *,
	    const struct article *, const char *name, size_t len);
/* an article format's extension: ".gmi", ".md", ".txt", ".html" */
const char *site_fmt_ext(int fmt);
/* room for element n of arr: arr, moved, or NULL (ENOMEM) */
void	*site_grow(void *arr, size_t n, size_t *cap, size_t size);

#endif
