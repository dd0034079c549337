#ifndef HWNAS_CBLAS_SHIM_H
#define HWNAS_CBLAS_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <cblas.h>

/// Pins OpenBLAS's thread `thread_idx` (0 ..< openblas_get_num_threads()) to one OS processor.
/// cpu_set_t and its CPU_SET macros cannot be used from Swift. Returns 0 on success.
static inline int hwnas_openblas_pin_thread(int thread_idx, int os_cpu) {
#ifdef OPENBLAS_OS_LINUX
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(os_cpu, &set);
    return openblas_setaffinity(thread_idx, sizeof(set), &set);
#else
    (void)thread_idx; (void)os_cpu;
    return -1;
#endif
}
#endif
