// Files embedded into the binary at build time (embed_files.cmake): the
// mustache templates and the static files. Read-only; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace samflyt::web {

struct EmbeddedFile {
  std::string_view name;  // templates: the file name without .mustache
  std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_templates();
const std::vector<EmbeddedFile>& embedded_static();

}  // namespace samflyt::web
