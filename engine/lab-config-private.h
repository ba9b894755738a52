/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-config-private.h: what the files of the settings module share. lab-config-keys.c holds
 * the key table and parses or prints one key; lab-config-apply.c sets a key by name, with the
 * messages; lab-config.c loads, sets and saves whole configs through them;
 * lab-config-validate.c checks a whole config; lab-config-dataset.c turns a config into a
 * dataset and a network shape.
 */
#pragma once

#include "lab-config.h"

G_BEGIN_DECLS

/* State of one load or set: things checked once all keys are in. */
typedef struct
{
  LabConfig *cfg;
  int        n_activations;    /* names given in `activations`, -1 if not given */
  char      *activations;      /* its text, for the message */
} LabConfigApply;

void        _lab_config_apply_init    (LabConfigApply   *ap,
                                       LabConfig        *cfg);
void        _lab_config_apply_clear   (LabConfigApply   *ap);
/* Sets one key; @prefix ("FILE: " or "") starts the message. */
gboolean    _lab_config_apply_key     (LabConfigApply   *ap,
                                       const char       *section,
                                       const char       *name,
                                       const char       *value,
                                       const char       *prefix,
                                       GError          **error);
/* Checks that need all keys of one load or set. */
gboolean    _lab_config_apply_finish  (LabConfigApply   *ap,
                                       const char       *prefix,
                                       GError          **error);
gboolean    _lab_config_is_section    (const char       *section);

/* The keys in file order (lab_config_to_data()'s). */
guint       _lab_config_n_keys        (void);
const char *_lab_config_key_section   (guint             i);
const char *_lab_config_key_name      (guint             i);
/* Parses @value into ap->cfg; FALSE with *why saying what is allowed. */
gboolean    _lab_config_key_parse     (guint             i,
                                       LabConfigApply   *ap,
                                       const char       *value,
                                       char            **why);
char       *_lab_config_key_print     (guint             i,
                                       const LabConfig  *cfg);

/* The shortest of %.15g / %.17g that reads back to the same double. */
char       *_lab_config_format_double (double            v);
/* model.hidden as the file writes it ("256,128"). */
char       *_lab_config_print_hidden  (const LabConfig  *cfg);

G_END_DECLS
