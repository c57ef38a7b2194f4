/* The background work of kefu serve, each on a thread of its own that runs
 * a task every interval:
 *   - the deadline scanner marks tickets overdue within a minute of a
 *     deadline passing (L-4 … L-10) by calling kf_app_scan_deadlines, and
 *     prunes the event outbox. Several nodes may scan the same store:
 *     marking is a conditional update, so each deadline is marked once;
 *   - the search indexer writes the queued search entries of new tickets
 *     (T-10, kf_app_search_flush) hundreds at a time. */
#ifndef KF_APP_SCANNER_H
#define KF_APP_SCANNER_H
#include "app/app.h"

struct kf_scanner;

struct kf_scanner *kf_scanner_start(struct kf_app *app, int interval_ms);
struct kf_scanner *kf_indexer_start(struct kf_app *app, int interval_ms);
/* Stops the thread and waits for it; safe on NULL. */
void kf_scanner_stop(struct kf_scanner *s);

#endif
