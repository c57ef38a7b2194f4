/* A VFS over SQLite's default one that writes a commit's WAL frames in one
 * call. SQLite appends each frame to the WAL as two writes (its 24-byte
 * header, then the page), so a group commit of sixty pages cost 120
 * pwrite calls, and the kernel's per-write work (three page-cache page
 * visits a frame) was a fifth of the writer thread's time. Here the
 * writes to a WAL file that continue the previous one are kept in a buffer
 * and written out as one when the frame that ends a commit has been
 * appended, before anything else touches the file (a read, a sync, a
 * truncation, its size, closing it), when the next write does not continue
 * them, or when the buffer is full.
 *
 * Why that is safe: no other connection reads a frame before the
 * wal-index says it is committed, and SQLite updates the wal-index only
 * after the commit frame's write has returned, by which time the buffer is
 * in the file. Only appends are buffered; what SQLite writes in place (a
 * spilled page changed again, and at commit the frame headers from that
 * frame to the commit frame, with new checksums) goes through after the
 * buffer. This connection's own reads of frames it has written go through
 * xRead, which writes the buffer out first. What is in the buffer when the
 * process dies was not committed. Temporary files pass straight through.
 *
 * The database file is read in place from one mapping of the whole file
 * (see w_fetch), not only its first 2 GiB: SQLite caps its own mapping at
 * its build's SQLITE_MAX_MMAP_SIZE (2 GiB on Debian 12) and reads the pages
 * beyond with pread, each copied into the connection's page cache.
 *
 * And the process keeps its read locks on the wal-index (see struct
 * holder): a read transaction no longer takes and drops a lock on the
 * -shm file with two fcntl calls, under a mutex its sibling connections
 * wait on. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "store/sqlite_walvfs.h"

#define WAL_HEADER   32
#define FRAME_HEADER 24
#define BUF_MAX	     (1 << 20)
/* The default VFS writes at most 128 KiB - 1 bytes a call (and reports a
 * longer write as a full disk). */
#define WRITE_MAX (124 * 1024)
/* The address space a database file's mapping takes (see w_fetch); what
 * lies beyond it is read with pread. */
#define DB_MAP_SIZE ((sqlite3_int64)64 << 30)

struct holder;

struct wfile {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
	bool wal;
	/* The last write was a frame header, appended to the buffer; whether
	 * that frame ends a commit. */
	bool after_header, commit_header;
	unsigned char *buf;
	int len;
	sqlite3_int64 off; /* where buf[0] goes */
	sqlite3_int64 end; /* where the last write, buffered or not, ended */
	/* A database file: its descriptor in the default VFS's file (-1 when
	 * it could not be found or the mapping could not be made), the
	 * mapping once made, and the file's size when last looked at. */
	int fd;
	unsigned char *map;
	sqlite3_int64 size;
	/* A database file: its name as SQLite gave it, and the process's
	 * holder of read locks once its wal-index is mapped. */
	const char *name;
	struct holder *holder;
	bool holder_tried;
	/* The file the connection has open (when fd is known). */
	bool have_id;
	dev_t dev;
	ino_t ino;
};

_Static_assert(sizeof(struct wfile) % 8 == 0, "the real file after it must stay aligned");

static sqlite3_vfs *real_vfs;

static void holder_detach(struct wfile *f);
static int descriptor_of(const sqlite3_file *real, const char *name, struct stat *st);

/* Writes the buffer out. On failure what it held is dropped: the write,
 * read, sync or truncation that asked for it fails, and with it the
 * transaction the frames belong to (none of it committed: a commit's
 * frames are written out when its last frame is appended). */
static int flush(struct wfile *f)
{
	int rc = SQLITE_OK;
	for (int done = 0; done < f->len && rc == SQLITE_OK;) {
		int n = f->len - done < WRITE_MAX ? f->len - done : WRITE_MAX;
		rc = f->real->pMethods->xWrite(f->real, f->buf + done, n, f->off + done);
		done += n;
	}
	f->len = 0;
	return rc;
}

