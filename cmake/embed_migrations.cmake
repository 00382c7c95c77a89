# Writes a C file holding every NNNN_name.sql of SRC_DIR as a string, in order, as the
# array VAR (and VAR_count), so the binary carries its schema and `onewindow migrate`
# needs no files beside it.  db/migrations/ gives ow_migrations (SQLite),
# db/migrations-pg/ ow_migrations_pg (PostgreSQL).
# Run as: cmake -DSRC_DIR=... -DOUT=... -DVAR=... -P embed_migrations.cmake
if(NOT VAR)
  set(VAR ow_migrations)
endif()
file(GLOB files "${SRC_DIR}/[0-9][0-9][0-9][0-9]_*.sql")
list(SORT files)
set(out "/* Generated from ${SRC_DIR} by cmake/embed_migrations.cmake. Do not edit. */\n")
string(APPEND out "typedef struct { int version; const char *name; const char *sql; } ow_migration;\n")
set(entries "")
set(count 0)
set(prev 0)
foreach(f ${files})
  get_filename_component(base "${f}" NAME_WE)
  string(SUBSTRING "${base}" 0 4 ver)
  string(SUBSTRING "${base}" 5 -1 name)
  math(EXPR v "${ver}")
  # Versions only have to rise: a branch carries the number reserved for its migration
  # (0023 while main is at 0019), and the merge renumbers.
  if(NOT v GREATER prev)
    message(FATAL_ERROR "migration ${base}: version ${v} does not follow ${prev}")
  endif()
  set(prev ${v})
  file(READ "${f}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND out "static const char m${v}[] = {${bytes}0x00};\n")
  string(APPEND entries "  {${v}, \"${name}\", m${v}},\n")
  math(EXPR count "${count} + 1")
endforeach()
string(APPEND out "const ow_migration ${VAR}[] = {\n${entries}  {0, 0, 0}\n};\n")
string(APPEND out "const int ${VAR}_count = ${count};\n")
file(WRITE "${OUT}.tmp" "${out}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
