/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-weights-grid.c: where the weights view puts its panels (see lab-weights-grid.h).
 */
#define G_LOG_DOMAIN "lab-weights-grid"

#include "config.h"

#include <math.h>

#include "lab-weights-grid.h"

typedef struct
{
  guint  cols;
  double pw;   /* a panel's width, and its height with title, bar and note */
  double ph;
} Grid;

/* The grid of @cols columns filling @area: its panels' size; FALSE when it has no room. */
static gboolean
fill_grid (guint                  n,
           guint                  cols,
           const graphene_rect_t *area,
           double                 gap,
           double                 extra,
           Grid                  *g)
{
  guint rows = (n + cols - 1) / cols;

  g->cols = cols;
  g->pw = (area->size.width - gap * (cols - 1)) / cols;
  g->ph = (area->size.height - gap * (rows - 1)) / rows;
  return g->pw > 0 && g->ph - extra > 0;
}

double
lab_weights_grid_layout (LabWeightsPanel       *panels,
                         guint                  n,
                         const graphene_rect_t *area,
                         double                 line_h)
{
  const double gap = line_h;
  const double above = line_h * 1.3;            /* title */
  const double below = 8 + 2 + line_h * 2.2;    /* bar + numbers + note */
  double min_w = LAB_WEIGHTS_GRID_MIN_W * line_h, min_h = LAB_WEIGHTS_GRID_MIN_H * line_h;
  double best_score = -1, fit_score = -1;
  Grid best = { 1, 0, 0 }, fit = { 0, 0, 0 }, g;
  guint rows;

  /* prefer big and not too distorted: the largest min (width, 2.5 × height) */
  for (guint cols = 1; cols <= n; cols++)
    {
      double score;

      if (!fill_grid (n, cols, area, gap, above + below, &g))
        continue;
      score = MIN (g.pw, 2.5 * (g.ph - above - below));
      if (score > best_score)
        {
          best_score = score;
          best = g;
        }
      if (g.pw >= min_w && g.ph - above - below >= min_h && score > fit_score)
        {
          fit_score = score;
          fit = g;
        }
    }
  /* too small to read: the best grid whose panels are large enough, else as many columns as
   * are wide enough, rows of the least height, and the grid scrolls */
  if (best.pw < min_w || best.ph - above - below < min_h)
    {
      if (fit.cols > 0)
        best = fit;
      else
        {
          best.cols = (guint) CLAMP (floor ((area->size.width + gap) / (min_w + gap)), 1, n);
          best.pw = (area->size.width - gap * (best.cols - 1)) / best.cols;
          best.ph = above + below + MAX (min_h, best.pw * 0.5);
        }
    }

  rows = (n + best.cols - 1) / best.cols;
  for (guint i = 0; i < n; i++)
    {
      LabWeightsPanel *p = &panels[i];
      double x = area->origin.x + (i % best.cols) * (best.pw + gap);
      double y = area->origin.y + (i / best.cols) * (best.ph + gap);
      double hw = floor (best.pw), hh = floor (MAX (1, best.ph - above - below));

      p->rect = GRAPHENE_RECT_INIT (round (x), round (y + above), MAX (1, hw), hh);
      p->bar = GRAPHENE_RECT_INIT (round (x), round (y + above + hh + 4),
                                   MIN (hw, 12 * line_h), 8);
    }
  return rows * best.ph + gap * (rows - 1);
}

void
lab_weights_grid_layout_pixels (LabWeightsPanel       *p,
                                const graphene_rect_t *area,
                                double                 line_h)
{
  double above = line_h * 1.3;
  double bar_w = 12 + 5 * line_h;    /* vertical bar + numbers on its right */
  double aw = area->size.width - bar_w - line_h;
  double ah = area->size.height - above - line_h * 1.2;
  double s = MIN (aw / p->cols, ah / p->rows);
  double w, h;

  /* whole device pixels per input pixel when they fit, so every input pixel is a square */
  if (s >= 1)
    s = floor (s);
  s = MAX (s, 0.1);
  w = s * p->cols;
  h = s * p->rows;
  p->rect = GRAPHENE_RECT_INIT (round (area->origin.x + (aw - w) / 2),
                                round (area->origin.y + above), w, h);
  p->bar = GRAPHENE_RECT_INIT (p->rect.origin.x + w + line_h, p->rect.origin.y, 12, h);
}
