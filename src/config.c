/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * config.c: reads the ini file with iniparser, copies every value into
 * struct config with its default, and checks everything in one pass so
 * the operator sees every problem at once, each as "section:key:
 * reason". It never changes anything on disk: a bad configuration is
 * refused before anything happens (start-up, -n, or a SIGHUP reload).
 */

#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <iniparser.h>

#include "buf.h"
#include "config.h"
#include "label.h"
#include "zone.h"

static const char *const known[] = {
	"server:hostname", "server:state_dir", "server:workers", "server:user",
	"gemini:listen", "gemini:port", "gemini:cert", "gemini:key",
	"gopher:enabled", "gopher:listen", "gopher:port", "gopher:host",
	"gopher:advertised_port", "gopher:charset",
	"site:root", "site:title", "site:lang", "site:per_page",
	"site:rescan_interval", "site:timezone",
	"counter:file", "counter:flush_interval",
	"limits:request_timeout", "limits:write_timeout",
	"limits:max_connections",
	NULL
};

static const char *const sections[] = {
	"server", "gemini", "gopher", "site", "counter", "limits", "labels",
	NULL
};

static void	 problem(struct buf *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
problem(struct buf *errs, const char *key, const char *fmt, ...)
{
	va_list	 ap;

	buf_printf(errs, "%s: ", key);
	va_start(ap, fmt);
	buf_vprintf(errs, fmt, ap);
	va_end(ap);
	buf_putc(errs, '\n');
}

static char *
xstrdup_or_null(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

/* the value, trimmed, or def when absent or empty */
static const char *
get(dictionary *d, const char *key, const char *def)
{
	const char	*s = iniparser_getstring(d, key, NULL);

	return (s == NULL || *s == '\0') ? def : s;
}

static int
get_int(dictionary *d, const char *key, int def, int min, int max,
    struct buf *errs)
{
	const char	*s = get(d, key, NULL);
	char		*end;
	long		 v;

	if (s == NULL || *s == '\0')
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s) {
		problem(errs, key, "'%s' is not a number", s);
		return def;
	}
	if (v < min || v > max) {
		problem(errs, key, "%ld is out of range %d-%d", v, min, max);
		return def;
	}
	return (int)v;
}

static int
get_bool(dictionary *d, const char *key, int def, struct buf *errs)
{
	const char	*s = get(d, key, NULL);

	if (s == NULL || *s == '\0')
		return def;
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") ||
	    !strcmp(s, "1") || !strcasecmp(s, "on"))
		return 1;
	if (!strcasecmp(s, "no") || !strcasecmp(s, "false") ||
	    !strcmp(s, "0") || !strcasecmp(s, "off"))
		return 0;
	problem(errs, key, "'%s' is not yes or no", s);
	return def;
}

/* "127.0.0.1 ::1" -> list; each must be an IPv4 or IPv6 address or "*" */
static int
get_listen(dictionary *d, const char *key, const char *def, char **list,
    struct buf *errs)
{
	const char	*s = get(d, key, def);
	char		*copy, *tok, *save = NULL;
	unsigned char	 addr[16];
	int		 n = 0;

	if ((copy = strdup(s)) == NULL)
		return 0;
	for (tok = strtok_r(copy, " ,\t", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,\t", &save)) {
		if (strcmp(tok, "*") != 0 &&
		    inet_pton(AF_INET, tok, addr) != 1 &&
		    inet_pton(AF_INET6, tok, addr) != 1) {
			problem(errs, key, "'%s' is not an IP address", tok);
			continue;
		}
		if (n == CONFIG_LISTEN_MAX) {
			problem(errs, key, "more than %d addresses",
			    CONFIG_LISTEN_MAX);
			break;
		}
		list[n++] = strdup(tok);
	}
	free(copy);
	if (n == 0 && errs != NULL)
		problem(errs, key, "no address to listen on");
	return n;
}

static int
valid_hostname(const char *h)
{
	size_t	 i, n = strlen(h);

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' &&
		    h[i] != '.')
			return 0;
	return 1;
}

/* dir + "/" + name, or name itself if absolute */
static char *
join(const char *dir, const char *name)
{
	char	*p;

	if (name[0] == '/' || dir == NULL)
		return strdup(name);
	if (asprintf(&p, "%s/%s", dir, name) == -1)
		return NULL;
	return p;
}

static void
check_unknown(dictionary *d, struct buf *errs)
{
	int	 ns, i, j, k, nk, ok;
	const char *sec, **keys;

	ns = iniparser_getnsec(d);
	for (i = 0; i < ns; i++) {
		sec = iniparser_getsecname(d, i);
		for (ok = 0, j = 0; sections[j] != NULL; j++)
			if (strcmp(sec, sections[j]) == 0)
				ok = 1;
		if (!ok) {
			problem(errs, sec, "unknown section");
			continue;
		}
		nk = iniparser_getsecnkeys(d, sec);
		if (nk <= 0)
			continue;
		if ((keys = calloc((size_t)nk, sizeof(*keys))) == NULL)
			continue;
		iniparser_getseckeys(d, sec, keys);
		for (k = 0; k < nk; k++) {
			if (strcmp(sec, "labels") == 0) {
				if (label_find(keys[k] + strlen(sec) + 1) < 0)
					problem(errs, keys[k],
					    "unknown label");
				continue;
			}
			for (ok = 0, j = 0; known[j] != NULL; j++)
				if (strcmp(keys[k], known[j]) == 0)
					ok = 1;
			if (!ok)
				problem(errs, keys[k], "unknown key");
		}
		free(keys);
	}
}

