/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config-apply.c: setting a key by section and name, as a file, --set or validation does:
 * the section and key looked up in the table (with a suggestion for a typo: "did you mean
 * 'seed'?"), the value parsed, and the messages that name the key, the value and what is
 * allowed. Checks that need every key of one load (activations against hidden) come last.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-config-private.h"
#include "lab-error.h"

static const char * const sections[] = { "data", "model", "train", "clip", "prune" };

/* ------------------------------------------------------------------------------------------ */
/* Looking keys up, with a suggestion for typos                                               */

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
          diag = up;
        }
    }
  return row[lb];
}

/* The index of a key in the table, or -1. */
static int
find_key (const char *section,
          const char *name)
{
  for (guint i = 0; i < _lab_config_n_keys (); i++)
    if (strcmp (_lab_config_key_section (i), section) == 0 &&
        strcmp (_lab_config_key_name (i), name) == 0)
      return (int) i;
  return -1;
}

gboolean
_lab_config_is_section (const char *section)
{
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (strcmp (sections[i], section) == 0)
      return TRUE;
  return FALSE;
}

/* The error for an unknown section: the nearest section, or the list of them. @prefix ("FILE: "
 * or "") starts the message. */
static void
unknown_section (GError     **error,
                 const char  *prefix,
                 const char  *section)
{
  const char *best = NULL;
  guint best_d = 3;

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      guint d = edit_distance (section, sections[i]);
      if (d < best_d)
        best_d = d, best = sections[i];
    }
  /* Translators: in the messages about settings, the first %s is a file name and a colon
   * ("lr.ini: ") or nothing; the names in brackets and quotes are those of the settings file
   * and stay as they are */
  if (best != NULL)
    g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                 _("%sunknown section [%s]; did you mean [%s]?"), prefix, section, best);
  else
    g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                 _("%sunknown section [%s]; the sections are [data] [model] [train] [clip] "
                   "[prune]"), prefix, section);
}

/* The error for an unknown key: the nearest key of the section, the section the key belongs in,
 * or neither. */
static void
unknown_key (GError     **error,
             const char  *prefix,
             const char  *section,
             const char  *name)
{
  const char *best = NULL;
  guint best_d = 3;

  for (guint i = 0; i < _lab_config_n_keys (); i++)
    {
      guint d;

      if (strcmp (_lab_config_key_section (i), section) != 0)
        continue;
      d = edit_distance (name, _lab_config_key_name (i));
      if (d < best_d)
        best_d = d, best = _lab_config_key_name (i);
    }
  if (best != NULL)
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s[%s] unknown key '%s'; did you mean '%s'?"), prefix, section, name, best);
      return;
    }

  /* The right key in the wrong section. */
  for (guint i = 0; i < _lab_config_n_keys (); i++)
    if (strcmp (_lab_config_key_name (i), name) == 0)
      {
        g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                     _("%s[%s] unknown key '%s'; it belongs in [%s]"), prefix, section, name,
                     _lab_config_key_section (i));
        return;
      }
  g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
               _("%s[%s] unknown key '%s'"), prefix, section, name);
}

/* ------------------------------------------------------------------------------------------ */
/* Applying keys                                                                              */

void
_lab_config_apply_init (LabConfigApply *ap,
                        LabConfig      *cfg)
{
  ap->cfg = cfg;
  ap->n_activations = -1;
  ap->activations = NULL;
}

void
_lab_config_apply_clear (LabConfigApply *ap)
{
  g_clear_pointer (&ap->activations, g_free);
}

/* Sets one key; @prefix ("FILE: " or "") starts the message. */
gboolean
_lab_config_apply_key (LabConfigApply  *ap,
                       const char      *section,
                       const char      *name,
                       const char      *value,
                       const char      *prefix,
                       GError         **error)
{
  g_autofree char *why = NULL;
  int key;

  if (!_lab_config_is_section (section))
    {
      unknown_section (error, prefix, section);
      return FALSE;
    }
  key = find_key (section, name);
  if (key < 0)
    {
      unknown_key (error, prefix, section, name);
      return FALSE;
    }
  if (!_lab_config_key_parse ((guint) key, ap, value, &why))
    {
      /* Translators: "lr.ini: [train] lr = 'fast': must be a number > 0 and ≤ 100": the file
       * and the setting as written, then why it is refused */
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s[%s] %s = '%s': %s"), prefix, section, name, value, why);
      return FALSE;
    }
  return TRUE;
}

/* Checks that need all keys of one load or set. */
gboolean
_lab_config_apply_finish (LabConfigApply  *ap,
                          const char      *prefix,
                          GError         **error)
{
  if (ap->n_activations >= 0 && (guint) ap->n_activations != ap->cfg->model.n_hidden)
    {
      g_autofree char *hidden = _lab_config_print_hidden (ap->cfg);
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("%s[model] activations = '%s': %d names for %u hidden layers (hidden = "
                     "'%s'); give one per layer"),
                   prefix, ap->activations, ap->n_activations, ap->cfg->model.n_hidden, hidden);
      return FALSE;
    }
  return TRUE;
}
