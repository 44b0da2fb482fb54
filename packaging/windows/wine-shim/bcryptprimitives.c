/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, for running the
 * Windows build under Wine 8 (Debian bookworm), which lacks that DLL.
 * Rust's standard library calls its ProcessPrng at start-up for random
 * bytes; here it is answered by advapi32's RtlGenRandom (SystemFunction036),
 * which Wine has. Never shipped: Windows 10 and 11 have the real DLL.
 * Built by scripts/test-windows.sh with the MinGW-w64 gcc.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
