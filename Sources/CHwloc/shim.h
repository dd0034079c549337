#ifndef HWNAS_CHWLOC_SHIM_H
#define HWNAS_CHWLOC_SHIM_H
#include <hwloc.h>

/// hwloc's API version, a macro Swift cannot import.
static inline unsigned hwnas_hwloc_api_version(void) { return HWLOC_API_VERSION; }

/// Number of objects of a type; wraps the inline helper so the type enum converts cleanly.
static inline int hwnas_hwloc_count(hwloc_topology_t topology, hwloc_obj_type_t type) {
    return hwloc_get_nbobjs_by_type(topology, type);
}

/// The i-th object of a type (NULL when out of range).
static inline hwloc_obj_t hwnas_hwloc_object(hwloc_topology_t topology, hwloc_obj_type_t type, unsigned index) {
    return hwloc_get_obj_by_type(topology, type, index);
}
#endif
