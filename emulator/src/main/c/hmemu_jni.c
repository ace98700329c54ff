// SPDX-License-Identifier: MIT
/*
 * The JNI binding of libhmemu: the native methods of HmLib and UcLib
 * (emulator/src/main/java/dev/hmemu/emulator/engine/unicorn), and the upcalls from the
 * hooks into Java.
 *
 * An upcall is a plain JNI method call on the engine's HmLib.Upcalls object, made on the
 * thread of the native call in progress: hm_cpu_run and hm_cpu_resume (guest code), and
 * hm_cpu_fault_fixup (it looks up a translated block, which may fill the engine's TLB).
 * Java's upcall methods catch what they throw and answer with an error code; should an
 * exception still escape (a StackOverflowError in the catch, say), it is taken out of the
 * JNI environment, the upcall answers "error", and the exception is thrown again when that
 * native call returns to Java. No JNI call is made while an exception is pending.
 *
 * Pointers travel as jlong; guest and engine memory reach Java as direct ByteBuffers.
 */
#include <jni.h>
#include <stdlib.h>
#include <string.h>
#include "hmemu_native.h"

#define UPCALLS_CLASS "dev/hmemu/emulator/engine/unicorn/HmLib$Upcalls"

static JavaVM *jvm;
static jmethodID mid_fill, mid_port, mid_insn;

/* The context of one engine's callbacks. */
typedef struct hm_jctx {
    jobject upcalls;    /* global reference to the HmLib.Upcalls */
    jthrowable escaped; /* global reference to an exception an upcall let escape, or NULL */
} hm_jctx;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    JNIEnv *env;
    jvm = vm;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK)
        return JNI_ERR;
    jclass k = (*env)->FindClass(env, UPCALLS_CLASS);
    if (!k)
        return JNI_ERR;
    mid_fill = (*env)->GetMethodID(env, k, "fill", "(IJI)J");
    mid_port = (*env)->GetMethodID(env, k, "port", "(III)I");
    mid_insn = (*env)->GetMethodID(env, k, "insn", "(IIJJ)J");
    (*env)->DeleteLocalRef(env, k);
    if (!mid_fill || !mid_port || !mid_insn)
        return JNI_ERR;
    return JNI_VERSION_1_8;
}

static JNIEnv *thread_env(void)
{
    JNIEnv *env = NULL;
    (*jvm)->GetEnv(jvm, (void **)&env, JNI_VERSION_1_8);
    return env;
}

/* After an upcall: true (and the exception kept for later) when it threw. */
static int escaped(JNIEnv *env, hm_jctx *x)
{
    if (!(*env)->ExceptionCheck(env))
        return 0;
    jthrowable t = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    if (!x->escaped)
        x->escaped = (*env)->NewGlobalRef(env, t);
    (*env)->DeleteLocalRef(env, t);
    return 1;
}

static int64_t up_fill(void *ctx, int32_t cpu, int64_t vaddr, int32_t type)
{
    hm_jctx *x = ctx;
    JNIEnv *env = thread_env();
    if (!env || x->escaped)
        return -2;
    jlong r = (*env)->CallLongMethod(env, x->upcalls, mid_fill, (jint)cpu, (jlong)vaddr, (jint)type);
    return escaped(env, x) ? -2 : (int64_t)r;
}

static int32_t up_port(void *ctx, int32_t cpu, int32_t port, int32_t value)
{
    hm_jctx *x = ctx;
    JNIEnv *env = thread_env();
    if (!env || x->escaped)
        return -2;
    jint r = (*env)->CallIntMethod(env, x->upcalls, mid_port, (jint)cpu, (jint)port, (jint)value);
    return escaped(env, x) ? -2 : (int32_t)r;
}

static int64_t up_insn(void *ctx, int32_t cpu, int32_t kind, int64_t a0, int64_t a1)
{
    hm_jctx *x = ctx;
    JNIEnv *env = thread_env();
    if (!env || x->escaped)
        return -2; /* HM_INSN_R_ERROR */
    jlong r = (*env)->CallLongMethod(env, x->upcalls, mid_insn, (jint)cpu, (jint)kind, (jlong)a0, (jlong)a1);
    return escaped(env, x) ? -2 : (int64_t)r;
}

/* Throws the exception an upcall of this run let escape, if any. */
static jint rethrow(JNIEnv *env, hm_cpu *c, jint result)
{
    hm_jctx *x = hm_cpu_ctx(c);
    if (x->escaped) {
        jthrowable t = x->escaped;
        x->escaped = NULL;
        (*env)->Throw(env, t);
        (*env)->DeleteGlobalRef(env, t);
    }
    return result;
}

#define P(x) ((void *)(intptr_t)(x))
#define J(x) ((jlong)(intptr_t)(x))
#define HM(name) Java_dev_hmemu_emulator_engine_unicorn_HmLib_##name
#define UC(name) Java_dev_hmemu_emulator_engine_unicorn_UcLib_##name

