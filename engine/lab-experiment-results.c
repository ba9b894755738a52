/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-experiment-results.c: a run's sweep points and lottery rounds (lab-experiment-results.h).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <math.h>

#include "lab-experiment-results.h"
#include "lab-file-replace.h"

void
lab_experiment_results_init (LabExperimentResults *results)
{
  g_return_if_fail (results != NULL);

  results->sweep = g_array_new (FALSE, FALSE, sizeof (LabSweepRow));
  results->lottery = g_array_new (FALSE, FALSE, sizeof (LabLotteryRound));
  results->sweep_dense_accuracy = results->sweep_dense_loss = NAN;
  results->lottery_dense_accuracy = results->lottery_dense_loss = NAN;
}

void
lab_experiment_results_clear (LabExperimentResults *results)
{
  g_return_if_fail (results != NULL);

  g_clear_pointer (&results->sweep, g_array_unref);
  g_clear_pointer (&results->lottery, g_array_unref);
}

void
lab_experiment_results_copy (LabExperimentResults       *dst,
                             const LabExperimentResults *src)
{
  g_return_if_fail (dst != NULL && src != NULL);

  lab_experiment_results_init (dst);
  g_array_append_vals (dst->sweep, src->sweep->data, src->sweep->len);
  g_array_append_vals (dst->lottery, src->lottery->data, src->lottery->len);
  dst->sweep_dense_accuracy = src->sweep_dense_accuracy;
  dst->sweep_dense_loss = src->sweep_dense_loss;
  dst->lottery_dense_accuracy = src->lottery_dense_accuracy;
  dst->lottery_dense_loss = src->lottery_dense_loss;
}

void
lab_experiment_results_reset_sweep (LabExperimentResults *results)
{
  g_return_if_fail (results != NULL);

  g_array_set_size (results->sweep, 0);
  results->sweep_dense_accuracy = results->sweep_dense_loss = NAN;
}

void
lab_experiment_results_reset_lottery (LabExperimentResults *results)
{
  g_return_if_fail (results != NULL);

  g_array_set_size (results->lottery, 0);
  results->lottery_dense_accuracy = results->lottery_dense_loss = NAN;
}

gboolean
lab_experiment_results_has_control (const LabExperimentResults *results)
{
  g_return_val_if_fail (results != NULL, FALSE);

  for (guint i = 0; i < results->lottery->len; i++)
    if (!isnan (g_array_index (results->lottery, LabLotteryRound, i).control_accuracy))
      return TRUE;
  return FALSE;
}

gboolean
lab_experiment_results_write_lottery (const LabExperimentResults *results,
                                      const char                 *path,
                                      GError                    **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean control;

  g_return_val_if_fail (results != NULL && path != NULL, FALSE);

  control = lab_experiment_results_has_control (results);
  for (guint i = 0; i < results->lottery->len; i++)
    {
      g_autofree char *line =
        lab_lottery_format_round (&g_array_index (results->lottery, LabLotteryRound, i),
                                  control);
      g_string_append_printf (text, "%s\n", line);
    }
  return lab_file_replace_contents (path, text->str, text->len, error);
}
