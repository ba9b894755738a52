/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-settings-panel.h: the sidebar with every setting of a run, grouped as the .ini is (Data,
 * Model, Training, Clipping, Pruning). It is built from a LabConfig and read back into one by a
 * single function. Settings that change live (learning rate, clipping, batch size) emit
 * ::live-changed at once; the others mark themselves and the panel's "pending" property until
 * the window applies them on reset. The Prune now button emits ::prune-now.
 */
#pragma once

#include <gtk/gtk.h>

#include "lab-config.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_LIVE_LR,
  LAB_LIVE_CLIP,
  LAB_LIVE_BATCH,
} LabLiveSetting;

#define LAB_TYPE_SETTINGS_PANEL (lab_settings_panel_get_type ())
G_DECLARE_FINAL_TYPE (LabSettingsPanel, lab_settings_panel, LAB, SETTINGS_PANEL, GtkWidget)

GtkWidget *lab_settings_panel_new             (void);

/* Rebuilds every control from @cfg (copied) and clears "pending". Emits nothing. */
void       lab_settings_panel_set_config      (LabSettingsPanel *self,
                                               const LabConfig  *cfg);
/* The panel read back into @cfg (initialised here; clear with lab_config_clear()). Keys the
 * panel does not show keep the values of the config last set. */
void       lab_settings_panel_get_config      (LabSettingsPanel *self,
                                               LabConfig        *cfg);
/* The pruning operation the panel describes (for Prune now). */
void       lab_settings_panel_get_prune_spec  (LabSettingsPanel *self,
                                               LabPruneSpec     *spec);

double     lab_settings_panel_get_lr          (LabSettingsPanel *self);
guint      lab_settings_panel_get_batch       (LabSettingsPanel *self);
void       lab_settings_panel_get_clip        (LabSettingsPanel *self,
                                               LabClipMode      *mode,
                                               double           *value);

/* TRUE when a setting changed that applies only on reset. */
gboolean   lab_settings_panel_get_pending     (LabSettingsPanel *self);
/* Called by the window once the panel's config was applied (clears the marks). */
void       lab_settings_panel_mark_applied    (LabSettingsPanel *self);

/* The same as choosing in the controls (emits what the controls emit). */
void       lab_settings_panel_set_all_activations (LabSettingsPanel *self,
                                                   LabActivation     act);
void       lab_settings_panel_set_prune_target    (LabSettingsPanel *self,
                                                   double            target);
void       lab_settings_panel_set_lr              (LabSettingsPanel *self,
                                                   double            lr);

G_END_DECLS
