/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * main.c: start-up order only. Arguments, then the configuration
 * (refused as a whole, with every problem listed, before anything
 * changes on disk), then logging, then the master process; or, with
 * -p, the preview of one article; or, with -I, the import of an old
 * portal's saved pages into the tree.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "import.h"
#include "log.h"
#include "master.h"
#include "preview.h"
#include "sandbox.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bantin [-dnv] [-c file] [-I dir] "
	    "[-p article]\n"
	    "  -c file  configuration (default conf/bantin.ini)\n"
	    "  -d       stay in the foreground, log to stderr\n"
	    "  -I dir   import the saved pages of an old portal into the "
	    "site, and exit\n"
	    "  -n       check the configuration and exit; -nn also dumps it\n"
	    "  -p file  show what the site makes of an article, and exit\n"
	    "           (1 if it would be skipped)\n"
	    "  -v       verbose logging\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct config	*conf;
	struct buf	 errs = BUF_INIT, dump = BUF_INIT;
	const char	*file = "conf/bantin.ini", *article = NULL;
	const char	*mirror = NULL, *lacks;
	int		 ch, fg = 0, check = 0, verbose = 0, r;

	while ((ch = getopt(argc, argv, "c:dI:np:v")) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'd':
			fg = 1;
			break;
		case 'I':
			mirror = optarg;
			break;
		case 'n':
			check++;
			break;
		case 'p':
			article = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if ((conf = config_load(file, &errs)) == NULL) {
		fprintf(stderr, "%s", errs.data ? errs.data : "");
		fprintf(stderr, "%s: configuration refused\n", file);
		return 1;
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
		printf("configuration OK\n");
		config_free(conf);
		return 0;
	}
	if (!fg && daemon(1, 0) == -1) {
		perror("daemon");
		return 1;
	}
	log_init(fg, verbose);
	/* once, not at each worker's start: workers restart */
	if ((lacks = sandbox_lacks()) != NULL)
		log_info("this kernel lacks %s: workers run without it",
		    lacks);
	r = master_run(conf);
	return r;
}
