/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-many-layers.c: the plots of a deep network. Synthetic runs of 120 layers named like a
 * ResNet ("conv1", "layer3.17.conv2", "layer1.0.downsample.0", "fc") and of 200 named like a
 * transformer ("encoder.layers.11.mlp.fc2"), with heavy snapshots of conv and linear layers,
 * rows with NaN and ∞ among their per-layer values, and histograms of layers that overflowed:
 *  - the layer selection: what each mode shows (first and last always), the groups, the names;
 *  - every plot rendered offscreen at the size it gets in a 1920×1080 window and in presenter
 *    mode: no two texts it drew overlap (lab_plot_get_label_rects()), bars are never slivers,
 *    strips never lower than their labels, axes stay finite where values overflowed.
 * The renders are saved as many-*.png in the build directory for a person to look at.
 */
#define G_LOG_DOMAIN "test-many-layers"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "lab-act-plot.h"
#include "lab-flow-plot.h"
#include "lab-sparsity-plot.h"
#include "lab-grad-plot.h"
#include "lab-layer-menu.h"
#include "lab-layer-selection.h"
#include "lab-loss-plot.h"
#include "lab-network-view.h"
#include "lab-palette.h"
#include "lab-plot-bars.h"
#include "lab-plot-model.h"
#include "lab-plot-style.h"
#include "lab-plot-text.h"
#include "lab-weights-grid.h"
#include "lab-weights-view.h"
#include "lab-test-utils.h"

/* --- synthetic deep runs -------------------------------------------------------------------- */

typedef enum
{
  RESNET,        /* 120 layers */
  TRANSFORMER,   /* 200 layers */
} Arch;

/* The layer names of @arch: a ResNet of stages of 3, 8, 24 and 3 bottleneck blocks (three
 * convolutions each, a downsampling one in each stage's first block) between conv1 and fc; or
 * 33 transformer blocks of attention q, k, v, out and an MLP between embed and head. */
static GPtrArray *
arch_names (Arch arch)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  if (arch == RESNET)
    {
      static const guint blocks[] = { 3, 8, 24, 3 };

      g_ptr_array_add (names, g_strdup ("conv1"));
      for (guint s = 0; s < G_N_ELEMENTS (blocks); s++)
        for (guint b = 0; b < blocks[s]; b++)
          {
            for (guint c = 1; c <= 3; c++)
              g_ptr_array_add (names, g_strdup_printf ("layer%u.%u.conv%u", s + 1, b, c));
            if (b == 0)
              g_ptr_array_add (names, g_strdup_printf ("layer%u.0.downsample.0", s + 1));
          }
      g_ptr_array_add (names, g_strdup ("fc"));
    }
  else
    {
      static const char *const parts[] = { "attn.q", "attn.k", "attn.v", "attn.out", "mlp.fc1",
                                            "mlp.fc2" };

      g_ptr_array_add (names, g_strdup ("embed"));
      for (guint b = 0; b < 33; b++)
        for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
          g_ptr_array_add (names, g_strdup_printf ("encoder.layers.%u.%s", b, parts[p]));
      g_ptr_array_add (names, g_strdup ("head"));
    }
  g_ptr_array_add (names, NULL);
  return names;
}

static guint
arch_layers (Arch arch)
{
  return arch == RESNET ? 120 : 200;
}

/* A heavy snapshot: convolutions (3×3, 8 → 16 channels: a 16 × 72 matrix) for a ResNet, 24 ×
 * 24 linear layers for a transformer, the last one 10 wide; ReLU activation histograms, three
 * layers overflowed (one all inf, one with some inf and a range up to 3×10³⁸, one with an
 * infinite upper edge), log10 |gradient| histograms. */
static LabHeavy *
make_heavy (Arch      arch,
            guint64   step)
{
  g_autoptr(GPtrArray) names = arch_names (arch);
  guint n = arch_layers (arch);
  gsize rows = arch == RESNET ? 16 : 24, cols = arch == RESNET ? 72 : 24;
  LabHeavy *hv = lab_heavy_new (n, n * rows * cols, TRUE);
  guint32 seed = 7;

  hv->step = step;
  for (guint l = 0; l < n; l++)
    {
      gsize r = l + 1 == n ? 10 : rows;
      LabHeavyLayer *layer = lab_heavy_set_layer (hv, l, g_ptr_array_index (names, l), r, cols,
                                                  l * rows * cols, -1);
      gboolean conv = arch == RESNET && l + 1 < n;

      layer->kind = conv ? LAB_LAYER_CONV : LAB_LAYER_LINEAR;
      if (conv)
        layer->kernel[0] = layer->kernel[1] = 3;
      layer->act = l + 1 < n ? LAB_ACT_RELU : LAB_ACT_LINEAR;
      layer->act_known = TRUE;
      for (gsize i = 0; i < r * cols; i++)
        {
          seed ^= seed << 13;
          seed ^= seed >> 17;
          seed ^= seed << 5;
          layer->weight[i] = ((seed >> 8) / 16777216.0f - 0.5f) * 0.2f;
          layer->mask[i] = (seed & 7) != 0;
        }
      layer->sparsity = lab_mask_sparsity (layer->mask, r * cols);
      layer->act_hist.lo = 0;
      layer->act_hist.hi = 2 + (l % 5);
      layer->grad_hist.lo = -6 - 3.0f * (n - l) / n;
      layer->grad_hist.hi = -1;
      for (guint b = 0; b < LAB_HIST_BINS; b++)
        {
          layer->act_hist.count[b] = (guint) (400 * exp (-0.1 * b)) + (b == 0) * 300;
          layer->grad_hist.count[b] = (guint) (300 * exp (-0.01 * (b - 24.0) * (b - 24.0)));
        }
    }
  /* the overflowed ones */
  memset (hv->layers[40].act_hist.count, 0, sizeof hv->layers[40].act_hist.count);
  hv->layers[40].act_hist.nonfinite = 4096;
  hv->layers[41].act_hist.nonfinite = 100;
  hv->layers[41].act_hist.hi = 3e38f;
  hv->layers[42].act_hist.hi = INFINITY;
  return hv;
}

