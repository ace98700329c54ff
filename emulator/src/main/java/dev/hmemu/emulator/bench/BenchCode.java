package dev.hmemu.emulator.bench;

import java.io.ByteArrayOutputStream;

/** Hand-assembled i386 loops for the benchmarks (each ends with hlt). */
public final class BenchCode {
    private BenchCode() {
    }

    /** Instructions per iteration of {@link #computeLoop} (with unroll 1). */
    public static final int COMPUTE_LOOP_BODY = 6;

    /**
     * A TLB-friendly loop of {@code n} iterations touching one data word pair:
     * {@code mov eax,[edi]; add eax,ecx; mov [edi+4],eax; xor edx,eax; dec ecx; jnz}.
     */
    public static byte[] computeLoop(long dataAddress, int n) {
        return computeLoop(dataAddress, n, 1);
    }

    /**
     * The same work with the body repeated {@code unroll} times per branch, so one
     * translated block holds {@code 4*unroll + 2} instructions: runs
     * {@code 2 + (n/unroll)*(4*unroll+2) + 1} instructions.
     */
    public static byte[] computeLoop(long dataAddress, int n, int unroll) {
        Asm a = new Asm();
        a.op(0xbf).imm32(dataAddress); // mov edi, data
        a.op(0xb9).imm32(n / unroll); // mov ecx, n/unroll
        for (int i = 0; i < unroll; i++) {
            a.op(0x8b, 0x07); // L: mov eax, [edi]
            a.op(0x01, 0xc8); // add eax, ecx
            a.op(0x89, 0x47, 0x04); // mov [edi+4], eax
            a.op(0x31, 0xc2); // xor edx, eax
        }
        a.op(0x49); // dec ecx
        a.op(0x75, 0x100 - (9 * unroll + 3)); // jnz L
        a.op(0xf4); // hlt
        return a.bytes();
    }

    /** Touches {@code pages} pages 4 KiB apart, {@code rounds} times round robin. */
    public static byte[] pageWalkLoop(long dataAddress, int pages, int rounds) {
        Asm a = new Asm();
        a.op(0xb9).imm32(rounds); // mov ecx, rounds
        readPages(a, dataAddress, pages); // L0 (21 bytes)
        a.op(0x49); // dec ecx
        a.op(0x75, 0xe8); // jnz L0 (-24)
        a.op(0xf4);
        return a.bytes();
    }

    /**
     * A refill-heavy loop: each round reads {@code pages} pages 4 KiB apart, then
     * {@code invlpg}s the first of them. The model drops that one entry; the engine's own
     * TLB, which has no per-page flush, is emptied, so the next round refills every page
     * (one model miss, the others held by the model's TLB).
     */
    public static byte[] refillLoop(long dataAddress, int pages, int rounds) {
        Asm a = new Asm();
        a.op(0xb9).imm32(rounds); // mov ecx, rounds
        readPages(a, dataAddress, pages); // L0 (21 bytes)
        a.op(0xbf).imm32(dataAddress); // mov edi, data
        a.op(0x0f, 0x01, 0x3f); // invlpg [edi]
        a.op(0x49); // dec ecx
        a.op(0x75, 0x100 - 32); // jnz L0 (-32)
        a.op(0xf4);
        return a.bytes();
    }

    /** One read from each of {@code pages} pages 4 KiB apart (21 bytes; uses eax, ebx, edi). */
    private static void readPages(Asm a, long dataAddress, int pages) {
        a.op(0xbf).imm32(dataAddress); // mov edi, data
        a.op(0xbb).imm32(pages); // mov ebx, pages
        a.op(0x8b, 0x07); // L1: mov eax, [edi]
        a.op(0x81, 0xc7).imm32(4096); // add edi, 4096
        a.op(0x4b); // dec ebx
        a.op(0x75, 0xf5); // jnz L1 (-11)
    }

    /** {@code n} hypercalls: {@code mov eax, block; out 0xE9, eax; dec ecx; jnz}. */
    public static byte[] hypercallLoop(long block, int n) {
        Asm a = new Asm();
        a.op(0xb9).imm32(n);
        a.op(0xb8).imm32(block); // L: mov eax, block
        a.op(0xe7, 0xe9); // out 0xE9, eax
        a.op(0x49); // dec ecx
        a.op(0x75, 0xf6); // jnz L (-10)
        a.op(0xf4);
        return a.bytes();
    }

    private static final class Asm {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Asm op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Asm imm32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
