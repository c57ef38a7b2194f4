/* The store: one interface, two engines (SQLite and PostgreSQL).
 *
 * A struct kf_store is a pool of connections to one database; a worker takes
 * a connection (struct kf_db) for the duration of a request or command and
 * gives it back. SQL is written once, in PostgreSQL's placeholder style
 * ($1, $2 …) and in the subset both engines share; the SQLite engine rewrites
 * placeholders to its ?NNN form. Instants are BIGINT milliseconds since the
 * epoch, flags are INTEGER 0/1, ids are BIGINT. What the engines do
 * differently (schema DDL, full-text search, locking) lives behind the ops
 * table in each engine.
 *
 * Errors: every function returns 0 (or a row count) or a negative
 * kf_errcode. A unique-key violation is KF_ECONFLICT, a foreign-key
 * violation KF_EINVALID, an unreachable or busy store KF_EUNAVAILABLE,
 * anything else KF_EINTERNAL with the engine's message in err (for logs; the
 * HTTP layer never shows it to clients). */
#ifndef KF_STORE_STORE_H
#define KF_STORE_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

struct kf_store;
struct kf_db;
struct kf_rows;

enum kf_store_engine { KF_ENGINE_SQLITE, KF_ENGINE_POSTGRES };

enum kf_ptype { KF_P_NULL, KF_P_INT, KF_P_TEXT };
struct kf_param {
	enum kf_ptype type;
	int64_t i;
	const char *s;
};
#define KP_INT(x)  ((struct kf_param){KF_P_INT, (int64_t)(x), NULL})
#define KP_TEXT(x) kf_param_text(x)
#define KP_NULL	   ((struct kf_param){KF_P_NULL, 0, NULL})
/* Text parameter; NULL becomes SQL NULL. */
static inline struct kf_param kf_param_text(const char *s)
{
	struct kf_param p = {s ? KF_P_TEXT : KF_P_NULL, 0, s};
	return p;
}
/* Integer parameter that is SQL NULL when has is false. */
static inline struct kf_param kf_param_opt_int(bool has, int64_t v)
{
	struct kf_param p = {has ? KF_P_INT : KF_P_NULL, v, NULL};
	return p;
}

/* Opens a pool for url: "sqlite:PATH" or "postgres://…"/"postgresql://…".
 * pool_size is the maximum number of connections (1 for CLI commands).
 * Does not connect until the first kf_store_acquire, except to check that the
 * database can be reached. */
int kf_store_open(const char *url, int pool_size, struct kf_store **out, struct kf_err *err);
/* Closes every connection; all must have been released, and every group
 * write must have returned (the writer thread is joined here). Safe on
 * NULL. */
void kf_store_close(struct kf_store *s);
enum kf_store_engine kf_store_engine(const struct kf_store *s);

/* Takes a connection, waiting up to 10 s for one to be free. */
int kf_store_acquire(struct kf_store *s, struct kf_db **db, struct kf_err *err);
/* Gives a connection back. A connection left inside a transaction is rolled
 * back first. */
void kf_store_release(struct kf_store *s, struct kf_db *db);

/* Creates the schema or applies the migrations this binary has and the store
 * lacks, each in its own transaction. Refuses (KF_ECONFLICT) a store whose
 * schema is newer than the binary. *from and *to (optional) get the versions
 * before and after. */
int kf_store_migrate(struct kf_store *s, int *from, int *to, struct kf_err *err);
/* The schema version of the store (0 if empty) and of this binary. */
int kf_store_schema_version(struct kf_db *db, int *version, struct kf_err *err);
int kf_store_binary_schema_version(const struct kf_store *s);
/* Checks that the store answers a trivial query. */
int kf_store_ping(struct kf_store *s, struct kf_err *err);

/* Transactions. kf_db_begin starts a write transaction (SQLite takes the
 * write lock at once, so that two writers never deadlock on upgrade). */
int kf_db_begin(struct kf_db *db, struct kf_err *err);
int kf_db_commit(struct kf_db *db, struct kf_err *err);
/* Safe to call when no transaction is open. */
void kf_db_rollback(struct kf_db *db);
/* Sign-in generation of this process: it moves on after every write to
 * users or sessions ends (committed or not; at once outside a transaction).
 * A cache of sessions (app/auth_cache.h) drops what it took before. */
uint64_t kf_store_auth_generation(void);
/* Called by the store functions that write users or sessions. */
void kf_db_auth_changed(struct kf_db *db);
/* True inside kf_db_begin … commit or rollback (not in a read snapshot). */
bool kf_db_in_tx(const struct kf_db *db);
/* A read snapshot: the reads that follow see one state of the store and, on
 * SQLite, share one read transaction (one BEGIN, one set of locks) instead of
 * one each. Nothing happens inside a transaction, when one is open already,
 * or on PostgreSQL (where BEGIN and COMMIT would be two more round trips for
 * nothing: its statements take no locks to read). The snapshot ends with
 * kf_db_read_end, in kf_db_begin before the write lock is taken, before a
 * statement that writes outside a transaction, and when the connection goes
 * back to the pool: a snapshot never turns into a write transaction. */
