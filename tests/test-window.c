/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-window.c: the main window driven through its actions, as a user would with the keyboard:
 * play for N steps, pause, one step, reset, change the activation in the sidebar and reset,
 * prune now. Every check is on what the engine acknowledged and on what the plot model (the
 * data every plot draws) holds. Each test builds its own window on the "spiral" preset and
 * finalizes it, the plot model and the sidebar, so a leaked reference fails the test.
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lab-blas-core.h"
#include "lab-file-kind.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-window-classroom.h"
#include "lab-window.h"

#define TIMEOUT_MS 20000

typedef LabTestWindowCondition Condition;

/* Runs the main context until @cond holds; fails the test after TIMEOUT_MS. */
static void
iterate_until (LabWindow  *win,
               Condition   cond,
               gpointer    data,
               const char *what)
{
  lab_test_window_until (win, cond, data, TIMEOUT_MS, what);
}

static LabSnapshot *
latest (LabWindow *win)
{
  return lab_plot_model_get_latest (lab_window_get_plot_model (win));
}

static guint
history_len (LabWindow *win)
{
  LabHistory *h = lab_plot_model_get_history (lab_window_get_plot_model (win));

  /* No history before the first snapshot of a run. */
  return h != NULL ? lab_history_len (h) : 0;
}

static gboolean
has_rows (LabWindow *win,
          gpointer   data)
{
  return history_len (win) >= GPOINTER_TO_UINT (data);
}

static gboolean
row_at_least (LabWindow *win,
              gpointer   data)
{
  return lab_plot_model_get_last_row (lab_window_get_plot_model (win))->step >=
         *(const guint64 *) data;
}

/* The engine has applied every command the window sent so far. */
static gboolean
acked (LabWindow *win,
       gpointer   data)
{
  LabSnapshot *snap = latest (win);
  return snap != NULL && snap->status.acked >= lab_window_get_last_serial (win);
}

static gboolean
new_run (LabWindow *win,
         gpointer   data)
{
  LabSnapshot *snap = latest (win);
  return acked (win, NULL) && snap->run_id != GPOINTER_TO_UINT (data) &&
         lab_plot_model_get_run_id (lab_window_get_plot_model (win)) == snap->run_id;
}

/* Fraction of pruned weights (biases excluded) in the latest heavy snapshot, or -1. */
static double
heavy_mask_sparsity (LabWindow *win)
{
  LabSnapshot *snap = lab_plot_model_get_heavy (lab_window_get_plot_model (win));
  gsize zeros = 0, total = 0;

  if (snap == NULL || snap->heavy == NULL || snap->heavy->mask == NULL)
    return -1;
  for (guint l = 0; l < snap->heavy->n_layers; l++)
    {
      LabView mv = lab_heavy_mask (snap->heavy, l);
      gsize n = mv.rows * mv.cols;
      const float *m = mv.data;
      for (gsize i = 0; i < n; i++)
        zeros += m[i] == 0.0f;
      total += n;
    }
  return total ? (double) zeros / (double) total : -1;
}

static gboolean
pruned (LabWindow *win,
        gpointer   data)
{
  return acked (win, NULL) && heavy_mask_sparsity (win) >= 0.85;
}

/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  LabWindow        *win;
  LabPlotModel     *model;
  LabSettingsPanel *panel;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  LabConfig cfg;

  /* the spiral preset, long enough that no test sees it reach FINISHED on a fast machine */
  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "spiral", NULL));
  g_assert_true (lab_config_set (&cfg, "train.epochs", "100000", NULL));
  f->win = g_object_ref (lab_window_new (NULL, &cfg));
  lab_config_clear (&cfg);
  f->model = g_object_ref (lab_window_get_plot_model (f->win));
  f->panel = g_object_ref (lab_window_get_settings_panel (f->win));
  gtk_window_present (GTK_WINDOW (f->win));
  g_assert_nonnull (lab_window_get_session (f->win));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->win));
  g_assert_finalize_object (f->win);
  g_assert_finalize_object (f->panel);
  g_assert_finalize_object (f->model);
}

static void
activate (LabWindow  *win,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), action, NULL));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *n)
{
  (*n)++;
}