static int w_close(sqlite3_file *p)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	holder_detach(f);
	if (f->map)
		munmap(f->map, (size_t)DB_MAP_SIZE);
	f->map = NULL;
	int rc2 = f->real->pMethods->xClose(f->real);
	free(f->buf);
	f->buf = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

static int w_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n, off);
}

/* A frame header's second field is the database size after the commit
 * for the frame that ends one, 0 otherwise (big-endian). */
static bool ends_commit(const unsigned char *h)
{
	return (h[4] | h[5] | h[6] | h[7]) != 0;
}

/* Only appends are buffered: a frame header that continues the last write,
 * and the page that follows it. Anything else is written through, after
 * the buffer: the WAL header, frames SQLite rewrites in place (a page
 * changed again after it was spilled, and at commit the headers from that
 * frame on, with new checksums: the commit frame's header among them, with
 * no page after it), a write split around a sync point (synchronous=FULL on
 * a device without powersafe overwrite). */
static int w_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
	struct wfile *f = (struct wfile *)p;
	bool page = f->after_header;
	f->after_header = false;
	if (!f->wal)
		return f->real->pMethods->xWrite(f->real, data, n, off);
	sqlite3_int64 end = off + n;
	bool append =
	    off >= WAL_HEADER && off == f->end && n <= WRITE_MAX && (n == FRAME_HEADER || page);
	int rc = SQLITE_OK;
	if (append && f->len && (off != f->off + f->len || f->len + n > BUF_MAX))
		rc = flush(f);
	if (rc == SQLITE_OK && append && !f->buf && !(f->buf = malloc(BUF_MAX)))
		append = false;
	if (rc != SQLITE_OK)
		return rc;
	if (!append) {
		if ((rc = flush(f)) == SQLITE_OK &&
		    (rc = f->real->pMethods->xWrite(f->real, data, n, off)) == SQLITE_OK)
			f->end = end;
		return rc;
	}
	if (!f->len)
		f->off = off;
	memcpy(f->buf + f->len, data, (size_t)n);
	f->len += n;
	f->end = end;
	if (!page) {
		f->after_header = true;
		f->commit_header = ends_commit((const unsigned char *)data);
		return SQLITE_OK;
	}
	return f->commit_header ? flush(f) : SQLITE_OK;
}

static int w_truncate(sqlite3_file *p, sqlite3_int64 size)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int w_sync(sqlite3_file *p, int flags)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int w_file_size(sqlite3_file *p, sqlite3_int64 *size)
{
	struct wfile *f = (struct wfile *)p;
	int rc = flush(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int w_lock(sqlite3_file *p, int lock)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xLock(f->real, lock);
}

static int w_unlock(sqlite3_file *p, int lock)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xUnlock(f->real, lock);
}

static int w_check_reserved(sqlite3_file *p, int *out)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

/* No flush here: SQLite ignores what many file controls return, and the
 * buffer holds only frames of the transaction being written, which its
 * commit writes out or its rollback leaves unused. */
static int w_file_control(sqlite3_file *p, int op, void *arg)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int w_sector_size(sqlite3_file *p)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xSectorSize(f->real);
}

