/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * config.c: reads the ini file with iniparser, copies every value into
 * struct config with its default, and checks everything in one pass so
 * the operator sees every problem at once, each as "section:key:
 * reason". It never changes anything on disk: a bad configuration is
 * refused before anything happens (start-up, -n, or a SIGHUP reload).
 * It asks OpenSSL whether [gemini] ciphers names any cipher, so that a
 * list tls.c could not use is refused here, with the rest.
 */

#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <iniparser.h>
#include <openssl/ssl.h>

#include "buf.h"
#include "config.h"
#include "label.h"
#include "zone.h"

static const char *const known[] = {
	"server:hostname", "server:state_dir", "server:workers", "server:user",
	"server:log", "server:access_log", "server:proxy_from",
	"gemini:listen", "gemini:port", "gemini:cert", "gemini:key",
	"gemini:ciphers", "gemini:ticket_secret", "gemini:proxy_protocol",
	"gopher:enabled", "gopher:listen", "gopher:port", "gopher:host",
	"gopher:advertised_port", "gopher:charset", "gopher:proxy_protocol",
	"site:root", "site:title", "site:lang", "site:per_page",
	"site:rescan_interval", "site:timezone",
	"counter:file", "counter:flush_interval", "counter:backend",
	"counter:redis", "counter:redis_prefix", "counter:instance",
	"limits:request_timeout", "limits:write_timeout",
	"limits:max_connections", "limits:max_connections_per_ip",
	"limits:rate_per_ip", "limits:rate_burst", "limits:handshake_timeout",
	"titan:enabled", "titan:authors", "titan:max_size",
	"titan:max_file_size", "titan:token",
	NULL
};

/* [server] log and access_log: the values that are not a file */
static const char *const log_words[] = { "", "syslog", "stderr", NULL };
static const char *const access_words[] = { "", NULL };

static const char *const sections[] = {
	"server", "gemini", "gopher", "site", "counter", "limits", "labels",
	"titan", NULL
};

/* where the checks report: a line in errs for each problem, counted
 * apart, so that one whose line could not be added still refuses */
struct check {
	struct buf	*errs;
	int		 n;
};

static void	 problem(struct check *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
problem(struct check *ck, const char *key, const char *fmt, ...)
{
	va_list	 ap;

	ck->n++;
	buf_printf(ck->errs, "%s: ", key);
	va_start(ap, fmt);
	buf_vprintf(ck->errs, fmt, ap);
	va_end(ap);
	buf_putc(ck->errs, '\n');
}

/* the value, trimmed, or def when absent or empty */
static const char *
get(dictionary *d, const char *key, const char *def)
{
	const char	*s = iniparser_getstring(d, key, NULL);

	return (s == NULL || *s == '\0') ? def : s;
}

/* a copy of the value (or of def) into *out; -1 out of memory. With
 * def NULL and no value, *out is NULL. */
static int
get_str(dictionary *d, const char *key, const char *def, char **out)
{
	const char	*s = get(d, key, def);

	*out = NULL;
	if (s == NULL)
		return 0;
	return (*out = strdup(s)) == NULL ? -1 : 0;
}

static int
get_int(dictionary *d, const char *key, int def, int min, int max,
    struct check *ck)
{
	const char	*s = get(d, key, NULL);
	char		*end;
	long		 v;

	if (s == NULL || *s == '\0')
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s) {
		problem(ck, key, "'%s' is not a number", s);
		return def;
	}
	if (v < min || v > max) {
		problem(ck, key, "%ld is out of range %d-%d", v, min, max);
		return def;
	}
	return (int)v;
}

static int
get_bool(dictionary *d, const char *key, int def, struct check *ck)
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
	problem(ck, key, "'%s' is not yes or no", s);
	return def;
}

/*
 * "127.0.0.1 ::1" -> list, *n of them; each must be an IPv4 or IPv6
 * address or "*", and at least one is if required. -1 out of memory,
 * with *n counting what list holds.
 */