/* Play for N steps, pause (it stays paused), then one step is exactly one step. */
static void
test_play_pause_step (Fixture       *f,
                      gconstpointer  data)
{
  LabSnapshot *snap;
  guint64 before, len_before;
  GtkWidget *button, *state;
  guint n_icon = 0, n_state = 0;
  gulong icon_id, state_id;

  activate (f->win, "win.play");
  iterate_until (f->win, has_rows, GUINT_TO_POINTER (60), "60 rows of history");
  snap = latest (f->win);
  g_assert_cmpint (snap->status.state, ==, LAB_SESSION_RUNNING);
  g_assert_cmpstr (snap->data_name, ==, "spiral");

  /* While it runs, snapshot after snapshot leaves the play button's icon and the state label's
   * classes and tooltip alone: re-setting them on every snapshot redrew the header bar and
   * restyled the label, so each frame repainted the whole window and was followed by a second
   * one. */
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->win), LAB_TYPE_WINDOW,
                                                     "play_button"));
  state = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->win), LAB_TYPE_WINDOW,
                                                    "state_label"));
  /* its tooltip also says which OpenBLAS kernels run */
  {
    g_autofree char *kernels = g_strdup_printf (", %s kernels, ", lab_blas_core_name ());
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (state), kernels));
  }
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==,
                   "media-playback-pause-symbolic");
  icon_id = g_signal_connect (gtk_button_get_child (GTK_BUTTON (button)), "notify",
                              G_CALLBACK (count_notify), &n_icon);
  state_id = g_signal_connect (state, "notify", G_CALLBACK (count_notify), &n_state);
  iterate_until (f->win, has_rows, GUINT_TO_POINTER (history_len (f->win) + 60),
                 "60 more rows of history");
  g_assert_cmpuint (n_icon, ==, 0);
  g_assert_cmpuint (n_state, ==, 0);
  g_signal_handler_disconnect (gtk_button_get_child (GTK_BUTTON (button)), icon_id);
  g_signal_handler_disconnect (state, state_id);

  activate (f->win, "win.pause");
  iterate_until (f->win, acked, NULL, "pause acknowledged");
  snap = latest (f->win);
  g_assert_cmpint (snap->status.state, ==, LAB_SESSION_PAUSED);
  before = snap->status.step;
  g_assert_cmpuint (before, >=, 60);

  /* Nothing happens while paused. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (100 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (latest (f->win)->status.step, ==, before);
  len_before = lab_plot_model_get_last_row (f->model)->step;
  g_assert_cmpuint (len_before, ==, before);

  activate (f->win, "win.step");
  iterate_until (f->win, acked, NULL, "step acknowledged");
  iterate_until (f->win, row_at_least, &(guint64) { before + 1 }, "the step's row");
  g_usleep (100 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  snap = latest (f->win);
  g_assert_cmpuint (snap->status.step, ==, before + 1);
  g_assert_cmpuint (lab_plot_model_get_last_row (f->model)->step, ==, before + 1);
  g_assert_cmpint (snap->status.state, ==, LAB_SESSION_PAUSED);

  /* Space is bound to play/pause as well. */
  activate (f->win, "win.play-pause");
  iterate_until (f->win, acked, NULL, "play acknowledged");
  g_assert_cmpint (latest (f->win)->status.state, ==, LAB_SESSION_RUNNING);
}

/* Reset gives a new run and clears what the plots show. */
static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  guint old_run;

  activate (f->win, "win.play");
  iterate_until (f->win, has_rows, GUINT_TO_POINTER (30), "30 rows of history");
  activate (f->win, "win.pause");
  iterate_until (f->win, acked, NULL, "pause acknowledged");
  old_run = lab_plot_model_get_run_id (f->model);

  activate (f->win, "win.reset");
  iterate_until (f->win, new_run, GUINT_TO_POINTER (old_run), "a new run");
  g_assert_cmpuint (lab_plot_model_get_run_id (f->model), !=, old_run);
  g_assert_cmpuint (history_len (f->win), ==, 0);
  g_assert_cmpuint (latest (f->win)->status.step, ==, 0);
  g_assert_cmpint (latest (f->win)->status.state, ==, LAB_SESSION_PAUSED);
}

