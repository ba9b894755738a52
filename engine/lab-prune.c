/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-prune.c: pruning criteria, targets, scopes and structures.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include "lab-enum-private.h"
#include "lab-prune.h"

const LabEnumNick lab_prune_criterion_nicks[] = {
  { LAB_PRUNE_MAGNITUDE, "magnitude" },
  { LAB_PRUNE_GRADIENT, "gradient" },
  { LAB_PRUNE_SALIENCY, "saliency" },
  { LAB_PRUNE_RANDOM, "random" },
  { 0, NULL },
};
const LabEnumNick lab_prune_scope_nicks[] = {
  { LAB_PRUNE_SCOPE_LAYER, "layer" },
  { LAB_PRUNE_SCOPE_GLOBAL, "global" },
  { 0, NULL },
};
const LabEnumNick lab_prune_structure_nicks[] = {
  { LAB_PRUNE_WEIGHT, "weight" },
  { LAB_PRUNE_NEURON, "neuron" },
  { 0, NULL },
};
const LabEnumNick lab_prune_threshold_mode_nicks[] = {
  { LAB_PRUNE_THRESHOLD_NONE, "none" },
  { LAB_PRUNE_THRESHOLD_ABSOLUTE, "absolute" },
  { LAB_PRUNE_THRESHOLD_MEAN, "mean" },
  { LAB_PRUNE_THRESHOLD_STD, "std" },
  { 0, NULL },
};
const LabEnumNick lab_prune_schedule_nicks[] = {
  { LAB_PRUNE_SCHEDULE_NONE, "none" },
  { LAB_PRUNE_SCHEDULE_ONESHOT, "oneshot" },
  { LAB_PRUNE_SCHEDULE_ITERATIVE, "iterative" },
  { LAB_PRUNE_SCHEDULE_GRADUAL, "gradual" },
  { 0, NULL },
};
const LabEnumNick lab_prune_output_nicks[] = {
  { LAB_PRUNE_OUTPUT_SAME, "same" },
  { LAB_PRUNE_OUTPUT_HALF, "half" },
  { LAB_PRUNE_OUTPUT_SPARE, "spare" },
  { 0, NULL },
};

LAB_DEFINE_ENUM_STRINGS (LabPruneCriterion, lab_prune_criterion, lab_prune_criterion_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneScope, lab_prune_scope, lab_prune_scope_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneStructure, lab_prune_structure, lab_prune_structure_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneThresholdMode, lab_prune_threshold_mode,
                         lab_prune_threshold_mode_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneSchedule, lab_prune_schedule, lab_prune_schedule_nicks)
LAB_DEFINE_ENUM_STRINGS (LabPruneOutput, lab_prune_output, lab_prune_output_nicks)