int kf_db_read_begin(struct kf_db *db, struct kf_err *err);
void kf_db_read_end(struct kf_db *db);
enum kf_store_engine kf_db_engine(const struct kf_db *db);

/* Group write transactions. fn runs inside a write transaction shared with
 * the fns of other threads that call at the same time: the store's writer
 * thread runs every waiting fn in turn on the store's writer connection and
 * commits once; every caller returns after that commit is durable. So
 * sixteen concurrent registrations cost one transaction, one write of the
 * pages they share and one sync, instead of sixteen of each. The writer
 * thread starts with the first group write and stops in kf_store_close.
 * A fn that fails gets its error back and leaves nothing behind: the writer
 * rolls the transaction back and runs the others again without it.
 *
 * So fn must do all its work through db (never through another
 * connection, and never by another group write: that is refused), may run
 * more than once (what it keeps for its caller goes into arg and is
 * overwritten by a later run), and runs on another thread than its
 * caller's, while the caller waits. */
typedef int (*kf_group_fn)(struct kf_db *db, void *arg, struct kf_err *err);
/* fin (may be NULL) runs after the fns of every job of the batch, in the
 * same transaction, in the same order; the fins of jobs without a fn (fn
 * NULL) run last of all. The place for full-text index writes, which SQLite
 * then keeps in memory until the one commit instead of writing an index
 * segment whenever a later statement of the transaction opens a statement
 * journal (an upsert, a statement with a trigger). */
int kf_store_group_write(struct kf_store *s, kf_group_fn fn, kf_group_fn fin, void *arg,
			 struct kf_err *err);
/* Group transactions committed since the store was opened, the jobs they
 * carried (their ratio is the mean batch; a commit whose sync then failed
 * is counted too), and the jobs waiting now for the writer thread. */
void kf_store_group_stats(struct kf_store *s, uint64_t *commits, uint64_t *jobs, int *waiting);
/* Where group writes spend their time, summed over the jobs answered so far
 * (*jobs): waiting for the writer thread, in their batch's transaction
 * (the whole batch's, as each job waits for it), and from the commit until
 * it is durable, in seconds. A queue about as long as the transaction means
 * the writer is the limit; a long durable wait, the disk's syncs. */
void kf_store_group_times(struct kf_store *s, uint64_t *jobs, double *queue, double *transaction,
			  double *durable);
/* SQLite: the WAL checkpoints run on the store's database file by this
 * process so far (0 on PostgreSQL). */
uint64_t kf_store_checkpoints(struct kf_store *s);

/* Runs a statement that returns no rows. *changes (optional) gets the number
 * of rows changed. */
int kf_db_exec(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
	       int64_t *changes, struct kf_err *err);
/* Runs a query; step through the result with kf_rows_next and free it with
 * kf_rows_free (also when stopping early). */
int kf_db_query(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		struct kf_rows **rows, struct kf_err *err);
/* 1 when a row is ready, 0 at the end, a negative code on error. */
int kf_rows_next(struct kf_rows *r, struct kf_err *err);
/* Column values of the current row; text is NULL for SQL NULL and valid until
 * the next kf_rows_next. */
const char *kf_rows_text(struct kf_rows *r, int col);
int64_t kf_rows_int(struct kf_rows *r, int col);
bool kf_rows_null(struct kf_rows *r, int col);
void kf_rows_free(struct kf_rows *r);
/* The text of a column copied into the arena (NULL for SQL NULL), so that
 * it outlives the row. */
struct kf_arena;
const char *kf_rows_dup(struct kf_rows *r, int col, struct kf_arena *a);

/* Convenience: runs a query expected to give at most one row with one integer
 * column. Returns 1 and sets *v if a row came, 0 if none. */
int kf_db_query_int(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		    int64_t *v, struct kf_err *err);

/* Reads the current row into out (a record struct), strings into a. */
typedef void (*kf_row_reader)(struct kf_rows *r, struct kf_arena *a, void *out);
/* Runs a query expected to give at most one row and reads it with read.
 * Returns 1 if a row came, 0 if none, a negative code on error. */
int kf_db_query_row(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		    kf_row_reader read, void *out, struct kf_arena *a, struct kf_err *err);
/* Runs a query and reads every row with read into an array of elements of
 * size sz grown in a, each zeroed before it is read (*items NULL and *n 0
 * when none). */
int kf_db_query_rows(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		     kf_row_reader read, size_t sz, struct kf_arena *a, void **items, int *count,
		     struct kf_err *err);

#endif
