/* fuzz_upload.c — what decides an uploaded file's fate before it is stored: the content
 * sniffers (PDF, JPEG, PNG, ZIP/OFD/OOXML by their central directory, OLE2 Office files
 * by their stream names) on the bytes, and the file-name check on the same bytes as a
 * name.  A type is one of the known ones or NULL; a refused name has a message. */
#include <assert.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/arena.h"
#include "files/files.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *what = NULL;
    const char *t = ow_files_sniff(data, size, &what);
    (void)ow_files_sniff_office(data, size);
    int fd = memfd_create("fuzz-upload", 0);
    if (fd >= 0) {
        if (write(fd, data, size) == (ssize_t)size) {
            lseek(fd, 0, SEEK_SET);
            if (t && !strcmp(t, "application/zip")) {
                const char *z = ow_files_zip_type(fd);
                assert(z);
                lseek(fd, 0, SEEK_SET);
                (void)ow_files_is_ofd(fd);
            }
            lseek(fd, 0, SEEK_SET);
            (void)ow_files_ole_type(fd);
        }
        close(fd);
    }
    char *name = fuzz_str(data, size);
    ow_ctx cx = {.arena = ow_arena_new(4096)};
    if (cx.arena) {
        if (ow_files_check_filename(&cx, name) != OW_OK) assert(cx.err.message[0]);
        ow_arena_free(cx.arena);
    }
    free(name);
    return 0;
}
