// The file-drop message transport: two folders shared with the other
// system (or crossed with another Samflyt), the simplest transport the
// NHN message services' local adapters offer.
//
// Outbox: send() writes the bytes to a hidden temporary file in the outbox
// folder, fsyncs it, renames it to `name` (e.g. "<msgid>.xml") and fsyncs
// the folder, so a reader sees either nothing or the whole file, also
// after a power loss. send_all() does the same for a batch with one sync
// of the file system and one of the folder. An existing file of that name is replaced (the same
// MsgId sent again is the same message).
//
// Inbox: receive() lists the regular files named *.xml in the inbox folder,
// by name, and reads them, at most `limit` per call (the listing is kept
// until it is used up, then the folder is listed again). A file that cannot be read, or is larger
// than the limit, is moved to `failed/` with `<name>.reason.txt` beside it and is not returned.
// acknowledge() moves files to `processed/` (then syncs both folders once) only after the caller
// has committed them: a crash in between leaves it in the inbox, it is read again, and the MsgId
// dedup makes that harmless. set_aside() moves it to `failed/` with the reason.
//
// The subfolders are created as needed. Errors are ErrorCode::unavailable
// with the path. Thread-compatible: one poller uses an instance at a time;
// two processes must not poll the same inbox.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "service/ports.hpp"

namespace samflyt::store {

class FileDropTransport final : public service::MessageTransport {
 public:
  // Creates the folders when missing; throws std::runtime_error (a
  // configuration failure) when that is not possible.
  FileDropTransport(std::filesystem::path inbox, std::filesystem::path outbox,
                    std::uintmax_t max_message_bytes = 64 * 1024 * 1024);

  // The receiver does not matter: everything goes to the one outbox.
  Result<void> send(std::string_view bytes, const std::string& name,
                    std::optional<std::int64_t> receiver_her_id) override;
  // The batch made durable together: every file written, then one
  // syncfs() of the outbox's file system, the renames, and one fsync of
  // the folder. An error fails the parcels not yet renamed.
  std::vector<Result<void>> send_all(const std::vector<service::Parcel>& parcels) override;
  Result<std::vector<service::TransportedMessage>> receive(std::size_t limit) override;
  Result<void> acknowledge(const std::vector<std::string>& names) override;
  Result<void> set_aside(const std::string& name, const std::string& reason) override;

 private:
  // A new hidden temporary file in the outbox holding the bytes (not
  // synced yet).
  Result<std::filesystem::path> write_temporary(std::string_view bytes, const std::string& name);
  Result<void> move_to(const std::vector<std::string>& names, const std::filesystem::path& folder);

  std::filesystem::path inbox_;
  std::filesystem::path outbox_;
  std::uintmax_t max_bytes_;
  std::uint64_t counter_ = 0;                 // temporary names
  std::deque<std::filesystem::path> listed_;  // listed in the inbox, not yet returned
  std::set<std::string> outstanding_;         // returned, not yet acknowledged or set aside
};

}  // namespace samflyt::store
