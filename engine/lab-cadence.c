/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-cadence.c: pacing, metering and evaluation timing of a live session (lab-cadence.h).
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include "lab-cadence.h"

void
lab_pacer_restart (LabPacer *pacer,
                   gint64    now)
{
  pacer->t0 = now;
  pacer->steps = 0;
}

gint64
lab_pacer_wait (const LabPacer *pacer,
                double          max_rate,
                gint64          now)
{
  if (max_rate <= 0)
    return 0;
  return pacer->t0 + (gint64) (pacer->steps * G_USEC_PER_SEC / max_rate) - now;
}

void
lab_pacer_count (LabPacer *pacer)
{
  pacer->steps++;
}

void
lab_rate_meter_reset (LabRateMeter *meter)
{
  *meter = (LabRateMeter) { 0 };
}

double
lab_rate_meter_update (LabRateMeter *meter,
                       gsize         seen,
                       gint64        now)
{
  if (meter->t == 0)
    {
      meter->t = now;
      meter->seen = seen;
    }
  else if (now - meter->t >= LAB_RATE_WINDOW)
    {
      meter->rate = (double) (seen - meter->seen) * G_USEC_PER_SEC / (double) (now - meter->t);
      meter->t = now;
      meter->seen = seen;
    }
  return meter->rate;
}

gboolean
lab_eval_due (LabTrainer         *trainer,
              const LabStepStats *st,
              gint64              since_last)
{
  const LabConfig *cfg = lab_trainer_get_config (trainer);
  LabDataset *data = lab_trainer_get_dataset (trainer);

  if (data->test.n == 0)
    return FALSE;
  if (st->step % lab_trainer_steps_per_epoch (trainer) == 0 ||
      st->step == lab_trainer_total_steps (trainer))
    return TRUE;
  if (cfg->train.eval_every && st->step % cfg->train.eval_every == 0)
    return TRUE;
  return data->dim * data->test.n <= 200000 && since_last >= LAB_EVAL_PERIOD_SMALL;
}