/* Rows @first … @first + @count − 1 of a run of @n layers: norms from 10⁻⁸ at the input to 10⁻¹
 * at the output, a NaN in layer 9 and an ∞ in layer 10 now and then, ReLU dead shares. */
static void
add_rows (LabSnapshot *snap,
          guint        n,
          guint64      first,
          guint64      count)
{
  for (guint64 t = first; t < first + count; t++)
    {
      LabStepStats st = { 0 };

      st.step = t;
      st.epoch = 1;
      st.n_layers = n;
      st.loss = 2.3 * exp (-(double) t / 300.0) + 0.1;
      st.accuracy = 1 - 0.9 * exp (-(double) t / 300.0);
      st.test_loss = st.test_accuracy = NAN;
      for (guint l = 0; l < n; l++)
        {
          double g = pow (10.0, -8.0 + 7.0 * l / (n - 1)) * (1 + 0.3 * sin (0.1 * t + l));

          st.layer[l].grad_norm = (float) g;
          st.layer[l].delta_norm = (float) (3 * g);
          st.layer[l].act_dead = (float) (0.05 + 0.9 * l / n);
          st.layer[l].sparsity = (float) (l % 10) / 10;   /* 0, 0.1 … 0.9, 0, … */
        }
      if (t % 7 == 0)
        st.layer[9].grad_norm = NAN;
      if (t % 11 == 0)
        st.layer[10].grad_norm = INFINITY;
      lab_row_log_append (snap->rows, &st);
      snap->status.step = t;
    }
}

/* A model of a deep run of @arch: 400 steps in snapshots of 40 rows, a heavy part in the
 * last. */
static LabPlotModel *
make_model (Arch arch)
{
  LabPlotModel *model = lab_plot_model_new ();
  guint n = arch_layers (arch);

  for (guint64 t = 1; t <= 400; t += 40)
    {
      g_autoptr(LabSnapshot) snap = lab_snapshot_new ();

      snap->run_id = 1;
      snap->status.state = LAB_SESSION_RUNNING;
      add_rows (snap, n, t, 40);
      if (t + 40 > 400)
        snap->heavy = make_heavy (arch, snap->status.step);
      lab_plot_model_apply (model, snap);
    }
  return model;
}

/* --- the selection -------------------------------------------------------------------------- */

static LabLayerSelection *
make_selection (Arch arch)
{
  g_autoptr(GPtrArray) names = arch_names (arch);
  LabLayerSelection *sel = lab_layer_selection_new ();

  lab_layer_selection_set_layers (sel, arch_layers (arch), (const char * const *) names->pdata);
  return sel;
}

/* The visible layers as a string "0 4 8 … 119", for comparing with what a mode should show. */
static char *
visible_string (LabLayerSelection *sel)
{
  guint n;
  const guint *v = lab_layer_selection_get_visible (sel, &n);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, i ? " %u" : "%u", v[i]);
  return g_string_free (s, FALSE);
}

/* Every k-th of @n and the last, as a string. */
static char *
every_string (guint n,
              guint k)
{
  GString *s = g_string_new (NULL);

  for (guint l = 0; l < n; l += k)
    g_string_append_printf (s, l ? " %u" : "%u", l);
  if ((n - 1) % k != 0)
    g_string_append_printf (s, " %u", n - 1);
  return g_string_free (s, FALSE);
}

static void
count_changed (gpointer  instance,
               guint    *n)
{
  (*n)++;
}

