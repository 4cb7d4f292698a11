/*
 * roads/profile: the names of the vehicle profiles and of the OSM road
 * classes, with no database in sight, so that the config checker (and
 * anything else that only needs the words) can use them without pulling
 * in libpq. The speeds and everything on the network are in roads.h.
 */
#ifndef VC_ROADS_PROFILE_H
#define VC_ROADS_PROFILE_H

enum roads_profile { ROADS_VAN, ROADS_TRUCK, ROADS_TRICYCLE, ROADS_MOTORBIKE, ROADS_N_PROFILES };

/* OSM highway classes the loader keeps (the order of the speed tables). */
enum {
	ROADS_MOTORWAY, ROADS_MOTORWAY_LINK, ROADS_TRUNK, ROADS_TRUNK_LINK, ROADS_PRIMARY,
	ROADS_PRIMARY_LINK, ROADS_SECONDARY, ROADS_SECONDARY_LINK, ROADS_TERTIARY,
	ROADS_TERTIARY_LINK, ROADS_UNCLASSIFIED, ROADS_RESIDENTIAL, ROADS_LIVING_STREET,
	ROADS_SERVICE, ROADS_TRACK, ROADS_ROAD, ROADS_N_CLASSES
};

/* "van", ...; NULL for an out-of-range profile. */
const char *roads_profile_name(int profile);
/* The profile named s (NULL or "" is van); -1 when unknown. */
int roads_profile_parse(const char *s);
/* "van, truck, tricycle, motorbike": the names for messages and docs. */
const char *roads_profile_list(void);
/* The class of an OSM highway=<value>; -1 when the loader keeps no such class. */
int roads_class_parse(const char *s);
/* OSM highway=<value> of a class. */
const char *roads_class_name(int cls);

#endif
