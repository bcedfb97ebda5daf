// What the page handlers share: the door every page goes through (who is
// asking, in which language, with which CSRF token), rendering templates,
// the UI strings, forms and small formatting helpers.
// Everything here is read-only after start-up or per request: thread-safe.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/router.hpp"
#include "service/overview.hpp"
#include "web/web.hpp"

// kainjow's mustache is header-only and large; pages include it through here.
#include <kainjow/mustache.hpp>

namespace samflyt::web {

using Data = kainjow::mustache::data;

// --- the UI strings (strings.cpp): every text a page shows, nb and en ------

// The text of `key` in `lang` ("nb" or "en"); the key itself when unknown
// (a test fails on that: see tests/unit/web).
const std::string& text(std::string_view lang, std::string_view key);
// Every string of a language as template data: {{t.key}}.
const Data& strings_data(std::string_view lang);
// A role's, an organisation kind's and a task state's name.
std::string role_name(std::string_view lang, std::string_view role);
std::string state_name(std::string_view lang, std::string_view state);
// An error's message in the language.
std::string message_of(const Error& e, std::string_view lang);
bool has_text(std::string_view key);

// --- one request's page context -----------------------------------------

struct Page {
  const http::Request& request;
  const service::Caller& caller;
  std::string lang = "nb";
  std::string csrf_token;                   // "" for bearer tokens
  std::map<std::string, std::string> form;  // a POST's urlencoded body

  std::string field(const std::string& name) const {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  }
  const std::string& t(std::string_view key) const { return text(lang, key); }
};

using PageHandler = std::function<http::Response(Page&)>;

struct Web {
  service::Context& ctx;
  WebOptions options;
};

// The door of every page but login and the static files: the caller from
// the session cookie (or a bearer token); without one, GET goes to the
// login page (303) and other methods get a 401 page. A POST with the
// session cookie needs the session's CSRF token in the form field
// csrf_token or the X-CSRF-Token header, or it is refused (403) before the
// handler runs. Audit rows of the reads are written before the page
// leaves (as in api::authenticated).
http::Handler page(Web& web, PageHandler handler);

// --- rendering -----------------------------------------------------------

// Renders templates/<name>.mustache with `data` inside the layout, with
// the page's title, the user, the language switch and the CSRF token.
http::Response render_page(const Page& p, const std::string& name, const std::string& title,
                           Data data, int status = 200);
// A template alone (no layout), e.g. an htmx fragment.
std::string render_template(const std::string& name, const Data& data);
// An error as an HTML page without data: its status from api::http_status.
http::Response error_page(const Page& p, const Error& e);
// The same without a logged-in user (failures before a handler runs).
http::Response bare_error_page(int status, const std::string& lang);

http::Response redirect(const std::string& location);  // 303 See Other

// The URL of a static file with its content hash ("/static/app.3f2a….css").
const std::string& static_url(std::string_view name);
void add_static_routes(http::Router& router);

// --- formatting ------------------------------------------------------------

std::string format_day(std::optional<core::Instant> t);  // "12.03.2027" (Oslo)
std::string format_time(core::Instant t);                // "12.03.2027 14:05" (Oslo)
std::string format_birth_date(const core::Date& d);
using http::html_escape;

// Organisation names by id, for labels.
std::map<std::string, core::Organisation> organisations_by_id(service::Context& ctx);
// The organisations of one kind, by name, for a <select>: id, name, selected.
Data organisation_options(const std::map<std::string, core::Organisation>& orgs, core::OrgKind kind,
                          const std::string& selected);

// --- the swimlane chart (chart.cpp) ---------------------------------------

// The episode's pathway as an SVG swimlane chart: one lane per actor,
// phases left to right, each step a box (coloured and labelled by state,
// with its deadline) linking to its task, dependency arrows between them.
std::string swimlane_svg(const service::EpisodeView& v, core::Instant now, std::string_view lang);

// The state a task is shown with: done, not_applicable, in_progress,
// overdue, ready, blocked.
std::string display_state(const core::Task& t, core::Instant now);

// --- the pages -------------------------------------------------------------

// What every page about one episode starts with: episode_id, patient_name,
// a success flash and an error (each shown only when there is one), and
// can_edit (staff, not in the family's view). pages_episode.cpp.
Data episode_subpage_data(Web& web, const Page& p, const service::EpisodeView& v,
                          const std::string& flash, const std::string& error);
// Staff who see the episode outside the family's view may use its forms
// (the use cases decide each change).
bool staff_may_edit(const Page& p, const service::EpisodeView& v);

void add_login_routes(http::Router& router, Web& web);
void add_start_routes(http::Router& router, Web& web);
void add_episode_routes(http::Router& router, Web& web);
void add_new_episode_routes(http::Router& router, Web& web);
void add_care_team_routes(http::Router& router, Web& web);
void add_consent_routes(http::Router& router, Web& web);
void add_ledger_routes(http::Router& router, Web& web);
void add_message_routes(http::Router& router, Web& web);

}  // namespace samflyt::web

namespace samflyt::web {
// Percent-encodes everything but unreserved characters (for query values).
std::string url_encode(std::string_view s);
}  // namespace samflyt::web

namespace samflyt::web {
// Sets a text that a template shows only when there is one: mustache
// treats every string, even "", as true in {{#key}} sections.
inline void set_opt(Data& d, const std::string& key, const std::string& value) {
  if (value.empty())
    d.set(key, false);
  else
    d.set(key, value);
}
}  // namespace samflyt::web

namespace samflyt::web {
// Renders templates/<name> with `layers` pushed on the language's strings
// ({{t.key}}); a later layer hides names of an earlier one. The strings
// are shared, never copied: use this for lists of cards.
std::string render_in(std::string_view lang, const std::string& name,
                      std::initializer_list<const Data*> layers);
}  // namespace samflyt::web
