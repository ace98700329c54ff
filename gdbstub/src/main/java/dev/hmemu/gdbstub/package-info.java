/**
 * The GDB remote-protocol stub (Netty): CPUs as threads, memory through the MMU's debug
 * translation. It talks to the emulator's debug API only. Not written yet: no issue has
 * asked for it so far; the module exists so the module graph is in place.
 */
package dev.hmemu.gdbstub;
