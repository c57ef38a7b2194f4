/* The route table's lookup (src/http/routes.c): the routes grouped by their
 * first API segment must answer exactly as a walk of the whole table, the
 * first route in table order winning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "http/http.h"

/* The whole-table walk, written plainly: a {name} matches one non-empty
 * segment. */
static bool naive_match(const char *pattern, const char *path)
{
	while (*pattern && *path) {
		if (*pattern == '{') {
			size_t seg = strcspn(path, "/");
			if (!seg)
				return false;
			pattern = strchr(pattern, '}') + 1;
			path += seg;
		} else if (*pattern++ != *path++) {
			return false;
		}
	}
	return !*pattern && !*path;
}

static int naive_route(const char *method, const char *path, bool *found)
{
	*found = false;
	for (int i = 0; kf_routes[i].method; i++) {
		if (!naive_match(kf_routes[i].pattern, path))
			continue;
		*found = true;
		if (!strcmp(kf_routes[i].method, method) ||
		    (!strcmp(method, "HEAD") && !strcmp(kf_routes[i].method, "GET")))
			return i;
	}
	return -1;
}

static void check(const char *method, const char *path)
{
	const char *params[4];
	size_t lens[4];
	int n = 0;
	bool found, want_found;
	int got = kf_route_match(method, path, params, lens, &n, &found);
	int want = naive_route(method, path, &want_found);
	if (got != want || found != want_found)
		fail_msg("%s %s: route %d (path found %d), the table walk gives %d (%d)", method,
			 path, got, found, want, want_found);
}

/* Each route's own path (parameters filled in), with its method, HEAD and
 * another method; then paths no route has. */
static void every_route_is_found_as_the_table_walk_finds_it(void **state)
{
	int n = kf_route_count();
	assert_true(n > 50);
	for (int i = 0; i < n; i++) {
		char path[256];
		size_t o = 0;
		for (const char *p = kf_routes[i].pattern; *p && o < sizeof path - 2;) {
			if (*p == '{') {
				path[o++] = '7';
				p = strchr(p, '}') + 1;
			} else {
				path[o++] = *p++;
			}
		}
		path[o] = '\0';
		check(kf_routes[i].method, path);
		check("HEAD", path);
		check("PATCH", path);
		check("DELETE", path);
	}
	const char *none[] = {"/",
			      "/index.html",
			      "/api/v1",
			      "/api/v1/",
			      "/api/v1/nosuch",
			      "/api/v1/tickets/",
			      "/api/v1/tickets/7/nosuch",
			      "/api/v1/tickets//events",
			      "/api/v1/ticketsx",
			      "/healthz/x",
			      "/API/v1/tickets"};
	for (size_t k = 0; k < sizeof none / sizeof *none; k++) {
		check("GET", none[k]);
		check("POST", none[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_route_is_found_as_the_table_walk_finds_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
