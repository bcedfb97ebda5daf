// The JSON shapes of the API's resources (snake_case fields, RFC 3339 UTC
// times, string ids), as documented in docs/openapi.yaml. Written with the
// streaming JsonWriter; absent optional values are null.
#pragma once

#include "api/json_writer.hpp"
#include "http/router.hpp"
#include "service/use_cases.hpp"

namespace samflyt::api {

// An RFC 3339 UTC time, or null; the second under `key`.
void write_instant(JsonWriter& w, const std::optional<core::Instant>& t);
void write_optional_instant(JsonWriter& w, std::string_view key,
                            const std::optional<core::Instant>& t);

void write_organisation(JsonWriter& w, const core::Organisation& o);
void write_staff(JsonWriter& w, const core::Staff& s);
void write_patient(JsonWriter& w, const core::Patient& p);
void write_pathway_summary(JsonWriter& w, const core::PathwayTemplate& t);
void write_pathway(JsonWriter& w, const core::PathwayTemplate& t);
// A task on its own or in a worklist: with its episode, owner, kind and role.
void write_task(JsonWriter& w, const core::Task& task, const core::PathwayTemplate& t,
                core::Instant now);
void write_episode_summary(JsonWriter& w, const core::Episode& e);
// An episode with its tasks (each with `waiting_for`), its overdue count
// and what is next per lane.
void write_episode(JsonWriter& w, const service::EpisodeView& view, core::Instant now);

// A 2xx response with a JSON body.
http::Response json_body(int status, std::string body);

// {"items": [...], "limit": L, "offset": O}: one page of a longer list.
template <typename List, typename F>
http::Response respond_page(const List& items, int limit, int offset, F&& write_item) {
  return respond(200, [&](JsonWriter& w) {
    w.begin_object().key("items").begin_array();
    for (const auto& item : items) write_item(w, item);
    w.end_array().field("limit", limit).field("offset", offset).end_object();
  });
}

// A 2xx response whose body `write(JsonWriter&)` writes. The buffer
// starts at the size of a typical episode or worklist page, so it is
// rarely copied while it grows.
template <typename F>
http::Response respond(int status, F&& write) {
  JsonWriter w(std::size_t{16} * 1024);
  write(w);
  return json_body(status, w.take());
}

// {"items": [...]} with `write_item(w, item)` per item.
template <typename List, typename F>
http::Response respond_items(const List& items, F&& write_item) {
  return respond(200, [&](JsonWriter& w) {
    w.begin_object().key("items").begin_array();
    for (const auto& item : items) write_item(w, item);
    w.end_array().end_object();
  });
}

// An ETag for a row version: "\"<version>\"".
std::string etag(std::int64_t version);

}  // namespace samflyt::api
