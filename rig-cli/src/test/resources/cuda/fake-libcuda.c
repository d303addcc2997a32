/* A stand-in for the libcuda.so.1 the NVIDIA container toolkit injects: it reports a driver
   version (FAKE_CUDA_DRIVER_VERSION, default 13000) and no device. */
#include <stdlib.h>
#include <string.h>
typedef int CUresult;
static int version(void) {
  const char *v = getenv("FAKE_CUDA_DRIVER_VERSION");
  return v ? atoi(v) : 13000;
}
CUresult cuInit(unsigned flags) { return 100; }
CUresult cuDriverGetVersion(int *v) { *v = version(); return 0; }
CUresult cuDeviceGetCount(int *n) { *n = 0; return 100; }
CUresult cuGetErrorName(CUresult e, const char **s) {
  *s = e == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN"; return 0; }
CUresult cuGetErrorString(CUresult e, const char **s) {
  *s = e == 100 ? "no CUDA-capable device is detected" : "unknown error"; return 0; }
static CUresult no_device(void) { return 100; }
CUresult cuGetProcAddress_v2(const char *sym, void **pfn, int ver, unsigned long long flags,
                             int *status);
CUresult cuGetProcAddress(const char *sym, void **pfn, int ver, unsigned long long flags) {
  return cuGetProcAddress_v2(sym, pfn, ver, flags, 0);
}
CUresult cuGetProcAddress_v2(const char *sym, void **pfn, int ver, unsigned long long flags,
                             int *status) {
  if (!strcmp(sym, "cuInit")) *pfn = (void *)cuInit;
  else if (!strcmp(sym, "cuDriverGetVersion")) *pfn = (void *)cuDriverGetVersion;
  else if (!strcmp(sym, "cuDeviceGetCount")) *pfn = (void *)cuDeviceGetCount;
  else if (!strcmp(sym, "cuGetErrorName")) *pfn = (void *)cuGetErrorName;
  else if (!strcmp(sym, "cuGetErrorString")) *pfn = (void *)cuGetErrorString;
  else if (!strcmp(sym, "cuGetProcAddress")) *pfn = (void *)cuGetProcAddress_v2;
  else *pfn = (void *)no_device;
  if (status) *status = 1;
  return 0;
}
