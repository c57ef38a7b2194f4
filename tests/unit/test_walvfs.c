/* The WAL-buffering VFS (src/store/sqlite_walvfs.c): what a connection commits
 * through it is in the file, whole, when the commit returns, also when the
 * transaction spilled frames before its end and rewrote them; what was not
 * committed never reaches a reader. Its readers read the whole database
 * file in place, past SQLite's own mmap limit, while the file grows and
 * shrinks. The process keeps its read locks on the wal-index between
 * transactions, and gives them up to its own writers and checkpoints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "store/sqlite_walvfs.h"

static char path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof path, "/tmp/kefu-walvfs-%d.db", (int)getpid());
	return kf_walvfs_register() == SQLITE_OK ? 0 : -1;
}

static void remove_store(void)
{
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static int teardown(void **state)
{
	(void)state;
	remove_store();
	return 0;
}

static sqlite3 *open_store(const char *vfs)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
			 SQLITE_OK);
	/* A page cache of ten pages: a transaction of megabytes writes frames
	 * to the WAL before its commit and reads them back. */
	assert_int_equal(sqlite3_exec(h,
				      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
				      "PRAGMA cache_size=10; PRAGMA mmap_size=1073741824;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	return h;
}

static void exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : sqlite3_errstr(rc));
}

static long long query_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void check_integrity(sqlite3 *h)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
}

/* Rows whose content follows from their id, so a reader can check each. */
#define FILL                                                                                       \
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "            \
	"INSERT INTO t (id, body) SELECT i + %d, printf('%%.1500c', char(65 + (i + %d) %% 26)) "   \
	"FROM n"
#define GOOD "SELECT COUNT(*) FROM t WHERE body = printf('%.1500c', char(65 + id % 26))"

static void fill(sqlite3 *h, int n, int from)
{
	char sql[512];
	snprintf(sql, sizeof sql, FILL, n, from, from);
	exec(h, sql);
}

/* Eight megabytes in one transaction (past the VFS's buffer of one and its
 * writes of 124 KiB), with its early pages written out and changed again
 * before the commit; another connection, on the default VFS, reads it all. */
static void a_large_transaction_is_whole_for_another_reader(void **state)
{
	(void)state;
	remove_store();
	sqlite3 *w = open_store(KF_WALVFS_NAME);
	exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
	exec(w, "BEGIN");
	fill(w, 5000, 0);
	exec(w, "UPDATE t SET body = upper(body) WHERE id % 7 = 0");
	exec(w, "COMMIT");
	sqlite3 *r = open_store(NULL);
	assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 5000);
	assert_int_equal(query_int(r, GOOD), 5000);
	check_integrity(r);
	/* And small commits after it, read at once. */
	for (int i = 0; i < 20; i++) {
		fill(w, 3, 5000 + 3 * i);
		assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 5003 + 3 * i);
	}
	assert_int_equal(query_int(r, GOOD), 5060);
	sqlite3_close(r);
	sqlite3_close(w);
}

/* Waits for a child process that must exit by itself: its exit status. */
static int exit_status(pid_t child)
{
	int status = -1;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Runs sql in a child process through the VFS, which then dies at once:
 * no close, no sync, no checkpoint (kefu's connections checkpoint on a
 * thread of their own, never on commit), nothing written out on the way. */
static void die_after(const char *sql)
{
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		sqlite3 *h = NULL;
		if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, KF_WALVFS_NAME) != SQLITE_OK ||
		    sqlite3_exec(h,
				 "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; "
				 "PRAGMA cache_size=10",
				 NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
			_exit(2);
		_exit(0);
	}
	assert_int_equal(exit_status(child), 0);
}

/* Opens the store afresh (no connection is open, so SQLite recovers the
 * WAL, checking every frame's checksum) and counts the rows that are right. */
static long long recovered_rows(void)
{
	sqlite3 *r = open_store(NULL);
	check_integrity(r);
	long long all = query_int(r, "SELECT COUNT(*) FROM t");
	assert_int_equal(query_int(r, GOOD), all);
	sqlite3_close(r);
	return all;
}

/* A process that dies right after COMMIT returns has its commit in the
 * file: a small one that sat whole in the VFS's buffer, and a large one
 * whose early pages were spilled, changed again and their frames rewritten
 * with new checksums at commit; one that dies with a transaction open left
 * nothing of it. */
