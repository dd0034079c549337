#ifndef HWNAS_CPLATFORM_H
#define HWNAS_CPLATFORM_H
#include <stdint.h>

/// The CPU name this binary was compiled for (the Makefile's HWNAS_TARGET_CPU, or "native").
const char *hwnas_build_target_cpu(void);

/// Space-separated ISA features the compiler was allowed to use, read from its predefined
/// macros (__AVX2__, __FMA__, ...). Code compiled with them faults on a CPU that lacks them.
const char *hwnas_build_features(void);

/// 1 when the compiler was allowed AVX-512 F, BW and VL (the kernels' 512-bit variant), else 0.
int hwnas_build_has_avx512(void);

/// The compiler that built this target.
const char *hwnas_build_compiler(void);

/// Executes CPUID; returns 0 when the instruction does not exist on this architecture.
int hwnas_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/// The kernel's idea of the CPU this thread runs on now (-1 when unknown).
int hwnas_current_cpu(void);

/// The PUs the calling thread may run on: writes up to `capacity` OS indices to `out` and
/// returns how many there are (-1 where the OS does not say).
int hwnas_thread_allowed_cpus(int *out, int capacity);

/// The kernel thread id of the calling thread.
int64_t hwnas_thread_id(void);
#endif

/// Involuntary context switches of the calling thread so far (-1 when unknown): the times the
/// OS took the core away from it.
int64_t hwnas_thread_involuntary_switches(void);

/// The 1, 5 and 15 minute load averages; returns 0 on failure.
int hwnas_load_average(double out[3]);

/// The calling thread's SSE control and status register (MXCSR); 0 where there is none.
uint32_t hwnas_mxcsr_get(void);

/// Sets the calling thread's MXCSR; does nothing where there is none.
void hwnas_mxcsr_set(uint32_t value);

/// MXCSR's flush-to-zero (results) and denormals-are-zero (inputs) bits, together.
uint32_t hwnas_mxcsr_flush_denormals_bits(void);
