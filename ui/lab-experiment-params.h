/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-params.h: the choices of a sweep or a lottery as the window's actions take
 * them (win.run-sweep, win.run-lottery: a GVariant dictionary, a{sv}), the defaults a run
 * gives them, and their translation into the engine's specs (lab-experiment.h). The Sweep and
 * Lottery dialogs, gradlab --sweep/--lottery and the tests all go through these, so the choices
 * mean the same everywhere, and they are gradlab-cli's:
 *
 *   sweep    criteria (s)         "magnitude,random"  (--criteria)
 *            sparsities (s)       "0,0.5,0.8,0.9"     (--sparsities)
 *            scope (s)            layer or global     (--scope)
 *            structure (s)        weight or neuron    (--structure)
 *            finetune-epochs (u)                      (--finetune-epochs)
 *            train (b)            train a fresh copy to the end first (the CLI always does,
 *                                 unless --load-weights); FALSE prunes the network as it is
 *   lottery  rounds (u)                               (--rounds)
 *            rate (d)             fraction of the remaining weights pruned a round (--rate)
 *            rewind (s)           init or step:K      (--rewind)
 *            scope (s)                                (--scope)
 *            control (b)          also train each mask on fresh weights (--control reinit)
 *
 * A key left out takes the run's default.
 */
#pragma once

#include <glib.h>

#include "lab-config.h"
#include "lab-experiment.h"

G_BEGIN_DECLS

/* A sweep's spec with the arrays it points into (owned). */
typedef struct
{
  LabSweepSpec spec;
  GArray      *criteria;     /* LabPruneCriterion */
  GArray      *sparsities;   /* double */
} LabSweepChoice;

void      lab_sweep_choice_clear          (LabSweepChoice     *choice);

/* The defaults a run gives a sweep: the run's criterion and random (the control every paper
 * needs), 0, 0.5, 0.8, 0.9 and the run's target sparsity, its scope and structure (@prune:
 * what Prune Now would do), its prune.retrain_epochs as fine-tuning, and a fresh copy trained
 * to the end unless @finished (the run has done its training: prune that network, as Prune Now
 * would, in seconds). A floating a{sv}. */
GVariant *lab_sweep_params_defaults       (const LabConfig    *cfg,
                                           const LabPruneSpec *prune,
                                           gboolean            finished);
/* The defaults a lottery takes from a run's [prune] section: rounds, rate, rewind (init unless
 * it rewinds to a step), scope; a control. A floating a{sv}. */
GVariant *lab_lottery_params_defaults     (const LabConfig    *cfg);
/* @defaults (a floating reference is taken) with the keys of @given (may be NULL) put over
 * them. A floating a{sv}. */
GVariant *lab_experiment_params_merge     (GVariant           *defaults,
                                           GVariant           *given);

/* The sweep @params (every key present) describe, pruning as @prune otherwise does; FALSE with
 * a message naming the choice that is wrong. */
gboolean  lab_sweep_params_to_choice      (GVariant           *params,
                                           const LabPruneSpec *prune,
                                           LabSweepChoice     *choice,
                                           GError            **error);
/* The lottery @params (every key present) describe, on a run of @cfg that has @total_steps. */
gboolean  lab_lottery_params_to_spec      (GVariant           *params,
                                           const LabConfig    *cfg,
                                           guint64             total_steps,
                                           LabLotterySpec     *spec,
                                           GError            **error);

G_END_DECLS
