#include "CKernels.h"

#include <math.h>
#include <string.h>

void doppel_adam_update(
    float *restrict weights, float *restrict first, float *restrict second,
    const float *restrict gradients, long count, float beta1, float beta2, float inverse_c1,
    float inverse_c2, float epsilon, float rate, float l2, float shrink) {
  const float keep1 = 1 - beta1;
  const float keep2 = 1 - beta2;
  for (long i = 0; i < count; i++) {
    const float w = weights[i];
    const float g = gradients[i] + l2 * w;
    const float m = beta1 * first[i] + keep1 * g;
    const float v = beta2 * second[i] + keep2 * g * g;
    first[i] = m;
    second[i] = v;
    const float update = (m * inverse_c1) / (sqrtf(v * inverse_c2) + epsilon);
    weights[i] = w * shrink - rate * update;
  }
}

/// Natural logarithm of a normal positive float (Cephes `logf`, S. L. Moshier), written without
/// branches so loops over it vectorize.
static inline float doppel_logf(float x) {
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  // x = m·2^e with m in [0.5, 1).
  float e = (float)((int32_t)((bits >> 23) & 0xff) - 126);
  bits = (bits & 0x007fffffu) | 0x3f000000u;
  float m;
  memcpy(&m, &bits, sizeof m);
  // Move m into [√½, √2) − 1.
  const int low = m < 0.707106781186547524f;
  e = low ? e - 1 : e;
  m = low ? m + m - 1 : m - 1;
  const float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y += -2.12194440e-4f * e;
  y += -0.5f * z;
  return m + y + 0.693359375f * e;
}

void doppel_gumbel_from_uniform(float *restrict values, long count) {
  for (long i = 0; i < count; i++) {
    values[i] = -doppel_logf(-doppel_logf(values[i]));
  }
}
