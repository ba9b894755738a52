/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-loss.h: losses on logits, averaged over the batch as PyTorch's defaults
 * (CrossEntropyLoss, MSELoss with reduction='mean').
 */
#pragma once

#include "lab-mlp.h"

G_BEGIN_DECLS

/* Returns the mean loss; writes ∂loss/∂logits into @dlogits (may be NULL) and the number of
 * correct argmax predictions into @n_correct (may be NULL). */
double lab_loss_forward (LabLoss        kind,
                         const float   *logits,   /* (B, C) */
                         const guint32 *y,        /* (B) */
                         gsize          B,
                         gsize          C,
                         float         *dlogits,  /* (B, C) or NULL */
                         gsize         *n_correct);

/* Index of the largest of v[0..n). */
gsize  lab_argmax       (const float   *v,
                         gsize          n);

/* The largest softmax probability of logits z[0..C), max_c e^{z_c} / Σ e^{z_c}, and its class in
 * @best (may be NULL): how sure the network is of its prediction. */
double lab_softmax_top  (const float   *z,
                         gsize          C,
                         gsize         *best);

G_END_DECLS
