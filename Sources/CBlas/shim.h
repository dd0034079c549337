#ifndef HWNAS_CBLAS_SHIM_H
#define HWNAS_CBLAS_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stddef.h>
#include <cblas.h>

/// LAPACK's Cholesky factorisation and solve with it, which OpenBLAS exports. Fortran calling
/// convention: every argument by pointer, and gfortran appends the length of each character
/// argument (`uplo`) as a hidden trailing `size_t`; OpenBLAS's own C implementations ignore it.
void dpotrf_(const char *uplo, const blasint *n, double *a, const blasint *lda, blasint *info, size_t uplo_len);
void dpotrs_(const char *uplo, const blasint *n, const blasint *nrhs, const double *a, const blasint *lda,
             double *b, const blasint *ldb, blasint *info, size_t uplo_len);

/// Stops OpenBLAS's worker threads (exported by OpenBLAS for its fork handler); its next
/// parallel call starts new ones from the calling thread, which inherit that thread's MXCSR.
/// Must not be called while another thread is inside OpenBLAS.
void blas_thread_shutdown_(void);

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
