/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-enum-strings.h: an engine enum's spellings (the ones the .ini files use) as a
 * GtkStringList for a drop-down, in enum order, so that an item's index is its value and a new
 * engine value shows up without touching the UI.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The spelling of value @i, "unknown" past the last. */
typedef const char *(*LabEnumName) (guint i);

/* Defines static `fn_name (guint i)` from the engine's `fn_to_string (type)`. */
#define LAB_ENUM_NAME(fn, type) \
  static const char *fn##_name (guint i) { return fn##_to_string ((type) i); }

/* Every value's spelling from 0 until "unknown", after @first when it is not NULL (an item
 * such as "mixed" that no value spells). */
GtkStringList *lab_enum_strings_new (LabEnumName  name,
                                     const char  *first);

G_END_DECLS
