/* fields.c: what of an order a label needs, and which of its texts is
 * the longest, for the reject when a label's text does not fit. */
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "label.h"
#include "reject.h"

/* A non-empty string member of obj, else NULL. */
static const char *
str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);

	return s != NULL && *s != '\0' ? s : NULL;
}

const char *
label_longest_field(const json_t *order)
{
	static const char *const fields[][3] = {
		{ "customer", "name", "customer.name" },
		{ "customer", "phone", "customer.phone" },
		{ "address", "line1", "shipping.address.line1" },
		{ "address", "line2", "shipping.address.line2" },
		{ "address", "city", "shipping.address.city" },
		{ "address", "region", "shipping.address.region" },
		{ "address", "postal_code", "shipping.address.postal_code" },
		{ "pickup_point", "address", "shipping.pickup_point.address" },
	};
	const json_t *sh = json_object_get(order, "shipping");
	const char *best = fields[0][2], *v;
	size_t i, len, most = 0;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = str(strcmp(fields[i][0], "customer") == 0 ?
		    json_object_get(order, "customer") :
		    json_object_get(sh, fields[i][0]), fields[i][1]);
		if (v != NULL && (len = strlen(v)) > most) {
			most = len;
			best = fields[i][2];
		}
	}
	return best;
}

void
label_check_fields(const json_t *order, int is_return, json_t *errors)
{
	const json_t *sh = json_object_get(order, "shipping");
	const json_t *a = json_object_get(sh, "address");
	const char *method = str(sh, "method");

	if (str(json_object_get(order, "customer"), "name") == NULL)
		reject_add(errors, "missing_field", "customer.name",
		    "a label needs the name of the customer");
	if (is_return)
		return;
	if (method != NULL && strcmp(method, "pickup") == 0) {
		const json_t *pp = json_object_get(sh, "pickup_point");

		if (!json_is_string(pp) && str(pp, "code") == NULL)
			reject_add(errors, "missing_field",
			    "shipping.pickup_point", "a pickup order's label "
			    "needs its pickup point");
		return;
	}
	if (str(a, "line1") == NULL)
		reject_add(errors, "missing_field", "shipping.address.line1",
		    "a label needs the first address line");
	if (str(a, "city") == NULL)
		reject_add(errors, "missing_field", "shipping.address.city",
		    "a label needs the city");
	if (method != NULL && strcmp(method, "post") == 0 &&
	    str(a, "postal_code") == NULL)
		reject_add(errors, "missing_field",
		    "shipping.address.postal_code", "a post label needs the "
		    "postal code");
}
