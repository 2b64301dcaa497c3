/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * mime.c: the MIME type of a file that is served as it is. A table of
 * common extensions answers first (fast, and stable across libmagic
 * versions); libmagic is the fallback for the rest. The magic cookie
 * holds state, so each process opens its own, at the first file the
 * table does not name (an idle worker never loads libmagic).
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <magic.h>

#include "mime.h"

static magic_t	 cookie;

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ "gmi",	"text/gemini" },
	{ "gemini",	"text/gemini" },
	{ "txt",	"text/plain; charset=utf-8" },
	{ "md",		"text/markdown; charset=utf-8" },
	{ "html",	"text/html" },
	{ "htm",	"text/html" },
	{ "css",	"text/css" },
	{ "csv",	"text/csv" },
	{ "xml",	"application/xml" },
	{ "atom",	"application/atom+xml" },
	{ "json",	"application/json" },
	{ "pdf",	"application/pdf" },
	{ "zip",	"application/zip" },
	{ "gz",		"application/gzip" },
	{ "tar",	"application/x-tar" },
	{ "epub",	"application/epub+zip" },
	{ "odt",	"application/vnd.oasis.opendocument.text" },
	{ "doc",	"application/msword" },
	{ "docx",	"application/vnd.openxmlformats-officedocument."
			"wordprocessingml.document" },
	{ "xlsx",	"application/vnd.openxmlformats-officedocument."
			"spreadsheetml.sheet" },
	{ "png",	"image/png" },
	{ "jpg",	"image/jpeg" },
	{ "jpeg",	"image/jpeg" },
	{ "gif",	"image/gif" },
	{ "webp",	"image/webp" },
	{ "svg",	"image/svg+xml" },
	{ "ico",	"image/x-icon" },
	{ "mp3",	"audio/mpeg" },
	{ "ogg",	"audio/ogg" },
	{ "opus",	"audio/opus" },
	{ "flac",	"audio/flac" },
	{ "wav",	"audio/wav" },
	{ "mp4",	"video/mp4" },
	{ "webm",	"video/webm" },
};

static int
mime_init(void)
{
	if (cookie != NULL)
		return 0;
	if ((cookie = magic_open(MAGIC_MIME | MAGIC_ERROR)) == NULL)
		return -1;
	if (magic_load(cookie, NULL) == -1) {
		magic_close(cookie);
		cookie = NULL;
		return -1;
	}
	return 0;
}

void
mime_free(void)
{
	if (cookie != NULL)
		magic_close(cookie);
	cookie = NULL;
}

const char *
mime_by_ext(const char *path)
{
	const char	*dot, *slash;
	size_t		 i;

	dot = strrchr(path, '.');
	slash = strrchr(path, '/');
	if (dot == NULL || (slash != NULL && dot < slash))
		return NULL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

const char *
mime_of(const char *path, int fd)
{
	static char	 type[128];
	const char	*t;
	char		*semi;
	off_t		 off;
	int		 dupfd;

	if ((t = mime_by_ext(path)) != NULL)
		return t;
	if (fd == -1 || (cookie == NULL && mime_init() == -1))
		return "application/octet-stream";
	/* magic_descriptor reads from the fd; keep the caller's offset */
	off = lseek(fd, 0, SEEK_CUR);
	if ((dupfd = dup(fd)) == -1)
		return "application/octet-stream";
	t = magic_descriptor(cookie, dupfd);
	close(dupfd);
	if (off != -1)
		lseek(fd, off, SEEK_SET);
	if (t == NULL)
		return "application/octet-stream";
	/* the result is valid until the next magic call: copy it now */
	if ((size_t)snprintf(type, sizeof(type), "%s", t) >= sizeof(type))
		return "application/octet-stream";
	/* libmagic guesses a charset for every type ("application/pdf;
	 * charset=binary"): it means something for text only */
	if (strncmp(type, "text/", 5) != 0 && (semi = strchr(type, ';')) !=
	    NULL)
		*semi = '\0';
	return type;
}
