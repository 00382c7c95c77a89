/* backup.h — `onewindow backup DIR` and `onewindow restore DIR` (docs/operations.md,
 * "Backups and restore").
 *
 * A backup is a directory: the database, the stored files its rows name, and
 * manifest.json listing every file of the backup with its size and SHA-256, the backend,
 * the schema version and when the backup began and ended.
 *
 *   - SQLite: DIR/onewindow.db, copied with SQLite's online backup API while the server
 *     goes on writing (one committed state: store/db.h ow_db_snapshot_to), then the files
 *     that copy's blobs table names.  Files are written before their rows commit
 *     (files/files.h), so every row of the copy finds its file.
 *   - PostgreSQL: DIR/pgdata, a base backup by pg_basebackup (plain format, the WAL it
 *     needs streamed into it, a fast checkpoint), then every stored file.  Files of rows
 *     committed after the base backup's end are extra: the restore removes what has no
 *     row once the cluster runs (`files check --fix --min-age-s 0`).
 *
 * The secret key (secret.key: it seals the personal data and keys the audit chain) is
 * never written into the backup: the manifest names it and holds its SHA-256, and
 * `--key-out FILE` copies it to a place of the operator's choosing, outside DIR, to be
 * kept apart from the backups.  A restore takes it back with `--key FILE` and refuses a
 * key whose fingerprint is not the manifest's.
 *
 * A restore checks every file against the manifest before it writes anything, then
 * fills a new data directory (and, for PostgreSQL, a new cluster directory): it never
 * writes over an installation. */
#ifndef OW_BACKUP_BACKUP_H
#define OW_BACKUP_BACKUP_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"

typedef struct ow_backup_report {
    char backend[16]; /* sqlite, postgres */
    int schema_version;
    int64_t files;           /* stored files (uploads, documents) */
    int64_t entries;         /* every file the manifest lists */
    int64_t bytes;           /* their total size */
    int64_t orphans_removed; /* restore (SQLite): files without a row left out */
    char started[32], finished[32];
} ow_backup_report;

/* Back up app's installation into dir (absent or empty).  key_out: where to copy the
 * secret key (NULL: not copied; it must then be kept from data_dir by other means). */
int ow_backup_create(ow_app *app, const char *dir, const char *key_out, ow_backup_report *r,
                     ow_err *e);

/* Restore the backup in dir into app's data_dir (which must hold no installation), with
 * the key file key_file.  A PostgreSQL backup is restored into pgdata (a new cluster
 * directory, to be started by the operator); pgdata must be NULL for an SQLite one. */
int ow_backup_restore(ow_app *app, const char *dir, const char *key_file, const char *pgdata,
                      ow_backup_report *r, ow_err *e);

#endif