static void
test_selection_modes (void)
{
  static const struct { Arch arch; guint auto_k; const char *auto_text; } cases[] = {
    { RESNET, 4, "every 4th of 120 layers, first and last always" },
    { TRANSFORMER, 7, "every 7th of 200 layers, first and last always" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(LabLayerSelection) sel = make_selection (cases[c].arch);
      guint n = arch_layers (cases[c].arch), n_changed = 0;
      g_autofree char *shown = NULL, *want = NULL;
      char text[128];

      g_signal_connect (sel, "changed", G_CALLBACK (count_changed), &n_changed);

      /* the default: every k-th, k the smallest that shows at most 33 */
      g_assert_cmpint (lab_layer_selection_get_mode (sel), ==, LAB_LAYER_SELECTION_AUTO);
      g_assert_cmpuint (lab_layer_selection_get_every (sel), ==, cases[c].auto_k);
      g_assert_cmpuint (lab_layer_selection_get_n_visible (sel), <=, LAB_LAYER_SELECTION_AUTO_MAX);
      shown = visible_string (sel);
      want = every_string (n, cases[c].auto_k);
      g_assert_cmpstr (shown, ==, want);
      lab_layer_selection_describe (sel, text, sizeof text);
      g_assert_cmpstr (text, ==, cases[c].auto_text);
      g_assert_true (lab_layer_selection_is_partial (sel));

      /* all */
      lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_ALL);
      g_assert_cmpuint (lab_layer_selection_get_n_visible (sel), ==, n);
      g_assert_false (lab_layer_selection_is_partial (sel));
      lab_layer_selection_describe (sel, text, sizeof text);
      g_assert_cmpstr (text, ==, c == 0 ? "all 120 layers" : "all 200 layers");
      g_assert_cmpuint (n_changed, ==, 1);

      /* every 10th, and every 3rd: the last always, though not a multiple */
      lab_layer_selection_set_every (sel, 10);
      g_assert_cmpuint (n_changed, ==, 1);   /* k alone does not change ALL */
      lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_EVERY);
      g_clear_pointer (&shown, g_free);
      g_clear_pointer (&want, g_free);
      shown = visible_string (sel);
      want = every_string (n, 10);
      g_assert_cmpstr (shown, ==, want);
      g_assert_true (g_str_has_suffix (shown, c == 0 ? " 110 119" : " 190 199"));
      lab_layer_selection_set_every (sel, 3);
      g_clear_pointer (&shown, g_free);
      g_clear_pointer (&want, g_free);
      shown = visible_string (sel);
      want = every_string (n, 3);
      g_assert_cmpstr (shown, ==, want);
      lab_layer_selection_describe (sel, text, sizeof text);
      g_assert_true (g_str_has_prefix (text, "every 3rd of "));

      /* a chosen subset starts from what was shown (said at once, though the same show); first
       * and last stay whatever is chosen */
      {
        guint before = n_changed;

        lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_CHOSEN);
        g_assert_cmpuint (n_changed, ==, before + 1);
        g_clear_pointer (&want, g_free);
        want = visible_string (sel);
        g_assert_cmpstr (shown, ==, want);
      }
      lab_layer_selection_set_chosen (sel, 5, TRUE);
      g_assert_cmpint (lab_layer_selection_get_mode (sel), ==, LAB_LAYER_SELECTION_CHOSEN);
      g_assert_true (lab_layer_selection_is_visible (sel, 5));
      g_assert_true (lab_layer_selection_is_visible (sel, 3));
      g_assert_false (lab_layer_selection_is_visible (sel, 4));
      lab_layer_selection_set_chosen (sel, 0, FALSE);
      lab_layer_selection_set_chosen (sel, n - 1, FALSE);
      g_assert_true (lab_layer_selection_is_visible (sel, 0));
      g_assert_true (lab_layer_selection_is_visible (sel, n - 1));
      for (guint l = 1; l + 1 < n; l++)
        lab_layer_selection_set_chosen (sel, l, FALSE);
      g_clear_pointer (&shown, g_free);
      shown = visible_string (sel);
      g_assert_cmpstr (shown, ==, c == 0 ? "0 119" : "0 199");
      lab_layer_selection_describe (sel, text, sizeof text);
      g_assert_cmpstr (text, ==, c == 0 ? "2 chosen of 120 layers, first and last always"
                                        : "2 chosen of 200 layers, first and last always");

      /* a group: all of its layers, then none but the ends */
      {
        guint g = lab_layer_selection_get_group (sel, 50), in_group = 0;

        lab_layer_selection_set_group_chosen (sel, g, TRUE);
        for (guint l = 0; l < n; l++)
          if (lab_layer_selection_get_group (sel, l) == g)
            {
              in_group++;
              g_assert_true (lab_layer_selection_is_visible (sel, l));
            }
        g_assert_cmpuint (in_group, >=, 2);
        g_assert_cmpuint (lab_layer_selection_get_n_visible (sel), ==, in_group + 2);
        lab_layer_selection_set_group_chosen (sel, g, FALSE);
        g_assert_cmpuint (lab_layer_selection_get_n_visible (sel), ==, 2);
      }

      /* AUTO again, and a reset of the same network keeps the choice */
      lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_EVERY);
      {
        g_autoptr(GPtrArray) names = arch_names (cases[c].arch);
        guint before = n_changed;

        lab_layer_selection_set_layers (sel, n, (const char * const *) names->pdata);
        g_assert_cmpuint (n_changed, ==, before);
        g_assert_cmpint (lab_layer_selection_get_mode (sel), ==, LAB_LAYER_SELECTION_EVERY);
      }
    }
}

/* ResNet: conv1, layer1 … layer4, fc (module names up to the first dot); transformer: embed,
 * the 33 blocks "encoder.layers.N", head. Names are unique; a name under its group leaves the
 * group's prefix out and is unique in it. */
static void
test_selection_groups (void)
{
  static const struct { Arch arch; guint n_groups; guint l; const char *group, *shrt; } cases[] = {
    { RESNET, 6, 47, "layer3", "3.conv2" },
    { TRANSFORMER, 35, 69, "encoder.layers.11", "attn.v" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(LabLayerSelection) sel = make_selection (cases[c].arch);
      g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) shorts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
      guint n = arch_layers (cases[c].arch);

      g_assert_false (lab_layer_selection_is_numbered (sel));
      g_assert_cmpuint (lab_layer_selection_get_n_groups (sel), ==, cases[c].n_groups);
      g_assert_cmpstr (lab_layer_selection_get_group_name (sel, lab_layer_selection_get_group (
                         sel, cases[c].l)), ==, cases[c].group);
      g_assert_cmpstr (lab_layer_selection_get_short_name (sel, cases[c].l), ==, cases[c].shrt);
      g_assert_cmpstr (lab_layer_selection_get_short_name (sel, 0), ==,
                       lab_layer_selection_get_name (sel, 0));
      for (guint l = 0; l < n; l++)
        {
          const char *name = lab_layer_selection_get_name (sel, l);
          guint g = lab_layer_selection_get_group (sel, l);

          g_assert_false (g_hash_table_contains (names, name));
          g_hash_table_add (names, (gpointer) name);
          g_assert_true (g_hash_table_add (shorts, g_strdup_printf (
                           "%u/%s", g, lab_layer_selection_get_short_name (sel, l))));
          /* groups come in order of their first layer */
          g_assert_cmpuint (g, <=, l == 0 ? 0 : lab_layer_selection_get_group (sel, l - 1) + 1);
        }
    }

  /* our own networks: L1 …, one group; a repeated or missing watched name gets its number */
  {
    g_autoptr(LabLayerSelection) sel = lab_layer_selection_new ();
    static const char *const ours[] = { "W1", "W2", "W3", NULL };
    static const char *const odd[] = { "fc", "fc", "", NULL };

    lab_layer_selection_set_layers (sel, 3, ours);
    g_assert_true (lab_layer_selection_is_numbered (sel));
    g_assert_cmpuint (lab_layer_selection_get_n_groups (sel), ==, 1);
    g_assert_cmpstr (lab_layer_selection_get_name (sel, 2), ==, "L3");
    lab_layer_selection_set_layers (sel, 3, odd);
    g_assert_false (lab_layer_selection_is_numbered (sel));
    g_assert_cmpstr (lab_layer_selection_get_name (sel, 0), ==, "fc");
    g_assert_cmpstr (lab_layer_selection_get_name (sel, 1), ==, "fc#2");
    g_assert_cmpstr (lab_layer_selection_get_name (sel, 2), ==, "#3");
  }
}

