# Writes a C++ file embedding every migration; run at build time so that a
# new or edited .sql file rebuilds it.
# FUNCTION names the function that returns them (migrations, audit_migrations).
file(GLOB files "${SRC_DIR}/*.sql")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  get_filename_component(name "${f}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" number "${name}")
  math(EXPR number "${number} + 0")
  file(READ "${f}" sql)
  string(APPEND body "      {${number}, \"${name}\", R\"samflyt_sql(${sql})samflyt_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from ${SRC_DIR} by embed_migrations.cmake.\n#include \"store/migrations.hpp\"\n\nnamespace samflyt::store {\n\nconst std::vector<Migration>& ${FUNCTION}() {\n  static const std::vector<Migration> all{\n${body}  };\n  return all;\n}\n\n}  // namespace samflyt::store\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
