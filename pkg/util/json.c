/* json: tolerant member getters (see json.h). */
#include "util/json.h"

const char *vc_json_str(const json_t *o, const char *key, const char *def)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : def;
}

long long vc_json_int(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

double vc_json_num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}