static int
get_listen(dictionary *d, const char *key, const char *def, char **list,
    int *n, int required, struct check *ck)
{
	const char	*s = get(d, key, def);
	char		*copy, *tok, *save = NULL;
	unsigned char	 addr[16];
	int		 r = 0;

	*n = 0;
	if ((copy = strdup(s)) == NULL)
		return -1;
	for (tok = strtok_r(copy, " ,\t", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,\t", &save)) {
		if (strcmp(tok, "*") != 0 &&
		    inet_pton(AF_INET, tok, addr) != 1 &&
		    inet_pton(AF_INET6, tok, addr) != 1) {
			problem(ck, key, "'%s' is not an IP address", tok);
			continue;
		}
		if (*n == CONFIG_LISTEN_MAX) {
			problem(ck, key, "more than %d addresses",
			    CONFIG_LISTEN_MAX);
			break;
		}
		if ((list[*n] = strdup(tok)) == NULL) {
			r = -1;
			break;
		}
		(*n)++;
	}
	free(copy);
	if (r == 0 && *n == 0 && required)
		problem(ck, key, "no address to listen on");
	return r;
}

/*
 * One entry of proxy_from, the len bytes at s: "192.0.2.7", "10.0.0.0/8",
 * "2001:db8::/32". NULL if good, else what is wrong with it. A prefix
 * with bits set past its length is refused rather than cut: in a list
 * of whom to believe, "10.0.0.1/8" is a typo more often than a wish.
 */
static const char *
parse_net(const char *s, size_t len, struct config_net *net)
{
	char		 a[INET6_ADDRSTRLEN + 4], *slash, *end;
	unsigned char	 v4[4];
	long		 bits;
	int		 max, i;

	memset(net, 0, sizeof(*net));
	if (len >= sizeof(a))
		return "is not an IP address";
	memcpy(a, s, len);
	a[len] = '\0';
	if ((slash = strchr(a, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, a, v4) == 1) {
		net->addr[10] = net->addr[11] = 0xff;
		memcpy(net->addr + 12, v4, sizeof(v4));
		max = 32;
	} else if (inet_pton(AF_INET6, a, net->addr) == 1)
		max = 128;
	else
		return "is not an IP address";
	bits = max;
	if (slash != NULL) {
		bits = strtol(slash, &end, 10);
		if (!isdigit((unsigned char)*slash) || *end != '\0' ||
		    bits > max)
			return max == 32 ? "is not a prefix: /0 to /32" :
			    "is not a prefix: /0 to /128";
	}
	net->bits = (int)bits + 128 - max;
	for (i = net->bits; i < 128; i++)
		if (net->addr[i / 8] & (0x80 >> (i % 8)))
			return "has bits set past its prefix length";
	return NULL;
}

/* the addresses and prefixes of key, separated by spaces or commas */
static void
get_nets(dictionary *d, const char *key, struct config_net *nets, int *n,
    struct check *ck)
{
	struct config_net	 net;
	const char		*s = get(d, key, ""), *why;
	size_t			 len;

	*n = 0;
	for (; *(s += strspn(s, " ,\t")) != '\0'; s += len) {
		len = strcspn(s, " ,\t");
		if ((why = parse_net(s, len, &net)) != NULL)
			problem(ck, key, "'%.*s' %s", (int)len, s, why);
		else if (*n == CONFIG_PROXY_FROM) {
			problem(ck, key, "more than %d entries",
			    CONFIG_PROXY_FROM);
			break;
		} else
			nets[(*n)++] = net;
	}
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

/* dir + "/" + name, or name itself if absolute; NULL out of memory */
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

/*
 * A log file's path into *out, resolved against cwd: its folder must
 * be there (whether the file can be written is found at start, by the
 * user bantin runs as). words are values that are not paths here.
 * -1 out of memory.
 */
static int
get_log(dictionary *d, const char *key, const char *cwd,
    const char *const *words, char **out, struct check *ck)
{
	const char	*s = get(d, key, "");
	char		*slash;
	struct stat	 st;
	int		 i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return (*out = strdup(s)) == NULL ? -1 : 0;
	if (strcmp(s, "syslog") == 0 || strcmp(s, "stderr") == 0) {
		problem(ck, key, "'%s': a file's path is wanted here", s);
		return (*out = strdup("")) == NULL ? -1 : 0;
	}
	if ((*out = join(cwd, s)) == NULL)
		return -1;
	if ((slash = strrchr(*out, '/')) == NULL || slash[1] == '\0') {
		problem(ck, key, "'%s' is not a file's path", s);
		return 0;
	}
	*slash = '\0';
	if (stat(**out ? *out : "/", &st) == -1)
		problem(ck, key, "%s: %s", **out ? *out : "/",
		    strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		problem(ck, key, "%s: not a folder", *out);
	*slash = '/';
	return 0;
}

/* Does OpenSSL make anything of the TLS 1.2 cipher list? */
static void
check_ciphers(const char *list, struct check *ck)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		problem(ck, "gemini:ciphers", "cannot be checked: OpenSSL "
		    "failed");
		return;
	}
	if (SSL_CTX_set_cipher_list(ctx, list) != 1)
		problem(ck, "gemini:ciphers", "'%s': OpenSSL knows no cipher "
		    "in it", list);
	SSL_CTX_free(ctx);
}

/* -1 out of memory */
static int
check_unknown(dictionary *d, struct check *ck)
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
			problem(ck, sec, "unknown section");
			continue;
		}
		nk = iniparser_getsecnkeys(d, sec);
		if (nk <= 0)
			continue;
		if ((keys = calloc((size_t)nk, sizeof(*keys))) == NULL)
			return -1;
		iniparser_getseckeys(d, sec, keys);
		for (k = 0; k < nk; k++) {
			if (strcmp(sec, "labels") == 0) {
				if (label_find(keys[k] + strlen(sec) + 1) < 0)
					problem(ck, keys[k],
					    "unknown label");
				continue;
			}
			for (ok = 0, j = 0; known[j] != NULL; j++)
				if (strcmp(keys[k], known[j]) == 0)
					ok = 1;
			if (!ok)
				problem(ck, keys[k], "unknown key");
		}
		free(keys);
	}
	return 0;
}