/* The model's selection follows the run: its depth and names, a hidden layer ::changed. */
static void
test_selection_model (void)
{
  g_autoptr(LabPlotModel) model = make_model (RESNET);
  LabLayerSelection *sel = lab_plot_model_get_layer_selection (model);
  guint n_changed = 0;

  g_assert_cmpuint (lab_layer_selection_get_n_layers (sel), ==, 120);
  g_assert_cmpstr (lab_layer_selection_get_name (sel, 119), ==, "fc");
  g_assert_cmpuint (lab_history_n_layers (lab_plot_model_get_history (model)), ==, 120);
  g_signal_connect (model, "changed", G_CALLBACK (count_changed), &n_changed);
  lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_ALL);
  g_assert_cmpuint (n_changed, ==, 1);
}

/* The toolbars' control: what it says, and each of its parts changing the one selection, which
 * a second menu on the same model shows too; hidden for a small network. */
static void
test_selection_menu (void)
{
  g_autoptr(LabPlotModel) model = make_model (RESNET);
  g_autoptr(LabPlotModel) small = lab_plot_model_new ();
  LabLayerSelection *sel = lab_plot_model_get_layer_selection (model);
  GtkWidget *menu = g_object_ref_sink (lab_layer_menu_new ());
  GtkWidget *other = g_object_ref_sink (lab_layer_menu_new ());
  GtkMenuButton *button, *other_button;
  GtkWidget *check;
  guint g;

  lab_layer_menu_set_model (LAB_LAYER_MENU (menu), model);
  g_object_set (other, "model", model, NULL);
  button = GTK_MENU_BUTTON (lab_layer_menu_get_button (LAB_LAYER_MENU (menu)));
  other_button = GTK_MENU_BUTTON (lab_layer_menu_get_button (LAB_LAYER_MENU (other)));
  g_assert_true (gtk_widget_get_visible (menu));
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Layers: every 4th of 120");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==,
                   "every 4th of 120 layers, first and last always");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (lab_layer_menu_get_mode_button (
                                 LAB_LAYER_MENU (menu), LAB_LAYER_SELECTION_ALL)), TRUE);
  g_assert_cmpint (lab_layer_selection_get_mode (sel), ==, LAB_LAYER_SELECTION_ALL);
  g_assert_cmpstr (gtk_menu_button_get_label (other_button), ==, "Layers: all 120");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (lab_layer_menu_get_mode_button (
                   LAB_LAYER_MENU (other), LAB_LAYER_SELECTION_ALL))));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (lab_layer_menu_get_spin (LAB_LAYER_MENU (menu))),
                             10);
  g_assert_cmpint (lab_layer_selection_get_mode (sel), ==, LAB_LAYER_SELECTION_EVERY);
  g_assert_cmpuint (lab_layer_selection_get_every (sel), ==, 10);
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Layers: every 10th of 120");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (lab_layer_menu_get_spin (
                       LAB_LAYER_MENU (other)))), ==, 10);

  /* the checklist: ticking a layer chooses it; a group's check all of its layers */
  check = lab_layer_menu_get_check (LAB_LAYER_MENU (menu), 5);
  g_assert_nonnull (check);
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==, "1.conv1");
  g_assert_false (gtk_widget_get_sensitive (lab_layer_menu_get_check (LAB_LAYER_MENU (menu),
                                                                        119)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_cmpint (lab_layer_selection_get_mode (sel), ==, LAB_LAYER_SELECTION_CHOSEN);
  g_assert_true (lab_layer_selection_is_visible (sel, 5));
  g_assert_true (lab_layer_selection_is_visible (sel, 10));   /* was every 10th */
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Layers: 14 of 120");
  g = lab_layer_selection_get_group (sel, 50);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (lab_layer_menu_get_group_check (
                                 LAB_LAYER_MENU (menu), g)), TRUE);
  for (guint l = 0; l < 120; l++)
    if (lab_layer_selection_get_group (sel, l) == g)
      g_assert_true (lab_layer_selection_is_visible (sel, l));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (lab_layer_menu_get_check (
                   LAB_LAYER_MENU (other), 50))));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (lab_layer_menu_get_mode_button (
                                 LAB_LAYER_MENU (menu), LAB_LAYER_SELECTION_AUTO)), TRUE);
  g_assert_cmpstr (gtk_menu_button_get_label (other_button), ==, "Layers: every 4th of 120");

  /* Choose… starts from what is shown, and says so though the same layers show */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (lab_layer_menu_get_mode_button (
                                 LAB_LAYER_MENU (other), LAB_LAYER_SELECTION_CHOSEN)), TRUE);
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, "Layers: 31 of 120");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (lab_layer_menu_get_check (
                   LAB_LAYER_MENU (menu), 4))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (lab_layer_menu_get_check (
                    LAB_LAYER_MENU (menu), 5))));

  /* a small network: nothing to choose */
  {
    g_autoptr(LabSnapshot) snap = lab_snapshot_new ();

    add_rows (snap, 4, 1, 3);
    lab_plot_model_apply (small, snap);
    lab_layer_menu_set_model (LAB_LAYER_MENU (menu), small);
    g_assert_false (gtk_widget_get_visible (menu));
  }

  g_object_set (other, "model", NULL, NULL);
  g_assert_finalize_object (menu);
  g_assert_finalize_object (other);
}

