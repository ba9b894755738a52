/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-mlp.h: the multilayer perceptron. Layer l (1-based in files and UI, 0-based here) maps
 * a_{l-1} (B, n_{l-1}) to z_l = a_{l-1}·W_lᵀ + b_l and a_l = f_l(z_l), with W_l stored (n_l, n_{l-1})
 * row-major as PyTorch's nn.Linear. The last layer is linear: its z are the logits.
 *
 * One flat buffer each for parameters, gradients and the mask (llm.c, kann): the optimiser,
 * checkpoints and snapshot copies are one loop or one memcpy. Activations live in a workspace
 * sized for the largest batch at creation, so a training step never allocates.
 *
 * Dimension letters: B batch, K inputs of a layer, N outputs of a layer.
 */
#pragma once

#include "lab-types.h"
#include "lab-rng.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_ACT_SIGMOID,
  LAB_ACT_TANH,
  LAB_ACT_RELU,
  LAB_ACT_LEAKY_RELU,   /* slope 0.01 for z < 0, as PyTorch's default */
  LAB_ACT_ELU,          /* alpha 1 */
  LAB_ACT_LINEAR,
} LabActivation;

typedef enum
{
  LAB_INIT_UNIFORM,         /* U(-a, a), a = scale / sqrt(fan_in); scale 1 = "standard" init */
  LAB_INIT_NORMAL,          /* N(0, σ²), σ = scale / sqrt(fan_in) */
  LAB_INIT_XAVIER_UNIFORM,  /* U(±sqrt(6 / (fan_in + fan_out))), Glorot & Bengio 2010 */
  LAB_INIT_XAVIER_NORMAL,   /* N(0, 2 / (fan_in + fan_out)) */
  LAB_INIT_HE_UNIFORM,      /* U(±sqrt(6 / fan_in)), He et al. 2015 */
  LAB_INIT_HE_NORMAL,       /* N(0, 2 / fan_in) */
  LAB_INIT_LECUN,           /* N(0, 1 / fan_in), LeCun et al. 1998 */
} LabInit;

typedef enum
{
  LAB_LOSS_SOFTMAX_CE,  /* softmax cross-entropy on logits, mean over the batch */
  LAB_LOSS_MSE,         /* mean over batch and outputs of (z - onehot(y))², PyTorch's MSELoss */
} LabLoss;

/* The shape of a network: what lab_mlp_new() needs. */
typedef struct
{
  gsize         n_in;
  gsize         n_out;
  guint         n_hidden;                    /* 0..LAB_MAX_HIDDEN */
  gsize         hidden[LAB_MAX_HIDDEN];      /* widths, 1..LAB_MAX_WIDTH */
  LabActivation act[LAB_MAX_HIDDEN];         /* activation of each hidden layer */
  gboolean      residual;                    /* skip connections between equal-width hidden layers */
  LabInit       init;
  double        init_scale;                  /* for LAB_INIT_UNIFORM/NORMAL (default 1) */
  double        bias_init;                   /* constant initial bias (default 0) */
  gsize         max_batch;                   /* workspace size */
} LabMlpShape;

/* A view of one matrix inside a flat buffer. */
typedef struct
{
  float *data;
  gsize  rows;
  gsize  cols;
} LabView;

/* Per-layer numbers of one step: DESIGN.md's Snapshot. */
typedef struct
{
  float grad_norm;       /* ‖∂L/∂W_l‖₂ */
  float grad_mean_abs;   /* mean |∂L/∂W_l| */
  float delta_norm;      /* ‖δ_l‖₂ = ‖∂L/∂z_l‖₂ over the batch: the back-propagated error signal */
  float weight_norm;     /* ‖W_l‖₂ (Frobenius) */
  float update_ratio;    /* ‖ΔW_l‖ / ‖W_l‖ of the optimiser step */
  float sparsity;        /* fraction of W_l that is pruned */
  float act_mean;        /* mean of a_l over batch and units */
  float act_std;
  float act_saturated;   /* sigmoid/tanh: fraction of a_l within 1 % of an asymptote */
  float act_dead;        /* relu: fraction of units that are zero for the whole batch */
} LabLayerStats;

struct _LabMlp
{
  LabMlpShape   shape;
  guint         n_layers;                      /* weight layers = n_hidden + 1 */
  gsize         sizes[LAB_MAX_LAYERS + 1];     /* sizes[0] = n_in … sizes[n_layers] = n_out */
  LabActivation act[LAB_MAX_LAYERS];           /* output layer: LAB_ACT_LINEAR */
  gboolean      skip[LAB_MAX_LAYERS];          /* a_l += a_{l-1} (residual) */
  gsize         w_off[LAB_MAX_LAYERS];         /* offsets into params/grads/mask */
  gsize         b_off[LAB_MAX_LAYERS];
  gsize         n_weights;                     /* weights only (what pruning counts) */
  gsize         n_params;

  float        *params;                        /* (n_params) */
  float        *grads;                         /* (n_params) */
  float        *mask;                          /* (n_params) 1 kept, 0 pruned; NULL = dense */

  /* workspace, sized for shape.max_batch */
  gsize         ws_batch;
  float        *z[LAB_MAX_LAYERS];             /* (B, O) pre-activations */
  float        *a[LAB_MAX_LAYERS];             /* (B, O) activations (output layer: == z) */
  float        *dz;                            /* (B, max O) δ of the current layer */
  float        *da;                            /* (B, max O) ∂L/∂a of the layer below */
  float         delta_norm[LAB_MAX_LAYERS];    /* filled by backward */
  /* Σ_B δ² of each unit, every layer's units one after the other (unit_off[l] is layer l's
   * first), filled by backward while unit_delta_on (lab_mlp_set_unit_delta()); unit_delta_filled
   * once a backward pass has filled it */
  float        *unit_delta;                    /* (Σ_l n_l) */
  gsize         unit_off[LAB_MAX_LAYERS];
  gboolean      unit_delta_on;
  gboolean      unit_delta_filled;
};

