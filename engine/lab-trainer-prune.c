/* placeholder during bring-up: replaced by the pruning schedule */
#include "config.h"
#include "lab-trainer-private.h"
gboolean _lab_trainer_prune_schedule (LabTrainer *tr, GError **error) { return TRUE; }
void _lab_trainer_prune_init (LabTrainer *tr) { }
void _lab_trainer_prune_free (LabTrainer *tr) { }