/* ---- HmLib ---- */

JNIEXPORT jlong JNICALL HM(hm_1cpu_1new)(JNIEnv *env, jclass k, jlong uc, jint id, jobject upcalls, jlong shared)
{
    (void)k;
    hm_jctx *x = calloc(1, sizeof *x);
    if (!x)
        return 0;
    x->upcalls = (*env)->NewGlobalRef(env, upcalls);
    if (!x->upcalls) {
        free(x);
        return 0;
    }
    hm_cpu *c = hm_cpu_new(P(uc), id, up_fill, up_port, up_insn, x, P(shared));
    if (!c) {
        (*env)->DeleteGlobalRef(env, x->upcalls);
        free(x);
        return 0;
    }
    return J(c);
}

JNIEXPORT void JNICALL HM(hm_1cpu_1free)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)k;
    hm_cpu *c = P(cpu);
    if (!c)
        return;
    hm_jctx *x = hm_cpu_ctx(c);
    hm_cpu_free(c);
    if (x->escaped)
        (*env)->DeleteGlobalRef(env, x->escaped);
    (*env)->DeleteGlobalRef(env, x->upcalls);
    free(x);
}

JNIEXPORT jint JNICALL HM(hm_1cpu_1run)(JNIEnv *env, jclass k, jlong cpu, jlong eip, jlong budget)
{
    (void)k;
    return rethrow(env, P(cpu), hm_cpu_run(P(cpu), (uint64_t)eip, (uint64_t)budget));
}

JNIEXPORT jint JNICALL HM(hm_1cpu_1resume)(JNIEnv *env, jclass k, jlong cpu, jlong eip)
{
    (void)k;
    return rethrow(env, P(cpu), hm_cpu_resume(P(cpu), (uint64_t)eip));
}

static void throw_illegal_argument(JNIEnv *env, const char *message)
{
    jclass e = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
    if (e)
        (*env)->ThrowNew(env, e, message);
}

/* A direct buffer over native memory that stays valid as long as its owner (no copy). A
 * ByteBuffer holds at most 2^31 - 1 bytes. */
JNIEXPORT jobject JNICALL HM(hm_1view)(JNIEnv *env, jclass k, jlong address, jlong bytes)
{
    (void)k;
    if (address == 0 || bytes < 0 || bytes > INT32_MAX) {
        throw_illegal_argument(env, "hm_view: a null address, or a size outside 0..2^31-1");
        return NULL;
    }
    return (*env)->NewDirectByteBuffer(env, P(address), bytes);
}

JNIEXPORT jlong JNICALL HM(hm_1cpu_1icount_1ptr)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return J(hm_cpu_icount_ptr(P(cpu)));
}

JNIEXPORT jlong JNICALL HM(hm_1cpu_1stop_1ptr)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return J(hm_cpu_stop_ptr(P(cpu)));
}

JNIEXPORT jlong JNICALL HM(hm_1cpu_1exit_1eip_1ptr)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return J(hm_cpu_exit_eip_ptr(P(cpu)));
}

JNIEXPORT jlong JNICALL HM(hm_1cpu_1park_1ptr)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return J(hm_cpu_park_ptr(P(cpu)));
}

JNIEXPORT jint JNICALL HM(hm_1park_1size)(JNIEnv *env, jclass k)
{
    (void)env, (void)k;
    return hm_park_size();
}

JNIEXPORT jlong JNICALL HM(hm_1cpu_1fault_1vaddr)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_cpu_fault_vaddr(P(cpu));
}

JNIEXPORT jint JNICALL HM(hm_1cpu_1fault_1type)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_cpu_fault_type(P(cpu));
}

JNIEXPORT jint JNICALL HM(hm_1cpu_1fault_1fixup)(JNIEnv *env, jclass k, jlong cpu, jlong eip)
{
    (void)k;
    return rethrow(env, P(cpu), (jint)hm_cpu_fault_fixup(P(cpu), (uint64_t)eip));
}

JNIEXPORT jint JNICALL HM(hm_1flush_1tlb)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_flush_tlb(P(cpu));
}

JNIEXPORT jint JNICALL HM(hm_1flush_1tb)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_flush_tb(P(cpu));
}

JNIEXPORT jlong JNICALL HM(hm_1shared_1new)(JNIEnv *env, jclass k, jlong phys, jlong pages)
{
    (void)env, (void)k;
    return J(hm_shared_new(P(phys), (uint64_t)pages));
}

JNIEXPORT void JNICALL HM(hm_1shared_1free)(JNIEnv *env, jclass k, jlong shared)
{
    (void)env, (void)k;
    hm_shared_free(P(shared));
}

