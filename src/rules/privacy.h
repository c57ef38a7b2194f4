/* Masking of customers' personal data (C-3): staff see phone numbers, ID
 * numbers, addresses and e-mail addresses masked ("138****5678") until they
 * have verified that the caller is the customer. The same masks are used in
 * audit details, so that the audit log does not become a copy of the
 * personal data it protects (S-3).
 *
 * The functions are pure and total: any string (also one stored before the
 * current validation, or a short one) gives a mask that hides at least four
 * characters, and the number of hidden characters is never shown. A NULL
 * input gives an empty string. out must hold KF_PRIVACY_MASK_MAX bytes;
 * longer results are cut at a character boundary. */
#ifndef KF_RULES_PRIVACY_H
#define KF_RULES_PRIVACY_H

#define KF_PRIVACY_MASK_MAX 320

/* Phone numbers: the first 3 and last 4 characters around "****"
 * (13812345678 → 138****5678). Shorter than 11 characters: only the last
 * characters that leave at least four hidden (62345678 → ****5678). */
void kf_privacy_mask_phone(const char *s, char *out);
/* ID numbers: the first 3 and last 4 characters around "********"
 * (110101199003071234 → 110********1234); shorter than 11 characters as for
 * phones, with eight stars. */
void kf_privacy_mask_id_number(const char *s, char *out);
/* Addresses: the first 6 characters and "****" (上海市浦东新区张杨路500号 →
 * 上海市浦东新****); an address of 12 characters or fewer keeps only its
 * first half. */
void kf_privacy_mask_address(const char *s, char *out);
/* E-mail: the first character of the local part, "***@" and the domain
 * (zhang.wei@example.cn → z***@example.cn); without an '@', "***". */
void kf_privacy_mask_email(const char *s, char *out);
/* The raw contact of a request (a number, an address, an e-mail), masked as
 * what it looks like: with an '@' as an e-mail, at least half digits as a
 * phone number, otherwise as an address. */
void kf_privacy_mask_contact(const char *s, char *out);

#endif
