/*
 * profile: the vehicle profiles (van, truck, tricycle, motorbike), the OSM
 * road classes the loader keeps, and each profile's speed per class, 0
 * where the profile may not drive (see docs/roads.md for the table and why).
 */
#include "roads/roads.h"

#include <stdio.h>
#include <string.h>

/* The one list of profile names (enum roads_profile order), and the same
 * names joined for messages, so that a new profile is added here once. */
#define PROFILES(X) X("van") X("truck") X("tricycle") X("motorbike")
#define AS_ITEM(name) name,
#define AS_LISTED(name) ", " name
static const char *const profile_names[ROADS_N_PROFILES] = { PROFILES(AS_ITEM) };
static const char profile_list[] = PROFILES(AS_LISTED);

static const char *const class_names[ROADS_N_CLASSES] = {
	"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
	"secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
	"residential", "living_street", "service", "track", "road",
};

/*
 * km/h. Below the legal limits: these are average speeds of a loaded
 * vehicle with stops, turns and villages. An electric tricycle is barred
 * from motorways and trunk roads (Chinese traffic law keeps low-speed
 * vehicles off them); a truck from tracks (farm tracks carry no lorry);
 * motorcycles from motorways (barred from expressways in China).
 */
static const double default_kmh[ROADS_N_PROFILES][ROADS_N_CLASSES] = {
	/*            mw  mwl trk trkl pri pril sec secl ter terl unc res liv srv trk road */
	[ROADS_VAN] = { 90, 50, 70, 40, 60, 40, 50, 40, 45, 35, 35, 30, 15, 20, 15, 30 },
	[ROADS_TRUCK] = { 80, 40, 60, 35, 50, 35, 45, 35, 40, 30, 30, 25, 10, 15, 0, 25 },
	[ROADS_TRICYCLE] = { 0, 0, 0, 0, 25, 20, 25, 20, 25, 20, 20, 18, 12, 15, 12, 18 },
	[ROADS_MOTORBIKE] = { 0, 0, 60, 35, 50, 35, 45, 35, 40, 30, 35, 30, 15, 20, 20, 30 },
};

const char *roads_profile_name(int profile)
{
	return profile >= 0 && profile < ROADS_N_PROFILES ? profile_names[profile] : NULL;
}

int roads_profile_parse(const char *s)
{
	int p;
	if (!s || !*s)
		return ROADS_VAN;
	for (p = 0; p < ROADS_N_PROFILES; p++)
		if (!strcmp(s, profile_names[p]))
			return p;
	return -1;
}

const char *roads_profile_list(void)
{
	return profile_list + 2; /* without the leading ", " */
}

int roads_class_parse(const char *s)
{
	int c;
	for (c = 0; s && c < ROADS_N_CLASSES; c++)
		if (!strcmp(s, class_names[c]))
			return c;
	return -1;
}

const char *roads_class_name(int cls)
{
	return cls >= 0 && cls < ROADS_N_CLASSES ? class_names[cls] : NULL;
}

int roads_profile_speeds(const struct vc_config *cfg, int profile, double kmh[ROADS_N_CLASSES],
			 struct vc_error *err)
{
	int c;
	if (!roads_profile_name(profile))
		return vc_fail(err, EX_SOFTWARE, "profile %d out of range", profile);
	for (c = 0; c < ROADS_N_CLASSES; c++) {
		char key[96];
		kmh[c] = default_kmh[profile][c];
		snprintf(key, sizeof(key), "road_speed.%s.%s", profile_names[profile], class_names[c]);
		/* The key table checked the range (0..150) when the file was read. */
		if (config_is_set(cfg, key))
			kmh[c] = config_double(cfg, key);
	}
	return 0;
}

int roads_snap_max_m(const struct vc_config *cfg, double *out, struct vc_error *err)
{
	*out = config_double(cfg, "road_snap_max_m");
	return 0;
}