/* "host:port", "[v6]:port" or a unix socket's absolute path */
static void
check_redis(const char *s, struct check *ck)
{
	const char	*colon, *host = s;
	char		*end;
	long		 port;

	if (s[0] == '/')
		return;
	if ((colon = strrchr(s, ':')) == NULL || colon == s) {
		problem(ck, "counter:redis", "'%s' is not host:port or a "
		    "socket's path", s);
		return;
	}
	if (host[0] == '[' && colon[-1] != ']') {
		problem(ck, "counter:redis", "'%s': an IPv6 address goes in "
		    "brackets, [::1]:6379", s);
		return;
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || port < 1 ||
	    port > 65535)
		problem(ck, "counter:redis", "'%s': bad port", s);
}

/* an instance's name: it is written into the counter file and names
 * a Redis key, so a word of letters, digits and . _ : @ - */
static int
valid_instance(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= CONFIG_INSTANCE_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._:@-") == n;
}

/* [counter] backend and the Redis keys; -1 out of memory */
static int
get_backend(dictionary *d, struct config *c, struct check *ck)
{
	const char	*s = get(d, "counter:backend", "file");
	char		 host[256];
	size_t		 i;

	if (strcmp(s, "redis") == 0)
		c->counter_redis = 1;
	else if (strcmp(s, "file") != 0)
		problem(ck, "counter:backend", "'%s' is not file or redis", s);
	if (get_str(d, "counter:redis", "127.0.0.1:6379", &c->redis) == -1 ||
	    get_str(d, "counter:redis_prefix", "bantin:", &c->redis_prefix) ==
	    -1)
		return -1;
	check_redis(c->redis, ck);
	for (i = 0; c->redis_prefix[i] != '\0'; i++)
		if ((unsigned char)c->redis_prefix[i] <= ' ' ||
		    c->redis_prefix[i] == 0x7f) {
			problem(ck, "counter:redis_prefix", "a space or a "
			    "control character in '%s'", c->redis_prefix);
			break;
		}
	/* unset: this machine's name and the Gemini port, the same at
	 * every start and different for each instance on a machine */
	s = get(d, "counter:instance", NULL);
	if (s == NULL) {
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		if (asprintf(&c->instance, "%s:%d", host, c->gemini_port) ==
		    -1) {
			c->instance = NULL;
			return -1;
		}
	} else if ((c->instance = strdup(s)) == NULL)
		return -1;
	if (!valid_instance(c->instance))
		problem(ck, "counter:instance", "'%s' is not a word of at "
		    "most %d letters, digits and . _ : @ -", c->instance,
		    CONFIG_INSTANCE_MAX);
	return 0;
}

