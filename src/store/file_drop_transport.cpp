#include "store/file_drop_transport.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace samflyt::store {

namespace fs = std::filesystem;

namespace {

Error io_error(const std::string& what, const fs::path& path, int err) {
  std::string reason = std::strerror(err);
  return make_error(ErrorCode::unavailable,
                    "Cannot " + what + " " + path.string() + ": " + reason + ".",
                    "Kan ikke " + what + " " + path.string() + ": " + reason + ".");
}

// Writes all bytes to an open descriptor; errno on failure.
int write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

int fsync_path(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return errno;
  int rc = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return rc;
}

// A file name without folders, so that no name leaves the folder.
bool plain_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name != "." && name != ".." &&
         name.front() != '.';
}

Error bad_name(const std::string& name) {
  return make_error(ErrorCode::invalid_input, "Not a plain file name: '" + name + "'.",
                    "Ikke et enkelt filnavn: '" + name + "'.");
}

}  // namespace

FileDropTransport::FileDropTransport(fs::path inbox, fs::path outbox,
                                     std::uintmax_t max_message_bytes)
    : inbox_(std::move(inbox)), outbox_(std::move(outbox)), max_bytes_(max_message_bytes) {
  for (const auto& dir : {inbox_, outbox_, inbox_ / "processed", inbox_ / "failed"}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
      throw std::runtime_error("cannot create the message folder " + dir.string() + ": " +
                               ec.message());
  }
}

Result<fs::path> FileDropTransport::write_temporary(std::string_view bytes,
                                                    const std::string& name) {
  if (!plain_name(name)) return bad_name(name);
  // Hidden and without the .xml ending: a reader of the folder skips it.
  fs::path temporary = outbox_ / ("." + name + ".tmp-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(++counter_));
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return io_error("create", temporary, errno);
  int err = write_all(fd, bytes);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(temporary.c_str());
    return io_error("write", temporary, err);
  }
  return temporary;
}

Result<void> FileDropTransport::send(std::string_view bytes, const std::string& name,
                                     std::optional<std::int64_t> receiver_her_id) {
  auto results = send_all({service::Parcel{bytes, name, receiver_her_id}});
  return std::move(results.front());
}

std::vector<Result<void>> FileDropTransport::send_all(const std::vector<service::Parcel>& parcels) {
  std::vector<Result<void>> results;
  if (parcels.empty()) return results;
  std::vector<fs::path> temporaries;
  auto fail_the_rest = [&](const Error& e) {
    for (const auto& t : temporaries) ::unlink(t.c_str());
    while (results.size() < parcels.size()) results.emplace_back(e);
    return results;
  };
  for (const auto& p : parcels) {
    auto written = write_temporary(p.bytes, p.name);
    if (!written) return fail_the_rest(written.error());
    temporaries.push_back(std::move(*written));
  }
  // The data of every file on disk before any name appears.
  {
    int fd = ::open(outbox_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int err = fd < 0 ? errno : ::syncfs(fd) == 0 ? 0 : errno;
    if (fd >= 0) ::close(fd);
    if (err != 0) return fail_the_rest(io_error("sync", outbox_, err));
  }
  for (std::size_t i = 0; i < parcels.size(); ++i) {
    fs::path target = outbox_ / parcels[i].name;
    if (::rename(temporaries[i].c_str(), target.c_str()) != 0) {
      // None counts as handed over (the renamed ones go again, harmlessly).
      const int err = errno;
      temporaries.erase(temporaries.begin(), temporaries.begin() + static_cast<std::ptrdiff_t>(i));
      results.clear();
      return fail_the_rest(io_error("rename to", target, err));
    }
    results.emplace_back();
  }
  if (int e = fsync_path(outbox_, O_RDONLY | O_DIRECTORY); e != 0) {
    // Renamed but perhaps not durable: none counts as handed over.
    results.clear();
    temporaries.clear();
    return fail_the_rest(io_error("sync the folder", outbox_, e));
  }
  return results;
}

Result<std::vector<service::TransportedMessage>> FileDropTransport::receive(std::size_t limit) {
  // The folder is listed once and then handed out in batches, so that a
  // large backlog is not listed again for every batch; listed again when
  // the last batch was not all acknowledged or set aside (it comes first).
  if (!outstanding_.empty()) {
    listed_.clear();
    outstanding_.clear();
  }
  if (listed_.empty()) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(inbox_, ec), end; !ec && it != end; it.increment(ec)) {
      const auto& p = it->path();
      std::error_code type_ec;
      if (p.extension() == ".xml" && p.filename().string().front() != '.' &&
          it->is_regular_file(type_ec))
        files.push_back(p);
    }
    if (ec) return io_error("read the folder", inbox_, ec.value());
    std::sort(files.begin(), files.end());
    listed_.assign(files.begin(), files.end());
  }
  std::vector<service::TransportedMessage> out;
  while (!listed_.empty() && out.size() < limit) {
    const fs::path file = std::move(listed_.front());
    listed_.pop_front();
    std::error_code gone_ec;
    if (!fs::exists(file, gone_ec)) continue;  // taken since it was listed
    std::string name = file.filename().string();
    std::error_code size_ec;
    auto size = fs::file_size(file, size_ec);
    if (size_ec) {
      if (auto r = set_aside(name, "cannot read the file size: " + size_ec.message()); !r)
        return std::move(r).error();
      continue;
    }
    if (size > max_bytes_) {
      if (auto r =
              set_aside(name, "the file has " + std::to_string(size) +
                                  " bytes, more than the limit of " + std::to_string(max_bytes_));
          !r)
        return std::move(r).error();
      continue;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    if (in) s << in.rdbuf();
    if (!in || in.bad()) {
      if (auto r = set_aside(name, std::string("cannot read the file: ") + std::strerror(errno));
          !r)
        return std::move(r).error();
      continue;
    }
    outstanding_.insert(name);
    out.push_back({std::move(name), s.str()});
  }
  return out;
}

Result<void> FileDropTransport::move_to(const std::vector<std::string>& names,
                                        const fs::path& folder) {
  for (const auto& name : names)
    if (!plain_name(name)) return bad_name(name);
  for (const auto& name : names) {
    fs::path from = inbox_ / name;
    fs::path to = folder / name;
    // A file of the same name already there (the same MsgId received
    // twice) is kept: the later copy gets a numbered name.
    for (int n = 1; fs::exists(to); ++n) to = folder / (name + "." + std::to_string(n));
    if (::rename(from.c_str(), to.c_str()) != 0) return io_error("move", from, errno);
    outstanding_.erase(name);
  }
  if (int e = fsync_path(folder, O_RDONLY | O_DIRECTORY); e != 0)
    return io_error("sync the folder", folder, e);
  if (int e = fsync_path(inbox_, O_RDONLY | O_DIRECTORY); e != 0)
    return io_error("sync the folder", inbox_, e);
  return {};
}

Result<void> FileDropTransport::acknowledge(const std::vector<std::string>& names) {
  return move_to(names, inbox_ / "processed");
}

Result<void> FileDropTransport::set_aside(const std::string& name, const std::string& reason) {
  if (!plain_name(name)) return bad_name(name);
  fs::path reason_file = inbox_ / "failed" / (name + ".reason.txt");
  {
    std::ofstream out(reason_file, std::ios::trunc);
    out << reason << "\n";
    if (!out) return io_error("write", reason_file, errno);
  }
  return move_to({name}, inbox_ / "failed");
}

}  // namespace samflyt::store
