/* The SQLite VFS kefu opens its connections with: the default one, except
 * that a commit's WAL frames reach the file in one write and that the
 * database file is read in place from a mapping of all of it, not only of
 * its first 2 GiB (sqlite_walvfs.c). */
#ifndef KF_STORE_SQLITE_WALVFS_H
#define KF_STORE_SQLITE_WALVFS_H

#define KF_WALVFS_NAME "kefu-wal"

/* Registers the VFS (not as the default); idempotent, not thread-safe: call
 * it once, before the first connection (sqlite.c does, in its one-time
 * configuration). Returns an SQLite result code. */
int kf_walvfs_register(void);

#endif