/*
 * [titan]: publishing over Titan. The authors file is the master's to
 * read and check (authors.c), at start and at each reload; here only
 * that it is named when Titan is on. -1 out of memory.
 */
static int
get_titan(dictionary *d, struct config *c, const char *cwd,
    struct check *ck)
{
	const char	*s;

	c->titan_enabled = get_bool(d, "titan:enabled", 0, ck);
	s = get(d, "titan:authors", "");
	if ((c->titan_authors = *s == '\0' ? strdup("") : join(cwd, s)) ==
	    NULL)
		return -1;
	if (c->titan_enabled && *s == '\0')
		problem(ck, "titan:authors", "a file of authors is needed "
		    "when Titan is enabled");
	c->titan_max_size = get_int(d, "titan:max_size", CONFIG_TITAN_SIZE,
	    1, CONFIG_TITAN_SIZE_MAX, ck);
	c->titan_max_file_size = get_int(d, "titan:max_file_size",
	    CONFIG_TITAN_FILE, 1, CONFIG_TITAN_FILE_MAX, ck);
	return get_str(d, "titan:token", "", &c->titan_token);
}

/*
 * Every allocation is checked: this runs again at each SIGHUP, and an
 * out-of-memory there refuses the reload ("file: out of memory") and
 * frees what was made, like any other problem.
 */
