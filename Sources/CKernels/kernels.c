#include "CKernels.h"

#include <math.h>
#include <string.h>

// The loops are built twice on x86-64 Linux, for AVX2 and for the baseline, and the loader picks
// one for the processor. Without fused multiply-adds (-ffp-contract=off) and with the same
// operations per element, both give the same bits.
#if defined(__x86_64__) && defined(__linux__)
#define DOPPEL_VECTOR __attribute__((target_clones("avx2", "default")))
#else
#define DOPPEL_VECTOR
#endif

DOPPEL_VECTOR void doppel_adam_update(
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

DOPPEL_VECTOR void doppel_gumbel_from_uniform(float *restrict values, long count) {
  for (long i = 0; i < count; i++) {
    values[i] = -doppel_logf(-doppel_logf(values[i]));
  }
}

DOPPEL_VECTOR void doppel_batch_norm_relu(
    float *restrict pre, long rows, long width, const float *restrict gamma,
    const float *restrict beta, float epsilon, float *restrict out, long out_stride,
    float *restrict mean, float *restrict variance, float *restrict inverse) {
  const float scale = 1 / (float)rows;
  for (long j = 0; j < width; j++) {
    mean[j] = 0;
    variance[j] = 0;
  }
  for (long r = 0; r < rows; r++) {
    const float *restrict row = pre + r * width;
    for (long j = 0; j < width; j++) mean[j] += row[j];
  }
  for (long j = 0; j < width; j++) mean[j] *= scale;
  for (long r = 0; r < rows; r++) {
    float *restrict row = pre + r * width;
    for (long j = 0; j < width; j++) {
      const float d = row[j] - mean[j];
      row[j] = d;
      variance[j] += d * d;
    }
  }
  for (long j = 0; j < width; j++) {
    variance[j] *= scale;
    inverse[j] = 1 / sqrtf(variance[j] + epsilon);
  }
  for (long r = 0; r < rows; r++) {
    float *restrict row = pre + r * width;
    float *restrict target = out + r * out_stride;
    for (long j = 0; j < width; j++) {
      const float x = row[j] * inverse[j];
      row[j] = x;
      const float y = gamma[j] * x + beta[j];
      target[j] = 0.0f >= y ? 0.0f : y;
    }
  }
}

DOPPEL_VECTOR void doppel_relu_gate_sums(
    const float *restrict activations, long a_stride, const float *restrict upstream,
    long u_stride, const float *restrict normalized, long rows, long width,
    float *restrict gated, float *restrict sums, float *restrict weighted) {
  for (long r = 0; r < rows; r++) {
    const float *restrict a = activations + r * a_stride;
    const float *restrict u = upstream + r * u_stride;
    const float *restrict x = normalized + r * width;
    float *restrict g = gated + r * width;
    for (long j = 0; j < width; j++) {
      // Both loads are unconditional, so the loop vectorizes.
      const float gradient = u[j];
      const float value = a[j] > 0 ? gradient : 0.0f;
      g[j] = value;
      sums[j] += value;
      weighted[j] += value * x[j];
    }
  }
}

DOPPEL_VECTOR void doppel_sparse_multiply(
    const long *restrict starts, const long *restrict columns, const float *restrict values,
    long count, const float *restrict b, long width, float *restrict out) {
  for (long r = 0; r < count; r++) {
    float *restrict row = out + r * width;
    for (long at = starts[r]; at < starts[r + 1]; at++) {
      const float x = values[at];
      const float *restrict source = b + columns[at] * width;
      for (long j = 0; j < width; j++) row[j] += x * source[j];
    }
  }
}

DOPPEL_VECTOR void doppel_sparse_multiply_transposed(
    const long *restrict starts, const long *restrict columns, const float *restrict values,
    long count, const float *restrict d, long width, float *restrict out) {
  for (long r = 0; r < count; r++) {
    const float *restrict source = d + r * width;
    for (long at = starts[r]; at < starts[r + 1]; at++) {
      const float x = values[at];
      float *restrict row = out + columns[at] * width;
      for (long j = 0; j < width; j++) row[j] += x * source[j];
    }
  }
}

DOPPEL_VECTOR void doppel_polar_factors(float *restrict values, long count, float scale) {
  for (long i = 0; i < count; i++) {
    const float s = values[i];
    values[i] = sqrtf(-2 * doppel_logf(s) / s) * scale;
  }
}
