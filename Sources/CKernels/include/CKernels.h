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

/// Batch normalization with batch statistics followed by ReLU, on `rows` × `width` values `pre`
/// (Ioffe and Szegedy, ICML 2015): per column the mean μ and biased variance σ² over rows,
/// inverse = 1/√(σ² + ε), pre becomes x̂ = (pre − μ)·inverse, and
/// out[r·out_stride + j] = max(γ·x̂ + β, 0). Sums run over rows in order, in single precision
/// without fused multiply-adds, so the result equals the same loops written element by element.
void doppel_batch_norm_relu(
    float *pre, long rows, long width, const float *gamma, const float *beta, float epsilon,
    float *out, long out_stride, float *mean, float *variance, float *inverse);

/// The ReLU gate and the column sums of a batch-norm backward pass: with
/// g = (activations[r·a_stride + j] > 0 ? upstream[r·u_stride + j] : 0), gated[r·width + j] = g,
/// sums[j] += g and weighted[j] += g·normalized[r·width + j], summed over rows in order.
void doppel_relu_gate_sums(
    const float *activations, long a_stride, const float *upstream, long u_stride,
    const float *normalized, long rows, long width, float *gated, float *sums, float *weighted);

/// out (count × width) += S·B for the rows S in compressed sparse form (row r's entries are
/// starts[r]..<starts[r + 1] of columns and values) and B row-major with `width` columns.
void doppel_sparse_multiply(
    const long *starts, const long *columns, const float *values, long count, const float *b,
    long width, float *out);

/// out (columns of S × width) += Sᵀ·D for the sparse rows S as in ``doppel_sparse_multiply`` and
/// D row-major (count × width).
void doppel_sparse_multiply_transposed(
    const long *starts, const long *columns, const float *values, long count, const float *d,
    long width, float *out);

/// Replaces each s in (0, 1) of `values` by the polar method's factor √(−2·log s / s)·scale, with
/// the logarithm of ``doppel_gumbel_from_uniform``. Every s must be a normal positive float.
void doppel_polar_factors(float *values, long count, float scale);

#endif