struct config *
config_load(const char *file, struct buf *errs)
{
	struct check	 ck = { errs, 0 };
	struct config	*c = NULL;
	dictionary	*d;
	struct stat	 st;
	const char	*s;
	char		 cwd[PATH_MAX], key[128], why[256];
	size_t		 rl;
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
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->file = strdup(file)) == NULL)
		goto nomem;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';

	if (check_unknown(d, &ck) == -1)
		goto nomem;

	/* [server] */
	if (get_str(d, "server:hostname", "localhost", &c->hostname) == -1)
		goto nomem;
	if (!valid_hostname(c->hostname))
		problem(&ck, "server:hostname", "'%s' is not a host name",
		    c->hostname);
	if ((c->state_dir = join(cwd, get(d, "server:state_dir", "var"))) ==
	    NULL)
		goto nomem;
	c->workers = get_int(d, "server:workers", 0, 0, CONFIG_WORKERS_MAX,
	    &ck);
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
	if (get_str(d, "server:user", "", &c->user) == -1 ||
	    get_log(d, "server:log", cwd, log_words, &c->log, &ck) == -1 ||
	    get_log(d, "server:access_log", cwd, access_words,
	    &c->access_log, &ck) == -1)
		goto nomem;
	get_nets(d, "server:proxy_from", c->proxy_from, &c->proxy_nfrom, &ck);

	/* [gemini] */
	if (get_listen(d, "gemini:listen", "127.0.0.1 ::1", c->gemini_listen,
	    &c->gemini_nlisten, 1, &ck) == -1)
		goto nomem;
	c->gemini_port = get_int(d, "gemini:port", 1965, 1, 65535, &ck);
	s = get(d, "gemini:cert", "");
	c->cert_generate = (*s == '\0');
	if (c->cert_generate != (*get(d, "gemini:key", "") == '\0'))
		problem(&ck, "gemini:key", "cert and key must be set together");
	if (c->cert_generate) {
		if ((c->cert = join(c->state_dir, "cert.pem")) == NULL ||
		    (c->key = join(c->state_dir, "key.pem")) == NULL)
			goto nomem;
	} else {
		if ((c->cert = join(cwd, s)) == NULL ||
		    (c->key = join(cwd, get(d, "gemini:key", ""))) == NULL)
			goto nomem;
		if (access(c->cert, R_OK) == -1)
			problem(&ck, "gemini:cert", "%s: %s", c->cert,
			    strerror(errno));
		if (access(c->key, R_OK) == -1)
			problem(&ck, "gemini:key", "%s: %s", c->key,
			    strerror(errno));
	}

	if (get_str(d, "gemini:ciphers", CONFIG_CIPHERS, &c->ciphers) == -1)
		goto nomem;
	check_ciphers(c->ciphers, &ck);
	/* only a path here: the parent reads and checks the file (ticket.c)
	 * at start and at each reload, -n too, as it does the key */
	s = get(d, "gemini:ticket_secret", "");
	if ((c->ticket_secret = *s == '\0' ? strdup("") : join(cwd, s)) ==
	    NULL)
		goto nomem;
	c->gemini_proxy = get_bool(d, "gemini:proxy_protocol", 0, &ck);

	/* [gopher] */
	c->gopher_enabled = get_bool(d, "gopher:enabled", 1, &ck);
	if (get_listen(d, "gopher:listen", "127.0.0.1 ::1", c->gopher_listen,
	    &c->gopher_nlisten, c->gopher_enabled, &ck) == -1)
		goto nomem;
	c->gopher_port = get_int(d, "gopher:port", 7070, 1, 65535, &ck);
	if (get_str(d, "gopher:host", c->hostname, &c->gopher_host) == -1)
		goto nomem;
	if (!valid_hostname(c->gopher_host))
		problem(&ck, "gopher:host", "'%s' is not a host name",
		    c->gopher_host);
	c->gopher_adv_port = get_int(d, "gopher:advertised_port",
	    c->gopher_port, 1, 65535, &ck);
	s = get(d, "gopher:charset", "utf-8");
	if (strcasecmp(s, "ascii") == 0 || strcasecmp(s, "us-ascii") == 0)
		c->gopher_ascii = 1;
	else if (strcasecmp(s, "utf-8") != 0 && strcasecmp(s, "utf8") != 0)
		problem(&ck, "gopher:charset", "'%s' is not utf-8 or ascii",
		    s);
	if (c->gopher_enabled && c->gopher_port == c->gemini_port)
		problem(&ck, "gopher:port", "same as gemini:port");
	c->gopher_proxy = get_bool(d, "gopher:proxy_protocol", 0, &ck);
	/* no default list of proxies: one that would believe loopback
	 * only would treat a balancer on another host as the client of
	 * every connection, silently, and count them all as one */
	if (c->proxy_nfrom == 0 && c->gemini_proxy)
		problem(&ck, "gemini:proxy_protocol", "yes, but "
		    "server:proxy_from names no proxy (127.0.0.1 for one "
		    "on this machine)");
	if (c->proxy_nfrom == 0 && c->gopher_proxy && c->gopher_enabled)
		problem(&ck, "gopher:proxy_protocol", "yes, but "
		    "server:proxy_from names no proxy (127.0.0.1 for one "
		    "on this machine)");

	/* [site] */
	if ((c->root = join(cwd, get(d, "site:root", "capsule"))) == NULL)
		goto nomem;
	if (stat(c->root, &st) == -1)
		problem(&ck, "site:root", "%s: %s", c->root, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		problem(&ck, "site:root", "%s: not a directory", c->root);
	if (get_str(d, "site:title", "bantin", &c->title) == -1 ||
	    get_str(d, "site:lang", "vi", &c->lang) == -1)
		goto nomem;
	if (strcmp(c->lang, "vi") != 0 && strcmp(c->lang, "en") != 0)
		problem(&ck, "site:lang", "'%s' is not vi or en", c->lang);
	c->per_page = get_int(d, "site:per_page", 20, 1, 1000, &ck);
	c->rescan_interval = get_int(d, "site:rescan_interval", 2, 0, 86400,
	    &ck);
	if (get_str(d, "site:timezone", "", &c->time_zone) == -1)
		goto nomem;
	if (zone_check(c->time_zone, why, sizeof(why)) == -1)
		problem(&ck, "site:timezone", "%s", why);
	for (i = 0; i < L_COUNT; i++) {
		snprintf(key, sizeof(key), "labels:%s", label_key(i));
		if (get_str(d, key, NULL, &c->labels[i]) == -1)
			goto nomem;
	}

	/* [counter] */
	s = get(d, "counter:file", "");
	if ((c->counter_file = *s == '\0' ? join(c->state_dir, "counters") :
	    join(cwd, s)) == NULL)
		goto nomem;
	c->flush_interval = get_int(d, "counter:flush_interval", 10, 1,
	    86400, &ck);
	if (get_backend(d, c, &ck) == -1)
		goto nomem;

	/* [limits] */
	c->request_timeout = get_int(d, "limits:request_timeout", 10, 1, 3600,
	    &ck);
	c->write_timeout = get_int(d, "limits:write_timeout", 30, 1, 3600,
	    &ck);
	c->max_connections = get_int(d, "limits:max_connections", 1024, 1,
	    1000000, &ck);
	c->max_connections_per_ip = get_int(d,
	    "limits:max_connections_per_ip", CONFIG_PER_IP, 0, 1000000, &ck);
	c->rate_per_ip = get_int(d, "limits:rate_per_ip", CONFIG_RATE, 0,
	    1000000, &ck);
	c->rate_burst = get_int(d, "limits:rate_burst", CONFIG_BURST, 1,
	    1000000, &ck);
	/* the handshake is part of the request: its deadline is no later
	 * (unset, it is the shorter of the two) */
	c->handshake_timeout = get_int(d, "limits:handshake_timeout",
	    CONFIG_HANDSHAKE < c->request_timeout ? CONFIG_HANDSHAKE :
	    c->request_timeout, 1, 3600, &ck);
	if (c->handshake_timeout > c->request_timeout)
		problem(&ck, "limits:handshake_timeout", "%d is longer than "
		    "request_timeout (%d)", c->handshake_timeout,
		    c->request_timeout);

	if (get_titan(d, c, cwd, &ck) == -1)
		goto nomem;

	if ((c->catalog = join(c->state_dir, "catalog.db")) == NULL ||
	    (c->image = join(c->state_dir, "site.image")) == NULL)
		goto nomem;

	/* state_dir must not be inside the capsule: it holds the key */
	rl = strlen(c->root);
	if (strncmp(c->state_dir, c->root, rl) == 0 &&
	    (c->state_dir[rl] == '/' || c->state_dir[rl] == '\0'))
		problem(&ck, "server:state_dir",
		    "must not be inside site:root");
	goto done;
nomem:
	problem(&ck, file, "out of memory");
done:
	iniparser_freedict(d);
	if (ck.n > 0) {
		config_free(c);
		return NULL;
	}
	return c;
}

