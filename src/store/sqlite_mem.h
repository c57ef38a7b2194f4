/* The memory allocator kefu gives SQLite (sqlite_mem.c). */
#ifndef KF_STORE_SQLITE_MEM_H
#define KF_STORE_SQLITE_MEM_H

/* Installs it: before SQLite is initialised, once (sqlite.c does, in its
 * one-time configuration). Returns an SQLite result code; on failure SQLite
 * keeps its own. */
int kf_sqlite_mem_install(void);

#endif
