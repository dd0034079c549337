#define _GNU_SOURCE
#include "CPlatform.h"
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <xmmintrin.h>
#endif

#ifndef HWNAS_TARGET_CPU
#define HWNAS_TARGET_CPU "unknown"
#endif

const char *hwnas_build_target_cpu(void) { return HWNAS_TARGET_CPU; }

const char *hwnas_build_features(void) {
    return ""
#ifdef __SSE4_2__
        "sse4.2 "
#endif
#ifdef __AVX__
        "avx "
#endif
#ifdef __AVX2__
        "avx2 "
#endif
#ifdef __FMA__
        "fma "
#endif
#ifdef __F16C__
        "f16c "
#endif
#ifdef __BMI2__
        "bmi2 "
#endif
#ifdef __AVX512F__
        "avx512f "
#endif
#ifdef __AVX512BW__
        "avx512bw "
#endif
#ifdef __AVX512VL__
        "avx512vl "
#endif
#ifdef __AVX512VNNI__
        "avx512vnni "
#endif
#ifdef __AVX512BF16__
        "avx512bf16 "
#endif
#ifdef __AMX_TILE__
        "amx "
#endif
#ifdef __ARM_NEON
        "neon "
#endif
#ifdef __ARM_FEATURE_SVE
        "sve "
#endif
        ;
}

const char *hwnas_build_compiler(void) {
#ifdef __clang_version__
    return "clang " __clang_version__;
#elif defined(__VERSION__)
    return __VERSION__;
#else
    return "unknown";
#endif
}

int hwnas_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
#if defined(__x86_64__) || defined(__i386__)
    __cpuid_count(leaf, subleaf, out[0], out[1], out[2], out[3]);
    return 1;
#else
    out[0] = out[1] = out[2] = out[3] = 0;
    return 0;
#endif
}

int hwnas_current_cpu(void) {
#ifdef __linux__
    return sched_getcpu();
#else
    return -1;
#endif
}

int hwnas_thread_allowed_cpus(int *out, int capacity) {
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
    int count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &set)) {
            if (count < capacity) out[count] = cpu;
            count++;
        }
    }
    return count;
#else
    (void)out;
    (void)capacity;
    return -1;
#endif
}

int64_t hwnas_thread_id(void) {
#ifdef __linux__
    return (int64_t)syscall(SYS_gettid);
#else
    return -1;
#endif
}

int64_t hwnas_thread_involuntary_switches(void) {
#ifdef RUSAGE_THREAD
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) != 0) return -1;
    return (int64_t)usage.ru_nivcsw;
#else
    return -1;
#endif
}

int hwnas_load_average(double out[3]) {
    return getloadavg(out, 3) == 3;
}

int hwnas_build_has_avx512(void) {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__)
    return 1;
#else
    return 0;
#endif
}

uint32_t hwnas_mxcsr_get(void) {
#if defined(__x86_64__) || defined(__i386__)
    return _mm_getcsr();
#else
    return 0;
#endif
}

void hwnas_mxcsr_set(uint32_t value) {
#if defined(__x86_64__) || defined(__i386__)
    _mm_setcsr(value);
#else
    (void)value;
#endif
}

uint32_t hwnas_mxcsr_flush_denormals_bits(void) {
#if defined(__x86_64__) || defined(__i386__)
    return 0x8040; /* FTZ (bit 15) | DAZ (bit 6) */
#else
    return 0;
#endif
}