static void a_commit_is_in_the_file_when_it_returns(void **state)
{
	(void)state;
	remove_store();
	sqlite3 *h = open_store(NULL);
	exec(h, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
	sqlite3_close(h);
	char sql[768];
	snprintf(sql, sizeof sql, "PRAGMA cache_size=2000; BEGIN; " FILL "; COMMIT", 300, 0, 0);
	die_after(sql);
	assert_int_equal(recovered_rows(), 300);
	snprintf(sql, sizeof sql,
		 "BEGIN; " FILL "; UPDATE t SET body = upper(body) WHERE id %% 7 = 0; COMMIT", 2000,
		 300, 300);
	die_after(sql);
	assert_int_equal(recovered_rows(), 2300);
	snprintf(sql, sizeof sql, "BEGIN; " FILL, 3000, 2300, 2300);
	die_after(sql);
	assert_int_equal(recovered_rows(), 2300);
}

/* The mappings of the store's file in this process: how many, and how many
 * of them span 64 GiB (the VFS's; SQLite maps a file only as far as its
 * limit). */
static int store_mappings(int *whole)
{
	FILE *f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	char line[4096];
	int n = 0;
	*whole = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long long from, to;
		char name[4096] = "";
		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %4095s", &from, &to, name) == 3 &&
		    strcmp(name, path) == 0) {
			n++;
			*whole += to - from >= 64ULL << 30;
		}
	}
	fclose(f);
	return n;
}

static long long file_size(void)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (long long)st.st_size;
}

static void check_reader(sqlite3 *r, long long rows)
{
	assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), rows);
	assert_int_equal(query_int(r, GOOD), rows);
	check_integrity(r);
}

/* With SQLite's own mmap limit at 64 KiB (main sets it; Debian's build has
 * 2 GiB), a reader on the VFS maps the whole database file, once: it reads
 * what the file grows into, and after VACUUM has shrunk the file it still
 * reads right (no page past the end is touched: that would be SIGBUS).
 * A connection maps the file once, however it grows; closing it unmaps. */
static void a_reader_maps_the_whole_file_as_it_grows_and_shrinks(void **state)
{
	(void)state;
	remove_store();
	sqlite3 *w = open_store(KF_WALVFS_NAME);
	exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
	fill(w, 2000, 0);
	exec(w, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3 *r = open_store(KF_WALVFS_NAME);
	check_reader(r, 2000);
	int whole;
	store_mappings(&whole);
	assert_int_equal(whole, 1);
	long long grown_from = file_size();
	fill(w, 4000, 2000);
	exec(w, "PRAGMA wal_checkpoint(TRUNCATE)");
	assert_true(file_size() > grown_from);
	check_reader(r, 6000);
	long long shrunk_from = file_size();
	exec(w, "DELETE FROM t WHERE id > 500; VACUUM");
	exec(w, "PRAGMA wal_checkpoint(TRUNCATE)");
	assert_true(file_size() < shrunk_from / 4);
	check_reader(r, 500);
	fill(w, 3000, 500);
	exec(w, "PRAGMA wal_checkpoint(TRUNCATE)");
	check_reader(r, 3500);
	/* One each: the writer has read through the VFS too (VACUUM). */
	store_mappings(&whole);
	assert_int_equal(whole, 2);
	sqlite3_close(r);
	sqlite3_close(w);
	assert_int_equal(store_mappings(&whole), 0);
}

/* The read-mark slots (3 to 7) this process holds a read lock on, at the
 * system level, in the store's -shm file: bit k for slot k (byte 120 + k). */
static unsigned shm_read_locks(void)
{
	char shm[80], line[256];
	struct stat st;
	snprintf(shm, sizeof shm, "%s-shm", path);
	if (stat(shm, &st) != 0)
		return 0;
	FILE *f = fopen("/proc/locks", "r");
	assert_non_null(f);
	unsigned slots = 0;
	while (fgets(line, sizeof line, f)) {
		char kind[16];
		int pid;
		unsigned maj, min;
		unsigned long long ino, from, to;
		if (sscanf(line, "%*d: POSIX ADVISORY %15s %d %x:%x:%llu %llu %llu", kind, &pid,
			   &maj, &min, &ino, &from, &to) == 7 &&
		    pid == (int)getpid() && ino == (unsigned long long)st.st_ino &&
		    !strcmp(kind, "READ"))
			for (unsigned long long b = from; b <= to && b < 128; b++)
				if (b >= 123)
					slots |= 1u << (b - 120);
	}
	fclose(f);
	return slots;
}

/* Runs sql with the sqlite3 shell, another process on the default VFS,
 * and returns the number it prints last. */
static long long other_process(const char *sql)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "sqlite3 -batch %s \"PRAGMA busy_timeout=5000; %s\"", path, sql);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	long long v = -1;
	char line[128];
	while (fgets(line, sizeof line, p))
		v = atoll(line);
	assert_int_equal(pclose(p), 0);
	return v;
}

