/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-window-private.h: the LabWindow instance struct and the in-directory API that the files of
 * the window share (as gnome-text-editor's editor-window-private.h does):
 *
 *   lab-window.c            snapshots, speed, transport, configs and presets, GObject
 *   lab-window-status.c     status line, play button, error banner, "Saving …"
 *   lab-window-files.c      the Open dialog and what each kind of file becomes; settings and
 *                           weights saved; the one file chooser a window shows at a time
 *   lab-window-runfile.c    whole runs (.gradlab) saved and reopened off the main thread
 *   lab-window-presets.c    the Presets menu
 *   lab-window-export.c     plots and metrics exported
 *   lab-window-classroom.c  lessons, presenter mode, compare mode
 *   lab-window-network.c    the Network page's controls and the heavy parts its view needs
 *   lab-window-experiment.c sweeps and lotteries: dialogs, progress, Cancel, their exports
 *   lab-window-watch.c      watch mode: a run directory shown live, its manifest in the sidebar
 *   lab-window-dnd.c        files and folders dropped on the window
 *   lab-window-benchmark.c  the --benchmark harness (not part of the product window)
 *
 * Each file owns the fields under its heading; the rest is the window's (lab-window.c).
 */
#pragma once

#include "lab-lesson-panel.h"
#include "lab-manifest-panel.h"
#include "lab-settings-panel.h"
#include "lab-watch.h"
#include "lab-window.h"

G_BEGIN_DECLS

/* What a file chooser's answer is for: @path is the chosen local file (or folder). */
typedef void (*LabWindowFileFunc) (LabWindow  *self,
                                   const char *path);

typedef struct _LabWindowBenchmark LabWindowBenchmark;
typedef struct _LabSaveRequest     LabSaveRequest;

struct _LabWindow
{
  GtkApplicationWindow  parent_instance;

  /* template widgets (lab-window.ui) */
  GtkWidget            *play_button;
  GtkWidget            *speed_dropdown;
  GtkWidget            *presets_popover;
  GtkWidget            *presets_list;
  GtkWidget            *export_button;
  GtkWidget            *error_revealer;
  GtkWidget            *error_label;
  GtkWidget            *sidebar_stack;      /* the settings, or a watched run's manifest */
  LabSettingsPanel     *settings_panel;
  LabManifestPanel     *manifest_panel;
  GtkWidget            *lesson_paned;
  LabLessonPanel       *lesson_panel;
  GtkWidget            *stack;
  GtkWidget            *grad_vpaned;
  GtkWidget            *grad_top_paned;
  GtkWidget            *grad_bottom_paned;
  GtkWidget            *grad_bottom_right_paned;
  GtkWidget            *prune_paned;
  GtkWidget            *prune_right_paned;
  GtkWidget            *prune_summary;
  GtkWidget            *boundary_plot;
  GtkWidget            *weights_view;
  GtkWidget            *state_label;
  GtkWidget            *step_label;
  GtkWidget            *speed_label;
  GtkWidget            *train_label;
  GtkWidget            *test_label;
  GtkWidget            *data_label;
  GtkWidget            *busy_label;
  GtkWidget            *network_view;       /* the Network page (lab-window-network.c) */
  GtkWidget            *net_weight_button;
  GtkWidget            *net_delta_button;
  GtkWidget            *net_grad_button;
  GtkWidget            *net_rank_dropdown;
  GtkWidget            *net_probe_label;
  GtkWidget            *net_probe_spin;

  /* template objects: what every plot draws; the Lessons menu's section of shipped lessons */
  LabPlotModel         *model;
  GMenu                *lessons_section;

  /* owned */
  LabSession           *session;
  char                **preset_names;    /* one per row of presets_list, in order */
  char                 *last_error;      /* the message last shown, so it is not shown again */
  guint64               last_serial;     /* last command sent */
  guint64               play_serial;     /* last play/pause/step sent */
  guint64               prune_at_step;
  gint64                last_apply;      /* when a snapshot was last applied (µs) */
  guint                 apply_source;    /* a deferred apply, when snapshots come too fast */
  guint                 layout_tick;
  gboolean              running;         /* what the play button shows */
  gboolean              plane;           /* the current run's data is 2-D */
  gboolean              speed_plane;     /* the data "Auto speed" was decided for */
  double                max_rate;        /* steps/s asked of the session, 0 = unlimited */
  guint                 busy;            /* run-file operations under way (busy_label shows) */
  gboolean              closed;          /* disposed (see _lab_window_is_closed) */

  /* owned by lab-window-files.c */
  GtkFileChooserNative *chooser;
  LabWindowFileFunc     chooser_done;

  /* owned by lab-window-runfile.c */
  GCancellable         *open_cancellable; /* the run being opened; a newer run cancels it */
  LabSaveRequest       *save_request;     /* a save waiting for the engine to pause */

  /* owned by lab-window-classroom.c */
  gboolean              presenter;
  gboolean              was_fullscreen;   /* before presenter mode */
  gboolean              had_sidebar;

  /* owned by lab-window-experiment.c: its template widgets, then its state */
  GtkWidget            *experiment_bar;
  GtkWidget            *lottery_plot;
  GtkWidget            *prune_lower_paned;
  guint64               experiment_serial; /* the experiment sent, until the engine acks it */
  LabExperimentKind     pending_kind;      /* --sweep/--lottery, waiting for the run's data */
  GVariant             *pending_params;
  /* owned by lab-window-watch.c (the watch is the producer while set: lab-window.c) */
  LabWatch             *watch;            /* the run directory watched, NULL while training */
  guint                 watch_tick;       /* once a second: the age of the last row */

  /* owned by lab-window-benchmark.c (--benchmark), else NULL */
  LabWindowBenchmark   *bench;
};

/* lab-window.c */
/* A command that leaves the engine paused went out as @serial: the play button follows. */
void     _lab_window_sent_pause        (LabWindow          *self,
                                        guint64             serial);
/* Asks the session for the speed control's rate (full speed under --benchmark). */
void     _lab_window_update_speed      (LabWindow          *self);
/* TRUE once gtk_window_destroy() ran, even while references (a GTask's) keep the object: the
 * late results of background work are then dropped. */
gboolean _lab_window_is_closed         (LabWindow          *self);
/* A snapshot waits in the producer's mailbox (the session's, or the watch's while watching):
 * it is taken and applied now, or within APPLY_PERIOD. */
void     _lab_window_snapshot_ready    (LabWindow          *self);
/* The session's snapshots are taken (@hear) or left in its mailbox while a watch feeds the
 * plots; a deferred apply is dropped either way, and a stale one when hearing again. */
void     _lab_window_hear_session      (LabWindow          *self,
                                        gboolean            hear);
/* The run's data is 2-D (@plane): the decision boundary shows, and the Network page's
 * test-image control does not. */
void     _lab_window_set_plane         (LabWindow          *self,
                                        gboolean            plane);

/* lab-window-status.c */
void     _lab_window_status_class_init (GtkWidgetClass     *widget_class);
void     _lab_window_update_status     (LabWindow          *self,
                                        LabSnapshot        *snap);
void     _lab_window_update_play_button (LabWindow         *self);
/* The state label: @text in the colours of @style (the watch's states use them too). */
void     _lab_window_set_state_label   (LabWindow          *self,
                                        LabSessionState     style,
                                        const char         *text);
/* @what ("Saving run.gradlab…") in the status line while background work runs; the last one
 * begun shows until all have ended. */
void     _lab_window_begin_busy        (LabWindow          *self,
                                        const char         *what);
void     _lab_window_end_busy          (LabWindow          *self);

/* lab-window-files.c */
void     _lab_window_files_class_init  (GtkWidgetClass     *widget_class);
/* Shows a modal chooser (replacing one still open); @done gets the answer unless cancelled.
 * @filters: pairs of a name and ';'-separated patterns, then NULL (lab-file-chooser.h). */
void     _lab_window_choose_file       (LabWindow           *self,
                                        const char          *title,
                                        GtkFileChooserAction action,
                                        const char          *current_name,
                                        const char * const  *filters,
                                        LabWindowFileFunc    done);
void     _lab_window_files_dispose     (LabWindow          *self);

/* lab-window-runfile.c */
void     _lab_window_runfile_class_init (GtkWidgetClass    *widget_class);
/* Drops a run still being opened (its result will not be applied). */
void     _lab_window_cancel_open       (LabWindow          *self);
void     _lab_window_runfile_dispose   (LabWindow          *self);

/* lab-window-export.c */
void     _lab_window_export_class_init (GtkWidgetClass     *widget_class);
void     _lab_window_export_init       (LabWindow          *self);
/* The plots of the window, one per type (the loss plot is on both pages), in tree order. */
GPtrArray *_lab_window_list_plots      (LabWindow          *self);

/* lab-window-presets.c */
void     _lab_window_presets_class_init (GtkWidgetClass    *widget_class);
void     _lab_window_presets_init      (LabWindow          *self);

/* lab-window-classroom.c */
void     _lab_window_classroom_class_init (GtkWidgetClass  *widget_class);
void     _lab_window_classroom_init    (LabWindow          *self);

/* lab-window-network.c */
void     _lab_window_network_class_init (GtkWidgetClass    *widget_class);
/* The run's data changed kind (self->plane): the test-image control shows for image data. */
void     _lab_window_network_data_changed (LabWindow       *self);
/* lab-window-experiment.c */
void     _lab_window_experiment_class_init (GtkWidgetClass *widget_class);
/* Follows the experiment in @snap (progress, lottery plot, the actions that wait for it) and
 * starts one --sweep or --lottery asked for once the run is ready. */
void     _lab_window_experiment_update (LabWindow          *self,
                                        LabSnapshot        *snap);
/* Starts a sweep or lottery of @params (an a{sv}, may be NULL; missing keys: the run's
 * defaults); FALSE with a message when the run is not ready or a choice is wrong. */
gboolean _lab_window_start_experiment  (LabWindow          *self,
                                        LabExperimentKind   kind,
                                        GVariant           *params,
                                        GError            **error);
void     _lab_window_experiment_dispose (LabWindow         *self);

/* lab-window-watch.c */
void     _lab_window_watch_class_init  (GtkWidgetClass     *widget_class);
/* A watched run's snapshot was applied to the plots: the sidebar follows its manifest. */
void     _lab_window_watch_applied     (LabWindow          *self,
                                        LabSnapshot        *snap);
/* The status line of a watched run (state, step, age of the last row, rank). */
void     _lab_window_watch_update_status (LabWindow        *self,
                                          LabSnapshot      *snap);
/* Back to training, if the window watches a run: the watch stops, the settings sidebar and
 * the training controls return, the plots wait for the session's run. */
void     _lab_window_leave_watch       (LabWindow          *self);
/* Stops the watch and its timer without touching the widgets (the window is going away). */
void     _lab_window_watch_dispose     (LabWindow          *self);

/* lab-window-dnd.c */
/* Files dropped on the window open as Open opens them; a run directory is watched. */
void     _lab_window_dnd_init          (LabWindow          *self);

/* lab-window-benchmark.c */
/* Counts the training rows of @snap once the measured time has begun. */
void     _lab_window_benchmark_add_rows (LabWindow         *self,
                                         LabSnapshot       *snap);
void     _lab_window_benchmark_dispose  (LabWindow         *self);

G_END_DECLS
