/* Linked against libcudart.so.MAJOR (its soname): run in the image, it shows that the dynamic
   loader finds the CUDA runtime through /etc/ld.so.conf.d and the ld.so cache, with no
   LD_LIBRARY_PATH pointing at it. */
#include <stdio.h>
int cudaRuntimeGetVersion(int *version);
int main(void) {
  int version = 0;
  if (cudaRuntimeGetVersion(&version) != 0) return 1;
  printf("cudart %d\n", version);
  return 0;
}
