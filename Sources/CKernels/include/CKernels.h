#ifndef DOPPEL_CKERNELS_H
#define DOPPEL_CKERNELS_H

#include <stdint.h>

/// One Adam or AdamW step over `count` weights (Kingma and Ba, ICLR 2015; Loshchilov and Hutter,
/// ICLR 2019): g' = g + l2·w, m = β1·m + (1−β1)·g', v = β2·v + (1−β2)·g'², and
/// w = w·shrink − rate·(m·ic1)/(√(v·ic2) + ε). Single-precision operations in this order, without
/// fused multiply-adds, so the result equals the same loop written element by element.
void doppel_adam_update(
    float *weights, float *first, float *second, const float *gradients, long count,
    float beta1, float beta2, float inverse_c1, float inverse_c2, float epsilon, float rate,
    float l2, float shrink);

/// Replaces each uniform u in (0, 1) of `values` by the standard Gumbel value −log(−log u), with a
/// vectorizable natural logarithm (Cephes `logf`, relative error below 2·10⁻⁷). Every u must be
/// a normal positive float below 1.
void doppel_gumbel_from_uniform(float *values, long count);

#endif