/* A sidebar change that needs a rebuild waits for reset, then the run uses it. */
static void
test_activation (Fixture       *f,
                 gconstpointer  data)
{
  LabSnapshot *snap;
  guint old_run;

  iterate_until (f->win, acked, NULL, "the first snapshot");
  snap = latest (f->win);
  g_assert_cmpint (snap->config.model.act[0], ==, LAB_ACT_RELU);
  old_run = snap->run_id;

  lab_settings_panel_set_all_activations (f->panel, LAB_ACT_TANH);
  g_assert_true (lab_settings_panel_get_pending (f->panel));
  /* Not applied before reset. */
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (lab_plot_model_get_run_id (f->model), ==, old_run);

  activate (f->win, "win.reset");
  g_assert_false (lab_settings_panel_get_pending (f->panel));
  iterate_until (f->win, new_run, GUINT_TO_POINTER (old_run), "the rebuilt run");
  snap = latest (f->win);
  g_assert_cmpuint (snap->config.model.n_hidden, ==, 2);
  g_assert_cmpint (snap->config.model.act[0], ==, LAB_ACT_TANH);
  g_assert_cmpint (snap->config.model.act[1], ==, LAB_ACT_TANH);
  g_assert_nonnull (snap->data_name);
  g_assert_null (lab_snapshot_error (snap));
}

/* The speed control: Auto caps a small 2-D set at 300 steps/s (else its run is over in a fifth
 * of a second) and leaves image data at full speed; the other entries are what they say, and
 * the session keeps to the cap. */
static void
test_speed (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *dropdown = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  const LabStepStats *row;
  guint64 s0;
  gint64 t0, elapsed;

  g_assert_cmpfloat (lab_window_get_max_rate (f->win), ==, 300);   /* spiral, Auto */
  iterate_until (f->win, acked, NULL, "the first snapshot");
  activate (f->win, "win.play");
  iterate_until (f->win, has_rows, GUINT_TO_POINTER (5), "rows");
  s0 = lab_plot_model_get_last_row (f->model)->step;
  t0 = g_get_monotonic_time ();
  /* half a second of the window's own loop (bounded: a frame clock may always be ready) */
  while (g_get_monotonic_time () - t0 < G_USEC_PER_SEC / 2)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  row = lab_plot_model_get_last_row (f->model);
  elapsed = g_get_monotonic_time () - t0;
  g_test_message ("%" G_GUINT64_FORMAT " steps in %.3f s at Auto", row->step - s0,
                  elapsed / 1e6);
  g_assert_cmpfloat ((double) (row->step - s0), <=, 300.0 * elapsed / G_USEC_PER_SEC + 40);

  /* find the dropdown in the header bar and pick Full speed, then 100 steps/s */
  for (GtkWidget *w = GTK_WIDGET (f->win); w != NULL && dropdown == NULL;)
    {
      GtkWidget *next = gtk_widget_get_first_child (w);

      if (GTK_IS_DROP_DOWN (w) && GTK_IS_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (w))) &&
          g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (
                       GTK_DROP_DOWN (w))), 0), "Auto speed") == 0)
        dropdown = w;
      while (next == NULL && w != NULL && w != GTK_WIDGET (f->win))
        {
          next = gtk_widget_get_next_sibling (w);
          if (next == NULL)
            w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
  g_assert_cmpfloat (lab_window_get_max_rate (f->win), ==, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 4);
  g_assert_cmpfloat (lab_window_get_max_rate (f->win), ==, 100);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  g_assert_cmpfloat (lab_window_get_max_rate (f->win), ==, 300);
}

/* Every spin button under @w whose text is @text, depth first. */
static void
find_spins (GtkWidget  *w,
            const char *text,
            GPtrArray  *out)
{
  if (GTK_IS_SPIN_BUTTON (w) &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (w)), text) == 0)
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    find_spins (c, text, out);
}

/* The training limit shows "all" for 0 (a 0 read as "no images") and reads numbers and "all". */
static void
test_training_limit_all (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GtkSpinButton *limit;
  LabConfig cfg, back;

  lab_config_init_defaults (&cfg);
  g_assert_true (lab_config_load_preset (&cfg, "fashion-mlp", &error));
  g_assert_no_error (error);
  cfg.data.train_limit = 0;
  lab_settings_panel_set_config (f->panel, &cfg);
  find_spins (GTK_WIDGET (f->panel), "all", spins);
  g_assert_cmpuint (spins->len, ==, 1);
  limit = g_ptr_array_index (spins, 0);

  gtk_editable_set_text (GTK_EDITABLE (limit), "2500");
  gtk_spin_button_update (limit);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (limit), ==, 2500);
  lab_settings_panel_get_config (f->panel, &back);
  g_assert_cmpuint (back.data.train_limit, ==, 2500);
  lab_config_clear (&back);

  gtk_editable_set_text (GTK_EDITABLE (limit), " All ");
  gtk_spin_button_update (limit);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (limit), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (limit)), ==, "all");
  lab_settings_panel_get_config (f->panel, &back);
  g_assert_cmpuint (back.data.train_limit, ==, 0);
  lab_config_clear (&back);
  lab_config_clear (&cfg);
}

