/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-export.c: export and reproduce from the window (issue 6). A window trains the "spiral"
 * preset for a while, then:
 * - every plot goes to PNG, SVG and PDF: files non-empty, the PNG of the asked size, the SVG
 *   with the asked width/height, the PDF a %PDF whose /MediaBox is the asked page; the PNGs
 *   are also left in the build directory (export-*.png) for a person to look at;
 * - the metrics log goes to CSV and JSON Lines, one line per step, numbers as %.7g of the rows;
 * - weights and masks go to .npy and read back bit for bit;
 * - the run goes to a .gradlab file and reopens in a second window with the same weights,
 *   the same history in the plots, and goes on training from there; both in a worker thread
 *   (lab-window-runfile.c), waited for on the main loop: through the Save Run action (pause,
 *   save, resume) and Open; closing the window in the middle of a save leaves a whole file;
 *   a run read while the window closes, or while another run replaces it, is dropped;
 * - opening a malformed CSV shows the loader's message in the error banner;
 * - the export dialog opens (and closes with the window).
 */
#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <string.h>

#include <cairo.h>
#include <gtk/gtk.h>

#include "lab-act-plot.h"
#include "lab-boundary-plot.h"
#include "lab-error.h"
#include "lab-export.h"
#include "lab-flow-plot.h"
#include "lab-grad-plot.h"
#include "lab-loss-plot.h"
#include "lab-network-view.h"
#include "lab-npy.h"
#include "lab-runfile.h"
#include "lab-sparsity-plot.h"
#include "lab-test-ui.h"
#include "lab-test-utils.h"
#include "lab-weights-view.h"
#include "lab-window-export.h"
#include "lab-window-runfile.h"
#include "lab-window.h"

#define TIMEOUT_MS 30000
#define TRAIN_STEPS 120

typedef LabTestWindowCondition Condition;

static void
iterate_until (LabWindow  *win,
               Condition   cond,
               gpointer    data,
               const char *what)
{
  lab_test_window_until (win, cond, data, TIMEOUT_MS, what);
}

/* At rest at step *data (the heavy parts of that step in the plot model). */
static gboolean
at_step (LabWindow *win,
         gpointer   data)
{
  LabSnapshot *latest = lab_plot_model_get_latest (lab_window_get_plot_model (win));

  return lab_window_run_at_rest (win) && latest->status.step == *(const guint64 *) data;
}

static gboolean
at_rest (LabWindow *win,
         gpointer   data)
{
  return lab_window_run_at_rest (win);
}

static gboolean
acked_serial (LabWindow *win,
              gpointer   data)
{
  LabSnapshot *latest = lab_plot_model_get_latest (lab_window_get_plot_model (win));

  return latest != NULL && latest->status.acked >= *(const guint64 *) data;
}

/* ------------------------------------------------------------------------------------------ */
/* run files: the async calls, waited for on the main loop */

typedef struct
{
  gboolean (*finish) (LabWindow     *win,
                      GAsyncResult  *result,
                      GError       **error);
  gboolean   done;
  gboolean   ok;
  GError    *error;
} Done;

#define SAVING { lab_window_save_run_finish, FALSE, FALSE, NULL }
#define OPENING { lab_window_open_run_finish, FALSE, FALSE, NULL }

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Done *d = data;

  d->ok = d->finish (LAB_WINDOW (source), result, &d->error);
  d->done = TRUE;
}

static gboolean
is_done (LabWindow *win,
         gpointer   data)
{
  return ((Done *) data)->done;
}

static gboolean
wait_done (LabWindow   *win,
           Done        *d,
           const char  *what,
           GError     **error)
{
  iterate_until (win, is_done, d, what);
  if (d->error != NULL)
    g_propagate_error (error, d->error);
  return d->ok;
}

static gboolean
save_run (LabWindow   *win,
          const char  *path,
          GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Done d = SAVING;

  lab_window_save_run_async (win, file, on_done, &d);
  return wait_done (win, &d, "the save", error);
}