JNIEXPORT jlong JNICALL HM(hm_1shared_1code_1map)(JNIEnv *env, jclass k, jlong shared)
{
    (void)env, (void)k;
    return J(hm_shared_code_map(P(shared)));
}

JNIEXPORT jint JNICALL HM(hm_1shared_1invalidate)(JNIEnv *env, jclass k, jlong shared, jlong page, jint mask)
{
    (void)env, (void)k;
    return hm_shared_invalidate(P(shared), (uint64_t)page, mask);
}

JNIEXPORT jlong JNICALL HM(hm_1phys_1alloc)(JNIEnv *env, jclass k, jlong size)
{
    (void)env, (void)k;
    return J(hm_phys_alloc((uint64_t)size));
}

JNIEXPORT jint JNICALL HM(hm_1phys_1free)(JNIEnv *env, jclass k, jlong ptr, jlong size)
{
    (void)env, (void)k;
    return hm_phys_free(P(ptr), (uint64_t)size);
}

JNIEXPORT jlong JNICALL HM(hm_1phys_1clear)(JNIEnv *env, jclass k, jlong ptr, jlong size)
{
    (void)env, (void)k;
    return hm_phys_clear(P(ptr), (uint64_t)size);
}

JNIEXPORT jlong JNICALL HM(hm_1cpu_1mtlb)(JNIEnv *env, jclass k, jlong cpu, jint ways0, jint sets0, jint ways1,
                                         jint sets1, jlong phys_size)
{
    (void)env, (void)k;
    return J(hm_cpu_mtlb(P(cpu), ways0, sets0, ways1, sets1, (uint64_t)phys_size));
}

JNIEXPORT jlong JNICALL HM(hm_1cpu_1mtlb_1hits)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return (jlong)hm_cpu_mtlb_hits(P(cpu));
}

JNIEXPORT jint JNICALL HM(hm_1mtlb_1slot_1offset)(JNIEnv *env, jclass k)
{
    (void)env, (void)k;
    return hm_mtlb_slot_offset();
}

JNIEXPORT jint JNICALL HM(hm_1debug_1enable)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_debug_enable(P(cpu));
}

/* n elements of a Java long[] (n checked against its length), or -1. */
static int copy_longs(JNIEnv *env, jlongArray a, jint n, uint64_t *out)
{
    if (n < 0 || !a || (*env)->GetArrayLength(env, a) < n)
        return -1;
    (*env)->GetLongArrayRegion(env, a, 0, n, (jlong *)out);
    return 0;
}

JNIEXPORT jint JNICALL HM(hm_1debug_1set_1breaks)(JNIEnv *env, jclass k, jlong cpu, jlongArray addrs, jint n)
{
    (void)k;
    uint64_t buf[HM_MAX_BREAK];
    if (n > HM_MAX_BREAK || copy_longs(env, addrs, n, buf) != 0)
        return -1;
    return hm_debug_set_breaks(P(cpu), buf, n);
}

JNIEXPORT jint JNICALL HM(hm_1debug_1set_1watches)(JNIEnv *env, jclass k, jlong cpu, jlongArray lo, jlongArray hi,
                                                  jintArray kind, jint n)
{
    (void)k;
    uint64_t l[HM_MAX_WATCH], h[HM_MAX_WATCH];
    int32_t kd[HM_MAX_WATCH];
    if (n > HM_MAX_WATCH || copy_longs(env, lo, n, l) != 0 || copy_longs(env, hi, n, h) != 0 || !kind
        || (*env)->GetArrayLength(env, kind) < n)
        return -1;
    (*env)->GetIntArrayRegion(env, kind, 0, n, (jint *)kd);
    return hm_debug_set_watches(P(cpu), l, h, kd, n);
}

JNIEXPORT void JNICALL HM(hm_1debug_1set_1step)(JNIEnv *env, jclass k, jlong cpu, jint on)
{
    (void)env, (void)k;
    hm_debug_set_step(P(cpu), on);
}

JNIEXPORT void JNICALL HM(hm_1debug_1skip_1once)(JNIEnv *env, jclass k, jlong cpu, jlong pc)
{
    (void)env, (void)k;
    hm_debug_skip_once(P(cpu), (uint64_t)pc);
}

JNIEXPORT jint JNICALL HM(hm_1debug_1why)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_debug_why(P(cpu));
}

JNIEXPORT jint JNICALL HM(hm_1debug_1take_1pending)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_debug_take_pending(P(cpu));
}

JNIEXPORT jlong JNICALL HM(hm_1debug_1watch_1addr)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return (jlong)hm_debug_watch_addr(P(cpu));
}

JNIEXPORT jint JNICALL HM(hm_1debug_1watch_1kind)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return hm_debug_watch_kind(P(cpu));
}

JNIEXPORT void JNICALL HM(hm_1debug_1stop_1next)(JNIEnv *env, jclass k, jlong cpu, jint on)
{
    (void)env, (void)k;
    hm_debug_stop_next(P(cpu), on);
}

