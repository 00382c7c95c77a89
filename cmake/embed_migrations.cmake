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
  math(EXPR expect "${prev} + 1")
  if(v LESS expect)
    message(FATAL_ERROR "migration ${base}: expected version ${expect} or later")
  elseif(NOT v EQUAL expect)
    # BRANCH ONLY (hall, issue 18): 0022_hall.sql keeps the number it was given while
    # 0020/0021 and the PostgreSQL twins of 0001-0021 land on other branches; the merge
    # renumbers it and takes this back to the FATAL_ERROR above.
    message(WARNING "migration ${base}: expected version ${expect} (a gap, allowed on this branch)")
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