static int w_device_characteristics(sqlite3_file *p)
{
	struct wfile *f = (struct wfile *)p;
	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* ---- The process's read locks on the wal-index ----
 *
 * A reader in WAL mode holds a shared lock on one of five read-mark slots
 * of the wal-index (the -shm file) for its transaction. The default VFS
 * takes that lock from the system (fcntl) only when no other connection
 * of the process holds it, and drops it when the last one ends; each under
 * the wal-index's mutex. With two connection threads, most reads found no
 * sibling: two fcntl calls a read, and the other thread waiting on the
 * mutex meanwhile (a futex call and a context switch), about 4 % of a
 * ticket read's CPU.
 *
 * So each database file has a holder: one more file of the default VFS
 * on it, which never reads, and keeps a shared lock on each read-mark
 * slot some connection of the process has locked since. Being a sibling,
 * it spares the readers the system calls. A shared lock on a read mark
 * only ever delays a writer or checkpointer that wants the slot
 * exclusively (SQLite's readers may hold one for hours), so it is given
 * up before any connection of this VFS asks for a slot exclusively (a
 * reader moving a mark, a checkpoint, a WAL restart, a recovery), and
 * taken again, without a system call, when a reader of the process next
 * holds the slot.
 *
 * One process at a time keeps them: the one whose holder got an exclusive
 * flock on the database file (which SQLite, locking with fcntl, never
 * takes), normally `kefu serve`; other processes of this VFS lock as
 * SQLite does. To other processes the holder looks like a reader that
 * never ends: while it lives their checkpoints copy nothing (it holds read
 * mark 0, which a checkpoint takes exclusively to copy) and their writes
 * do not restart the WAL; the holding process's own checkpointer does
 * both. Their reads and writes go on as before. A connection of this
 * process on the same file through another VFS would be refused a slot the
 * holder has: kefu opens every connection through this one. A connection
 * that found no holder when it mapped the wal-index (one was made later)
 * still has the process's holder give up a slot before it asks for it
 * exclusively. */
#define READ_SLOTS 0xf8u /* WAL_READ_LOCK(0) to WAL_READ_LOCK(4): slots 3 to 7 */

struct holder {
	struct holder *next;
	dev_t dev;
	ino_t ino;
	int fd;		       /* the default VFS's descriptor, which has the flock */
	int users;	       /* wfiles attached (under holders_mu) */
	pthread_mutex_t mu;    /* the holder's own lock calls */
	atomic_uint held;      /* the slots it has, as bits */
	sqlite3_filename name; /* its own copy, in SQLite's filename form */
	sqlite3_file *file;    /* the default VFS's, after this struct */
};

static pthread_mutex_t holders_mu = PTHREAD_MUTEX_INITIALIZER;
static struct holder *holders;

static void holder_take(struct holder *h, unsigned slots)
{
	if ((atomic_load_explicit(&h->held, memory_order_relaxed) & slots) == slots)
		return;
	pthread_mutex_lock(&h->mu);
	unsigned held = atomic_load(&h->held);
	for (int i = 3; i < 8; i++)
		if ((slots & ~held & (1u << i)) &&
		    h->file->pMethods->xShmLock(h->file, i, 1,
						SQLITE_SHM_LOCK | SQLITE_SHM_SHARED) == SQLITE_OK)
			held |= 1u << i;
	atomic_store(&h->held, held);
	pthread_mutex_unlock(&h->mu);
}

static void holder_give_up(struct holder *h, unsigned slots)
{
	if (!(atomic_load(&h->held) & slots))
		return;
	pthread_mutex_lock(&h->mu);
	unsigned held = atomic_load(&h->held);
	for (int i = 3; i < 8; i++)
		if ((slots & held & (1u << i)) &&
		    h->file->pMethods->xShmLock(h->file, i, 1,
						SQLITE_SHM_UNLOCK | SQLITE_SHM_SHARED) == SQLITE_OK)
			held &= ~(1u << i);
	atomic_store(&h->held, held);
	pthread_mutex_unlock(&h->mu);
}

/* Under holders_mu. */
static struct holder *holder_find(const struct wfile *f)
{
	struct holder *h = holders;
	while (h && (h->dev != f->dev || h->ino != f->ino))
		h = h->next;
	return h;
}

/* For a connection without a holder of its own: the process's holder of
 * its file, if one was made since, gives up the slots. */
static void holder_give_up_for(const struct wfile *f, unsigned slots)
{
	if (!f->have_id)
		return;
	pthread_mutex_lock(&holders_mu);
	struct holder *h = holder_find(f);
	if (h)
		holder_give_up(h, slots);
	pthread_mutex_unlock(&holders_mu);
}

static void holder_free(struct holder *h, int fd)
{
	/* The flock goes with the descriptor, which the default VFS may keep
	 * open after the close while the process has the file locked. */
	if (fd >= 0)
		flock(fd, LOCK_UN);
	if (h->file->pMethods)
		h->file->pMethods->xClose(h->file);
	sqlite3_free_filename(h->name);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

/* The holder of the database file f, made on its first use: NULL when it
 * cannot be (another process keeps the locks, the file is not the one f
 * has open, no memory, no descriptor): the process's readers then lock as
 * SQLite does. */
static struct holder *holder_attach(struct wfile *f, int region_size)
{
	if (!f->have_id || !f->name)
		return NULL;
	pthread_mutex_lock(&holders_mu);
	struct holder *h = holder_find(f);
	if (h) {
		h->users++;
		pthread_mutex_unlock(&holders_mu);
		return h;
	}
	size_t head = (sizeof *h + 15) & ~(size_t)15;
	h = calloc(1, head + (size_t)real_vfs->szOsFile);
	if (!h) {
		pthread_mutex_unlock(&holders_mu);
		return NULL;
	}
	h->file = (sqlite3_file *)((char *)h + head);
	pthread_mutex_init(&h->mu, NULL);
	/* The default VFS reads URI parameters after a file's name: the
	 * name must be one SQLite made, and live as long as the file. */
	h->name = sqlite3_create_filename(sqlite3_filename_database(f->name), "", "", 0, NULL);
	void volatile *region = NULL;
	int out = 0, fd = -1;
	struct stat st;
	/* Opened by name: it must be the very file f has open (not one put
	 * in its place since), and no other process may keep the locks. */
	bool ok = h->name &&
		  real_vfs->xOpen(real_vfs, h->name, h->file,
				  SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE, &out) == SQLITE_OK &&
		  h->file->pMethods && h->file->pMethods->iVersion >= 2 &&
		  (fd = descriptor_of(h->file, f->name, &st)) >= 0 && st.st_dev == f->dev &&
		  st.st_ino == f->ino;
	bool locked = ok && flock(fd, LOCK_EX | LOCK_NB) == 0;
	bool mapped =
	    locked && h->file->pMethods->xShmMap(h->file, 0, region_size, 0, &region) == SQLITE_OK;
	if (!mapped || !region) {
		if (mapped)
			h->file->pMethods->xShmUnmap(h->file, 0);
		holder_free(h, locked ? fd : -1);
		pthread_mutex_unlock(&holders_mu);
		return NULL;
	}
	h->fd = fd;
	h->dev = f->dev;
	h->ino = f->ino;
	h->users = 1;
	h->next = holders;
	holders = h;
	pthread_mutex_unlock(&holders_mu);
	return h;
}

/* Before the last user unmaps the wal-index, so that its unmap is the
 * last one and may delete the -shm file as SQLite asks. */
static void holder_detach(struct wfile *f)
{
	struct holder *h = f->holder;
	f->holder = NULL;
	if (!h)
		return;
	pthread_mutex_lock(&holders_mu);
	if (--h->users == 0) {
		struct holder **pp = &holders;
		while (*pp != h)
			pp = &(*pp)->next;
		*pp = h->next;
		holder_give_up(h, READ_SLOTS);
		h->file->pMethods->xShmUnmap(h->file, 0);
		holder_free(h, h->fd);
	}
	pthread_mutex_unlock(&holders_mu);
}

static int w_shm_map(sqlite3_file *p, int region, int size, int extend, void volatile **out)
{
	struct wfile *f = (struct wfile *)p;
	int rc = f->real->pMethods->xShmMap(f->real, region, size, extend, out);
	if (rc == SQLITE_OK && *out && !f->holder_tried) {
		f->holder_tried = true;
		f->holder = holder_attach(f, size);
	}
	return rc;
}

static int w_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
	struct wfile *f = (struct wfile *)p;
	struct holder *h = f->holder;
	unsigned slots = n > 0 && n <= 8 && offset >= 0 && offset + n <= 8
			     ? ((1u << n) - 1) << offset & READ_SLOTS
			     : 0;
	bool lock = flags & SQLITE_SHM_LOCK, shared = flags & SQLITE_SHM_SHARED;
	if (slots && lock && !shared) {
		if (h)
			holder_give_up(h, slots);
		else
			holder_give_up_for(f, slots);
	}
	int rc = f->real->pMethods->xShmLock(f->real, offset, n, flags);
	if (h && slots && rc == SQLITE_OK && lock && shared)
		holder_take(h, slots);
	return rc;
}

static void w_shm_barrier(sqlite3_file *p)
{
	struct wfile *f = (struct wfile *)p;
	f->real->pMethods->xShmBarrier(f->real);
}

static int w_shm_unmap(sqlite3_file *p, int del)
{
	struct wfile *f = (struct wfile *)p;
	holder_detach(f);
	f->holder_tried = false;
	return f->real->pMethods->xShmUnmap(f->real, del);
}

/* How SQLite reads a database page with mmap_size set (every kefu
 * connection sets it): xFetch for a pointer to the page in place, else
 * xRead into its page cache. It asks only for pages its snapshot has in
 * the file rather than in the WAL.
 *
 * The first fetch maps DB_MAP_SIZE bytes of the file, read-only and
 * shared, whatever the file's size: pages the file grows into appear in
 * the mapping as they are written, so the mapping is never made again. A
 * pointer is handed out only for bytes below the file's size, looked at on
 * a fetch beyond it and whenever SQLite drops its fetched pages (at the
 * start of a read transaction that finds the WAL changed), so no page past
 * the end of the file is touched. A page that the end of the file was
 * since moved below (a checkpoint truncating after VACUUM) is one no
 * snapshot still reads from the file, as with SQLite's own mapping.
 * SQLite's own mapping is not made: it would cover only the first 2 GiB,
 * and it is unmapped and made again at every read transaction that finds
 * the WAL changed. */
static int refresh_size(struct wfile *f)
{
	return f->real->pMethods->xFileSize(f->real, &f->size);
}

static int w_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **out)
{
	struct wfile *f = (struct wfile *)p;
	if (f->fd < 0)
		return f->real->pMethods->xFetch(f->real, off, n, out);
	if (!f->map) {
		void *m = mmap(NULL, (size_t)DB_MAP_SIZE, PROT_READ, MAP_SHARED, f->fd, 0);
		if (m == MAP_FAILED) {
			/* No address space for it (a limit on it, say): the
			 * default VFS's own mapping from here on, as before. */
			f->fd = -1;
			return f->real->pMethods->xFetch(f->real, off, n, out);
		}
		f->map = m;
	}
	*out = NULL;
	if (off < 0 || off + n > DB_MAP_SIZE)
		return SQLITE_OK;
	if (off + n > f->size) {
		int rc = refresh_size(f);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (off + n <= f->size)
		*out = f->map + off;
	return SQLITE_OK;
}

static int w_unfetch(sqlite3_file *p, sqlite3_int64 off, void *page)
{
	struct wfile *f = (struct wfile *)p;
	if (f->fd < 0 || !page) {
		/* Dropping all: also the default VFS's mapping, which it makes
		 * of its own when this connection checkpoints (a size hint). */
		int rc = f->real->pMethods->xUnfetch(f->real, off, page);
		if (rc != SQLITE_OK || f->fd < 0 || !f->map)
			return rc;
		return refresh_size(f);
	}
	return SQLITE_OK;
}

/* The default unix VFS's file object starts with its methods, its VFS, its
 * inode record and its descriptor (unchanged since SQLite 3.6). The
 * descriptor is taken only when the second field is that VFS and the
 * descriptor is open on the very file name names. */
struct unix_file_head {
	const sqlite3_io_methods *methods;
	sqlite3_vfs *vfs;
	void *inode;
	int fd;
};

static int descriptor_of(const sqlite3_file *real, const char *name, struct stat *by_fd)
{
	sqlite3_vfs *vfs;
	int fd;
	struct stat by_name;
	if (SIZE_MAX < (uint64_t)DB_MAP_SIZE || strcmp(real_vfs->zName, "unix") != 0 ||
	    real_vfs->szOsFile < (int)sizeof(struct unix_file_head))
		return -1;
	memcpy(&vfs, (const char *)real + offsetof(struct unix_file_head, vfs), sizeof vfs);
	memcpy(&fd, (const char *)real + offsetof(struct unix_file_head, fd), sizeof fd);
	if (vfs != real_vfs || fd < 0 || fstat(fd, by_fd) != 0 || stat(name, &by_name) != 0 ||
	    by_fd->st_dev != by_name.st_dev || by_fd->st_ino != by_name.st_ino ||
	    !S_ISREG(by_fd->st_mode))
		return -1;
	return fd;
}

static const sqlite3_io_methods methods = {
    .iVersion = 3,
    .xClose = w_close,
    .xRead = w_read,
    .xWrite = w_write,
    .xTruncate = w_truncate,
    .xSync = w_sync,
    .xFileSize = w_file_size,
    .xLock = w_lock,
    .xUnlock = w_unlock,
    .xCheckReservedLock = w_check_reserved,
    .xFileControl = w_file_control,
    .xSectorSize = w_sector_size,
    .xDeviceCharacteristics = w_device_characteristics,
    .xShmMap = w_shm_map,
    .xShmLock = w_shm_lock,
    .xShmBarrier = w_shm_barrier,
    .xShmUnmap = w_shm_unmap,
    .xFetch = w_fetch,
    .xUnfetch = w_unfetch,
};

static int w_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *p, int flags,
		  int *out_flags)
{
	(void)vfs;
	struct wfile *f = (struct wfile *)p;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)(f + 1);
	f->fd = -1;
	int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
	/* pMethods NULL: nothing to close (SQLite's rule for a failed open). */
	if (!f->real->pMethods)
		return rc;
	if (f->real->pMethods->iVersion < 3) {
		/* Not the default unix VFS this was written against. */
		f->real->pMethods->xClose(f->real);
		return SQLITE_CANTOPEN;
	}
	f->wal = (flags & SQLITE_OPEN_WAL) != 0;
	if ((flags & SQLITE_OPEN_MAIN_DB) && name) {
		struct stat st;
		f->fd = descriptor_of(f->real, name, &st);
		f->name = name;
		if (f->fd >= 0) {
			f->have_id = true;
			f->dev = st.st_dev;
			f->ino = st.st_ino;
		}
	}
	f->base.pMethods = &methods;
	return rc;
}