static gboolean
open_run (LabWindow  *win,
          GFile      *file,
          GError    **error)
{
  Done d = OPENING;

  lab_window_open_run_async (win, file, on_done, &d);
  return wait_done (win, &d, "the open", error);
}

/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  LabWindow    *win;
  LabPlotModel *model;
  char         *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  guint64 step = TRAIN_STEPS;

  f->dir = lab_test_mkdtemp ();
  f->win = g_object_ref (lab_window_new (NULL, NULL));
  f->model = g_object_ref (lab_window_get_plot_model (f->win));
  gtk_window_present (GTK_WINDOW (f->win));
  lab_session_step (lab_window_get_session (f->win), TRAIN_STEPS);
  iterate_until (f->win, at_step, &step, "the first steps");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->win));
  g_assert_finalize_object (f->win);
  g_assert_finalize_object (f->model);
  lab_test_rmdir (f->dir);
  g_free (f->dir);
}

/* ------------------------------------------------------------------------------------------ */
/* plots */

static const char *
build_dir (void)
{
  return g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".";
}

static void
check_png (const char *path,
           int         width,
           int         height)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  const guint8 *px;
  int stride;
  guint32 first;
  gboolean varied = FALSE;

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, height);
  /* something was drawn: not one flat colour */
  cairo_surface_flush (s);
  px = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  memcpy (&first, px, 4);
  for (int y = 0; y < height && !varied; y += 3)
    for (int x = 0; x < width && !varied; x += 3)
      varied = memcmp (px + (gsize) y * stride + 4 * x, &first, 4) != 0;
  g_assert_true (varied);
  cairo_surface_destroy (s);
}

static void
check_svg (const char *path,
           int         width,
           int         height)
{
  g_autofree char *text = NULL;
  g_autofree char *w = g_strdup_printf ("width=\"%dpx\"", width);
  g_autofree char *h = g_strdup_printf ("height=\"%dpx\"", height);
  g_autofree char *vb = g_strdup_printf ("viewBox=\"0 0 %d %d\"", width, height);
  const char *svg;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  svg = strstr (text, "<svg");
  g_assert_nonnull (svg);
  g_assert_nonnull (strstr (svg, w));
  g_assert_nonnull (strstr (svg, h));
  g_assert_nonnull (strstr (svg, vb));
  g_assert_nonnull (strstr (svg, "</svg>"));
}

