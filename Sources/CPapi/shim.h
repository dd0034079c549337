#ifndef HWNAS_CPAPI_SHIM_H
#define HWNAS_CPAPI_SHIM_H
#include <pthread.h>
#include <papi.h>

/// PAPI_VER_CURRENT is a computed macro Swift cannot import.
static inline int hwnas_papi_ver_current(void) { return PAPI_VER_CURRENT; }
static inline int hwnas_papi_version_major(int v) { return PAPI_VERSION_MAJOR(v); }
static inline int hwnas_papi_version_minor(int v) { return PAPI_VERSION_MINOR(v); }
static inline int hwnas_papi_version_revision(int v) { return PAPI_VERSION_REVISION(v); }
static inline int hwnas_papi_null(void) { return PAPI_NULL; }

/// Registers pthread_self as PAPI's thread-id function so counters are kept per thread.
static inline int hwnas_papi_thread_init(void) {
    return PAPI_thread_init((unsigned long (*)(void))pthread_self);
}
#endif
