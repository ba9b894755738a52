/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lab-lesson.c: lesson files (see lab-lesson.h for the format). The header is read line by
 * line here rather than by GKeyFile so that every message can name the line; the settings
 * sections are then handed, as one .ini text, to lab_config_load_data(), the one place that
 * knows every setting, and its message is pinned to the line of the key it names. The shipped
 * lessons are compiled in as a GResource, like the presets: the English ones in lessons/, each
 * translation under the same name in lessons/<language>/ (de, es), chosen by the user's
 * language names with the English one as the fallback.
 */
#define G_LOG_DOMAIN "lab-engine"
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lab-error.h"
#include "lab-lesson.h"
#include "lab-lessons-resources.h"

#define LESSON_DIR "/io/github/gradlab/GradientLab/lessons/lessons/"
#define LESSON_SUFFIX ".lesson"

/* One key of a settings section, kept with its line for messages. */
typedef struct
{
  char  *section;
  char  *key;
  char  *value;
  guint  line;
} Setting;

struct _LabLesson
{
  char    *file_name;
  char    *title;
  char    *summary;
  char    *preset;
  char    *page;
  char    *body;
  guint    body_line;   /* line of the body's first line */
  GArray  *settings;    /* Setting */
  guint    settings_line;
  GArray  *blocks;      /* LabLessonBlock */
};

static const char * const settings_sections[] = { "data", "model", "train", "clip", "prune" };

static void
setting_clear (gpointer data)
{
  Setting *s = data;

  g_free (s->section);
  g_free (s->key);
  g_free (s->value);
}

static void
block_clear (gpointer data)
{
  LabLessonBlock *b = data;

  g_free (b->text);
}

void
lab_lesson_free (LabLesson *lesson)
{
  if (lesson == NULL)
    return;
  g_free (lesson->file_name);
  g_free (lesson->title);
  g_free (lesson->summary);
  g_free (lesson->preset);
  g_free (lesson->page);
  g_free (lesson->body);
  g_clear_pointer (&lesson->settings, g_array_unref);
  g_clear_pointer (&lesson->blocks, g_array_unref);
  g_free (lesson);
}

/* "file:line: message" (or "lesson:line: …" without a file name). */
G_GNUC_PRINTF (4, 5)
static void
set_line_error (GError          **error,
                const LabLesson  *lesson,
                guint             line,
                const char       *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT, "%s:%u: %s",
               lesson->file_name ? lesson->file_name : "lesson", line, message);
}

static gboolean
is_settings_section (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings_sections); i++)
    if (g_str_equal (name, settings_sections[i]))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Settings                                                                                   */

char *
lab_lesson_dup_settings (const LabLesson *lesson)
{
  GString *text;

  g_return_val_if_fail (lesson != NULL, NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < lesson->settings->len; i++)
    {
      const Setting *s = &g_array_index (lesson->settings, Setting, i);
      g_string_append_printf (text, "[%s]\n%s=%s\n", s->section, s->key, s->value);
    }
  return g_string_free (text, FALSE);
}

/* The line of the setting a config message names ("[train] lr = …", "[model] unknown key
 * 'foo'; did you mean …", in any language: the names stay untranslated and the unknown key is
 * the first one quoted), or the first settings line. */
static guint
line_of_message (const LabLesson *lesson,
                 const char      *message)
{
  const char *quoted = strchr (message, '\'');

  for (guint i = 0; i < lesson->settings->len; i++)
    {
      const Setting *s = &g_array_index (lesson->settings, Setting, i);
      g_autofree char *a = g_strdup_printf ("[%s] %s ", s->section, s->key);
      g_autofree char *section = g_strdup_printf ("[%s]", s->section);
      g_autofree char *key = g_strdup_printf ("'%s'", s->key);
      g_autofree char *c = g_strdup_printf ("%s.%s", s->section, s->key);

      if (strstr (message, a) || strstr (message, c) ||
          (strstr (message, section) && quoted && g_str_has_prefix (quoted, key)))
        return s->line;
    }
  return lesson->settings_line;
}

