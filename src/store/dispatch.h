/* SQL for the dispatch of service work (SPEC D): service vouchers, their
 * captured signatures and off-site requests, the dispatch list (L-10), and
 * the K-7 documents (discount certificates, return slips) with the finance
 * list (D-3). Strings read from the store are allocated in the caller's
 * arena. Functions return 0 or a negative kf_errcode (KF_ENOTFOUND when
 * there is no such row). */
#ifndef KF_STORE_DISPATCH_H
#define KF_STORE_DISPATCH_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

struct kf_voucher {
	int64_t id;
	const char *number;
	int64_t ticket_id, technician_id;
	const char *scheduled_on; /* YYYY-MM-DD */
	const char *address, *city, *note;
	bool off_site;
	const char *status; /* dispatched, started, completed, countersigned */
	int64_t dispatched_by, dispatched_at;
	int64_t started_at, ended_at; /* 0: not yet */
	const char *work_done, *parts;
	bool has_fee, has_travel_cost;
	int64_t fee_fen, travel_cost_fen;
	const char *collection; /* none, on_site, invoice; NULL until stated */
	const char *signer_name;
	int64_t signed_at;
	int64_t countersigned_by, countersigned_at;
	int64_t updated_at, version;
	/* Read with the voucher, for display. */
	const char *ticket_number, *ticket_type, *ticket_subject, *ticket_status, *ticket_priority;
	const char *service_class;
	const char *technician_name, *customer_name;
	const char *signature_type; /* content type of the captured image; NULL: none */
	int64_t signature_bytes;
	/* D-4: the off-site request; offsite_status NULL when none was filed. */
	const char *offsite_status, *offsite_destination, *offsite_reason, *offsite_comment;
	bool has_offsite_cost;
	int64_t offsite_cost_fen, offsite_requested_by, offsite_requested_at, offsite_decided_by,
	    offsite_decided_at;
};

/* Inserts v (number, ticket … updated_at); sets v->id and v->version. */
int kf_store_voucher_insert(struct kf_db *db, struct kf_voucher *v, struct kf_err *err);
int kf_store_voucher_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_voucher *out,
			 struct kf_err *err);

struct kf_voucher_filter {
	int64_t technician_id;	  /* 0: anyone's */
	int64_t ticket_id;	  /* 0: any ticket's */
	const char *status;	  /* NULL: any */
	const char *scheduled_on; /* NULL: any day */
	int64_t after_id;
	int limit; /* up to limit + 1 rows are returned */
};
int kf_store_voucher_list(struct kf_db *db, const struct kf_voucher_filter *f, struct kf_arena *a,
			  struct kf_voucher **items, int *n, struct kf_err *err);
/* Whether ticket_id has a voucher not yet completed. */
int kf_store_voucher_open_exists(struct kf_db *db, int64_t ticket_id, bool *exists,
				 struct kf_err *err);
/* Writes the work fields and status of v if its version in the store is
 * still v->version; bumps it (v->version gets the new one); *changed tells. */
int kf_store_voucher_update(struct kf_db *db, struct kf_voucher *v, bool *changed,
			    struct kf_err *err);

/* D-2: the captured signature of a voucher (one; a new capture replaces
 * it). data_base64 is the image in standard base64. */
struct kf_voucher_signature {
	int64_t voucher_id;
	const char *content_type, *sha256, *data_base64;
	int64_t bytes, captured_by, captured_at;
};
int kf_store_signature_put(struct kf_db *db, const struct kf_voucher_signature *s,
			   struct kf_err *err);
int kf_store_signature_get(struct kf_db *db, int64_t voucher_id, struct kf_arena *a,
			   struct kf_voucher_signature *out, struct kf_err *err);

/* D-4: files (or files again, after a rejection) the off-site request of a
 * voucher as pending. */
int kf_store_offsite_put(struct kf_db *db, int64_t voucher_id, const char *destination,
			 const char *reason, bool has_cost, int64_t cost_fen, int64_t by,
			 int64_t at, struct kf_err *err);
/* Decides the pending request of voucher_id; *changed is false when none is
 * pending. */
int kf_store_offsite_decide(struct kf_db *db, int64_t voucher_id, const char *status, int64_t by,
			    int64_t at, const char *comment, bool *changed, struct kf_err *err);

/* D-2, V-4: the technician credited with a ticket's callback survey. */
int kf_store_ticket_set_technician(struct kf_db *db, int64_t ticket_id, int64_t technician_id,
				   struct kf_err *err);

/* L-10: service and repair work registered before `before`, neither
 * resolved nor closed, with no voucher yet; oldest first. */
struct kf_dispatch_item {
	int64_t ticket_id;
	const char *number, *type, *subject, *priority, *service_class, *status;
	const char *customer_name;
	int64_t created_at;
};
int kf_store_dispatch_pending(struct kf_db *db, int64_t before, int limit, struct kf_arena *a,
			      struct kf_dispatch_item **items, int *n, struct kf_err *err);

/* K-7: a discount certificate or a return slip. */
struct kf_k7_doc {
	int64_t id;
	const char *number;
	int64_t resolution_id, ticket_id;
	int64_t amount_fen; /* certificates */
	int64_t quantity;   /* return slips */
	const char *status; /* return slips: awaiting, received */
	bool has_received;
	int64_t received_qty, received_by, received_at;
	const char *received_note;
	int64_t created_at;
	/* Read with it: the complaint's number, the customer's name. */
	const char *ticket_number, *customer_name;
};
int kf_store_certificate_insert(struct kf_db *db, struct kf_k7_doc *d, struct kf_err *err);
int kf_store_return_slip_insert(struct kf_db *db, struct kf_k7_doc *d, struct kf_err *err);
int kf_store_return_slip_get(struct kf_db *db, int64_t id, struct kf_arena *a,
			     struct kf_k7_doc *out, struct kf_err *err);
/* Records the received quantity of an awaiting slip; *changed is false when
 * it was received already. */
int kf_store_return_slip_receive(struct kf_db *db, const struct kf_k7_doc *d, bool *changed,
				 struct kf_err *err);
/* Certificates (slips = false) or return slips created in [from, to), or
 * with status (slips only; NULL: any), oldest first, up to limit. from = to
 * = 0: any time. */
int kf_store_k7_list(struct kf_db *db, bool slips, const char *status, int64_t from, int64_t to,
		     int limit, struct kf_arena *a, struct kf_k7_doc **items, int *n,
		     struct kf_err *err);
/* D-3: vouchers with a fee ended in [from, to), oldest first. */
int kf_store_voucher_fees(struct kf_db *db, int64_t from, int64_t to, int limit, struct kf_arena *a,
			  struct kf_voucher **items, int *n, struct kf_err *err);

#endif
