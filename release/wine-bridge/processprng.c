/*
 * TEST-ONLY bridge for running Canvass under wine 8 in the smoke test. Never
 * shipped.
 *
 * Go 1.24 and later read random bytes through bcryptprimitives.dll!ProcessPrng,
 * which every supported Windows has but wine 8.0 (Debian 12) lacks. This DLL
 * exports ProcessPrng and forwards it to advapi32!SystemFunction036
 * (RtlGenRandom), which wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		length -= chunk;
	}
	return TRUE;
}
