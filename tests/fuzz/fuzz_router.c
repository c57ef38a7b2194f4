/* Fuzzes the router, kf_route_match (http/http.h). The input is a method and a
 * path separated by the first space ("GET /api/v1/users/42"); without a space
 * it is a GET of the whole input.
 *
 * Invariants: a match names a route of the table whose method is the one asked
 * for (HEAD finds GET routes); there are at most 4 parameters, each a
 * non-empty run inside the path without '/'; putting the parameters back into
 * the route's pattern gives the path again; and a match implies path_found. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/http.h"

/* Checked in every build type (assert() vanishes under NDEBUG). */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The pattern with {…} replaced by the parameters, in a malloc'd string. */
static char *fill(const char *pattern, const char **params, const size_t *lens, int n)
{
	size_t cap = strlen(pattern) + 1;
	for (int i = 0; i < n; i++)
		cap += lens[i];
	char *out = malloc(cap), *o = out;
	int k = 0;
	for (const char *p = pattern; *p;) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			CHECK(close && k < n);
			memcpy(o, params[k], lens[k]);
			o += lens[k++];
			p = close + 1;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	CHECK(k == n);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	const char *method = "GET", *path = buf;
	char *space = memchr(buf, ' ', size);
	if (space) {
		*space = '\0';
		method = buf;
		path = space + 1;
	}
	size_t path_len = strlen(path);

	const char *params[4] = {0};
	size_t lens[4] = {0};
	int nparams = -1;
	bool found = false;
	int route = kf_route_match(method, path, params, lens, &nparams, &found);
	CHECK(route >= -1 && route < kf_route_count());
	if (route >= 0) {
		const struct kf_route *r = &kf_routes[route];
		CHECK(found);
		CHECK(!strcmp(r->method, method) ||
		      (!strcmp(method, "HEAD") && !strcmp(r->method, "GET")));
		CHECK(nparams >= 0 && nparams <= 4);
		for (int i = 0; i < nparams; i++) {
			CHECK(params[i] >= path && params[i] < path + path_len);
			CHECK(lens[i] > 0 && lens[i] <= (size_t)(path + path_len - params[i]));
			CHECK(!memchr(params[i], '/', lens[i]));
		}
		char *again = fill(r->pattern, params, lens, nparams);
		CHECK(!strcmp(again, path));
		free(again);
	}
	free(buf);
	return 0;
}