/* --- rendering ------------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  int         width, height;   /* in a 1920×1080 window (bench/lab-bench-plots.c) */
} Size;

static gboolean presenter;

/* Allocates @plot (in a window, for its CSS) at @width × @height, snapshots and renders it with
 * the Cairo renderer and saves many-NAME.png. */
static void
render (GtkWidget  *plot,
        int         width,
        int         height,
        const char *name)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("many-%s%s.png", name, presenter ? "-presenter" : "");
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  GtkWidget *window = gtk_widget_get_ancestor (plot, GTK_TYPE_WINDOW);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  LabPlotStyle style;

  if (presenter)
    gtk_widget_add_css_class (window, "presenter");
  else
    gtk_widget_remove_css_class (window, "presenter");
  gtk_widget_measure (plot, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
  gtk_widget_size_allocate (plot, &(GtkAllocation) { 0, 0, width, height }, -1);
  lab_plot_style_init (plot, &style);
  gtk_snapshot_append_color (snapshot, &style.background,
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  GTK_WIDGET_GET_CLASS (plot)->snapshot (plot, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* No two texts of @plot's last frame overlap (a pixel of antialiasing aside), and all lie in
 * the plot. */
static void
assert_no_overlap (GtkWidget  *plot,
                   const char *name)
{
  guint n;
  const graphene_rect_t *r = lab_plot_get_label_rects (LAB_PLOT (plot), &n);
  int w = gtk_widget_get_width (plot), h = gtk_widget_get_height (plot);

  g_test_message ("%s: %u texts", name, n);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t a;

      graphene_rect_inset_r (&r[i], 1, 1, &a);
      if (a.origin.x < -1 || a.origin.y < -1 || a.origin.x + a.size.width > w + 1 ||
          a.origin.y + a.size.height > h + 1)
        g_error ("%s: text %u at %.0f,%.0f %.0f×%.0f leaves the %d×%d plot", name, i,
                 r[i].origin.x, r[i].origin.y, r[i].size.width, r[i].size.height, w, h);
      for (guint j = i + 1; j < n; j++)
        {
          graphene_rect_t b, both;

          graphene_rect_inset_r (&r[j], 1, 1, &b);
          if (graphene_rect_intersection (&a, &b, &both) && both.size.width > 0 &&
              both.size.height > 0)
            g_error ("%s: texts %u (%.0f,%.0f %.0f×%.0f) and %u (%.0f,%.0f %.0f×%.0f) overlap",
                     name, i, r[i].origin.x, r[i].origin.y, r[i].size.width, r[i].size.height,
                     j, r[j].origin.x, r[j].origin.y, r[j].size.width, r[j].size.height);
        }
    }
}

static GtkWidget *
host (GtkWidget    *plot,
      LabPlotModel *model)
{
  GtkWidget *window = gtk_window_new ();

  g_object_ref_sink (plot);
  gtk_window_set_child (GTK_WINDOW (window), plot);
  lab_plot_set_model (LAB_PLOT (plot), model);
  return plot;
}

static void
unhost (GtkWidget *plot)
{
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_ancestor (plot, GTK_TYPE_WINDOW)));
  g_assert_finalize_object (plot);
}

/* Renders @plot at @size in both modes, for each of the runs, and checks its text. */
static void
render_checked (GtkWidget  *plot,
                const Size *size,
                const char *name)
{
  for (guint p = 0; p < 2; p++)
    {
      g_autofree char *what = g_strdup_printf ("%s%s", name, p ? " (presenter)" : "");

      presenter = p;
      render (plot, size->width, size->height, name);
      assert_no_overlap (plot, what);
    }
  presenter = FALSE;
}

/* --- the plots ------------------------------------------------------------------------------ */

static const Size grad_size = { "grad", 944, 550 };
static const Size flow_size = { "flow", 582, 550 };
static const Size loss_size = { "loss", 516, 388 };
static const Size act_size = { "act", 1010, 388 };

static void
test_grad (gconstpointer data)
{
  Arch arch = GPOINTER_TO_UINT (data);
  g_autoptr(LabPlotModel) model = make_model (arch);
  GtkWidget *plot = host (lab_grad_plot_new (), model);
  LabLayerSelection *sel = lab_plot_model_get_layer_selection (model);
  const LabPlotFrame *f;
  g_autofree char *name = g_strdup_printf ("grad-%u", arch_layers (arch));

  render_checked (plot, &grad_size, name);
  f = lab_plot_get_frame (LAB_PLOT (plot));
  g_assert_nonnull (f);
  /* the NaN and ∞ of layers 9 and 10 are left off the axis */
  g_assert_true (isfinite (f->y.lo) && isfinite (f->y.hi));
  g_assert_cmpfloat (f->y.hi, <, 10);
  /* hidden layers are not drawn */
  g_assert_false (isnan (lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 0)));
  g_assert_true (isnan (lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 1)));
  lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_ALL);
  render_checked (plot, &grad_size, name);
  g_assert_false (isnan (lab_grad_plot_get_last_y (LAB_GRAD_PLOT (plot), 1)));
  unhost (plot);
}