/* Checks a shape (sizes, depth, residual widths) and says what is wrong. */
gboolean  lab_mlp_shape_validate (const LabMlpShape *shape,
                                  GError           **error);

LabMlp   *lab_mlp_new            (const LabMlpShape *shape,
                                  GError           **error);
void      lab_mlp_free           (LabMlp           *mlp);
LabMlp   *lab_mlp_copy           (const LabMlp     *mlp);

/* Draws fresh weights as shape.init says; biases = shape.bias_init. Clears the mask. */
void      lab_mlp_init_params    (LabMlp           *mlp,
                                  LabRng           *rng);

/* Units of all weight layers (hidden and output): Σ_l n_l. */
gsize     lab_mlp_n_units        (const LabMlp     *mlp);
LabView   lab_mlp_weight         (const LabMlp     *mlp,
                                  guint             layer);
LabView   lab_mlp_bias           (const LabMlp     *mlp,
                                  guint             layer);
LabView   lab_mlp_weight_grad    (const LabMlp     *mlp,
                                  guint             layer);
LabView   lab_mlp_bias_grad      (const LabMlp     *mlp,
                                  guint             layer);

/* Forward pass; returns the logits (B, n_out), owned by the workspace. */
const float *lab_mlp_forward     (LabMlp           *mlp,
                                  const float      *x,       /* (B, n_in) */
                                  gsize             batch);

/* The predicted class of each of @n inputs and the network's confidence in it (its top softmax
 * probability), in batches of the workspace's size. Overwrites the workspace. */
void      lab_mlp_predict        (LabMlp           *mlp,
                                  const float      *x,       /* (n, n_in) */
                                  gsize             n,
                                  guint8           *classes, /* (n) */
                                  float            *confidence); /* (n) */
/* Called by lab_mlp_predict_each() after the forward pass of inputs @start … @start + @batch − 1:
 * their activations are in the workspace (mlp->a[l], rows 0 … @batch − 1). */
typedef void (*LabMlpBatchFunc) (const LabMlp *mlp,
                                 gsize         start,
                                 gsize         batch,
                                 gpointer      user_data);
/* lab_mlp_predict() that calls @func (may be NULL) after each batch's forward pass. */
void      lab_mlp_predict_each   (LabMlp           *mlp,
                                  const float      *x,       /* (n, n_in) */
                                  gsize             n,
                                  guint8           *classes, /* (n) */
                                  float            *confidence, /* (n) */
                                  LabMlpBatchFunc   func,
                                  gpointer          user_data);

/* Backward pass after lab_mlp_forward() on the same x. Adds ∂L/∂θ into grads when @accumulate
 * (call lab_mlp_zero_grad() first), or overwrites them, which saves the memset pass a training
 * step would otherwise make over every parameter. Fills delta_norm[]. */
void      lab_mlp_backward       (LabMlp           *mlp,
                                  const float      *x,       /* (B, n_in) */
                                  const float      *dlogits, /* (B, n_out) */
                                  gsize             batch,
                                  gboolean          accumulate);

void      lab_mlp_zero_grad      (LabMlp           *mlp);

/* While @on, backward also sums each unit's δ² over the batch into mlp->unit_delta: what the
 * Network page colours neurons by (lab-heavy-units.h). Off by default: the extra pass over
 * every layer's δ cost 4 % of a step of the spiral preset's 2-32-32-3 net (0.7 µs of 13.4;
 * within noise on fashion-mlp), so a session turns it on only for the steps it publishes. */
void      lab_mlp_set_unit_delta (LabMlp           *mlp,
                                  gboolean          on);

/* Creates an all-ones mask if there is none. */
float    *lab_mlp_ensure_mask    (LabMlp           *mlp);
/* params *= mask (and nothing if dense). */
void      lab_mlp_apply_mask     (LabMlp           *mlp);
double    lab_mlp_layer_sparsity (const LabMlp     *mlp,
                                  guint             layer);
double    lab_mlp_total_sparsity (const LabMlp     *mlp);

/* Activation statistics of layer l from the last forward pass (batch B). */
void      lab_mlp_activation_stats (const LabMlp   *mlp,
                                    guint           layer,
                                    gsize           batch,
                                    LabLayerStats  *stats);

/* Elementwise activations and their derivatives, exported for tests. */
void      lab_activation_forward  (LabActivation  act,
                                   const float   *z,
                                   float         *a,
                                   gsize          n);
/* dz = da · f'(z), using z and a = f(z). */
void      lab_activation_backward (LabActivation  act,
                                   const float   *z,
                                   const float   *a,
                                   const float   *da,
                                   float         *dz,
                                   gsize          n);

const char *lab_activation_to_string   (LabActivation  act);
gboolean    lab_activation_from_string (const char    *str,
                                        LabActivation *out);
const char *lab_init_to_string         (LabInit        init);
gboolean    lab_init_from_string       (const char    *str,
                                        LabInit       *out);
const char *lab_loss_to_string         (LabLoss        loss);
gboolean    lab_loss_from_string       (const char    *str,
                                        LabLoss       *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabMlp, lab_mlp_free)

G_END_DECLS