JNIEXPORT jlong JNICALL HM(hm_1debug_1executed)(JNIEnv *env, jclass k, jlong cpu)
{
    (void)env, (void)k;
    return (jlong)hm_debug_executed(P(cpu));
}

/* ---- UcLib: the libunicorn functions Java calls, as in unicorn.h ---- */

JNIEXPORT jint JNICALL UC(uc_1open)(JNIEnv *env, jclass k, jint arch, jint mode, jlongArray out)
{
    (void)k;
    if (!out || (*env)->GetArrayLength(env, out) < 1)
        return (jint)UC_ERR_ARG;
    uc_engine *uc = NULL;
    uc_err err = uc_open((uc_arch)arch, (uc_mode)mode, &uc);
    jlong v = J(uc);
    (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
    return (jint)err;
}

JNIEXPORT jint JNICALL UC(uc_1close)(JNIEnv *env, jclass k, jlong uc)
{
    (void)env, (void)k;
    return (jint)uc_close(P(uc));
}

/* Reads a register of at most 64 bits (the x86 general, segment and control registers). */
JNIEXPORT jint JNICALL UC(uc_1reg_1read)(JNIEnv *env, jclass k, jlong uc, jint regid, jlongArray out)
{
    (void)k;
    if (!out || (*env)->GetArrayLength(env, out) < 1)
        return (jint)UC_ERR_ARG;
    uint64_t buf[8] = {0}; /* room for the larger registers, should one be asked for */
    uc_err err = uc_reg_read(P(uc), regid, buf);
    jlong v = (jlong)buf[0];
    (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
    return (jint)err;
}

/*
 * A register of at most 32 bits, as the value itself (no array to fill: the kernel model
 * reads registers at many hypercalls); a negative result is -(the uc_err).
 */
JNIEXPORT jlong JNICALL HM(hm_1reg_1read32)(JNIEnv *env, jclass k, jlong uc, jint regid)
{
    (void)env, (void)k;
    uint64_t buf[8] = {0};
    uc_err err = uc_reg_read(P(uc), regid, buf);
    return err != UC_ERR_OK ? -(jlong)err : (jlong)(uint32_t)buf[0];
}

JNIEXPORT jint JNICALL UC(uc_1reg_1write)(JNIEnv *env, jclass k, jlong uc, jint regid, jlong value)
{
    (void)env, (void)k;
    uint64_t buf[8] = {(uint64_t)value};
    return (jint)uc_reg_write(P(uc), regid, buf);
}

JNIEXPORT jint JNICALL UC(uc_1mem_1map_1ptr)(JNIEnv *env, jclass k, jlong uc, jlong address, jlong size,
                                            jint perms, jlong ptr)
{
    (void)env, (void)k;
    return (jint)uc_mem_map_ptr(P(uc), (uint64_t)address, (size_t)size, (uint32_t)perms, P(ptr));
}

JNIEXPORT jint JNICALL UC(uc_1mem_1map)(JNIEnv *env, jclass k, jlong uc, jlong address, jlong size, jint perms)
{
    (void)env, (void)k;
    return (jint)uc_mem_map(P(uc), (uint64_t)address, (size_t)size, (uint32_t)perms);
}

JNIEXPORT jint JNICALL UC(uc_1mem_1write)(JNIEnv *env, jclass k, jlong uc, jlong address, jbyteArray bytes)
{
    (void)k;
    if (!bytes)
        return (jint)UC_ERR_ARG;
    jsize n = (*env)->GetArrayLength(env, bytes);
    jbyte *p = (*env)->GetByteArrayElements(env, bytes, NULL);
    if (!p)
        return (jint)UC_ERR_NOMEM;
    uc_err err = uc_mem_write(P(uc), (uint64_t)address, p, (size_t)n);
    (*env)->ReleaseByteArrayElements(env, bytes, p, JNI_ABORT);
    return (jint)err;
}

JNIEXPORT jint JNICALL UC(uc_1emu_1start)(JNIEnv *env, jclass k, jlong uc, jlong begin, jlong until, jlong timeout,
                                         jlong count)
{
    (void)env, (void)k;
    return (jint)uc_emu_start(P(uc), (uint64_t)begin, (uint64_t)until, (uint64_t)timeout, (size_t)count);
}

JNIEXPORT jint JNICALL UC(uc_1emu_1stop)(JNIEnv *env, jclass k, jlong uc)
{
    (void)env, (void)k;
    return (jint)uc_emu_stop(P(uc));
}

JNIEXPORT jstring JNICALL UC(uc_1strerror)(JNIEnv *env, jclass k, jint code)
{
    (void)k;
    return (*env)->NewStringUTF(env, uc_strerror((uc_err)code));
}
