/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-dataset.h: the data a network learns from. Built-in 2-D sets (spiral, circles, xor,
 * gaussian blobs), IDX files in the MNIST layout (raw or .gz), and CSV. Image pixels stay
 * uint8 in memory (Fashion-MNIST is 47 MB as bytes, 188 MB as floats) and a batch is converted
 * to float in [0, 1] on the fly, x/255, as the PyTorch reference does.
 *
 * Every loader either returns a complete, validated dataset or NULL with a GError that names the
 * file and says what is wrong; never a partial load.
 */
#pragma once

#include "lab-types.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_DATA_SPIRAL,
  LAB_DATA_CIRCLES,
  LAB_DATA_XOR,
  LAB_DATA_GAUSSIANS,
  LAB_DATA_FASHION_MNIST,
  LAB_DATA_IDX,
  LAB_DATA_CSV,
} LabDataSource;

/* One split (train or test). Exactly one of x_u8 / x_f32 is set. */
struct _LabSplit
{
  gsize    n;          /* number of samples */
  gsize    dim;        /* features per sample */
  guint8  *x_u8;       /* (n, dim) pixels 0..255, scaled by 1/255 when batched */
  float   *x_f32;      /* (n, dim) features as given */
  guint8  *y;          /* (n) class labels in [0, n_classes) */
};

struct _LabDataset
{
  char     *name;        /* "spiral", "fashion-mnist", a file name … */
  gsize     dim;
  guint     n_classes;
  guint     img_w;       /* image width/height if samples are images, else 0 */
  guint     img_h;
  LabSplit  train;
  LabSplit  test;
};

/* Settings of the built-in 2-D sets. */
typedef struct
{
  LabDataSource kind;        /* one of the four 2-D kinds */
  guint         n_train;     /* samples in the training split */
  guint         n_test;      /* samples in the test split (drawn independently) */
  guint         n_classes;   /* 2..8 (xor is always 2) */
  double        noise;       /* standard deviation of added noise, in plane units */
  guint64       seed;
} LabPlaneSpec;

LabDataset *lab_dataset_new_plane     (const LabPlaneSpec *spec,
                                       GError            **error);

/* Reads one images file (idx3, u8) and its labels file (idx1, u8) into @split.
 * Validates magic, dtype, dimensions against file length, label range (< 256 and < @max_classes
 * when non-zero) and that both files hold the same number of items. Paths ending in .gz are
 * decompressed with GIO's zlib decompressor. */
gboolean    lab_idx_load_split        (const char         *images_path,
                                       const char         *labels_path,
                                       LabSplit           *split,
                                       guint              *img_h,
                                       guint              *img_w,
                                       GError            **error);

/* Parses one IDX file held in memory: the same checks as lab_idx_load_split() (magic, dtype
 * 0x08, @ndim dimensions of 1 = labels or 3 = images, sizes against the length, the 2 GiB and
 * LAB_MAX_INPUT limits), after inflating it when @gzip. @name is used in messages. Returns the
 * data with the header stripped (g_free()) and stores the @ndim sizes in @dims (may be NULL),
 * or NULL with an error. lab_idx_load_split() uses the same code; fuzzing drives this one. */
guint8     *lab_idx_parse             (const char         *name,
                                       const guint8       *data,
                                       gsize               len,
                                       gboolean            gzip,
                                       guint               ndim,
                                       guint32            *dims,
                                       GError            **error);

/* A folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
 * t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (MNIST, Fashion-MNIST, KMNIST). */
LabDataset *lab_dataset_load_idx_dir  (const char         *dir,
                                       GError            **error);

/* CSV: one sample per row, a label column (integer class, @label_column may be negative to count
 * from the end) and numeric features. A first row that is not numeric is a header when
 * @header is TRUE (and an error otherwise). The rows are split into train/test by
 * @test_fraction after a seeded shuffle. */
LabDataset *lab_dataset_load_csv      (const char         *path,
                                       gboolean            header,
                                       int                 label_column,
                                       double              test_fraction,
                                       guint64             seed,
                                       GError            **error);

/* lab_dataset_load_csv() on text already in memory (@len bytes, need not be NUL-terminated);
 * @name stands for the file in messages and becomes the dataset's name. The file loader reads
 * the file and comes through the same parser. */
LabDataset *lab_dataset_parse_csv     (const char         *name,
                                       const char         *text,
                                       gsize               len,
                                       gboolean            header,
                                       int                 label_column,
                                       double              test_fraction,
                                       guint64             seed,
                                       GError            **error);

void        lab_dataset_free          (LabDataset         *data);
/* A deep copy (an experiment's trainer gets its own while the live one keeps training). */
LabDataset *lab_dataset_copy          (const LabDataset   *data);

/* Keeps only the first @limit samples of the split (0 = all). */
void        lab_split_truncate        (LabSplit           *split,
                                       gsize               limit);

/* Gathers samples idx[0..count) into x (count, dim) as float and y (count). */
void        lab_split_gather          (const LabSplit     *split,
                                       const guint32      *idx,
                                       gsize               count,
                                       float              *x,
                                       guint32            *y);

const char *lab_data_source_to_string   (LabDataSource  source);
gboolean    lab_data_source_from_string (const char    *str,
                                         LabDataSource *out);
gboolean    lab_data_source_is_plane    (LabDataSource  source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabDataset, lab_dataset_free)

G_END_DECLS
