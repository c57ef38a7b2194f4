#include <string.h>
#include "rules/dispatch.h"
#include "rules/ticket.h"

static const char *const voucher_status_names[KF_VOUCHER_STATUS_COUNT] = {
    "dispatched", "started", "completed", "countersigned"};
static const char *const offsite_names[] = {"pending", "approved", "rejected"};
static const char *const collection_names[KF_COLLECT_COUNT] = {"none", "on_site", "invoice"};

const char *kf_voucher_status_name(enum kf_voucher_status s)
{
	return (unsigned)s < KF_VOUCHER_STATUS_COUNT ? voucher_status_names[s] : "unknown";
}

int kf_voucher_status_parse(const char *s)
{
	return kf_name_parse(s, voucher_status_names, KF_VOUCHER_STATUS_COUNT);
}

bool kf_dispatch_applies(const char *ticket_type)
{
	return ticket_type && (!strcmp(ticket_type, "service") || !strcmp(ticket_type, "repair"));
}

const char *kf_offsite_status_name(enum kf_offsite_status s)
{
	return (unsigned)s < 3 ? offsite_names[s] : "none";
}

int kf_offsite_status_parse(const char *s)
{
	return kf_name_parse(s, offsite_names, 3);
}

enum kf_start_refusal kf_voucher_may_start(enum kf_voucher_status s, bool off_site,
					   enum kf_offsite_status o)
{
	if (s != KF_VOUCHER_DISPATCHED)
		return KF_START_WRONG_STATUS;
	if (off_site && o != KF_OFFSITE_APPROVED)
		return KF_START_OFFSITE;
	return KF_START_OK;
}

const char *kf_fee_collection_name(enum kf_fee_collection c)
{
	return (unsigned)c < KF_COLLECT_COUNT ? collection_names[c] : "unknown";
}

int kf_fee_collection_parse(const char *s)
{
	return kf_name_parse(s, collection_names, KF_COLLECT_COUNT);
}

enum kf_fee_collection kf_fee_collection_default(int64_t fee_fen, int64_t on_site_max_fen)
{
	if (fee_fen <= 0)
		return KF_COLLECT_NONE;
	return fee_fen <= on_site_max_fen ? KF_COLLECT_ON_SITE : KF_COLLECT_INVOICE;
}

bool kf_fee_collection_allowed(enum kf_fee_collection c, int64_t fee_fen, int64_t on_site_max_fen)
{
	switch (c) {
	case KF_COLLECT_NONE:
		return fee_fen == 0;
	case KF_COLLECT_ON_SITE:
		return fee_fen > 0 && fee_fen <= on_site_max_fen;
	case KF_COLLECT_INVOICE:
		return fee_fen > 0;
	default:
		return false;
	}
}

bool kf_service_class_takes_fee(const char *service_class)
{
	return !service_class || !strcmp(service_class, "paid");
}

enum kf_image_type kf_image_sniff(const unsigned char *p, size_t n)
{
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (n >= sizeof png && !memcmp(p, png, sizeof png))
		return KF_IMAGE_PNG;
	/* SOI and the first marker's 0xFF (JFIF, Exif or a bare segment). */
	if (n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return KF_IMAGE_JPEG;
	return KF_IMAGE_NONE;
}

const char *kf_image_mime(enum kf_image_type t)
{
	return t == KF_IMAGE_PNG ? "image/png" : t == KF_IMAGE_JPEG ? "image/jpeg" : NULL;
}

bool kf_dispatch_carried_over(int64_t registered_at, int64_t day_start)
{
	return registered_at < day_start;
}

enum kf_k7_document kf_k7_document_for(const char *resolution_kind)
{
	if (resolution_kind && !strcmp(resolution_kind, "discount"))
		return KF_K7_DISCOUNT_CERTIFICATE;
	if (resolution_kind && !strcmp(resolution_kind, "return"))
		return KF_K7_RETURN_SLIP;
	return KF_K7_NONE;
}

bool kf_return_received_valid(int64_t slip_quantity, int64_t received)
{
	return received >= 1 && received <= slip_quantity;
}
