/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-axis.c: one axis shared by the plots drawn on it (see lab-axis.h). The contributors are
 * few (one plot, or the two of a compare row), so they are kept in a small array; the scale is
 * recomputed after every change and ::changed emitted only when it really moved, so a plot whose
 * new data stays inside the span costs its partner no redraw.
 */
#define G_LOG_DOMAIN "lab-axis"

#include "config.h"

#include "lab-axis.h"

typedef struct
{
  gconstpointer contributor;   /* compared, never dereferenced */
  LabExtent     extent;
} Contribution;

struct _LabAxis
{
  GObject       parent_instance;

  LabAxisFlags  flags;
  GArray       *contributions;   /* Contribution */

  /* the scale as last computed */
  gboolean      valid;
  LabScale      scale;
};

G_DEFINE_FINAL_TYPE (LabAxis, lab_axis, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
compute_scale (LabAxis  *self,
               LabScale *scale)
{
  gboolean log = (self->flags & LAB_AXIS_LOG) != 0;
  LabExtent u;
  double lo, hi;

  lab_axis_get_extent (self, &u);
  if (lab_extent_is_empty (&u, log))
    {
      lab_scale_init (scale, log ? 1e-8 : 0.0, 1.0, log);
      return FALSE;
    }
  lo = log ? u.pos_lo : u.lo;
  hi = u.hi;
  if (!log && (self->flags & LAB_AXIS_ZERO))
    lo = MIN (0.0, lo);
  if (!log && hi <= lo)
    {
      /* one value (one step so far): centred, not on the frame's edge */
      lo -= 1;
      hi += 1;
    }
  lab_scale_init (scale, lo, hi, log);
  if (self->flags & LAB_AXIS_NICE)
    lab_scale_nice (scale);
  return TRUE;
}

/* Recomputes the scale; ::changed when it moved. */
static void
update (LabAxis *self)
{
  LabScale scale;
  gboolean valid = compute_scale (self, &scale);

  if (valid == self->valid && lab_scale_equal (&scale, &self->scale))
    return;
  self->valid = valid;
  self->scale = scale;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
lab_axis_finalize (GObject *object)
{
  LabAxis *self = LAB_AXIS (object);

  g_clear_pointer (&self->contributions, g_array_unref);

  G_OBJECT_CLASS (lab_axis_parent_class)->finalize (object);
}

static void
lab_axis_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LabAxis *self = LAB_AXIS (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_boolean (value, lab_axis_get_log (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_axis_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  LabAxis *self = LAB_AXIS (object);

  switch (prop_id)
    {
    case PROP_LOG:
      lab_axis_set_log (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_axis_class_init (LabAxisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_axis_finalize;
  object_class->get_property = lab_axis_get_property;
  object_class->set_property = lab_axis_set_property;

  properties[PROP_LOG] =
    g_param_spec_boolean ("log", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LabAxis::changed:
   *
   * The scale (lab_axis_get_scale()) moved: a contributor's data left the old span, a
   * contributor came or went, or the axis turned log or linear.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
lab_axis_init (LabAxis *self)
{
  self->contributions = g_array_new (FALSE, FALSE, sizeof (Contribution));
}

LabAxis *
lab_axis_new (LabAxisFlags flags)
{
  LabAxis *self = g_object_new (LAB_TYPE_AXIS, NULL);

  self->flags = flags;
  self->valid = compute_scale (self, &self->scale);
  return self;
}

void
lab_axis_set_log (LabAxis  *self,
                  gboolean  log)
{
  g_return_if_fail (LAB_IS_AXIS (self));

  if (!log == !(self->flags & LAB_AXIS_LOG))
    return;
  if (log)
    self->flags |= LAB_AXIS_LOG;
  else
    self->flags &= ~LAB_AXIS_LOG;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}

gboolean
lab_axis_get_log (LabAxis *self)
{
  g_return_val_if_fail (LAB_IS_AXIS (self), FALSE);

  return (self->flags & LAB_AXIS_LOG) != 0;
}

void
lab_axis_set_extent (LabAxis         *self,
                     gconstpointer    contributor,
                     const LabExtent *extent)
{
  guint i;

  g_return_if_fail (LAB_IS_AXIS (self));
  g_return_if_fail (contributor != NULL);

  for (i = 0; i < self->contributions->len; i++)
    if (g_array_index (self->contributions, Contribution, i).contributor == contributor)
      break;
  if (extent == NULL)
    {
      if (i == self->contributions->len)
        return;
      g_array_remove_index_fast (self->contributions, i);
    }
  else if (i == self->contributions->len)
    {
      Contribution c = { contributor, *extent };

      g_array_append_val (self->contributions, c);
    }
  else
    g_array_index (self->contributions, Contribution, i).extent = *extent;
  update (self);
}

guint
lab_axis_get_n_contributors (LabAxis *self)
{
  g_return_val_if_fail (LAB_IS_AXIS (self), 0);

  return self->contributions->len;
}

void
lab_axis_get_extent (LabAxis   *self,
                     LabExtent *extent)
{
  g_return_if_fail (LAB_IS_AXIS (self));
  g_return_if_fail (extent != NULL);

  lab_extent_init (extent);
  for (guint i = 0; i < self->contributions->len; i++)
    lab_extent_union (extent, &g_array_index (self->contributions, Contribution, i).extent);
}

gboolean
lab_axis_get_scale (LabAxis  *self,
                    LabScale *scale)
{
  g_return_val_if_fail (LAB_IS_AXIS (self), FALSE);
  g_return_val_if_fail (scale != NULL, FALSE);

  *scale = self->scale;
  return self->valid;
}