/* Prune now with the sidebar's target reaches the masks the heatmaps draw. */
static void
test_prune_now (Fixture       *f,
                gconstpointer  data)
{
  LabSnapshot *snap;

  activate (f->win, "win.play");
  iterate_until (f->win, has_rows, GUINT_TO_POINTER (20), "20 rows of history");
  lab_settings_panel_set_prune_target (f->panel, 0.9);
  activate (f->win, "win.prune-now");
  iterate_until (f->win, pruned, NULL, "a 90 % mask in the heavy snapshot");
  snap = latest (f->win);
  g_assert_cmpuint (snap->status.prune.n_layers, >, 0);
  g_assert_cmpfloat (snap->status.prune.sparsity, >, 0.8);
  g_assert_cmpfloat (heavy_mask_sparsity (f->win), <, 0.95);
  g_assert_null (lab_snapshot_error (snap));

  /* It keeps training on the pruned network. */
  {
    guint64 at = snap->status.step + 10;
    iterate_until (f->win, row_at_least, &at, "10 more steps");
    g_assert_cmpfloat (lab_plot_model_get_last_row (f->model)->sparsity, >, 0.8);
  }
}

/* A preset from the menu replaces the run; a bad name is an error in the window. */
static void
test_presets (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint old_run;

  iterate_until (f->win, acked, NULL, "the first snapshot");
  old_run = latest (f->win)->run_id;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.load-preset", "s",
                                             "spiral"));
  iterate_until (f->win, new_run, GUINT_TO_POINTER (old_run), "the preset's run");
  g_assert_cmpint (latest (f->win)->config.data.source, ==, LAB_DATA_SPIRAL);

  g_assert_false (lab_window_load_preset (f->win, "no-such-preset", &error));
  g_assert_nonnull (error);

  /* Pages can be chosen by name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.show-page", "s",
                                             "pruning"));
}

/* ------------------------------------------------------------------------------------------ */
/* Classroom: presenter mode, lessons, compare mode (ui/lab-window-classroom.c)                */

/* F11's action: the "presenter" class on the window, the sidebar hidden; and back. */
static void
test_presenter (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *sidebar = GTK_WIDGET (f->panel);

  g_assert_false (lab_window_get_presenter (f->win));
  g_assert_true (gtk_widget_get_visible (sidebar));
  activate (f->win, "win.presenter");
  g_assert_true (lab_window_get_presenter (f->win));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->win), "presenter"));
  g_assert_false (gtk_widget_get_visible (sidebar));

  /* play/step/reset stay on the keyboard (they are window actions) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.step", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.reset", NULL));
  iterate_until (f->win, acked, NULL, "the commands sent in presenter mode");

  activate (f->win, "win.presenter");
  g_assert_false (lab_window_get_presenter (f->win));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->win), "presenter"));
  g_assert_true (gtk_widget_get_visible (sidebar));
}

/* A lesson from the Lessons menu: its settings reach the engine, its page and text show. */
static void
test_lesson (Fixture       *f,
             gconstpointer  data)
{
  LabLessonPanel *lesson_panel = lab_window_get_lesson_panel (f->win);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint old_run;

  iterate_until (f->win, acked, NULL, "the first snapshot");
  old_run = latest (f->win)->run_id;
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (lesson_panel)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.open-lesson", "s",
                                             "01-gradient-descent"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lesson_panel)));
  g_assert_cmpstr (lab_lesson_panel_get_title (lesson_panel), ==, "Gradient descent on a spiral");
  g_assert_cmpuint (lab_lesson_panel_get_n_blocks (lesson_panel), >=, 4);
  iterate_until (f->win, new_run, GUINT_TO_POINTER (old_run), "the lesson's run");
  /* the lesson's own setting on top of its preset */
  g_assert_cmpuint (latest (f->win)->config.train.epochs, ==, 100);
  g_assert_cmpint (latest (f->win)->config.data.source, ==, LAB_DATA_SPIRAL);

  /* a lesson file, through the window's Open (a .lesson goes to the lesson panel) */
  path = g_test_build_filename (G_TEST_DIST, "..", "resources", "lessons",
                                "05-magnitude-pruning.lesson", NULL);
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_assert_true (lab_window_open_file (f->win, file, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (lab_lesson_panel_get_title (lesson_panel), ==,
                   "Magnitude pruning to 90 %, and what survives");

  /* a broken lesson is an error naming the file and line; the lesson shown stays */
  g_assert_false (lab_window_open_lesson_file (f->win, "no-such-lesson", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (lab_lesson_panel_get_title (lesson_panel), ==,
                   "Magnitude pruning to 90 %, and what survives");

  /* the close button (::close) hides the panel; Ctrl+L's action shows it again */
  g_signal_emit_by_name (lesson_panel, "close");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (lesson_panel)));
  activate (f->win, "win.show-lesson");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lesson_panel)));
}

