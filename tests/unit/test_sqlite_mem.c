/* SQLite's memory through kefu's allocator (src/store/sqlite_mem.c): sizes
 * as SQLite asks them back, contents kept across a reallocation, a small
 * block freed coming back to its thread for the same size class and never
 * for another, blocks freed on another thread than the one that took them,
 * and SQLite working on it. The sanitizer run finds a use of a listed block
 * and a thread's lists left behind. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "store/sqlite_mem.h"

static void sizes_and_contents(void **state)
{
	(void)state;
	unsigned char *p = sqlite3_malloc(20);
	assert_non_null(p);
	assert_int_equal(sqlite3_msize(p), 32);
	memset(p, 7, 20);
	/* Within its class: in place. */
	assert_ptr_equal(sqlite3_realloc(p, 30), p);
	p[29] = 9;
	unsigned char *q = sqlite3_realloc(p, 3000);
	assert_non_null(q);
	assert_int_equal(sqlite3_msize(q), 3000);
	for (int i = 0; i < 20; i++)
		assert_int_equal(q[i], 7);
	assert_int_equal(q[29], 9);
	/* A large one shrinks in place; a small one moves to its class. */
	assert_ptr_equal(sqlite3_realloc(q, 2000), q);
	unsigned char *r = sqlite3_realloc(q, 500);
	assert_non_null(r);
	assert_int_equal(sqlite3_msize(r), 512);
	for (int i = 0; i < 20; i++)
		assert_int_equal(r[i], 7);
	sqlite3_free(r);
	void *big = sqlite3_malloc(5001);
	assert_int_equal(sqlite3_msize(big), 5008);
	sqlite3_free(big);
	assert_null(sqlite3_malloc(0));
	sqlite3_free(NULL);
}

static void a_freed_block_comes_back_for_its_class_only(void **state)
{
	(void)state;
	void *a = sqlite3_malloc(100);
	sqlite3_free(a);
	void *other = sqlite3_malloc(300);
	assert_ptr_not_equal(other, a);
	assert_ptr_equal(sqlite3_malloc(110), a);
	sqlite3_free(a);
	sqlite3_free(other);
}

static void *free_them(void *arg)
{
	void **blocks = arg;
	for (int i = 0; i < 100; i++)
		sqlite3_free(blocks[i]);
	/* And its own, listed when it ends. */
	for (int i = 0; i < 40; i++)
		sqlite3_free(sqlite3_malloc(64 + i * 16));
	return NULL;
}

static void blocks_freed_on_another_thread(void **state)
{
	(void)state;
	void *blocks[100];
	for (int i = 0; i < 100; i++) {
		blocks[i] = sqlite3_malloc(1 + i * 17);
		memset(blocks[i], i, 1 + (size_t)i * 17);
	}
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, free_them, blocks), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
}

static void sqlite_runs_on_it(void **state)
{
	(void)state;
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(h,
			 "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);"
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
			 "2000) INSERT INTO t SELECT i, printf('%.*c', i % 1500 + 1, 'x') FROM n;",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT id, body FROM t", -1, &st, NULL), SQLITE_OK);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0);
		assert_int_equal(sqlite3_column_bytes(st, 1), id % 1500 + 1);
		rows++;
	}
	assert_int_equal(rows, 2000);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

int main(void)
{
	if (kf_sqlite_mem_install() != SQLITE_OK)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sizes_and_contents),
	    cmocka_unit_test(a_freed_block_comes_back_for_its_class_only),
	    cmocka_unit_test(blocks_freed_on_another_thread),
	    cmocka_unit_test(sqlite_runs_on_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