/* What every per-layer bar plot keeps to, from its @n_bars bars, bar i standing for layers
 * first[i] … last[i] of @n: every shown layer in exactly one bar, the last layer alone in the
 * last bar, and with every layer shown (@all) fewer bars than layers. */
static void
assert_bars_cover (LabLayerSelection *sel,
                   guint              n,
                   guint              n_bars,
                   const guint       *first,
                   const guint       *last,
                   gboolean           all)
{
  guint covered = 0;

  g_assert_cmpuint (n_bars, >=, 3);
  for (guint i = 0; i < n_bars; i++)
    {
      g_assert_cmpuint (first[i], <=, last[i]);
      for (guint l = first[i]; l <= last[i]; l++)
        covered += lab_layer_selection_is_visible (sel, l);
    }
  g_assert_cmpuint (covered, ==, lab_layer_selection_get_n_visible (sel));
  g_assert_cmpuint (first[n_bars - 1], ==, n - 1);
  g_assert_cmpuint (last[n_bars - 1], ==, n - 1);
  if (all)
    g_assert_cmpuint (n_bars, <, n);
}

/* Bars never thinner than LAB_PLOT_BARS_MIN_WIDTH: with every layer shown they share bars,
 * the first and the last layer alone. */
static void
test_flow (gconstpointer data)
{
  Arch arch = GPOINTER_TO_UINT (data);
  g_autoptr(LabPlotModel) model = make_model (arch);
  GtkWidget *plot = host (lab_flow_plot_new (), model);
  LabLayerSelection *sel = lab_plot_model_get_layer_selection (model);
  g_autofree char *name = g_strdup_printf ("flow-%u", arch_layers (arch));
  g_autofree char *name_all = g_strdup_printf ("flow-%u-all", arch_layers (arch));
  guint n = arch_layers (arch);

  for (guint pass = 0; pass < 2; pass++)
    {
      guint n_bars, first[LAB_MAX_ROW_LAYERS], last[LAB_MAX_ROW_LAYERS];
      graphene_rect_t r;
      LabPlotStyle style;

      if (pass == 1)
        lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_ALL);
      render_checked (plot, &flow_size, pass ? name_all : name);
      lab_plot_style_init (plot, &style);
      n_bars = lab_flow_plot_get_n_bars (LAB_FLOW_PLOT (plot));
      g_test_message ("%u bars for %u layers shown", n_bars,
                      lab_layer_selection_get_n_visible (sel));
      g_assert_cmpuint (n_bars, <=, LAB_MAX_ROW_LAYERS);
      for (guint i = 0; i < n_bars; i++)
        {
          g_assert_true (lab_flow_plot_get_bar (LAB_FLOW_PLOT (plot), i, &r, &first[i],
                                                &last[i]));
          g_assert_cmpfloat (r.size.width, >=, LAB_PLOT_BARS_MIN_WIDTH * style.font_scale - 0.01);
        }
      /* every shown layer in exactly one bar, the ends alone */
      assert_bars_cover (sel, n, n_bars, first, last, pass == 1);
      g_assert_cmpuint (first[0], ==, 0);
      g_assert_cmpuint (last[0], ==, 0);
    }
  unhost (plot);
}

/* The sparsity bars of a deep network as the flow plot's: never slivers, every shown layer in
 * one bar, the ends alone; a bar of several at the arithmetic mean of its layers (0 counts),
 * its labels not overlapping; all 200 layers there, not the first 33. */
static void
test_sparsity (gconstpointer data)
{
  Arch arch = GPOINTER_TO_UINT (data);
  g_autoptr(LabPlotModel) model = make_model (arch);
  GtkWidget *plot = host (lab_sparsity_plot_new (), model);
  LabLayerSelection *sel = lab_plot_model_get_layer_selection (model);
  g_autofree char *name = g_strdup_printf ("sparsity-%u", arch_layers (arch));
  guint n = arch_layers (arch);

  g_assert_cmpfloat (lab_sparsity_plot_get_layer_sparsity (LAB_SPARSITY_PLOT (plot), n - 1), ==,
                     (float) ((n - 1) % 10) / 10);
  for (guint pass = 0; pass < 2; pass++)
    {
      guint n_bars, first[LAB_MAX_ROW_LAYERS], last[LAB_MAX_ROW_LAYERS];

      if (pass == 1)
        lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_ALL);
      render_checked (plot, &flow_size, name);
      n_bars = lab_sparsity_plot_get_n_bars (LAB_SPARSITY_PLOT (plot));
      g_assert_cmpuint (n_bars, <=, lab_layer_selection_get_n_visible (sel));
      for (guint i = 0; i < n_bars; i++)
        {
          double v, sum = 0;
          guint k = 0;

          g_assert_true (lab_sparsity_plot_get_bar (LAB_SPARSITY_PLOT (plot), i, &v, &first[i],
                                                    &last[i]));
          for (guint l = first[i]; l <= last[i]; l++)
            if (lab_layer_selection_is_visible (sel, l))
              {
                sum += (float) (l % 10) / 10;
                k++;
              }
          g_assert_cmpuint (k, >, 0);
          g_assert_cmpfloat_with_epsilon (v, sum / k, 1e-6);
        }
      assert_bars_cover (sel, n, n_bars, first, last, pass == 1);
    }
  unhost (plot);
}