static void
test_lesson_markup (void)
{
  g_autofree char *a = lab_lesson_markup ("a **b** < c & d");
  g_autofree char *b = lab_lesson_markup ("**open");

  g_assert_cmpstr (a, ==, "a <b>b</b> &lt; c &amp; d");
  g_assert_cmpstr (b, ==, "<b>open</b>");
}

typedef struct
{
  LabCompareWindow *cw;
  guint64           want;
} CompareWait;

static gboolean
compare_reached (LabWindow *win,
                 gpointer   data)
{
  CompareWait *w = data;
  LabLockstep *ls = lab_compare_window_get_lockstep (w->cw);

  /* while playing the next round goes out at each delivery; paused, none is in flight */
  return lab_lockstep_get_step (ls) >= w->want &&
         (lab_lockstep_is_playing (ls) ||
          lab_lockstep_get_step (ls) == lab_lockstep_get_target (ls));
}

/* Compare mode from the window: the sidebar's settings beside another activation, in
 * lock-step, with both plot models at the same step; closing joins both engines. */
static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  CompareWait w = { 0 };
  LabPlotModel *m0, *m1;
  const LabStepStats *r0, *r1;

  w.cw = g_object_ref (lab_window_compare (f->win));
  gtk_window_present (GTK_WINDOW (w.cw));
  /* spiral's ReLU beside sigmoid + Xavier; one BLAS thread each */
  g_assert_cmpint (lab_lockstep_get_config (lab_compare_window_get_lockstep (w.cw), 0)->model.act[0],
                   ==, LAB_ACT_RELU);
  g_assert_cmpint (lab_lockstep_get_config (lab_compare_window_get_lockstep (w.cw), 1)->model.act[0],
                   ==, LAB_ACT_SIGMOID);
  g_assert_cmpuint (lab_lockstep_get_config (lab_compare_window_get_lockstep (w.cw), 1)->train.threads,
                    ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.cw), "win.play-pause", NULL));
  w.want = 100;
  iterate_until (f->win, compare_reached, &w, "100 lock-step steps");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.cw), "win.play-pause", NULL));
  w.want = 0;
  iterate_until (f->win, compare_reached, &w, "the pause");

  m0 = lab_compare_window_get_model (w.cw, 0);
  m1 = lab_compare_window_get_model (w.cw, 1);
  r0 = lab_plot_model_get_last_row (m0);
  r1 = lab_plot_model_get_last_row (m1);
  g_assert_cmpuint (r0->step, >=, 100);
  g_assert_cmpuint (r0->step, ==, r1->step);
  g_assert_cmpuint (r0->step, ==, lab_lockstep_get_step (lab_compare_window_get_lockstep (w.cw)));
  g_assert_cmpuint (lab_compare_window_get_deliveries (w.cw), >=, 10);

  /* presenter mode there too */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.cw), "win.presenter", NULL));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (w.cw), "presenter"));

  gtk_window_destroy (GTK_WINDOW (w.cw));
  g_assert_finalize_object (w.cw);
}

static void
test_describe_difference (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *d0 = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *same = NULL;
  LabConfig a, b;

  lab_config_init_defaults (&a);
  g_assert_true (lab_config_load_preset (&a, "vanishing-sigmoid", &error));
  lab_compare_other_activation (&a, &b);
  b.train.threads = 7;   /* ignored: compare mode sets it */
  d0 = lab_compare_describe_difference (&a, &b, FALSE);
  d1 = lab_compare_describe_difference (&a, &b, TRUE);
  same = lab_compare_describe_difference (&a, &a, FALSE);
  g_assert_cmpstr (d0, ==, "activation = sigmoid, init = uniform");
  g_assert_cmpstr (d1, ==, "activation = relu, init = he-normal");
  g_assert_cmpstr (same, ==, "");
  lab_config_clear (&a);
  lab_config_clear (&b);
}