static int w_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	(void)v;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int w_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int w_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *w_dl_open(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void w_dl_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	real_vfs->xDlError(real_vfs, n, out);
}

static void (*w_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void w_dl_close(sqlite3_vfs *v, void *h)
{
	(void)v;
	real_vfs->xDlClose(real_vfs, h);
}

static int w_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int w_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return real_vfs->xSleep(real_vfs, us);
}

static int w_current_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int w_get_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int w_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs vfs = {
    .iVersion = 2,
    .zName = KF_WALVFS_NAME,
    .xOpen = w_open,
    .xDelete = w_delete,
    .xAccess = w_access,
    .xFullPathname = w_full_pathname,
    .xDlOpen = w_dl_open,
    .xDlError = w_dl_error,
    .xDlSym = w_dl_sym,
    .xDlClose = w_dl_close,
    .xRandomness = w_randomness,
    .xSleep = w_sleep,
    .xCurrentTime = w_current_time,
    .xGetLastError = w_get_last_error,
    .xCurrentTimeInt64 = w_current_time_int64,
};

int kf_walvfs_register(void)
{
	if (sqlite3_vfs_find(KF_WALVFS_NAME))
		return SQLITE_OK;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs || real_vfs->iVersion < 2)
		return SQLITE_ERROR;
	vfs.szOsFile = (int)sizeof(struct wfile) + real_vfs->szOsFile;
	vfs.mxPathname = real_vfs->mxPathname;
	return sqlite3_vfs_register(&vfs, 0);
}