gboolean
lab_lesson_config (const LabLesson  *lesson,
                   LabConfig        *cfg,
                   GError          **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  LabConfig tmp;

  g_return_val_if_fail (lesson != NULL, FALSE);
  g_return_val_if_fail (cfg != NULL, FALSE);

  lab_config_init_defaults (&tmp);
  if (lesson->preset != NULL && !lab_config_load_preset (&tmp, lesson->preset, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_FORMAT, "%s: %s",
                   lesson->file_name ? lesson->file_name : "lesson", local->message);
      lab_config_clear (&tmp);
      return FALSE;
    }
  text = lab_lesson_dup_settings (lesson);
  if (!lab_config_load_data (&tmp, text, strlen (text), NULL, &local))
    {
      set_line_error (error, lesson, line_of_message (lesson, local->message), "%s",
                      local->message);
      lab_config_clear (&tmp);
      return FALSE;
    }
  lab_config_clear (cfg);
  *cfg = tmp;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Body                                                                                       */

static guint
count_bold_marks (const char *text)
{
  guint n = 0;

  for (const char *p = strstr (text, "**"); p != NULL; p = strstr (p + 2, "**"))
    n++;
  return n;
}

static gboolean
add_block (LabLesson           *lesson,
           LabLessonBlockKind   kind,
           GString             *text,
           guint                line,
           GError             **error)
{
  LabLessonBlock b;

  if (text->len == 0)
    return TRUE;
  if (count_bold_marks (text->str) % 2 != 0)
    {
      set_line_error (error, lesson, line,
                      _("unbalanced ** in the text: bold needs an opening and a closing **"));
      g_string_truncate (text, 0);
      return FALSE;
    }
  b.kind = kind;
  b.text = g_strdup (text->str);
  b.line = line;
  g_array_append_val (lesson->blocks, b);
  g_string_truncate (text, 0);
  return TRUE;
}

static void
append_words (GString    *text,
              const char *line)
{
  g_autofree char *s = g_strstrip (g_strdup (line));

  if (*s == '\0')
    return;
  if (text->len > 0)
    g_string_append_c (text, ' ');
  g_string_append (text, s);
}

/* Splits the body into paragraphs, headings, formulas and bullets. */
static gboolean
parse_body (LabLesson  *lesson,
            char      **lines,
            guint       first,
            GError    **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  LabLessonBlockKind kind = LAB_LESSON_PARAGRAPH;
  guint start = 0;

  for (guint i = first; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      guint line = i + 1;
      const char *t = l;

      while (*t == ' ' || *t == '\t')
        t++;

      if (*t == '\0')
        {
          if (!add_block (lesson, kind, text, start, error))
            return FALSE;
          kind = LAB_LESSON_PARAGRAPH;
          continue;
        }
      if (g_str_has_prefix (t, "$$") || g_str_has_prefix (t, "$ ") || g_str_has_prefix (t, "## ") ||
          g_str_has_prefix (t, "- ") || g_str_has_prefix (t, "* "))
        {
          LabLessonBlockKind k = g_str_has_prefix (t, "$$") ? LAB_LESSON_FORMULA
                               : t[0] == '$' ? LAB_LESSON_COMMAND
                               : t[0] == '#' ? LAB_LESSON_HEADING : LAB_LESSON_BULLET;

          if (!add_block (lesson, kind, text, start, error))
            return FALSE;
          kind = k;
          start = line;
          append_words (text, t + (k == LAB_LESSON_COMMAND ? 1 : 2));
          if (kind != LAB_LESSON_BULLET && kind != LAB_LESSON_PARAGRAPH)
            {
              if (text->len == 0)
                {
                  set_line_error (error, lesson, line, _("'%.2s' is not followed by any text"), t);
                  return FALSE;
                }
              /* a heading or formula is one line */
              if (!add_block (lesson, kind, text, start, error))
                return FALSE;
              kind = LAB_LESSON_PARAGRAPH;
            }
          continue;
        }
      /* an indented line continues a bullet; any other line continues the paragraph */
      if (kind == LAB_LESSON_BULLET && t == l)
        {
          if (!add_block (lesson, kind, text, start, error))
            return FALSE;
          kind = LAB_LESSON_PARAGRAPH;
        }
      if (text->len == 0)
        start = line;
      append_words (text, t);
    }
  return add_block (lesson, kind, text, start, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Header                                                                                     */

static gboolean
set_lesson_key (LabLesson   *lesson,
                const char  *key,
                const char  *value,
                guint        line,
                GError     **error)
{
  char **slot = NULL;

  if (g_str_equal (key, "title"))
    slot = &lesson->title;
  else if (g_str_equal (key, "summary"))
    slot = &lesson->summary;
  else if (g_str_equal (key, "preset"))
    {
      g_autoptr(GError) local = NULL;
      LabConfig probe;

      lab_config_init_defaults (&probe);
      if (*value != '\0' && !lab_config_load_preset (&probe, value, &local))
        {
          lab_config_clear (&probe);
          set_line_error (error, lesson, line, _("preset = '%s': %s"), value, local->message);
          return FALSE;
        }
      lab_config_clear (&probe);
      slot = &lesson->preset;
    }
  else if (g_str_equal (key, "page"))
    {
      if (!g_str_equal (value, "gradients") && !g_str_equal (value, "pruning"))
        {
          set_line_error (error, lesson, line, _("page = '%s': must be gradients or pruning"),
                          value);
          return FALSE;
        }
      slot = &lesson->page;
    }
  else
    {
      set_line_error (error, lesson, line,
                      _("[lesson] unknown key '%s'; the keys are title, preset, page, summary"),
                      key);
      return FALSE;
    }

  g_free (*slot);
  *slot = *value != '\0' ? g_strdup (value) : NULL;
  return TRUE;
}

/* The text as lines: UTF-8 without NUL bytes, \r\n and \r read as \n. */
static char **
split_lines (LabLesson   *lesson,
             const char  *text,
             gsize        length,
             GError     **error)
{
  g_autofree char *copy = NULL;

  if (!g_utf8_validate_len (text, length, NULL))
    {
      set_line_error (error, lesson, 1, _("the file is not UTF-8 text"));
      return NULL;
    }
  copy = g_strndup (text, length);
  if (strlen (copy) != length)
    {
      set_line_error (error, lesson, 1, _("the file holds a NUL byte: not a text file"));
      return NULL;
    }
  for (char *p = copy; *p; p++)
    if (*p == '\r')
      *p = p[1] == '\n' ? ' ' : '\n';
  return g_strsplit (copy, "\n", -1);
}

/* Where the header is while it is read. */
typedef struct
{
  char  *section;        /* the current [section] */
  guint  lesson_line;    /* the line of [lesson], 0 if none yet */
} Header;

/* "[name]" (stripped, @n bytes) starts a section. */
static gboolean
header_section (LabLesson   *lesson,
                Header      *h,
                const char  *l,
                gsize        n,
                guint        line,
                GError     **error)
{
  if (n < 3 || l[n - 1] != ']')
    {
      set_line_error (error, lesson, line, _("'%s' is not a section header like [lesson]"), l);
      return FALSE;
    }
  g_free (h->section);
  h->section = g_strstrip (g_strndup (l + 1, n - 2));
  if (g_str_equal (h->section, "lesson"))
    {
      if (h->lesson_line == 0)
        h->lesson_line = line;
    }
  else if (is_settings_section (h->section))
    {
      if (lesson->settings_line == 0)
        lesson->settings_line = line;
    }
  else
    {
      set_line_error (error, lesson, line,
                      _("unknown section [%s]; a lesson has [lesson] and the settings sections "
                        "[data] [model] [train] [clip] [prune]"), h->section);
      return FALSE;
    }
  return TRUE;
}

/* "key = value" in the current section: a [lesson] key, or a setting kept for later. */
static gboolean
header_key (LabLesson   *lesson,
            Header      *h,
            const char  *l,
            guint        line,
            GError     **error)
{
  const char *eq = strchr (l, '=');
  g_autofree char *key = NULL, *value = NULL;

  if (eq == NULL)
    {
      set_line_error (error, lesson, line,
                      _("expected key = value, a [section], or the line --- before the text; "
                        "found '%s'"), l);
      return FALSE;
    }
  key = g_strstrip (g_strndup (l, eq - l));
  value = g_strstrip (g_strdup (eq + 1));
  if (*key == '\0')
    {
      set_line_error (error, lesson, line, _("a key name is missing before '='"));
      return FALSE;
    }
  if (h->section == NULL)
    {
      set_line_error (error, lesson, line, _("'%s' comes before any section; start with [lesson]"),
                      key);
      return FALSE;
    }
  if (g_str_equal (h->section, "lesson"))
    return set_lesson_key (lesson, key, value, line, error);
  {
    Setting set = { g_strdup (h->section), g_strdup (key), g_strdup (value), line };
    g_array_append_val (lesson->settings, set);
  }
  return TRUE;
}

/* The header up to the line "---"; *body is the index of the first line after it. */
static gboolean
parse_header (LabLesson   *lesson,
              char       **lines,
              guint       *body,
              GError     **error)
{
  Header h = { NULL, 0 };
  gboolean ok = TRUE, have_body = FALSE;
  guint i;

  for (i = 0; ok && lines[i] != NULL; i++)
    {
      g_autofree char *l = g_strstrip (g_strdup (lines[i]));

      if (g_str_equal (l, "---"))
        {
          have_body = TRUE;
          break;
        }
      if (*l == '\0' || *l == '#' || *l == ';')
        continue;
      if (*l == '[')
        ok = header_section (lesson, &h, l, strlen (l), i + 1, error);
      else
        ok = header_key (lesson, &h, l, i + 1, error);
    }
  g_free (h.section);
  if (!ok)
    return FALSE;
  if (h.lesson_line == 0)
    set_line_error (error, lesson, 1, _("no [lesson] section with a title"));
  else if (lesson->title == NULL)
    set_line_error (error, lesson, h.lesson_line, _("[lesson] has no title = …"));
  else if (!have_body)
    set_line_error (error, lesson, g_strv_length (lines), _("no line --- before the lesson's "
                                                            "text"));
  else
    {
      *body = i + 1;
      return TRUE;
    }
  return FALSE;
}

LabLesson *
lab_lesson_load_data (const char  *text,
                      gsize        length,
                      const char  *file_name,
                      GError     **error)
{
  g_autoptr(LabLesson) lesson = NULL;
  g_auto(GStrv) lines = NULL;
  guint body = 0;
  LabConfig probe;
  gboolean ok;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lesson = g_new0 (LabLesson, 1);
  lesson->file_name = g_strdup (file_name);
  lesson->settings = g_array_new (FALSE, FALSE, sizeof (Setting));
  g_array_set_clear_func (lesson->settings, setting_clear);
  lesson->blocks = g_array_new (FALSE, FALSE, sizeof (LabLessonBlock));
  g_array_set_clear_func (lesson->blocks, block_clear);

  if (length == (gsize) -1)
    length = strlen (text);
  if ((lines = split_lines (lesson, text, length, error)) == NULL ||
      !parse_header (lesson, lines, &body, error))
    return NULL;
  lesson->body_line = body + 1;
  lesson->body = g_strjoinv ("\n", lines + body);
  if (!parse_body (lesson, lines, body, error))
    return NULL;
  if (lesson->blocks->len == 0)
    {
      set_line_error (error, lesson, lesson->body_line, _("the lesson has no text after ---"));
      return NULL;
    }
  if (lesson->summary == NULL)
    lesson->summary = g_strdup ("");
  if (lesson->page == NULL)
    lesson->page = g_strdup ("gradients");

  /* the settings must make a valid run now, not when a class is watching */
  lab_config_init_defaults (&probe);
  ok = lab_lesson_config (lesson, &probe, error);
  lab_config_clear (&probe);
  return ok ? g_steal_pointer (&lesson) : NULL;
}

LabLesson *
lab_lesson_load_file (const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_IO,
                   _("%s: cannot read the lesson: %s"), path, local->message);
      return NULL;
    }
  return lab_lesson_load_data (text, length, path, error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
lab_lesson_list (void)
{
  g_auto(GStrv) children = g_resource_enumerate_children (lab_lessons_get_resource (), LESSON_DIR,
                                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    if (g_str_has_suffix (children[i], LESSON_SUFFIX))
      g_ptr_array_add (names, g_strndup (children[i],
                                         strlen (children[i]) - strlen (LESSON_SUFFIX)));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* "de/NAME.lesson" ("NAME.lesson" in English: @language NULL), the lesson's path under lessons/
 * and its name in messages; NULL for a name that would be a path out of the directory. */
static char *
shipped_label (const char *name,
               const char *language)
{
  if (*name == '\0' || strchr (name, '/') != NULL || g_str_equal (name, "..") ||
      (language != NULL && (*language == '\0' || strchr (language, '/') != NULL ||
                            g_str_equal (language, ".."))))
    return NULL;
  return language ? g_strconcat (language, "/", name, LESSON_SUFFIX, NULL)
                  : g_strconcat (name, LESSON_SUFFIX, NULL);
}

static gboolean
is_shipped (const char *name,
            const char *language)
{
  g_autofree char *label = shipped_label (name, language);
  g_autofree char *path = label ? g_strconcat (LESSON_DIR, label, NULL) : NULL;

  return path != NULL && g_resource_get_info (lab_lessons_get_resource (), path,
                                              G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL);
}

LabLesson *
lab_lesson_load_translated (const char  *name,
                            const char  *language,
                            GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *label = NULL;
  const char *text;
  gsize length;

  g_return_val_if_fail (name != NULL, NULL);

  if (language != NULL && g_str_equal (language, "en"))
    language = NULL;
  if ((label = shipped_label (name, language)) != NULL)
    {
      g_autofree char *path = g_strconcat (LESSON_DIR, label, NULL);

      bytes = g_resource_lookup_data (lab_lessons_get_resource (), path,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }
  if (bytes == NULL)
    {
      g_autofree char *missing = language ? g_strconcat (language, "/", name, NULL) : NULL;
      g_auto(GStrv) names = lab_lesson_list ();
      g_autofree char *list = g_strjoinv (", ", names);

      g_set_error (error, LAB_ENGINE_ERROR, LAB_ENGINE_ERROR_INVALID,
                   _("no lesson named '%s'; the lessons are: %s"), missing ? missing : name, list);
      return NULL;
    }
  text = g_bytes_get_data (bytes, &length);
  return lab_lesson_load_data (text, length, label, error);
}

/* English ends the search for a translation: "en", "en_GB.UTF-8", "C", "POSIX". */
static gboolean
is_english (const char *language)
{
  return g_str_equal (language, "C") || g_str_equal (language, "POSIX") ||
         g_str_equal (language, "en") || g_str_has_prefix (language, "en_") ||
         g_str_has_prefix (language, "en.") || g_str_has_prefix (language, "en@");
}

LabLesson *
lab_lesson_load_shipped (const char  *name,
                         GError     **error)
{
  const char * const *languages = g_get_language_names ();

  g_return_val_if_fail (name != NULL, NULL);

  /* The user's languages in order of preference ("de_AT.UTF-8", "de_AT", "de", "C"): the first
   * one the lesson is translated into wins; English, or the end of the list, ends the search. */
  for (guint i = 0; languages[i] != NULL && !is_english (languages[i]); i++)
    if (is_shipped (name, languages[i]))
      return lab_lesson_load_translated (name, languages[i], error);
  return lab_lesson_load_translated (name, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Accessors                                                                                  */

const char *
lab_lesson_get_title (const LabLesson *lesson)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  return lesson->title;
}

const char *
lab_lesson_get_summary (const LabLesson *lesson)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  return lesson->summary;
}

const char *
lab_lesson_get_preset (const LabLesson *lesson)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  return lesson->preset;
}

const char *
lab_lesson_get_page (const LabLesson *lesson)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  return lesson->page;
}

const char *
lab_lesson_get_file_name (const LabLesson *lesson)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  return lesson->file_name;
}

const char *
lab_lesson_get_body (const LabLesson *lesson)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  return lesson->body;
}

guint
lab_lesson_get_n_blocks (const LabLesson *lesson)
{
  g_return_val_if_fail (lesson != NULL, 0);
  return lesson->blocks->len;
}

const LabLessonBlock *
lab_lesson_get_block (const LabLesson *lesson,
                      guint            i)
{
  g_return_val_if_fail (lesson != NULL, NULL);
  g_return_val_if_fail (i < lesson->blocks->len, NULL);
  return &g_array_index (lesson->blocks, LabLessonBlock, i);
}
