/* Wine 8 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng the
 * Rust standard library imports for random numbers. This stand-in, placed
 * beside emn-pub.exe for the checks under Wine only (never shipped),
 * answers it with advapi32's RtlGenRandom (SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
