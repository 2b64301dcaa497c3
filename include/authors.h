/*
 * authors.h: who may publish over Titan ([titan] authors): one author
 * a line, "FINGERPRINT NAME CATEGORIES", keyed by the SHA-256 of a
 * client certificate's DER.
 */
#ifndef AUTHORS_H
#define AUTHORS_H

#include <stddef.h>

struct buf;

#define AUTHORS_FP_LEN		32	/* bytes of a SHA-256 */
#define AUTHORS_NAME_MAX	100	/* bytes of a display name */
#define AUTHORS_FILE_MAX	(1024 * 1024)	/* bytes of the file */

struct author {
	unsigned char	  fp[AUTHORS_FP_LEN];
	char		 *name;		/* UTF-8, no control character */
	char		**cats;		/* "thoi-su", "thoi-su/dai-hoi" */
	size_t		  ncats;
	int		  all;		/* "*": every category */
};

struct authors {
	struct author	*a;
	size_t		 n;
};

/*
 * Parse the text of an authors file. Every bad line is appended to errs
 * as "file:line: reason" and the file is refused (NULL); NULL also when
 * memory runs out ("file: out of memory").
 */
struct authors	*authors_parse(const char *file, const char *text,
		    size_t len, struct buf *errs);
/* Read and parse the file at path, as above ("path: reason" when it
 * cannot be read, or is over AUTHORS_FILE_MAX). */
struct authors	*authors_load(const char *path, struct buf *errs);
void		 authors_free(struct authors *);
/* The author of a certificate's fingerprint, or NULL. */
const struct author *authors_find(const struct authors *,
		    const unsigned char fp[AUTHORS_FP_LEN]);
/* May a write in category cat ("thoi-su/dai-hoi", no slash at either
 * end)? A category allows its subcategories too. */
int		 authors_may(const struct author *, const char *cat);
/* A fingerprint as 64 lower-case hex digits (out: 65 bytes). */
void		 authors_hex(const unsigned char fp[AUTHORS_FP_LEN], char *out);

#endif