/*
 * Every field of struct config, for config_free and for config_pack:
 * the privileged parent parses the file and hands the result to the
 * unprivileged master, which may not be able to read it. A new field
 * goes here too; test_config's round trip compares config_dump of
 * both sides, so one left out is caught.
 */
#define F_STR(f)	{ offsetof(struct config, f), 1, 1 }
#define F_INT(f)	{ offsetof(struct config, f), 0, 1 }
#define F_STRS(f, n)	{ offsetof(struct config, f), 1, n }
/* bytes as they are: a struct or an array of them, with no pointer */
#define F_BYTES(f)	{ offsetof(struct config, f), 2, \
	sizeof(((struct config *)NULL)->f) }
static const struct field {
	size_t	 off;
	int	 str;		/* char *, else int (2: bytes) */
	int	 n;		/* an array of n (2: n bytes) */
} fields[] = {
	F_STR(file),
	F_STR(hostname), F_STR(state_dir), F_INT(workers), F_STR(user),
	F_STR(log), F_STR(access_log), F_BYTES(proxy_from),
	F_INT(proxy_nfrom),
	F_STRS(gemini_listen, CONFIG_LISTEN_MAX), F_INT(gemini_nlisten),
	F_INT(gemini_port), F_STR(cert), F_STR(key), F_INT(cert_generate),
	F_STR(ciphers), F_STR(ticket_secret), F_INT(gemini_proxy),
	F_INT(gopher_enabled), F_STRS(gopher_listen, CONFIG_LISTEN_MAX),
	F_INT(gopher_nlisten), F_INT(gopher_port), F_STR(gopher_host),
	F_INT(gopher_adv_port), F_INT(gopher_ascii), F_INT(gopher_proxy),
	F_STR(root), F_STR(title), F_STR(lang), F_INT(per_page),
	F_INT(rescan_interval), F_STR(time_zone), F_STRS(labels, L_COUNT),
	F_STR(counter_file), F_INT(flush_interval), F_INT(counter_redis),
	F_STR(redis), F_STR(redis_prefix), F_STR(instance),
	F_INT(request_timeout), F_INT(write_timeout), F_INT(max_connections),
	F_INT(max_connections_per_ip), F_INT(rate_per_ip), F_INT(rate_burst),
	F_INT(handshake_timeout),
	F_INT(titan_enabled), F_STR(titan_authors), F_INT(titan_max_size),
	F_INT(titan_max_file_size), F_STR(titan_token),
	F_STR(catalog), F_STR(image),
};

