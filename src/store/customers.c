#include "store/customers.h"

int kf_store_customer_insert(struct kf_db *db, struct kf_customer *c, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(c->name),     KP_TEXT(c->phone),	  KP_TEXT(c->email),
			       KP_TEXT(c->address),  KP_TEXT(c->company), KP_TEXT(c->grade),
			       KP_TEXT(c->birthday), KP_TEXT(c->notes),	  KP_INT(c->created_at),
			       KP_INT(c->updated_at)};
	c->version = 1;
	int rc = kf_db_query_int(db,
				 "INSERT INTO customers (name, phone, email, address, company, "
				 "grade, birthday, notes, created_at, updated_at) VALUES ($1, $2, "
				 "$3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
				 p, 10, &c->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_customer_count(struct kf_db *db, int64_t *n, struct kf_err *err)
{
	int rc = kf_db_query_int(db, "SELECT COUNT(*) FROM customers", NULL, 0, n, err);
	return rc < 0 ? rc : 0;
}
