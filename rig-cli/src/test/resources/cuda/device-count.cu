#include <cstdio>
#include <cuda_runtime.h>
int main() {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  printf("%s: %s (devices: %d)\n", cudaGetErrorName(e), cudaGetErrorString(e), n);
  return 0;
}