struct config *
config_load(const char *file, struct buf *errs)
{
	struct config	*c;
	dictionary	*d;
	struct stat	 st;
	const char	*s;
	char		 cwd[PATH_MAX], key[128], why[256];
	size_t		 before = errs->len;
	long		 ncpu;
	int		 i;

	if (access(file, R_OK) == -1) {
		buf_printf(errs, "%s: %s\n", file, strerror(errno));
		return NULL;
	}
	if ((d = iniparser_load(file)) == NULL) {
		buf_printf(errs, "%s: cannot parse\n", file);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		iniparser_freedict(d);
		return NULL;
	}
	c->file = strdup(file);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';

	check_unknown(d, errs);

	/* [server] */
	c->hostname = strdup(get(d, "server:hostname", "localhost"));
	if (!valid_hostname(c->hostname))
		problem(errs, "server:hostname", "'%s' is not a host name",
		    c->hostname);
	c->state_dir = join(cwd, get(d, "server:state_dir", "var"));
	c->workers = get_int(d, "server:workers", 0, 0, CONFIG_WORKERS_MAX,
	    errs);
	if (c->workers == 0) {
		/* the CPUs we may run on (taskset, cgroups), not all */
		cpu_set_t	 set;

		if (sched_getaffinity(0, sizeof(set), &set) == 0)
			ncpu = CPU_COUNT(&set);
		else
			ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		c->workers = ncpu > 0 ? (int)ncpu : 1;
		if (c->workers > CONFIG_WORKERS_MAX)
			c->workers = CONFIG_WORKERS_MAX;
	}
	c->user = strdup(get(d, "server:user", ""));

	/* [gemini] */
	c->gemini_nlisten = get_listen(d, "gemini:listen", "127.0.0.1 ::1",
	    c->gemini_listen, errs);
	c->gemini_port = get_int(d, "gemini:port", 1965, 1, 65535, errs);
	s = get(d, "gemini:cert", "");
	c->cert_generate = (*s == '\0');
	if (c->cert_generate != (*get(d, "gemini:key", "") == '\0'))
		problem(errs, "gemini:key", "cert and key must be set together");
	if (c->cert_generate) {
		c->cert = join(c->state_dir, "cert.pem");
		c->key = join(c->state_dir, "key.pem");
	} else {
		c->cert = join(cwd, s);
		c->key = join(cwd, get(d, "gemini:key", ""));
		if (access(c->cert, R_OK) == -1)
			problem(errs, "gemini:cert", "%s: %s", c->cert,
			    strerror(errno));
		if (access(c->key, R_OK) == -1)
			problem(errs, "gemini:key", "%s: %s", c->key,
			    strerror(errno));
	}

	/* [gopher] */
	c->gopher_enabled = get_bool(d, "gopher:enabled", 1, errs);
	c->gopher_nlisten = get_listen(d, "gopher:listen", "127.0.0.1 ::1",
	    c->gopher_listen, c->gopher_enabled ? errs : NULL);
	c->gopher_port = get_int(d, "gopher:port", 7070, 1, 65535, errs);
	c->gopher_host = strdup(get(d, "gopher:host", c->hostname));
	if (!valid_hostname(c->gopher_host))
		problem(errs, "gopher:host", "'%s' is not a host name",
		    c->gopher_host);
	c->gopher_adv_port = get_int(d, "gopher:advertised_port",
	    c->gopher_port, 1, 65535, errs);
	s = get(d, "gopher:charset", "utf-8");
	if (strcasecmp(s, "ascii") == 0 || strcasecmp(s, "us-ascii") == 0)
		c->gopher_ascii = 1;
	else if (strcasecmp(s, "utf-8") != 0 && strcasecmp(s, "utf8") != 0)
		problem(errs, "gopher:charset", "'%s' is not utf-8 or ascii",
		    s);
	if (c->gopher_enabled && c->gopher_port == c->gemini_port)
		problem(errs, "gopher:port", "same as gemini:port");

	/* [site] */
	c->root = join(cwd, get(d, "site:root", "capsule"));
	if (stat(c->root, &st) == -1)
		problem(errs, "site:root", "%s: %s", c->root, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		problem(errs, "site:root", "%s: not a directory", c->root);
	c->title = strdup(get(d, "site:title", "bantin"));
	c->lang = strdup(get(d, "site:lang", "vi"));
	if (strcmp(c->lang, "vi") != 0 && strcmp(c->lang, "en") != 0)
		problem(errs, "site:lang", "'%s' is not vi or en", c->lang);
	c->per_page = get_int(d, "site:per_page", 20, 1, 1000, errs);
	c->rescan_interval = get_int(d, "site:rescan_interval", 2, 0, 86400,
	    errs);
	c->time_zone = strdup(get(d, "site:timezone", ""));
	if (c->time_zone != NULL &&
	    zone_check(c->time_zone, why, sizeof(why)) == -1)
		problem(errs, "site:timezone", "%s", why);
	for (i = 0; i < L_COUNT; i++) {
		snprintf(key, sizeof(key), "labels:%s", label_key(i));
		c->labels[i] = xstrdup_or_null(get(d, key, NULL));
	}

	/* [counter] */
	s = get(d, "counter:file", "");
	c->counter_file = *s == '\0' ? join(c->state_dir, "counters") :
	    join(cwd, s);
	c->flush_interval = get_int(d, "counter:flush_interval", 10, 1,
	    86400, errs);

	/* [limits] */
	c->request_timeout = get_int(d, "limits:request_timeout", 10, 1, 3600,
	    errs);
	c->write_timeout = get_int(d, "limits:write_timeout", 30, 1, 3600,
	    errs);
	c->max_connections = get_int(d, "limits:max_connections", 1024, 1,
	    1000000, errs);

	c->catalog = join(c->state_dir, "catalog.db");

	/* state_dir must not be inside the capsule: it holds the key */
	if (c->root != NULL && c->state_dir != NULL) {
		size_t	 rl = strlen(c->root);
		if (strncmp(c->state_dir, c->root, rl) == 0 &&
		    (c->state_dir[rl] == '/' || c->state_dir[rl] == '\0'))
			problem(errs, "server:state_dir",
			    "must not be inside site:root");
	}

	iniparser_freedict(d);
	if (errs->len != before) {
		config_free(c);
		return NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	int	 i;

	if (c == NULL)
		return;
	free(c->file);
	free(c->hostname);
	free(c->state_dir);
	free(c->user);
	for (i = 0; i < c->gemini_nlisten; i++)
		free(c->gemini_listen[i]);
	for (i = 0; i < c->gopher_nlisten; i++)
		free(c->gopher_listen[i]);
	free(c->cert);
	free(c->key);
	free(c->gopher_host);
	free(c->root);
	free(c->title);
	free(c->lang);
	free(c->time_zone);
	for (i = 0; i < L_COUNT; i++)
		free(c->labels[i]);
	free(c->counter_file);
	free(c->catalog);
	free(c);
}

static void
dump_list(struct buf *b, const char *key, char *const *l, int n)
{
	int	 i;

	buf_printf(b, "%s =", key);
	for (i = 0; i < n; i++)
		buf_printf(b, " %s", l[i]);
	buf_putc(b, '\n');
}

void
config_dump(const struct config *c, struct buf *b)
{
	int	 i;

	buf_printf(b, "server.hostname = %s\n", c->hostname);
	buf_printf(b, "server.state_dir = %s\n", c->state_dir);
	buf_printf(b, "server.workers = %d\n", c->workers);
	buf_printf(b, "server.user = %s\n", c->user);
	dump_list(b, "gemini.listen", c->gemini_listen, c->gemini_nlisten);
	buf_printf(b, "gemini.port = %d\n", c->gemini_port);
	buf_printf(b, "gemini.cert = %s\n", c->cert);
	buf_printf(b, "gemini.key = %s\n", c->key);
	buf_printf(b, "gopher.enabled = %s\n", c->gopher_enabled ? "yes" :
	    "no");
	dump_list(b, "gopher.listen", c->gopher_listen, c->gopher_nlisten);
	buf_printf(b, "gopher.port = %d\n", c->gopher_port);
	buf_printf(b, "gopher.host = %s\n", c->gopher_host);
	buf_printf(b, "gopher.advertised_port = %d\n", c->gopher_adv_port);
	buf_printf(b, "gopher.charset = %s\n", c->gopher_ascii ? "ascii" :
	    "utf-8");
	buf_printf(b, "site.root = %s\n", c->root);
	buf_printf(b, "site.title = %s\n", c->title);
	buf_printf(b, "site.lang = %s\n", c->lang);
	buf_printf(b, "site.per_page = %d\n", c->per_page);
	buf_printf(b, "site.rescan_interval = %d\n", c->rescan_interval);
	buf_printf(b, "site.timezone = %s\n", c->time_zone);
	for (i = 0; i < L_COUNT; i++)
		if (c->labels[i] != NULL)
			buf_printf(b, "labels.%s = %s\n", label_key(i),
			    c->labels[i]);
	buf_printf(b, "counter.file = %s\n", c->counter_file);
	buf_printf(b, "counter.flush_interval = %d\n", c->flush_interval);
	buf_printf(b, "limits.request_timeout = %d\n", c->request_timeout);
	buf_printf(b, "limits.write_timeout = %d\n", c->write_timeout);
	buf_printf(b, "limits.max_connections = %d\n", c->max_connections);
}
