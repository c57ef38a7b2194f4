/* Unit tests for the dispatch rules at their boundaries: voucher states and
 * the D-4 start refusal, the D-3 settlement of a fee around the on-site
 * maximum, the D-1 classes that carry a fee, the D-2 signature image
 * sniffing, the L-10 carry-over and the K-7 documents and received
 * quantity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "rules/dispatch.h"

static void voucher_states_and_service_types(void **s)
{
	/* D-2 */
	for (int i = 0; i < KF_VOUCHER_STATUS_COUNT; i++)
		assert_int_equal(kf_voucher_status_parse(kf_voucher_status_name(i)), i);
	assert_int_equal(kf_voucher_status_parse("closed"), -1);
	assert_int_equal(kf_voucher_status_parse(NULL), -1);
	assert_true(kf_dispatch_applies("service"));
	assert_true(kf_dispatch_applies("repair"));
	assert_false(kf_dispatch_applies("complaint"));
	assert_false(kf_dispatch_applies("inquiry"));
	assert_false(kf_dispatch_applies(NULL));
}

static void offsite_work_waits_for_approval(void **s)
{
	/* D-4: off site, only an approved request lets the work start. */
	assert_int_equal(kf_voucher_may_start(KF_VOUCHER_DISPATCHED, true, KF_OFFSITE_NONE),
			 KF_START_OFFSITE);
	assert_int_equal(kf_voucher_may_start(KF_VOUCHER_DISPATCHED, true, KF_OFFSITE_PENDING),
			 KF_START_OFFSITE);
	assert_int_equal(kf_voucher_may_start(KF_VOUCHER_DISPATCHED, true, KF_OFFSITE_REJECTED),
			 KF_START_OFFSITE);
	assert_int_equal(kf_voucher_may_start(KF_VOUCHER_DISPATCHED, true, KF_OFFSITE_APPROVED),
			 KF_START_OK);
	assert_int_equal(kf_voucher_may_start(KF_VOUCHER_DISPATCHED, false, KF_OFFSITE_NONE),
			 KF_START_OK);
	/* D-2: only a dispatched voucher starts, whatever the request. */
	assert_int_equal(kf_voucher_may_start(KF_VOUCHER_STARTED, false, KF_OFFSITE_NONE),
			 KF_START_WRONG_STATUS);
	assert_int_equal(kf_voucher_may_start(KF_VOUCHER_COMPLETED, true, KF_OFFSITE_APPROVED),
			 KF_START_WRONG_STATUS);
	assert_int_equal(kf_offsite_status_parse("approved"), KF_OFFSITE_APPROVED);
	assert_int_equal(kf_offsite_status_parse("none"), -1);
}

static void fee_settlement_around_the_on_site_maximum(void **s)
{
	/* D-3: up to and including the maximum on site, above it invoiced. */
	const int64_t max = 50000;
	assert_int_equal(kf_fee_collection_default(0, max), KF_COLLECT_NONE);
	assert_int_equal(kf_fee_collection_default(1, max), KF_COLLECT_ON_SITE);
	assert_int_equal(kf_fee_collection_default(max, max), KF_COLLECT_ON_SITE);
	assert_int_equal(kf_fee_collection_default(max + 1, max), KF_COLLECT_INVOICE);
	assert_true(kf_fee_collection_allowed(KF_COLLECT_ON_SITE, max, max));
	assert_false(kf_fee_collection_allowed(KF_COLLECT_ON_SITE, max + 1, max));
	assert_false(kf_fee_collection_allowed(KF_COLLECT_ON_SITE, 0, max));
	assert_true(kf_fee_collection_allowed(KF_COLLECT_INVOICE, 1, max));
	assert_true(kf_fee_collection_allowed(KF_COLLECT_INVOICE, max + 1, max));
	assert_false(kf_fee_collection_allowed(KF_COLLECT_INVOICE, 0, max));
	assert_true(kf_fee_collection_allowed(KF_COLLECT_NONE, 0, max));
	assert_false(kf_fee_collection_allowed(KF_COLLECT_NONE, 1, max));
	/* A maximum of 0 invoices every fee. */
	assert_int_equal(kf_fee_collection_default(1, 0), KF_COLLECT_INVOICE);
	assert_int_equal(kf_fee_collection_parse("on_site"), KF_COLLECT_ON_SITE);
	assert_int_equal(kf_fee_collection_parse("cash"), -1);
	/* D-1: only paid service (A), or an unclassified ticket, carries a fee. */
	assert_true(kf_service_class_takes_fee("paid"));
	assert_true(kf_service_class_takes_fee(NULL));
	assert_false(kf_service_class_takes_fee("contract"));
	assert_false(kf_service_class_takes_fee("free"));
	assert_false(kf_service_class_takes_fee("internal"));
}

static void signature_images_by_their_first_bytes(void **s)
{
	/* D-2: PNG and JPEG only, by magic bytes. */
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0};
	static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0};
	static const unsigned char gif[] = "GIF89a";
	assert_int_equal(kf_image_sniff(png, sizeof png), KF_IMAGE_PNG);
	assert_int_equal(kf_image_sniff(png, 7), KF_IMAGE_NONE); /* cut short */
	assert_int_equal(kf_image_sniff(jpeg, sizeof jpeg), KF_IMAGE_JPEG);
	assert_int_equal(kf_image_sniff(jpeg, 3), KF_IMAGE_NONE);
	assert_int_equal(kf_image_sniff(gif, 6), KF_IMAGE_NONE);
	assert_int_equal(kf_image_sniff(png, 0), KF_IMAGE_NONE);
	assert_string_equal(kf_image_mime(KF_IMAGE_PNG), "image/png");
	assert_string_equal(kf_image_mime(KF_IMAGE_JPEG), "image/jpeg");
	assert_null(kf_image_mime(KF_IMAGE_NONE));
	assert_int_equal(KF_SIGNATURE_MAX_BYTES, 262144);
}

static void undispatched_work_is_carried_over_from_the_day_before(void **s)
{
	/* L-10: registered before the day's first instant → carried over. */
	const int64_t day = 1764604800000LL; /* some local midnight */
	assert_true(kf_dispatch_carried_over(day - 1, day));
	assert_false(kf_dispatch_carried_over(day, day));
	assert_false(kf_dispatch_carried_over(day + 1, day));
}

static void k7_documents_and_received_quantity(void **s)
{
	assert_int_equal(kf_k7_document_for("discount"), KF_K7_DISCOUNT_CERTIFICATE);
	assert_int_equal(kf_k7_document_for("return"), KF_K7_RETURN_SLIP);
	assert_int_equal(kf_k7_document_for("compensation"), KF_K7_NONE);
	assert_int_equal(kf_k7_document_for("rework"), KF_K7_NONE);
	assert_int_equal(kf_k7_document_for(NULL), KF_K7_NONE);
	/* K-7: from 1 up to the slip's quantity. */
	assert_false(kf_return_received_valid(3, 0));
	assert_true(kf_return_received_valid(3, 1));
	assert_true(kf_return_received_valid(3, 3));
	assert_false(kf_return_received_valid(3, 4));
	assert_false(kf_return_received_valid(3, -1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(voucher_states_and_service_types),
	    cmocka_unit_test(offsite_work_waits_for_approval),
	    cmocka_unit_test(fee_settlement_around_the_on_site_maximum),
	    cmocka_unit_test(signature_images_by_their_first_bytes),
	    cmocka_unit_test(undispatched_work_is_carried_over_from_the_day_before),
	    cmocka_unit_test(k7_documents_and_received_quantity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