static void
test_loss (gconstpointer data)
{
  Arch arch = GPOINTER_TO_UINT (data);
  g_autoptr(LabPlotModel) model = make_model (arch);
  GtkWidget *plot = host (lab_loss_plot_new (), model);
  g_autofree char *name = g_strdup_printf ("loss-%u", arch_layers (arch));

  render_checked (plot, &loss_size, name);
  unhost (plot);
}

/* Strips at least a label high, scrolling; the overflowed layers counted and off the axis. */
static void
test_act (gconstpointer data)
{
  Arch arch = GPOINTER_TO_UINT (data);
  g_autoptr(LabPlotModel) model = make_model (arch);
  GtkWidget *plot = host (lab_act_plot_new (), model);
  LabLayerSelection *sel = lab_plot_model_get_layer_selection (model);
  g_autofree char *name = g_strdup_printf ("act-%u", arch_layers (arch));
  g_autofree char *name_all = g_strdup_printf ("act-%u-all", arch_layers (arch));
  g_autofree char *name_end = g_strdup_printf ("act-%u-scrolled", arch_layers (arch));
  LabPlotScroll *scroll = lab_act_plot_get_scroll (LAB_ACT_PLOT (plot));
  const LabPlotFrame *f;
  graphene_rect_t r0, r1;

  render_checked (plot, &act_size, name);
  lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_ALL);
  render_checked (plot, &act_size, name_all);
  f = lab_plot_get_frame (LAB_PLOT (plot));
  g_assert_nonnull (f);
  g_assert_cmpuint (lab_act_plot_get_n_overflowed (LAB_ACT_PLOT (plot)), ==, 3);
  g_assert_cmpstr (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 40), ==, "all inf/NaN");
  g_assert_true (g_str_has_prefix (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 41), "inf/NaN "));
  g_assert_cmpstr (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 42), ==,
                   "overflowing: > 1.8×10¹⁹");
  {
    g_autofree char *dead = g_strdup_printf ("dead %.0f %%", 100.0 * (float) (0.05 + 0.9 * 43 /
                                                                            arch_layers (arch)));

    g_assert_cmpstr (lab_act_plot_get_note (LAB_ACT_PLOT (plot), 43), ==, dead);
  }
  g_assert_nonnull (strstr (lab_plot_refresh_accessible (LAB_PLOT (plot)),
                            "3 layers overflowed: left off the x axis."));
  g_assert_true (isfinite (f->x.lo) && isfinite (f->x.hi));
  g_assert_cmpfloat (f->x.hi, <=, 10);
  g_assert_true (lab_plot_scroll_active (scroll));
  g_assert_true (lab_act_plot_get_strip_rect (LAB_ACT_PLOT (plot), 0, &r0));
  g_assert_true (lab_act_plot_get_strip_rect (LAB_ACT_PLOT (plot), 1, &r1));
  g_assert_cmpfloat (r1.origin.y - r0.origin.y, >=, 12);
  /* scrolled to the end (in each mode, whose strips differ in height): the last strip shows */
  for (guint p = 0; p < 2; p++)
    {
      presenter = p;
      render (plot, act_size.width, act_size.height, name_end);
      g_assert_true (lab_plot_scroll_to (scroll, 1e9));
      render (plot, act_size.width, act_size.height, name_end);
      assert_no_overlap (plot, name_end);
      g_assert_true (lab_act_plot_get_strip_rect (LAB_ACT_PLOT (plot), arch_layers (arch) - 2,
                                                  &r1));
      g_assert_cmpfloat (r1.origin.y + r1.size.height, <=,
                         scroll->view.origin.y + scroll->view.size.height + 0.5);
      g_assert_cmpfloat (r1.origin.y, >=, scroll->view.origin.y);
      lab_plot_scroll_to (scroll, 0);
    }
  presenter = FALSE;
  unhost (plot);
}

static const Size weights_size = { "weights", 919, 953 };

/* Heatmaps never smaller than the least readable size: with every layer shown the grid
 * scrolls; a convolution is titled with its name and out × in·kernel shape. */
static void
test_weights (gconstpointer data)
{
  Arch arch = GPOINTER_TO_UINT (data);
  g_autoptr(LabPlotModel) model = make_model (arch);
  GtkWidget *plot = host (lab_weights_view_new (), model);
  LabLayerSelection *sel = lab_plot_model_get_layer_selection (model);
  LabPlotScroll *scroll = lab_weights_view_get_scroll (LAB_WEIGHTS_VIEW (plot));
  g_autofree char *name = g_strdup_printf ("weights-%u", arch_layers (arch));
  g_autofree char *name_all = g_strdup_printf ("weights-%u-all", arch_layers (arch));
  guint n = arch_layers (arch);
  graphene_rect_t r;

  for (guint pass = 0; pass < 2; pass++)
    for (guint p = 0; p < 2; p++)
      {
        LabPlotStyle style;
        double line_h = 0;
        guint n_panels = 0;

        if (pass == 1)
          lab_layer_selection_set_mode (sel, LAB_LAYER_SELECTION_ALL);
        presenter = p;
        render (plot, weights_size.width, weights_size.height, pass ? name_all : name);
        assert_no_overlap (plot, pass ? name_all : name);
        lab_plot_style_init (plot, &style);
        lab_plot_text_size (plot, &style, "Ag", 1.0, FALSE, NULL, &line_h);
        for (guint l = 0; l < n; l++)
          if (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (plot), l, &r))
            {
              n_panels++;
              g_assert_true (lab_layer_selection_is_visible (sel, l));
              g_assert_cmpfloat (r.size.width, >=, floor (LAB_WEIGHTS_GRID_MIN_W * line_h));
              g_assert_cmpfloat (r.size.height, >=, floor (LAB_WEIGHTS_GRID_MIN_H * line_h));
            }
        g_assert_cmpuint (n_panels, ==, lab_layer_selection_get_n_visible (sel));
        g_assert_true (pass == 0 || lab_plot_scroll_active (scroll));
      }
  presenter = FALSE;

  /* the end of the grid scrolls into view, and its texts overlap nothing either */
  g_assert_true (lab_plot_scroll_to (scroll, 1e9));
  render (plot, weights_size.width, weights_size.height, name_all);
  assert_no_overlap (plot, name_all);
  g_assert_true (lab_weights_view_get_layer_rect (LAB_WEIGHTS_VIEW (plot), n - 1, &r));
  g_assert_cmpfloat (r.origin.y + r.size.height, <=,
                     scroll->view.origin.y + scroll->view.size.height);
  g_assert_cmpfloat (r.origin.y, >=, scroll->view.origin.y);

  /* what a screen reader hears names every layer of the network */
  {
    const char *said = lab_plot_refresh_accessible (LAB_PLOT (plot));

    g_assert_nonnull (strstr (said, arch == RESNET ? "layer3.3.conv2"
                                                   : "encoder.layers.11.attn.v"));
  }
  unhost (plot);
}

