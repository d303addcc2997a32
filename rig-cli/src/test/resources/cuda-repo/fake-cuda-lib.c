/* A stand-in for one shared library of NVIDIA's CUDA packages (libcudart, libcublas, ...): it
   only names itself. Built with -DRUNTIME_VERSION=N it is libcudart and answers
   cudaRuntimeGetVersion with N, like the real one (12080 for CUDA 12.8). */
const char *rig_fake_cuda_library(void) { return FAKE_LIBRARY; }
#ifdef RUNTIME_VERSION
int cudaRuntimeGetVersion(int *version) {
  *version = RUNTIME_VERSION;
  return 0;
}
#endif