/* A `gradlab-cli sweep` CSV opened in the window becomes accuracy-versus-sparsity curves. */
static void
test_open_sweep (Fixture       *f,
                 gconstpointer  data)
{
  const char *text =
    "criterion,scope,sparsity,finetune_epochs,test_accuracy,test_loss,achieved_sparsity\n"
    "magnitude,global,0,0,0.85,0.40,0\n"
    "magnitude,global,0.9,0,0.84,0.45,0.9\n"
    "random,global,0,0,0.85,0.40,0\n"
    "random,global,0.9,0,0.30,2.10,0.9\n";
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *path = lab_test_write_file (dir, "sweep.csv", text, strlen (text));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GArray *sweep;
  guint run_before = lab_plot_model_get_run_id (f->model);

  g_assert_true (lab_window_open_file (f->win, file, &error));
  g_assert_no_error (error);
  sweep = lab_plot_model_get_sweep (f->model);
  g_assert_cmpuint (sweep->len, ==, 4);
  g_assert_cmpstr (g_array_index (sweep, LabSweepRow, 3).criterion, ==, "random");
  g_assert_cmpfloat (g_array_index (sweep, LabSweepRow, 3).test_accuracy, ==, 0.30);
  /* results, not data: the run was left alone */
  g_assert_cmpuint (lab_plot_model_get_run_id (f->model), ==, run_before);
  lab_test_rmdir (dir);
}

/* What Open makes of a path is the engine's word (lab_file_kind_guess): suffixes in any case,
 * a sweep told from data by its first line, an IDX folder or a file in one. */
static void
test_file_kinds (void)
{
  static const char sweep[] = "criterion,scope,sparsity,finetune_epochs,test_accuracy,test_loss\n";
  static const char data[] = "label,x,y\n0,0.5,0.25\n";
  g_autofree char *dir = lab_test_mkdtemp ();
  g_autofree char *sweep_csv = lab_test_write_file (dir, "s.CSV", sweep, sizeof sweep - 1);
  g_autofree char *data_csv = lab_test_write_file (dir, "d.csv", data, sizeof data - 1);
  g_autofree char *idx = g_build_filename (dir, "mnist", NULL);
  g_autofree char *member = g_build_filename (idx, "train-images-idx3-ubyte", NULL);
  g_autofree char *missing_csv = g_build_filename (dir, "missing.csv", NULL);

  g_assert_cmpint (g_mkdir (idx, 0700), ==, 0);
  g_assert_cmpint (lab_file_kind_guess ("a/b/run.gradlab"), ==, LAB_FILE_RUN);
  g_assert_cmpint (lab_file_kind_guess ("RUN.GRADLAB"), ==, LAB_FILE_RUN);
  g_assert_cmpint (lab_file_kind_guess ("x.Lesson"), ==, LAB_FILE_LESSON);
  g_assert_cmpint (lab_file_kind_guess ("settings.INI"), ==, LAB_FILE_SETTINGS);
  g_assert_cmpint (lab_file_kind_guess (sweep_csv), ==, LAB_FILE_SWEEP);
  g_assert_cmpint (lab_file_kind_guess (data_csv), ==, LAB_FILE_CSV_DATA);
  /* unreadable: data, and the loader says why */
  g_assert_cmpint (lab_file_kind_guess (missing_csv), ==, LAB_FILE_CSV_DATA);
  g_assert_cmpint (lab_file_kind_guess (idx), ==, LAB_FILE_IDX_FOLDER);
  g_assert_cmpint (lab_file_kind_guess (member), ==, LAB_FILE_IDX_MEMBER);
  g_assert_cmpint (lab_file_kind_guess ("notes.txt"), ==, LAB_FILE_UNKNOWN);
  lab_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/ui/window/play-pause-step", test_play_pause_step);
  ADD ("/ui/window/reset", test_reset);
  ADD ("/ui/window/activation", test_activation);
  ADD ("/ui/window/prune-now", test_prune_now);
  ADD ("/ui/window/training-limit-all", test_training_limit_all);
  ADD ("/ui/window/speed", test_speed);
  ADD ("/ui/window/presets", test_presets);
  ADD ("/ui/window/open-sweep", test_open_sweep);
  ADD ("/ui/window/presenter", test_presenter);
  ADD ("/ui/window/lesson", test_lesson);
  ADD ("/ui/window/compare", test_compare);
#undef ADD
  g_test_add_func ("/ui/window/lesson-markup", test_lesson_markup);
  g_test_add_func ("/ui/window/compare-difference", test_describe_difference);
  g_test_add_func ("/ui/window/file-kinds", test_file_kinds);

  return g_test_run ();
}
