/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-snapshot.c: refcounted snapshots (g_atomic_rc_box) that cross from the engine thread to
 * a consumer. Frozen once taken from the mailbox.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include "lab-snapshot.h"

LabHeavy *
lab_heavy_new (void)
{
  return g_new0 (LabHeavy, 1);
}

void
lab_heavy_free (LabHeavy *heavy)
{
  if (heavy == NULL)
    return;
  g_free (heavy->params);
  g_free (heavy->mask);
  g_free (heavy->grid_class);
  g_free (heavy->grid_conf);
  g_free (heavy);
}

LabSnapshot *
lab_snapshot_new (void)
{
  LabSnapshot *snap = g_atomic_rc_box_new0 (LabSnapshot);

  snap->rows = g_array_new (FALSE, FALSE, sizeof (LabStepStats));
  lab_config_init_defaults (&snap->config);
  return snap;
}

LabSnapshot *
lab_snapshot_ref (LabSnapshot *snap)
{
  return g_atomic_rc_box_acquire (snap);
}

static void
snapshot_clear (gpointer data)
{
  LabSnapshot *snap = data;

  g_free (snap->error);
  g_array_unref (snap->rows);
  lab_heavy_free (snap->heavy);
  lab_config_clear (&snap->config);
  g_free (snap->data_name);
  g_free (snap->points);
  g_free (snap->point_labels);
}

void
lab_snapshot_unref (LabSnapshot *snap)
{
  g_atomic_rc_box_release_full (snap, snapshot_clear);
}