/* --- the Network page ----------------------------------------------------------------------- */

/* A model of one step of our own network: 2 inputs, @n_hidden hidden layers of @width, 3
 * outputs; its heavy part with weights of both signs and per-unit |δ|. */
static LabPlotModel *
make_chain_model (guint n_hidden,
                  gsize width)
{
  LabPlotModel *model = lab_plot_model_new ();
  g_autoptr(LabSnapshot) snap = lab_snapshot_new ();
  g_autofree gsize *sizes = g_new (gsize, n_hidden + 2);
  LabHeavy *hv;

  sizes[0] = 2;
  for (guint l = 1; l <= n_hidden; l++)
    sizes[l] = width;
  sizes[n_hidden + 1] = 3;
  hv = lab_heavy_new_chain (n_hidden + 1, sizes, TRUE);
  for (guint l = 0; l < hv->n_layers; l++)
    for (gsize i = 0; i < hv->layers[l].rows * hv->layers[l].cols; i++)
      hv->layers[l].weight[i] = (float) (0.05 + 0.5 * fabs (sin (1.7 * i + l))) *
                                (i % 3 == 1 ? -1.0f : 1.0f);
  snap->run_id = 1;
  snap->status.state = LAB_SESSION_PAUSED;
  add_rows (snap, n_hidden + 1, 1, 1);
  snap->heavy = hv;
  lab_plot_model_apply (model, snap);
  return model;
}

/* Ten hidden layers of 64 (columns show 32 of 64, "+32 more") at the page's size in a
 * 1920×1080 window, narrow beside a lesson in presenter mode, and narrower still; and our
 * deepest network, 32 hidden layers: column names, notes, markers and layer notes never
 * overprint. */
static void
test_network (void)
{
  static const struct { guint n_hidden; gsize width; int w, h; gboolean presenter; } cases[] = {
    { 10, 64, 1528, 930, FALSE },
    { 10, 64, 1528, 930, TRUE },
    { 10, 64, 900, 700, TRUE },
    { 10, 64, 620, 520, FALSE },
    { 32, 16, 1528, 930, FALSE },
    { 32, 16, 1100, 800, TRUE },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(LabPlotModel) model = make_chain_model (cases[c].n_hidden, cases[c].width);
      GtkWidget *view = host (lab_network_view_new (), model);
      g_autofree char *name = g_strdup_printf ("network-%u-%dx%d", cases[c].n_hidden,
                                               cases[c].w, cases[c].h);
      const LabNetGraph *g;

      presenter = cases[c].presenter;
      render (view, cases[c].w, cases[c].h, name);
      assert_no_overlap (view, name);
      g = lab_network_view_get_graph (LAB_NETWORK_VIEW (view));
      g_assert_nonnull (g);
      g_assert_cmpuint (g->n_columns, ==, cases[c].n_hidden + 2);
      unhost (view);
    }
  presenter = FALSE;
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/many-layers/selection/modes", test_selection_modes);
  g_test_add_func ("/many-layers/selection/groups", test_selection_groups);
  g_test_add_func ("/many-layers/selection/model", test_selection_model);
  g_test_add_func ("/many-layers/selection/menu", test_selection_menu);
  g_test_add_func ("/many-layers/network", test_network);
  for (Arch a = RESNET; a <= TRANSFORMER; a++)
    {
      g_autofree char *grad = g_strdup_printf ("/many-layers/%u/grad", arch_layers (a));
      g_autofree char *flow = g_strdup_printf ("/many-layers/%u/flow", arch_layers (a));
      g_autofree char *loss = g_strdup_printf ("/many-layers/%u/loss", arch_layers (a));
      g_autofree char *sparsity = g_strdup_printf ("/many-layers/%u/sparsity", arch_layers (a));
      g_autofree char *act = g_strdup_printf ("/many-layers/%u/act", arch_layers (a));

      g_test_add_data_func (grad, GUINT_TO_POINTER (a), test_grad);
      g_test_add_data_func (flow, GUINT_TO_POINTER (a), test_flow);
      g_test_add_data_func (loss, GUINT_TO_POINTER (a), test_loss);
      g_test_add_data_func (sparsity, GUINT_TO_POINTER (a), test_sparsity);
      g_autofree char *weights = g_strdup_printf ("/many-layers/%u/weights", arch_layers (a));

      g_test_add_data_func (act, GUINT_TO_POINTER (a), test_act);
      g_test_add_data_func (weights, GUINT_TO_POINTER (a), test_weights);
    }

  return g_test_run ();
}
