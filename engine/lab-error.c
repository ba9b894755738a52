/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include "lab-error.h"

G_DEFINE_QUARK (lab-engine-error-quark, lab_engine_error)
