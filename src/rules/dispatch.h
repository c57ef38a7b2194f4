/* Dispatch of service work (SPEC D, seed 000 §篇4 第六条–第十三条) and the
 * documents an approved complaint resolution produces (K-7, 第二十九条).
 * Pure functions: no store, no clock; the policy values are arguments. */
#ifndef KF_RULES_DISPATCH_H
#define KF_RULES_DISPATCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* D-2: a service voucher (服务凭证) is dispatched by a manager, started and
 * completed by its technician, who has the customer sign, and countersigned
 * by the manager (第十条 由部门经理核签). */
enum kf_voucher_status {
	KF_VOUCHER_DISPATCHED,
	KF_VOUCHER_STARTED,
	KF_VOUCHER_COMPLETED,
	KF_VOUCHER_COUNTERSIGNED,
	KF_VOUCHER_STATUS_COUNT
};
const char *kf_voucher_status_name(enum kf_voucher_status s);
/* Returns the status for its API name, or -1. */
int kf_voucher_status_parse(const char *s);

/* D-2: whether the ticket type (API name) is service work that gets a
 * voucher: service 服务 and repair 报修 (第七条 服务登记簿). */
bool kf_dispatch_applies(const char *ticket_type);

/* D-4 (第十二条): off-site requests (异地服务申请单) are pending, approved or
 * rejected. */
enum kf_offsite_status {
	KF_OFFSITE_NONE = -1,
	KF_OFFSITE_PENDING,
	KF_OFFSITE_APPROVED,
	KF_OFFSITE_REJECTED
};
const char *kf_offsite_status_name(enum kf_offsite_status s);
int kf_offsite_status_parse(const char *s);

/* What stops a technician from starting work on a voucher. */
enum kf_start_refusal {
	KF_START_OK,
	KF_START_WRONG_STATUS, /* only a dispatched voucher is started */
	KF_START_OFFSITE,      /* D-4: off site without an approved request */
};
/* D-2, D-4: whether a voucher in status s, off site or not, with off-site
 * request status o (KF_OFFSITE_NONE when none was filed), may be started. */
enum kf_start_refusal kf_voucher_may_start(enum kf_voucher_status s, bool off_site,
					   enum kf_offsite_status o);

/* D-3 (第九条): how a paid service's fee is settled: nothing to collect (no
 * fee), collected on site by the technician (费用较低者, up to and including
 * on_site_max_fen), or invoiced by finance from the voucher. */
enum kf_fee_collection {
	KF_COLLECT_NONE,
	KF_COLLECT_ON_SITE,
	KF_COLLECT_INVOICE,
	KF_COLLECT_COUNT
};
const char *kf_fee_collection_name(enum kf_fee_collection c);
int kf_fee_collection_parse(const char *s);
/* D-3: the settlement a fee gets when the technician names none. */
enum kf_fee_collection kf_fee_collection_default(int64_t fee_fen, int64_t on_site_max_fen);
/* D-3: whether settlement c fits fee_fen: a fee of 0 has nothing to collect;
 * on site only up to on_site_max_fen; invoicing any positive fee. */
bool kf_fee_collection_allowed(enum kf_fee_collection c, int64_t fee_fen, int64_t on_site_max_fen);
/* D-1: whether a service class (API name, NULL for none) is paid service
 * (A 有偿), the only class whose voucher may carry a fee. A ticket without a
 * class is treated as paid when a fee is given (kefu's interpretation: the
 * class was not recorded at registration). */
bool kf_service_class_takes_fee(const char *service_class);

/* D-2: the customer's captured signature: a PNG or JPEG image of at most
 * KF_SIGNATURE_MAX_BYTES bytes, recognised by its first bytes. */
#define KF_SIGNATURE_MAX_BYTES (256 * 1024)
enum kf_image_type { KF_IMAGE_NONE, KF_IMAGE_PNG, KF_IMAGE_JPEG };
enum kf_image_type kf_image_sniff(const unsigned char *p, size_t n);
/* "image/png", "image/jpeg", or NULL for KF_IMAGE_NONE. */
const char *kf_image_mime(enum kf_image_type t);

/* L-10 (第十一条 将当天未派修工作,于次日送请部门经理优先派工): on the dispatch
 * list of the local day starting at day_start, work registered before that
 * day and still not dispatched is carried over and heads the list. */
bool kf_dispatch_carried_over(int64_t registered_at, int64_t day_start);

/* K-7 (第二十九条): the document an approved resolution of kind (API name)
 * produces: a discount certificate (销货折扣证明单) for a discount, a return
 * slip (产品退货单) for a return, none otherwise. */
enum kf_k7_document { KF_K7_NONE, KF_K7_DISCOUNT_CERTIFICATE, KF_K7_RETURN_SLIP };
enum kf_k7_document kf_k7_document_for(const char *resolution_kind);
/* K-7 (第二十九条3 核对无误后予以签收): the warehouse confirms receiving between
 * 1 and the slip's quantity items. */
bool kf_return_received_valid(int64_t slip_quantity, int64_t received);

#endif