#define FIELD_STR(c, fl, i)	(((char **)(void *)((char *)(c) + \
	(fl)->off))[i])
#define FIELD_INT(c, fl, i)	(((int *)(void *)((char *)(c) + \
	(fl)->off))[i])
#define FIELD_CSTR(c, fl, i)	(((char *const *)(const void *)( \
	(const char *)(c) + (fl)->off))[i])
#define FIELD_CINT(c, fl, i)	(((const int *)(const void *)( \
	(const char *)(c) + (fl)->off))[i])

void
config_free(struct config *c)
{
	size_t	 f;
	int	 i;

	if (c == NULL)
		return;
	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (i = 0; fields[f].str == 1 && i < fields[f].n; i++)
			free(FIELD_STR(c, &fields[f], i));
	free(c);
}

/* Each field in order: an int as 4 bytes; a string as a byte saying
 * whether it is set, then its length in 4 bytes and its bytes. Both
 * sides are the same binary, so byte order and sizes agree. */
int
config_pack(const struct config *c, struct buf *b)
{
	const char	*s;
	uint32_t	 len;
	size_t		 f;
	int		 i, v;

	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (i = 0; i < fields[f].n; i++) {
			if (fields[f].str == 2) {
				if (buf_append(b, (const char *)c +
				    fields[f].off, (size_t)fields[f].n) == -1)
					return -1;
				break;
			}
			if (!fields[f].str) {
				v = FIELD_CINT(c, &fields[f], i);
				if (buf_append(b, &v, sizeof(v)) == -1)
					return -1;
				continue;
			}
			s = FIELD_CSTR(c, &fields[f], i);
			if (buf_putc(b, s != NULL) == -1)
				return -1;
			if (s == NULL)
				continue;
			len = (uint32_t)strlen(s);
			if (buf_append(b, &len, sizeof(len)) == -1 ||
			    buf_append(b, s, len) == -1)
				return -1;
		}
	return 0;
}

/* take n bytes from *p (left *left), or fail */
static int
take(const char **p, size_t *left, void *out, size_t n)
{
	if (*left < n)
		return -1;
	memcpy(out, *p, n);
	*p += n;
	*left -= n;
	return 0;
}

