/* Customer records (C-1). */
#ifndef KF_STORE_CUSTOMERS_H
#define KF_STORE_CUSTOMERS_H
#include <stdint.h>
#include "store/store.h"

struct kf_customer {
	int64_t id;
	const char *name, *phone, *email, *address, *company, *grade, *birthday, *notes;
	int64_t created_at, updated_at, version;
};

int kf_store_customer_insert(struct kf_db *db, struct kf_customer *c, struct kf_err *err);
int kf_store_customer_count(struct kf_db *db, int64_t *n, struct kf_err *err);

#endif