/* This test program again, as another process reading the store through
 * the VFS (main's --reader): its exit status (see second_reader_main). */
static int second_reader(long long rows)
{
	char n[32];
	snprintf(n, sizeof n, "%lld", rows);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		execl("/proc/self/exe", "test_walvfs", "--reader", path, n, (char *)NULL);
		_exit(127);
	}
	return exit_status(child);
}

/* Reads the store once through the VFS: 0 when it counts rows rows and
 * keeps no read lock after its transaction, 4 when it does keep one, 2 or
 * 3 when it cannot read or counts others. */
static int second_reader_main(const char *store, const char *rows)
{
	snprintf(path, sizeof path, "%s", store);
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	if (kf_walvfs_register() != SQLITE_OK ||
	    sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, KF_WALVFS_NAME) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM t", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		return 2;
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	int rc = n != atoll(rows) ? 3 : shm_read_locks() ? 4 : 0;
	sqlite3_close(h);
	return rc;
}

/* Between its transactions a reader's slot stays locked for the process
 * (no fcntl per read); the process's own TRUNCATE checkpoint still copies
 * everything back and empties the WAL, its readers still move their read
 * marks to new commits, another process reads and writes meanwhile, and
 * closing the last connection leaves no lock behind. */
static void the_process_keeps_its_read_locks_and_gives_them_to_its_writers(void **state)
{
	(void)state;
	remove_store();
	sqlite3 *w = open_store(KF_WALVFS_NAME);
	exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
	fill(w, 100, 0);
	sqlite3 *r = open_store(KF_WALVFS_NAME);
	check_reader(r, 100);
	assert_int_not_equal(shm_read_locks(), 0);
	for (int round = 0; round < 3; round++) {
		int log = -1, done = -1;
		assert_int_equal(
		    sqlite3_wal_checkpoint_v2(w, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done),
		    SQLITE_OK);
		assert_int_equal(log, 0);
		char wal[80];
		struct stat st;
		snprintf(wal, sizeof wal, "%s-wal", path);
		assert_int_equal(stat(wal, &st), 0);
		assert_int_equal(st.st_size, 0);
		for (int i = 0; i < 10; i++) {
			fill(w, 5, 100 + 50 * round + 5 * i);
			assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"),
					 105 + 50 * round + 5 * i);
		}
		assert_int_not_equal(shm_read_locks(), 0);
	}
	assert_int_equal(other_process("INSERT INTO t (id, body) SELECT id + 1000, body FROM t "
				       "WHERE id <= 10; SELECT COUNT(*) FROM t"),
			 260);
	assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 260);
	fill(w, 5, 2000);
	assert_int_equal(other_process("SELECT COUNT(*) FROM t"), 265);
	/* A second process of this VFS keeps no locks of its own: one process
	 * keeps them (the flock), so that the other's checkpoints are held up
	 * by one reader at most. */
	assert_int_equal(second_reader(265), 0);
	check_integrity(r);
	sqlite3_close(r);
	sqlite3_close(w);
	assert_int_equal(shm_read_locks(), 0);
	/* Once this process has let go, the next one keeps them. */
	assert_int_equal(second_reader(265), 4);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--reader"))
		return second_reader_main(argv[2], argv[3]);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_large_transaction_is_whole_for_another_reader),
	    cmocka_unit_test(a_commit_is_in_the_file_when_it_returns),
	    cmocka_unit_test(a_reader_maps_the_whole_file_as_it_grows_and_shrinks),
	    cmocka_unit_test(the_process_keeps_its_read_locks_and_gives_them_to_its_writers),
	};
	/* SQLite's own mapping stops at 64 KiB, so that what lies beyond is read
	 * as in a store past Debian's 2 GiB limit. */
	if (sqlite3_config(SQLITE_CONFIG_MMAP_SIZE, (sqlite3_int64)65536, (sqlite3_int64)65536) !=
	    SQLITE_OK)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