struct config *
config_unpack(const void *data, size_t len)
{
	struct config	*c;
	const char	*p = data;
	uint32_t	 slen;
	size_t		 f;
	char		 set;
	int		 i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (i = 0; i < fields[f].n; i++) {
			if (fields[f].str == 2) {
				if (take(&p, &len, (char *)c + fields[f].off,
				    (size_t)fields[f].n) == -1)
					goto fail;
				break;
			}
			if (!fields[f].str) {
				if (take(&p, &len, &FIELD_INT(c, &fields[f],
				    i), sizeof(int)) == -1)
					goto fail;
				continue;
			}
			if (take(&p, &len, &set, 1) == -1)
				goto fail;
			if (!set)
				continue;
			if (take(&p, &len, &slen, sizeof(slen)) == -1 ||
			    slen > len || (FIELD_STR(c, &fields[f], i) =
			    strndup(p, slen)) == NULL)
				goto fail;
			p += slen;
			len -= slen;
		}
	if (len == 0)
		return c;
fail:
	config_free(c);
	return NULL;
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

/* as parse_net reads them: IPv4 as IPv4, no /N for a whole address */
static void
dump_nets(struct buf *b, const char *key, const struct config_net *nets,
    int n)
{
	static const unsigned char	 v4[12] = { [10] = 0xff,
					    [11] = 0xff };
	char				 a[INET6_ADDRSTRLEN];
	int				 i, bits, mapped;

	buf_printf(b, "%s =", key);
	for (i = 0; i < n; i++) {
		mapped = nets[i].bits >= 96 &&
		    memcmp(nets[i].addr, v4, sizeof(v4)) == 0;
		bits = mapped ? nets[i].bits - 96 : nets[i].bits;
		if (inet_ntop(mapped ? AF_INET : AF_INET6, mapped ?
		    nets[i].addr + 12 : nets[i].addr, a, sizeof(a)) == NULL)
			continue;
		buf_printf(b, " %s", a);
		if (bits != (mapped ? 32 : 128))
			buf_printf(b, "/%d", bits);
	}
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
	buf_printf(b, "server.log = %s\n", c->log);
	buf_printf(b, "server.access_log = %s\n", c->access_log);
	dump_nets(b, "server.proxy_from", c->proxy_from, c->proxy_nfrom);
	dump_list(b, "gemini.listen", c->gemini_listen, c->gemini_nlisten);
	buf_printf(b, "gemini.port = %d\n", c->gemini_port);
	buf_printf(b, "gemini.cert = %s\n", c->cert);
	buf_printf(b, "gemini.key = %s\n", c->key);
	buf_printf(b, "gemini.ciphers = %s\n", c->ciphers);
	buf_printf(b, "gemini.ticket_secret = %s\n", c->ticket_secret);
	buf_printf(b, "gemini.proxy_protocol = %s\n", c->gemini_proxy ?
	    "yes" : "no");
	buf_printf(b, "gopher.enabled = %s\n", c->gopher_enabled ? "yes" :
	    "no");
	dump_list(b, "gopher.listen", c->gopher_listen, c->gopher_nlisten);
	buf_printf(b, "gopher.port = %d\n", c->gopher_port);
	buf_printf(b, "gopher.host = %s\n", c->gopher_host);
	buf_printf(b, "gopher.advertised_port = %d\n", c->gopher_adv_port);
	buf_printf(b, "gopher.charset = %s\n", c->gopher_ascii ? "ascii" :
	    "utf-8");
	buf_printf(b, "gopher.proxy_protocol = %s\n", c->gopher_proxy ?
	    "yes" : "no");
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
	buf_printf(b, "counter.backend = %s\n", c->counter_redis ? "redis" :
	    "file");
	buf_printf(b, "counter.redis = %s\n", c->redis);
	buf_printf(b, "counter.redis_prefix = %s\n", c->redis_prefix);
	buf_printf(b, "counter.instance = %s\n", c->instance);
	buf_printf(b, "limits.request_timeout = %d\n", c->request_timeout);
	buf_printf(b, "limits.write_timeout = %d\n", c->write_timeout);
	buf_printf(b, "limits.max_connections = %d\n", c->max_connections);
	buf_printf(b, "limits.max_connections_per_ip = %d\n",
	    c->max_connections_per_ip);
	buf_printf(b, "limits.rate_per_ip = %d\n", c->rate_per_ip);
	buf_printf(b, "limits.rate_burst = %d\n", c->rate_burst);
	buf_printf(b, "limits.handshake_timeout = %d\n", c->handshake_timeout);
	buf_printf(b, "titan.enabled = %s\n", c->titan_enabled ? "yes" : "no");
	buf_printf(b, "titan.authors = %s\n", c->titan_authors);
	buf_printf(b, "titan.max_size = %d\n", c->titan_max_size);
	buf_printf(b, "titan.max_file_size = %d\n", c->titan_max_file_size);
	/* a secret: whether there is one, not what it is */
	buf_printf(b, "titan.token = %s\n", c->titan_token[0] != '\0' ?
	    "(set)" : "");
}
