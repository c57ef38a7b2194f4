/* The OpenAPI 3.1 description of the API, written by hand in openapi.yaml
 * (compiled in) and served as JSON. Parsed once, on first use. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "http/http.h"
#include "util/embed.h"
#include "util/yaml.h"

static json_t *doc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	const struct kf_embed *e = kf_embed_find("src/http/openapi.yaml");
	struct kf_err err;
	if (!e || kf_yaml_to_json(e->data, e->len, &doc, &err) != 0) {
		fprintf(stderr, "openapi.yaml does not parse: %s\n", e ? err.message : "missing");
		abort();
	}
}

const json_t *kf_openapi_doc(void)
{
	pthread_once(&once, load);
	return doc;
}