static void
check_pdf (const char *path,
           int         width,
           int         height)
{
  g_autofree char *text = NULL;
  g_autoptr(GRegex) re = g_regex_new ("/MediaBox\\s*\\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]",
                                      G_REGEX_RAW, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  gsize len;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpuint (len, >, 100);
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  /* the file is binary: search every match in the raw bytes */
  g_regex_match_full (re, text, (gssize) len, 0, 0, &m, NULL);
  while (g_match_info_matches (m))
    {
      g_autofree char *w = g_match_info_fetch (m, 1);
      g_autofree char *h = g_match_info_fetch (m, 2);
      g_assert_cmpfloat (g_ascii_strtod (w, NULL), ==, width);
      g_assert_cmpfloat (g_ascii_strtod (h, NULL), ==, height);
      n++;
      g_match_info_next (m, NULL);
    }
  g_assert_cmpuint (n, >=, 1);
}

static void
test_plots (Fixture       *f,
            gconstpointer  data)
{
  GType types[] = {
    LAB_TYPE_GRAD_PLOT, LAB_TYPE_FLOW_PLOT, LAB_TYPE_LOSS_PLOT, LAB_TYPE_ACT_PLOT,
    LAB_TYPE_BOUNDARY_PLOT, LAB_TYPE_WEIGHTS_VIEW, LAB_TYPE_SPARSITY_PLOT,
    LAB_TYPE_NETWORK_VIEW,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkWidget *like = lab_window_find_plot (f->win, types[i]);

      g_assert_nonnull (like);
      for (LabExportFormat fmt = LAB_EXPORT_PNG; fmt <= LAB_EXPORT_PDF; fmt++)
        {
          /* the default size for PNG, another for the vector formats */
          int w = fmt == LAB_EXPORT_PNG ? 1600 : 900, h = fmt == LAB_EXPORT_PNG ? 1000 : 560;
          g_autofree char *name = g_strdup_printf ("export-%s.%s", g_type_name (types[i]),
                                                   lab_export_format_extension (fmt));
          g_autofree char *path = g_build_filename (fmt == LAB_EXPORT_PNG ? build_dir () : f->dir,
                                                    name, NULL);
          g_autoptr(GError) error = NULL;
          LabExportFormat guessed;

          g_assert_true (lab_export_plot (types[i], like, f->model, fmt, w, h, 2.0, path, &error));
          g_assert_no_error (error);
          g_assert_true (lab_export_format_from_path (path, &guessed));
          g_assert_cmpint (guessed, ==, fmt);
          switch (fmt)
            {
            case LAB_EXPORT_PNG: check_png (path, w, h); g_test_message ("saved %s", path); break;
            case LAB_EXPORT_SVG: check_svg (path, w, h); break;
            case LAB_EXPORT_PDF: check_pdf (path, w, h); break;
            default: g_assert_not_reached ();
            }
        }
    }

  /* a size below the plot's minimum still gives the asked size (drawn smaller) */
  {
    g_autofree char *path = g_build_filename (f->dir, "small.png", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true (lab_export_plot (LAB_TYPE_LOSS_PLOT, NULL, f->model, LAB_EXPORT_PNG, 120, 75,
                                    2.0, path, &error));
    check_png (path, 120, 75);
  }
  /* out of range, and an unwritable place: errors, and no file left behind */
  {
    g_autofree char *path = g_build_filename (f->dir, "tiny.png", NULL);
    g_autofree char *nowhere = g_build_filename (f->dir, "no", "such", "x.pdf", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_false (lab_export_plot (LAB_TYPE_LOSS_PLOT, NULL, f->model, LAB_EXPORT_PNG, 8, 8,
                                     1.0, path, &error));
    g_assert_nonnull (error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
    g_assert_false (lab_export_plot (LAB_TYPE_LOSS_PLOT, NULL, f->model, LAB_EXPORT_PDF, 400, 300,
                                     1.0, nowhere, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, nowhere));
  }
  g_assert_false (lab_export_format_from_path ("plot.jpeg", NULL));
  g_assert_true (lab_export_format_from_path ("PLOT.SVG", NULL));
}

/* ------------------------------------------------------------------------------------------ */
/* metrics, weights */

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  LabRowLog *log = lab_plot_model_get_row_log (f->model);
  g_autofree char *csv = g_build_filename (f->dir, "m.csv", NULL);
  g_autofree char *jsonl = g_build_filename (f->dir, "m.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (log);
  g_assert_cmpuint (lab_row_log_len (log), ==, TRAIN_STEPS);
  g_assert_true (lab_window_export_metrics (f->win, csv, &note, &error));
  g_assert_no_error (error);
  g_assert_null (note);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, TRAIN_STEPS + 2);
  for (guint i = 0; i < TRAIN_STEPS; i++)
    {
      g_auto(GStrv) fld = g_strsplit (lines[i + 1], ",", -1);
      char want[G_ASCII_DTOSTR_BUF_SIZE];
      LabStepStats st;

      lab_row_log_get (log, i, &st);
      g_assert_cmpuint (st.step, ==, i + 1);
      g_assert_cmpuint (g_ascii_strtoull (fld[0], NULL, 10), ==, st.step);
      g_assert_cmpstr (fld[4], ==, g_ascii_formatd (want, sizeof want, "%.7g", st.loss));
      g_assert_cmpstr (fld[5], ==, g_ascii_formatd (want, sizeof want, "%.7g", st.accuracy));
      g_assert_cmpstr (fld[10], ==, g_ascii_formatd (want, sizeof want, "%.7g",
                                                     st.layer[0].grad_norm));
    }
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&lines, g_strfreev);

  g_assert_true (lab_window_export_metrics (f->win, jsonl, NULL, &error));
  g_assert_true (g_file_get_contents (jsonl, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, TRAIN_STEPS + 1);
  for (guint i = 0; i < TRAIN_STEPS; i++)
    {
      char want[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *key = NULL;
      LabStepStats st;

      lab_row_log_get (log, i, &st);
      key = g_strdup_printf ("{\"step\":%u,", i + 1);
      g_assert_true (g_str_has_prefix (lines[i], key));
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("\"loss\":%s,", g_ascii_formatd (want, sizeof want, "%.7g", st.loss));
      g_assert_nonnull (strstr (lines[i], key));
    }
}

static void
test_npy (Fixture       *f,
          gconstpointer  data)
{
  /* a reference of our own: the model lets go of this snapshot when a newer one arrives
   * while the loop below waits for the save */
  g_autoptr(LabSnapshot) snap = lab_snapshot_ref (lab_plot_model_get_heavy (f->model));
  const LabHeavy *hv = snap->heavy;
  g_autofree char *wdir = g_build_filename (f->dir, "weights", NULL);
  guint64 serial;

  serial = lab_session_save_weights (lab_window_get_session (f->win), wdir);
  iterate_until (f->win, acked_serial, &serial, "weights saved");
  g_assert_null (lab_snapshot_error (lab_plot_model_get_latest (f->model)));
  for (guint l = 0; l < hv->n_layers; l++)
    {
      g_autofree char *wn = g_strdup_printf ("W%u.npy", l + 1);
      g_autofree char *bn = g_strdup_printf ("b%u.npy", l + 1);
      g_autofree char *wp = g_build_filename (wdir, wn, NULL);
      g_autofree char *bp = g_build_filename (wdir, bn, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree float *w = NULL;
      g_autofree float *b = NULL;
      gsize rows, cols;

      w = lab_npy_load (wp, &rows, &cols, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows, ==, hv->sizes[l + 1]);
      g_assert_cmpuint (cols, ==, hv->sizes[l]);
      g_assert_true (memcmp (w, lab_heavy_weight (hv, l).data, rows * cols * sizeof (float)) == 0);
      b = lab_npy_load (bp, &rows, &cols, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows, ==, hv->sizes[l + 1]);
      g_assert_cmpuint (cols, ==, 0);
      g_assert_true (memcmp (b, lab_heavy_layer (hv, l)->bias, rows * sizeof (float)) == 0);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* loader errors in the banner */

static gboolean
banner_shows (LabWindow *win,
              gpointer   data)
{
  GtkWidget *revealer = lab_test_find_widget (GTK_WIDGET (win), GTK_TYPE_REVEALER);
  GtkWidget *label;

  g_assert_nonnull (revealer);
  label = lab_test_find_widget (revealer, GTK_TYPE_LABEL);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)) && label != NULL &&
         strstr (gtk_label_get_text (GTK_LABEL (label)), data) != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* run files */

static void
test_run (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "run.gradlab", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.gradlab", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRun) run = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  LabWindow *win2;
  LabPlotModel *model2;
  LabSnapshot *heavy;
  guint64 step = TRAIN_STEPS, more = TRAIN_STEPS + 15;

  /* a running engine cannot be saved consistently */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.play", NULL));
  {
    LabSnapshot *latest;
    do
      {
        g_main_context_iteration (NULL, TRUE);
        latest = lab_plot_model_get_latest (f->model);
      }
    while (latest->status.state != LAB_SESSION_RUNNING);
    g_assert_false (lab_window_run_at_rest (f->win));
    g_assert_false (save_run (f->win, path, &error));
    g_assert_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.pause", NULL));
  iterate_until (f->win, at_rest, NULL, "the run at rest");
  step = lab_plot_model_get_latest (f->model)->status.step;
  g_assert_cmpuint (step, >, TRAIN_STEPS);

  g_assert_true (save_run (f->win, path, &error));
  g_assert_no_error (error);
  run = lab_run_load (path, &error);
  g_assert_no_error (error);
  heavy = lab_plot_model_get_heavy (f->model);
  g_assert_cmpuint (run->step, ==, step);
  g_assert_cmpuint (run->n_params, ==, heavy->heavy->n_params);
  g_assert_true (memcmp (run->params, heavy->heavy->params, run->n_params * 4) == 0);
  g_assert_cmpuint (lab_row_log_len (run->rows), ==, step);

  /* a second window opens it: same weights, same history, evaluated at once */
  win2 = g_object_ref (lab_window_new (NULL, NULL));
  model2 = g_object_ref (lab_window_get_plot_model (win2));
  gtk_window_present (GTK_WINDOW (win2));
  g_assert_true (lab_window_open_file (win2, file, &error));
  g_assert_no_error (error);
  iterate_until (win2, at_step, &step, "the reopened run");
  iterate_until (win2, acked_serial, &(guint64) { lab_window_get_last_serial (win2) },
                 "the reopened run's commands");
  heavy = lab_plot_model_get_heavy (model2);
  g_assert_true (memcmp (heavy->heavy->params, run->params, run->n_params * 4) == 0);
  g_assert_cmpuint (lab_row_log_len (lab_plot_model_get_row_log (model2)), ==, step);
  for (gsize i = 0; i < step; i++)
    {
      LabStepStats a = { 0 }, b = { 0 };
      lab_row_log_get (lab_plot_model_get_row_log (f->model), i, &a);
      lab_row_log_get (lab_plot_model_get_row_log (model2), i, &b);
      g_assert_true (memcmp (&a, &b, sizeof a) == 0);
    }
  g_assert_cmpuint (lab_history_len (lab_plot_model_get_history (model2)), ==,
                    lab_history_len (lab_plot_model_get_history (f->model)));
  g_assert_cmpuint (lab_plot_model_get_latest (model2)->status.eval_step, ==, step);
  g_assert_cmpuint (lab_plot_model_get_evals (model2)->len, >=, 1);
  g_assert_null (lab_snapshot_error (lab_plot_model_get_latest (model2)));

  /* … and trains on from there */
  lab_session_step (lab_window_get_session (win2), 15);
  more = step + 15;
  iterate_until (win2, at_step, &more, "15 more steps");
  g_assert_cmpuint (lab_plot_model_get_last_row (model2)->step, ==, more);
  g_assert_cmpuint (lab_row_log_len (lab_plot_model_get_row_log (model2)), ==, more);

  /* a damaged file is refused with a message naming it; nothing changes */
  {
    g_autofree char *contents = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (bad, contents, (gssize) (len / 2), NULL));
    g_assert_false (open_run (win2, bad_file, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, bad));
    g_assert_nonnull (strstr (error->message, "truncated"));
    g_clear_error (&error);
    /* through Open, the same message in the banner */
    g_assert_true (lab_window_open_file (win2, bad_file, &error));
    g_assert_no_error (error);
    iterate_until (win2, banner_shows, (gpointer) "truncated", "the damaged file's error");
    g_assert_cmpuint (lab_plot_model_get_last_row (model2)->step, ==, more);
  }

  gtk_window_destroy (GTK_WINDOW (win2));
  g_assert_finalize_object (win2);
  g_assert_finalize_object (model2);
}

static gboolean
idle (LabWindow *win,
      gpointer   data)
{
  return !gtk_widget_get_visible (lab_test_child (win, "busy_label"));
}

static gboolean
running_acked (LabWindow *win,
               gpointer   data)
{
  LabSnapshot *latest = lab_plot_model_get_latest (lab_window_get_plot_model (win));

  return latest->status.acked >= lab_window_get_last_serial (win) &&
         latest->status.state == LAB_SESSION_RUNNING;
}

static void
wait_running (LabWindow *win)
{
  LabSnapshot *latest;

  do
    {
      g_main_context_iteration (NULL, TRUE);
      latest = lab_plot_model_get_latest (lab_window_get_plot_model (win));
    }
  while (latest->status.state != LAB_SESSION_RUNNING);
}

/* Save Run on a running engine (the chooser's answer is win.save-run-to): it pauses, saves in the
 * background with "Saving …" in the status line, and trains on; Open reads the
 * file back in the background with the weights and history that were saved. */
static void
test_run_actions (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *name = g_build_filename (f->dir, "actions", NULL);
  g_autofree char *path = g_strconcat (name, ".gradlab", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRun) run = NULL;
  GtkWidget *busy = lab_test_child (f->win, "busy_label");
  LabSnapshot *heavy;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.play", NULL));
  wait_running (f->win);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.save-run-to", "s", name));
  g_assert_false (idle (f->win, NULL));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (busy)), ==, "Saving actions.gradlab…");
  iterate_until (f->win, idle, NULL, "the save");
  g_assert_false (gtk_revealer_get_reveal_child (
                    GTK_REVEALER (lab_test_child (f->win, "error_revealer"))));
  run = lab_run_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (run->step, >, TRAIN_STEPS);
  g_assert_cmpuint (lab_row_log_len (run->rows), ==, run->step);
  /* … and it trains on */
  iterate_until (f->win, running_acked, NULL, "training again after the save");

  g_assert_true (lab_window_open_file (f->win, file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (busy)), ==, "Opening actions.gradlab…");
  iterate_until (f->win, at_step, &run->step, "the reopened run");
  g_assert_true (idle (f->win, NULL));
  heavy = lab_plot_model_get_heavy (f->model);
  g_assert_true (memcmp (heavy->heavy->params, run->params, run->n_params * 4) == 0);
  g_assert_cmpuint (lab_row_log_len (lab_plot_model_get_row_log (f->model)), ==, run->step);
}

/* Closing the window while the worker writes: the save finishes, the file is whole, and no
 * temporary is left beside it. */
static void
test_run_close_mid_save (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "closing.gradlab", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabRun) run = NULL;
  g_autoptr(GDir) dir = NULL;
  Done d = SAVING;

  lab_window_save_run_async (f->win, file, on_done, &d);
  gtk_window_destroy (GTK_WINDOW (f->win));
  iterate_until (f->win, is_done, &d, "the save of a closed window");
  g_assert_no_error (d.error);
  g_assert_true (d.ok);

  run = lab_run_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (run->step, ==, TRAIN_STEPS);
  g_assert_cmpuint (lab_row_log_len (run->rows), ==, TRAIN_STEPS);
  dir = g_dir_open (f->dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "closing.gradlab");
  g_assert_null (g_dir_read_name (dir));
}

static gboolean
fresh_run (LabWindow *win,
           gpointer   data)
{
  LabSnapshot *latest = lab_plot_model_get_latest (lab_window_get_plot_model (win));

  return latest->status.acked >= lab_window_get_last_serial (win) &&
         latest->run_id == lab_plot_model_get_run_id (lab_window_get_plot_model (win)) &&
         latest->run_id != GPOINTER_TO_UINT (data);
}

/* A run still being read when another run replaces it, or when the window closes, is dropped:
 * the open says G_IO_ERROR_CANCELLED and the plots never get its history. */
static void
test_run_stale_open (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "stale.gradlab", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LabRowLog *rows;
  guint run_id = lab_plot_model_get_run_id (f->model);
  Done replaced = OPENING, closed = OPENING;

  g_assert_true (save_run (f->win, path, &error));
  g_assert_no_error (error);

  lab_window_open_run_async (f->win, file, on_done, &replaced);
  g_assert_true (lab_window_load_preset (f->win, "spiral", &error));
  iterate_until (f->win, is_done, &replaced, "the replaced open");
  g_assert_false (replaced.ok);
  g_assert_error (replaced.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&replaced.error);
  iterate_until (f->win, fresh_run, GUINT_TO_POINTER (run_id), "the preset's run");
  iterate_until (f->win, idle, NULL, "the status line idle");
  rows = lab_plot_model_get_row_log (f->model);
  g_assert_true (rows == NULL || lab_row_log_len (rows) == 0);
  g_assert_cmpuint (lab_plot_model_get_latest (f->model)->status.step, ==, 0);

  lab_window_open_run_async (f->win, file, on_done, &closed);
  gtk_window_destroy (GTK_WINDOW (f->win));
  iterate_until (f->win, is_done, &closed, "the open of a closed window");
  g_assert_false (closed.ok);
  g_assert_error (closed.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&closed.error);
}

static void
test_bad_csv (Fixture       *f,
              gconstpointer  data)
{
  static const char text[] = "label,x,y\n0,0.5,0.25\n1,0.75,oops\n";
  g_autofree char *csv = lab_test_write_file (f->dir, "bad.csv", text, sizeof text - 1);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GError) error = NULL;
  GtkWidget *revealer = lab_test_find_widget (GTK_WIDGET (f->win), GTK_TYPE_REVEALER);
  LabSnapshot *latest;

  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  /* the file is accepted as data; the engine's loader then fails */
  g_assert_true (lab_window_open_file (f->win, file, &error));
  g_assert_no_error (error);
  iterate_until (f->win, banner_shows, (gpointer) "bad.csv", "the loader's error in the banner");
  latest = lab_plot_model_get_latest (f->model);
  g_assert_cmpint (latest->status.state, ==, LAB_SESSION_FAILED);
  g_assert_nonnull (lab_snapshot_error (latest));
  g_assert_nonnull (strstr (lab_snapshot_error (latest), "oops"));
  g_assert_true (banner_shows (f->win, (gpointer) lab_snapshot_error (latest)));
  g_test_message ("banner: %s", lab_snapshot_error (latest));
}

static void
test_dialog (Fixture       *f,
             gconstpointer  data)
{
  GtkWindow *dialog = lab_window_show_export_dialog (
    f->win, lab_window_find_plot (f->win, LAB_TYPE_LOSS_PLOT));
  GtkWidget *dropdown;

  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (f->win));
  g_assert_true (gtk_window_get_modal (dialog));
  dropdown = lab_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (dropdown);
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (
                     gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown)))),
                   ==, "Loss and accuracy");
  /* every entry a plot, each once (the Layers menus hold a plot model too: not plots) */
  {
    GListModel *titles = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_cmpuint (g_list_model_get_n_items (titles), >=, 7);
    for (guint i = 0; i < g_list_model_get_n_items (titles); i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (titles, i);
        const char *title = gtk_string_object_get_string (item);

        g_assert_false (g_str_has_prefix (title, "Lab"));
        g_assert_true (g_hash_table_add (seen, (gpointer) title));
      }
  }
  /* the export menu's entries open it too */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.export-plot", "s",
                                             "LabGradPlot"));
  /* closes with its window (the teardown checks nothing is left) */
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  if (!lab_test_init_ui (&argc, &argv))
    return g_test_run ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/ui/export/plots", test_plots);
  ADD ("/ui/export/metrics", test_metrics);
  ADD ("/ui/export/npy", test_npy);
  ADD ("/ui/export/run", test_run);
  ADD ("/ui/export/run-actions", test_run_actions);
  ADD ("/ui/export/run-close-mid-save", test_run_close_mid_save);
  ADD ("/ui/export/run-stale-open", test_run_stale_open);
  ADD ("/ui/export/bad-csv", test_bad_csv);
  ADD ("/ui/export/dialog", test_dialog);
#undef ADD

  return g_test_run ();
}
