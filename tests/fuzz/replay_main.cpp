// Replays files through a fuzz target's LLVMFuzzerTestOneInput without
// libFuzzer: the CTest tests fuzz.replay.<target> in the normal (g++)
// build. Usage:
//   fuzz_replay_<target> DIR|FILE ... [--optional DIR|FILE ...]
// Every regular file under each argument (recursively, in sorted order) is
// run once. A required argument must exist and hold at least one file (an
// empty corpus would make the test pass without testing anything); after
// --optional, missing arguments are skipped (the official examples, which
// the repository does not ship). A broken invariant aborts, which fails
// the test; the file being run is printed first.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_under(const fs::path& p) {
  std::vector<fs::path> out;
  if (fs::is_regular_file(p)) {
    out.push_back(p);
  } else if (fs::is_directory(p)) {
    for (const auto& e : fs::recursive_directory_iterator(p))
      if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  bool optional = false;
  std::size_t total = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--optional") {
      optional = true;
      continue;
    }
    const auto files = files_under(arg);
    if (files.empty()) {
      if (optional) {
        std::printf("skipped (not there): %s\n", arg.c_str());
        continue;
      }
      std::fprintf(stderr, "no input files in %s\n", arg.c_str());
      return 1;
    }
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      std::fprintf(stderr, "%s\n", file.c_str());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("%zu files from %s\n", files.size(), arg.c_str());
    total += files.size();
  }
  std::printf("replayed %zu files\n", total);
  return total > 0 ? 0 : 1;
}
