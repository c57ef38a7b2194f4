/* Dispatch of service work (SPEC D, seed 000 §篇4 第六条–第十三条): a manager
 * dispatches a service or repair ticket to a technician as a service voucher
 * (服务凭证, D-2); the technician starts it, records the work, parts and fee
 * (D-3), has the customer sign (a name, and a captured image), and completes
 * it; the manager countersigns. Off-site work waits for an approved off-site
 * request (D-4). Work not dispatched on its day heads the next day's
 * dispatch list (L-10). An approved discount or return resolution produces
 * its K-7 document; the finance list shows them with the paid-service fees. */
#ifndef KF_APP_DISPATCH_H
#define KF_APP_DISPATCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "app/app.h"
#include "store/complaints.h"
#include "store/dispatch.h"

struct kf_voucher_input {
	int64_t technician_id;
	const char *scheduled_on; /* YYYY-MM-DD */
	const char *address, *city, *note;
	bool off_site;
};

/* D-2: dispatches ticket_id (service or repair, open, without a voucher in
 * hand) to a technician; meets its L-10 deadline. */
int kf_app_voucher_dispatch(struct kf_ctx *c, int64_t ticket_id, const struct kf_voucher_input *in,
			    struct kf_voucher *out, struct kf_err *err);
/* Vouchers; a technician sees only their own (technician_id is then
 * theirs whatever was asked). */
int kf_app_voucher_list(struct kf_ctx *c, struct kf_voucher_filter *f, struct kf_voucher **items,
			int *n, bool *more, struct kf_err *err);
int kf_app_voucher_get(struct kf_ctx *c, int64_t id, struct kf_voucher *out, struct kf_err *err);

/* D-2, D-3: what a technician records on a voucher. */
struct kf_voucher_work {
	bool has_work_done, has_parts, has_fee, has_collection, has_travel_cost, has_signer_name,
	    has_version;
	const char *work_done, *parts, *collection, *signer_name;
	int64_t fee_fen, travel_cost_fen, version;
};
int kf_app_voucher_record(struct kf_ctx *c, int64_t id, const struct kf_voucher_work *w,
			  struct kf_voucher *out, struct kf_err *err);
/* D-2, D-4: the technician starts the work (refused with rule D-4 off site
 * without an approved request). */
int kf_app_voucher_start(struct kf_ctx *c, int64_t id, struct kf_voucher *out, struct kf_err *err);
/* D-2: the technician ends the work: work done and the customer's name are
 * required (from w or recorded before); the ticket credits the technician
 * (V-4). */
int kf_app_voucher_complete(struct kf_ctx *c, int64_t id, const struct kf_voucher_work *w,
			    struct kf_voucher *out, struct kf_err *err);
/* D-2 (第十条 由部门经理核签): the manager countersigns a completed voucher. */
int kf_app_voucher_countersign(struct kf_ctx *c, int64_t id, struct kf_voucher *out,
			       struct kf_err *err);
/* D-2: the customer's signature image (PNG or JPEG, at most
 * KF_SIGNATURE_MAX_BYTES; field names the input's field for errors). */
int kf_app_voucher_signature_put(struct kf_ctx *c, int64_t id, const unsigned char *img, size_t len,
				 const char *field, struct kf_voucher *out, struct kf_err *err);
/* The signature image: *data (arena) of *len bytes and its content type. */
int kf_app_voucher_signature_get(struct kf_ctx *c, int64_t id, const char **type,
				 unsigned char **data, size_t *len, struct kf_err *err);
/* D-4: the technician files the off-site request; the manager decides it. */
int kf_app_offsite_request(struct kf_ctx *c, int64_t id, const char *destination,
			   const char *reason, bool has_cost, int64_t cost_fen,
			   struct kf_voucher *out, struct kf_err *err);
int kf_app_offsite_decide(struct kf_ctx *c, int64_t id, bool approve, const char *comment,
			  struct kf_voucher *out, struct kf_err *err);

/* L-10: the dispatch list of a local day (NULL: today). */
struct kf_dispatch_list {
	char date[11];
	struct kf_dispatch_item *pending;
	bool *carried_over;
	int npending;
	bool pending_more;
	struct kf_voucher *scheduled; /* vouchers scheduled for the day */
	int nscheduled;
	bool scheduled_more;
};
int kf_app_dispatch_list(struct kf_ctx *c, const char *date, int limit,
			 struct kf_dispatch_list *out, struct kf_err *err);

/* ---- K-7 ---- */

/* In the transaction that approves resolution r of complaint t (at its
 * proposal when it needs no approval, or at the decision): creates the
 * document of K-7, if its kind takes one, and records it on t's timeline
 * (k7_document_created). */
int kf_app_k7_on_approved_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
			     const struct kf_resolution *r, struct kf_err *err);
/* Return slips of status (awaiting, received; NULL: all), for the
 * warehouse. */
int kf_app_return_slip_list(struct kf_ctx *c, const char *status, int limit,
			    struct kf_k7_doc **items, int *n, bool *more, struct kf_err *err);
/* K-7 (第二十九条3): the warehouse confirms the quantity received. */
int kf_app_return_slip_receive(struct kf_ctx *c, int64_t id, int64_t received_qty, const char *note,
			       struct kf_k7_doc *out, struct kf_err *err);

/* D-3, K-7: what finance books in [from, to] (local dates, inclusive). */
struct kf_finance_list {
	char from[11], to[11];
	struct kf_k7_doc *certificates, *slips;
	int ncertificates, nslips;
	struct kf_voucher *fees;
	int nfees;
	bool more; /* a list was cut at the limit */
};
int kf_app_finance_list(struct kf_ctx *c, const char *from, const char *to, int limit,
			struct kf_finance_list *out, struct kf_err *err);

json_t *kf_app_voucher_json(const struct kf_voucher *v);
json_t *kf_app_k7_doc_json(const struct kf_k7_doc *d, bool slip);
json_t *kf_app_dispatch_list_json(const struct kf_dispatch_list *l);
json_t *kf_app_finance_json(const struct kf_finance_list *l);

#endif
