/*
 * titan.h: publishing over Titan (titan://host/path;size=N;mime=M;
 * token=T, then N bytes; the reply a Gemini header) on the Gemini
 * port. The worker parses and checks an upload (the client's
 * certificate, its author, the path, the size), reads its body and
 * hands it to the master over the worker's channel (titan_put, the
 * body in a sealed memfd); the master checks it again, writes it and
 * answers (titan_done). The worker also answers gemini://host/publish,
 * an author's page of titan:// links.
 */
#ifndef TITAN_H
#define TITAN_H

#include <stddef.h>

#include "authors.h"
#include "proto.h"

struct config;
struct conn_set;
struct conn_upload;
struct gemini_host;
struct site;

#define TITAN_MIME_MAX	128
#define TITAN_TOKEN_MAX	256
#define TITAN_NAME_MAX	200	/* bytes of an uploaded file's name */

struct titan_params {			/* after the path, ";key=value" */
	long long	 size;		/* -1: none */
	char		 mime[TITAN_MIME_MAX];	/* "": text/gemini */
	char		 token[TITAN_TOKEN_MAX];
	int		 has_token;
};

enum titan_kind {
	TITAN_ARTICLE,			/* converted and listed */
	TITAN_FILE			/* an attachment, served as it is */
};

struct titan_target {			/* where an upload goes */
	enum titan_kind	 kind;
	int		 fmt;		/* an article's enum article_fmt */
	char		 path[REQ_PATH_MAX + 1];	/* as served:
					   "/thoi-su/x", "/thoi-su/anh/y.png" */
	char		 dir[REQ_PATH_MAX + 1];	/* below the root:
					   "thoi-su/anh" */
	char		 name[TITAN_NAME_MAX + 8];	/* the file: "x.md" */
	size_t		 slug;		/* bytes of name before its
					   extension (an article's slug) */
};

/* Messages on a worker's channel to the master (msg.h). */
enum titan_msg {
	TITAN_MSG_PUT = 1,	/* worker -> master: struct titan_put, and
				   the body in a sealed memfd */
	TITAN_MSG_DONE		/* master -> worker: struct titan_done */
};

struct titan_put {
	unsigned long	 id;		/* the connection's, conn_id() */
	unsigned char	 fp[AUTHORS_FP_LEN];	/* the author's */
	char		 path[REQ_PATH_MAX + 1];	/* the request's */
	char		 mime[TITAN_MIME_MAX];
	long long	 size;		/* 0: remove */
};

struct titan_done {
	unsigned long	 id;
	int		 status;	/* Gemini's: 30, 40, 50, 51, 59, 61 */
	char		 meta[1024 + 1];
};

/* A worker's Titan state, reached from its struct gemini_front. */
struct titan {
	const struct config	*conf;
	const struct authors	*authors;
	int			 chan;		/* to the master; -1: none */
	struct conn_set		*conns;
};

/* begin, body and end of a Titan listener (conn.h). */
extern const struct conn_upload	titan_upload;

/*
 * Parse a Titan request line: the URL as gemini_parse takes a Gemini
 * one (req->path the path, decoded and normalised), then its
 * parameters. -1 with *st and errstr as gemini_parse has them.
 */
int	titan_parse(const char *line, size_t len, const struct gemini_host *,
	    struct request *, struct titan_params *, enum status *,
	    const char **errstr);
/* Where an upload to path goes (mime for a name without an extension):
 * 0, or -1 and why not (a 59). */
int	titan_target(const char *path, const char *mime,
	    struct titan_target *, const char **errstr);
/* The category of a target in site ("thoi-su/dai-hoi": its deepest
 * folder that is a category) into cat: 0, or -1 when it is in none. */
int	titan_category(const struct site *, const struct titan_target *,
	    char *cat, size_t len);
/* The master's answer (a TITAN_MSG_DONE's bytes) to its connection. */
void	titan_answer(struct titan *, const void *, size_t);

#endif
