/* What an engine provides to store.c. Each engine embeds struct kf_db first
 * in its connection struct and struct kf_rows first in its result struct, and
 * downcasts with an assert on the ops pointer (git's refs backends). Only
 * store.c and the engines include this header. */
#ifndef KF_STORE_ENGINE_H
#define KF_STORE_ENGINE_H
#include "store/store.h"

struct kf_store_ops {
	const char *name;
	enum kf_store_engine engine;
	const char *migrations; /* prefix of the embedded migration files */
	int (*connect)(const char *target, struct kf_db **out, struct kf_err *err);
	void (*disconnect)(struct kf_db *db);
	/* Runs several statements separated by semicolons (migrations). */
	int (*exec_script)(struct kf_db *db, const char *sql, struct kf_err *err);
	int (*exec)(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		    int64_t *changes, struct kf_err *err);
	int (*query)(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		     struct kf_rows **rows, struct kf_err *err);
	int (*next)(struct kf_rows *r, struct kf_err *err);
	const char *(*text)(struct kf_rows *r, int col);
	int64_t (*integer)(struct kf_rows *r, int col);
	bool (*isnull)(struct kf_rows *r, int col);
	void (*free_rows)(struct kf_rows *r);
	/* For an engine whose COMMIT is not yet durable (may be NULL: COMMIT
	 * is): committed counts a successful COMMIT and returns its place in
	 * the database's sequence of commits; wait_durable returns once every
	 * commit up to that place is on disk. Nothing of the connection but
	 * its database is used by wait_durable, so a connection may run its
	 * next transaction while its last commit is being made durable. */
	uint64_t (*committed)(struct kf_db *db);
	int (*wait_durable)(struct kf_db *db, uint64_t seq, struct kf_err *err);
	/* Checkpoints run on the database at target since this process's
	 * first open connection to it opened (the count starts again once all
	 * have closed; may be NULL: the engine runs none of its own). */
	uint64_t (*checkpoints)(const char *target);
	/* Called after a write transaction began (may be NULL): PostgreSQL
	 * takes the audit head's row lock here, so that every write
	 * transaction takes its locks in one order, as SQLite's single
	 * writer does, and none deadlocks with another. */
	int (*after_begin)(struct kf_db *db, struct kf_err *err);
	/* SQL that opens a write transaction ("BEGIN IMMEDIATE" / "BEGIN"). */
	const char *begin_sql;
	/* SQL that opens a read snapshot (SQLite: "BEGIN", deferred), NULL
	 * where kf_db_read_begin does nothing. An engine whose snapshot must
	 * not see a write ends it (kf_db_read_end) before a statement that
	 * writes. */
	const char *read_begin_sql;
	/* Serialises migrations between processes inside the open transaction. */
	int (*lock_migrations)(struct kf_db *db, struct kf_err *err);
};

struct kf_db {
	const struct kf_store_ops *ops;
	bool in_tx;   /* kf_db_begin … commit or rollback */
	bool in_read; /* a read snapshot (kf_db_read_begin) is open */
	/* The open transaction wrote users or sessions: the process's sign-in
	 * generation moves on when it ends (kf_db_auth_changed). */
	bool auth_dirty;
};

struct kf_rows {
	const struct kf_store_ops *ops;
};

extern const struct kf_store_ops kf_sqlite_ops;
extern const struct kf_store_ops kf_postgres_ops;

#endif
