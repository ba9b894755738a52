/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-results.h: what a run's experiments found, kept together so the window can
 * show it, export it and save it in the run file (lab-runfile.h): the points of the latest
 * sweep and the rounds of the latest lottery, each with the test numbers of the unpruned
 * network they started from (the plots' reference line). The sweep's CSV is lab-sweep.h's;
 * the lottery's rounds are written here as the CLI prints them.
 */
#pragma once

#include "lab-experiment.h"

G_BEGIN_DECLS

typedef struct
{
  GArray *sweep;                   /* LabSweepRow, in the order they were made */
  double  sweep_dense_accuracy;    /* the unpruned network's test numbers; NaN: not known */
  double  sweep_dense_loss;
  GArray *lottery;                 /* LabLotteryRound, by round */
  double  lottery_dense_accuracy;
  double  lottery_dense_loss;
} LabExperimentResults;

/* Empty arrays, dense numbers NaN. */
void     lab_experiment_results_init        (LabExperimentResults       *results);
/* Frees the arrays (init again to reuse). */
void     lab_experiment_results_clear       (LabExperimentResults       *results);
/* @dst (not initialised) becomes a deep copy of @src. */
void     lab_experiment_results_copy        (LabExperimentResults       *dst,
                                             const LabExperimentResults *src);
/* Forgets the sweep (its points and dense numbers), or the lottery. */
void     lab_experiment_results_reset_sweep   (LabExperimentResults     *results);
void     lab_experiment_results_reset_lottery (LabExperimentResults     *results);
/* TRUE when any lottery round has a control (the same mask on fresh random weights). */
gboolean lab_experiment_results_has_control (const LabExperimentResults *results);

/* The lottery's rounds as gradlab-cli lottery prints them, one "round=R sparsity=S
 * test_accuracy=A[ control_accuracy=C]" line each (lab_lottery_format_round()), written
 * atomically to @path. */
gboolean lab_experiment_results_write_lottery (const LabExperimentResults *results,
                                               const char                 *path,
                                               GError                    **error);

G_END_DECLS
