/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-loss.c: softmax cross-entropy and MSE on logits, mean over the batch (PyTorch's
 * CrossEntropyLoss and MSELoss with one-hot targets, reduction='mean').
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>

#include "lab-enum-private.h"
#include "lab-loss.h"

const LabEnumNick lab_loss_nicks[] = {
  { LAB_LOSS_SOFTMAX_CE, "cross-entropy" },
  { LAB_LOSS_MSE, "mse" },
  { 0, NULL },
};

LAB_DEFINE_ENUM_STRINGS (LabLoss, lab_loss, lab_loss_nicks)

gsize
lab_argmax (const float *v,
            gsize        n)
{
  gsize best = 0;
  for (gsize i = 1; i < n; i++)
    if (v[i] > v[best])
      best = i;
  return best;
}

double
lab_softmax_top (const float *z,
                 gsize        C,
                 gsize       *best)
{
  gsize top = lab_argmax (z, C);
  double sum = 0;

  /* Σ e^{z_c - z_top}: stable, and its inverse is the top probability */
  for (gsize c = 0; c < C; c++)
    sum += exp ((double) z[c] - z[top]);
  if (best)
    *best = top;
  return 1.0 / sum;
}

double
lab_loss_forward (LabLoss        kind,
                  const float   *logits,
                  const guint32 *y,
                  gsize          B,
                  gsize          C,
                  float         *dlogits,
                  gsize         *n_correct)
{
  double total = 0;
  gsize correct = 0;

  for (gsize r = 0; r < B; r++)
    {
      const float *z = logits + r * C;
      float *dz = dlogits ? dlogits + r * C : NULL;
      gsize best = lab_argmax (z, C);

      correct += (best == y[r]);

      if (kind == LAB_LOSS_SOFTMAX_CE)
        {
          /* loss = logsumexp(z) - z_y, stable by subtracting max; ∂/∂z = (softmax - onehot)/B */
          double m = z[best], sum = 0;
          for (gsize c = 0; c < C; c++)
            sum += exp ((double) z[c] - m);
          double lse = m + log (sum);
          total += lse - z[y[r]];
          if (dz != NULL)
            {
              for (gsize c = 0; c < C; c++)
                dz[c] = (float) (exp ((double) z[c] - lse) / (double) B);
              dz[y[r]] -= (float) (1.0 / (double) B);
            }
        }
      else
        {
          /* loss = Σ (z - t)² / (B·C); ∂/∂z = 2(z - t)/(B·C) */
          double scale = 2.0 / ((double) B * (double) C);
          for (gsize c = 0; c < C; c++)
            {
              double d = (double) z[c] - (c == y[r] ? 1.0 : 0.0);
              total += d * d / (double) C;
              if (dz != NULL)
                dz[c] = (float) (scale * d);
            }
        }
    }

  if (n_correct != NULL)
    *n_correct = correct;
  return total / (double) B;
}
