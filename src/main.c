/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * main.c: start-up order only. Arguments, then the configuration
 * (refused as a whole, with every problem listed, before anything
 * changes on disk), then logging, then the master process; or, with
 * -p, the preview of one article; or, with -I, the import of an old
 * portal's saved pages into the tree; or, with -C, the counter file
 * moved into Redis or out of it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authors.h"
#include "buf.h"
#include "certcheck.h"
#include "config.h"
#include "counter_redis.h"
#include "import.h"
#include "log.h"
#include "privsep.h"
#include "preview.h"
#include "sandbox.h"
#include "ticket.h"
#include "zone.h"

/*
 * The Makefile sets both: the version from the file VERSION, and the
 * default configuration, conf/bantin.ini for the checkout's ./bantin
 * and $(SYSCONFDIR)/bantin/bantin.ini for the binary make install
 * puts in place. A daemon started as root must not pick its
 * configuration from whatever folder it was started in.
 */
#if !defined(BANTIN_VERSION) || !defined(BANTIN_CONF)
#error "BANTIN_VERSION and BANTIN_CONF come from the Makefile"
#endif

/* -h asks for this text: stdout and 0; a wrong option gets stderr, 1 */
static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: bantin [-dfhnVv] [-C import | export] [-c file] [-I dir] "
	    "[-p file]\n"
	    "  -C import  put the counter file's counts into Redis, and "
	    "exit\n"
	    "  -C export  write Redis's counts to stdout as a counter file, "
	    "and exit\n"
	    "  -c file    configuration (default " BANTIN_CONF ")\n"
	    "  -d         stay in the foreground, log to stderr (unless "
	    "[server] log\n"
	    "             says where)\n"
	    "  -f         with -C import: replace the counts Redis has\n"
	    "  -h         print this help and exit\n"
	    "  -I dir     import the saved pages of an old portal into the "
	    "site, and exit\n"
	    "  -n         check the configuration and exit; -nn also dumps "
	    "it\n"
	    "  -p file    show what the site makes of an article, and exit\n"
	    "             (1 if it would be skipped)\n"
	    "  -V         print the version and exit\n"
	    "  -v         verbose logging\n");
	exit(status);
}

/* -n: the ticket secret's file, as start-up reads it; 1 if refused */
static int
check_ticket_secret(const struct config *conf)
{
	struct ticket_secret	 s;
	char			 err[1024];
	int			 r;

	if ((r = ticket_secret_read(conf->ticket_secret, &s, err,
	    sizeof(err))) == -1)
		fprintf(stderr, "%s\n", err);
	ticket_secret_clear(&s);
	return r == -1;
}

/* -n: the authors file, as the master will read it */
static int
check_authors(const struct config *conf)
{
	struct authors	*as;
	struct buf	 errs = BUF_INIT;

	if (!conf->titan_enabled)
		return 0;
	if ((as = authors_load(conf->titan_authors, &errs)) == NULL)
		fprintf(stderr, "%s", errs.data != NULL ? errs.data : "");
	buf_free(&errs);
	authors_free(as);
	return as == NULL ? -1 : 0;
}

/* -C: the counts between the counter file and Redis ([counter] redis
 * and redis_prefix); the exit status */
static int
counts_tool(const struct config *conf, const char *what, int force)
{
	char	 err[1024];
	int	 r;

	if (strcmp(what, "import") == 0)
		r = counter_redis_import(conf, force, stdout, err,
		    sizeof(err));
	else
		r = counter_redis_export(conf, stdout, err, sizeof(err));
	if (r == -1)
		fprintf(stderr, "bantin: -C %s: %s\n", what, err);
	return r == -1 ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	struct config	*conf;
	struct buf	 errs = BUF_INIT, dump = BUF_INIT;
	const char	*file = BANTIN_CONF, *article = NULL;
	const char	*mirror = NULL, *lacks, *tool = NULL;
	char		 err[512];
	int		 ch, fg = 0, check = 0, verbose = 0, force = 0, r;

	while ((ch = getopt(argc, argv, "C:c:dfhI:np:Vv")) != -1) {
		switch (ch) {
		case 'C':
			if (strcmp(optarg, "import") != 0 &&
			    strcmp(optarg, "export") != 0)
				usage(1);
			tool = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'c':
			file = optarg;
			break;
		case 'd':
			fg = 1;
			break;
		case 'h':
			usage(0);
		case 'I':
			mirror = optarg;
			break;
		case 'n':
			check++;
			break;
		case 'p':
			article = optarg;
			break;
		case 'V':
			printf("bantin %s\n", BANTIN_VERSION);
			return 0;
		case 'v':
			verbose++;
			break;
		default:
			usage(1);
		}
	}
	if (optind != argc)
		usage(1);

	if ((conf = config_load(file, &errs)) == NULL) {
		fprintf(stderr, "%s", errs.data ? errs.data : "");
		fprintf(stderr, "%s: configuration refused\n", file);
		return 1;
	}
	if (tool != NULL) {
		r = counts_tool(conf, tool, force);
		config_free(conf);
		return r;
	}
	if (mirror != NULL) {
		r = import_portal(conf->root, mirror, stdout);
		config_free(conf);
		return r == -1 ? 1 : 0;
	}
	if (article != NULL) {
		r = preview_article(conf, article, stdout);
		config_free(conf);
		return r == -1 ? 2 : r;
	}
	if (check) {
		if (check > 1) {
			config_dump(conf, &dump);
			fputs(dump.data, stdout);
			buf_free(&dump);
		}
		/* what start-up would refuse in the certificate, the
		 * ticket secret and the authors file (the master reads
		 * it, as this user) */
		if (certcheck_print(conf, stderr) + check_ticket_secret(conf)
		    + (check_authors(conf) == -1) > 0) {
			fprintf(stderr, "%s: configuration refused\n", file);
			config_free(conf);
			return 1;
		}
		printf("configuration OK\n");
		config_free(conf);
		return 0;
	}
	/* before daemon(3), while stderr can still say why not */
	if (log_open(conf->log, conf->access_log, fg, verbose, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", file, err);
		return 1;
	}
	if (!fg && daemon(1, 0) == -1) {
		perror("daemon");
		return 1;
	}
	/* every process stamps its log lines in the site's zone, the one
	 * the master reads dates in: one log, one clock */
	if (zone_use(conf->time_zone) == -1)
		log_warn("site:timezone %s", conf->time_zone);
	/* once, not at each worker's start: workers restart */
	if ((lacks = sandbox_lacks()) != NULL)
		log_info("this kernel lacks %s: workers run without it",
		    lacks);
	r = privsep_run(conf);
	return r;
}
