/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-heavy-units.h: the per-neuron parts of a heavy snapshot, what the Network page draws
 * besides weights and masks (the fields are documented in lab-snapshot.h, LabHeavyLayer):
 *  - each unit's back-propagated error ‖δ_j‖ of a step (the network records it only on the
 *    steps a session asks for: lab_mlp_set_unit_delta());
 *  - ∂L/∂W of the last step, when the consumer asks for it (a copy of every gradient);
 *  - for 2-D data, each unit's output over the input plane, captured from the forward passes
 *    that compute the decision grid (LabUnitMaps);
 *  - for other data, each unit's output on one probe sample of the test split.
 * All of it is built on the engine thread, at most once per heavy snapshot.
 */
#pragma once

#include "lab-dataset.h"
#include "lab-snapshot.h"

G_BEGIN_DECLS

/* Heavy parts a consumer asks for beyond the default ones (lab_session_set_heavy_parts()). */
typedef enum
{
  LAB_HEAVY_PART_WEIGHT_GRADS = 1 << 0,   /* weight_grad of every layer */
} LabHeavyParts;

/* unit_delta of every layer from @mlp's last backward pass that recorded them, measured at
 * @step. FALSE (nothing set) if @mlp has recorded none or its layers are not @heavy's. */
gboolean     lab_heavy_set_unit_delta   (LabHeavy          *heavy,
                                         const LabMlp      *mlp,
                                         guint64            step);
/* weight_grad of every layer: a copy of @mlp's gradients, laid out as @heavy's parameters. */
void         lab_heavy_set_weight_grads (LabHeavy          *heavy,
                                         const LabMlp      *mlp);
/* Runs sample @index of @split through @mlp (overwriting its workspace) and keeps each unit's
 * output as probe_act, the input as probe_input. FALSE (nothing set) when @index is out of
 * range or @heavy's layers are not @mlp's. */
gboolean     lab_heavy_set_probe        (LabHeavy          *heavy,
                                         LabMlp            *mlp,
                                         const LabSplit    *split,
                                         gsize              index);

/* Each unit's output over a grid of points in the plane, reduced 2 × 2 (a 64 × 64 decision grid
 * gives 32 × 32 maps): captured while lab_unit_maps_predict() computes the decision grid, so
 * it costs no forward pass of its own. */
typedef struct _LabUnitMaps LabUnitMaps;

LabUnitMaps *lab_unit_maps_new          (void);
void         lab_unit_maps_free         (LabUnitMaps       *maps);
/* lab_mlp_predict() over the @grid_n × @grid_n points @xy (row-major, even @grid_n), keeping
 * every unit's output, averaged over 2 × 2 cells, as the maps. */
void         lab_unit_maps_predict      (LabUnitMaps       *maps,
                                         LabMlp            *mlp,
                                         const float       *xy,       /* (grid_n², 2) */
                                         guint              grid_n,
                                         guint8            *classes,  /* (grid_n²) */
                                         float             *confidence); /* (grid_n²) */
/* unit_maps of every layer: a copy of the maps, over [@lo, @hi]². FALSE (nothing set) when
 * none were captured or they were captured for other layer sizes than @heavy's. */
gboolean     lab_heavy_set_unit_maps    (LabHeavy          *heavy,
                                         const LabUnitMaps *maps,
                                         float              lo,
                                         float              hi);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabUnitMaps, lab_unit_maps_free)

G_END_DECLS
