// Consent (samtykke) for an episode: what the patient or a guardian has
// consented to, record a new consent, withdraw one. Sending documentation
// (messages) asks for it (service::require_consent).
#include <algorithm>

#include "core/consent.hpp"
#include "core/roles.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

constexpr std::string_view kOrgPrefix = "org_";
constexpr std::string_view kRolePrefix = "role_";

std::string consent_state(const Page& p, const core::Consent& c, core::Instant now) {
  if (c.withdrawn_at) return p.t("consent_withdrawn") + " " + format_day(c.withdrawn_at);
  if (c.in_force(now)) return p.t("consent_in_force");
  return c.valid_from > now ? p.t("consent_not_yet") : p.t("consent_expired");
}

http::Response consents_page(Web& web, Page& p, const std::string& id, const std::string& flash,
                             const std::string& error, int status) {
  auto& ctx = web.ctx;
  auto view = service::get_episode(ctx, p.caller, id);
  if (!view) return error_page(p, view.error());
  auto consents = service::list_consents(ctx, p.caller, id);
  if (!consents) return error_page(p, consents.error());
  const auto orgs = organisations_by_id(ctx);
  const auto now = ctx.clock.now();
  Data d = episode_subpage_data(web, p, *view, flash, error);
  // The patient (from 16) or a guardian gives and withdraws consent in
  // their own name; staff with a basis record it on their behalf.
  const bool family = view->family_view != core::FamilyView::none;
  d.set("family", family);
  d.set("can_consent", family || staff_may_edit(p, *view));

  Data list{Data::type::list};
  for (const auto& c : *consents) {
    Data cd;
    cd.set("id", c.id);
    cd.set("version", std::to_string(c.version));
    cd.set("given_by", p.t(c.given_by == core::ConsentGiver::patient ? "consent_by_patient"
                                                                     : "consent_by_guardian") +
                           ": " + c.given_by_name);
    const bool documentation = c.purpose == core::ConsentPurpose::send_documentation;
    cd.set("purpose",
           p.t(documentation ? "consent_send_documentation" : "consent_share_with_role"));
    std::string targets;
    for (const auto& t : c.targets) {
      auto o = orgs.find(t);
      targets += (targets.empty() ? "" : ", ") +
                 (documentation ? (o == orgs.end() ? t : o->second.name) : role_name(p.lang, t));
    }
    cd.set("targets", targets);
    cd.set("valid", format_day(c.valid_from) + " – " +
                        (c.valid_to ? format_day(c.valid_to) : p.t("consent_until_withdrawn")));
    cd.set("state", consent_state(p, c, now));
    cd.set("may_withdraw", !c.withdrawn_at && (!c.valid_to || *c.valid_to > now));
    list.push_back(cd);
  }
  d.set("consents", list);
  d.set("has_consents", !consents->empty());

  // The episode's own organisations first: they are whom documentation
  // usually goes to.
  Data olist{Data::type::list};
  const auto& e = view->episode;
  auto add_org = [&](const std::string& oid, const core::Organisation& o) {
    Data od;
    od.set("field", std::string(kOrgPrefix) + oid);
    od.set("name", o.name);
    od.set("checked", p.field(std::string(kOrgPrefix) + oid) == "on");
    olist.push_back(od);
  };
  for (const auto* own : {&e.municipality_id, &e.hospital_unit_id})
    if (auto o = orgs.find(*own); o != orgs.end()) add_org(o->first, o->second);
  std::vector<const core::Organisation*> others;  // by name
  for (const auto& [oid, o] : orgs)
    if (o.kind != core::OrgKind::hospital_trust && oid != e.municipality_id &&
        oid != e.hospital_unit_id)
      others.push_back(&o);
  std::sort(others.begin(), others.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  for (const auto* o : others) add_org(o->id, *o);
  d.set("organisations", olist);
  Data roles{Data::type::list};
  for (const auto& r : core::kRoles) {
    if (!core::is_clinical_role(r.id)) continue;
    Data rd;
    rd.set("field", std::string(kRolePrefix) + std::string(r.id));
    rd.set("name", std::string(p.lang == "en" ? r.en : r.nb));
    rd.set("checked", p.field(std::string(kRolePrefix) + std::string(r.id)) == "on");
    roles.push_back(rd);
  }
  d.set("roles", roles);
  // A refused form comes back as it was filled in.
  const auto from = p.field("valid_from");
  d.set("valid_from_value", from.empty() ? core::format_date(core::oslo_date(now)) : from);
  d.set("valid_to_value", p.field("valid_to"));
  d.set("given_by_name_value", p.field("given_by_name"));
  d.set("patient_checked", p.field("given_by") == "patient");
  d.set("share_checked", p.field("purpose") == "share_with_role");
  return render_page(p, "consents", p.t("consent"), d, status);
}

// The consent the form describes; invalid_input naming the field when a
// date cannot be read (the rest is checked by core::check_consent).
Result<core::Consent> consent_from_form(const Page& p, core::Instant now) {
  core::Consent c;
  c.given_by =
      p.field("given_by") == "patient" ? core::ConsentGiver::patient : core::ConsentGiver::guardian;
  c.given_by_name = p.field("given_by_name");
  c.purpose = p.field("purpose") == "share_with_role" ? core::ConsentPurpose::share_with_role
                                                      : core::ConsentPurpose::send_documentation;
  const auto prefix = c.purpose == core::ConsentPurpose::share_with_role ? kRolePrefix : kOrgPrefix;
  for (const auto& [name, value] : p.form)
    if (value == "on" && name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
      c.targets.push_back(name.substr(prefix.size()));
  c.valid_from = now;
  if (auto from = p.field("valid_from"); !from.empty()) {
    auto day = core::parse_date(from);
    if (!day)
      return make_error(ErrorCode::invalid_input, "Valid from is not a date.",
                        "Gyldig fra er ikke en dato.", "valid_from");
    // Today: from now on; another day: from its start.
    if (*day != core::oslo_date(now)) c.valid_from = core::oslo_start_of_day(*day);
  }
  if (auto to = p.field("valid_to"); !to.empty()) {
    auto day = core::parse_date(to);
    if (!day)
      return make_error(ErrorCode::invalid_input, "Valid to is not a date.",
                        "Gyldig til er ikke en dato.", "valid_to");
    c.valid_to = core::oslo_end_of_day(*day);  // the whole day
  }
  return c;
}

}  // namespace

void add_consent_routes(http::Router& router, Web& web) {
  router.add(
      "GET", "/episodes/{id}/consents", page(web, [&web](Page& p) {
        std::string flash;
        auto it = p.request.query.find("done");
        if (it != p.request.query.end())
          flash = p.t(it->second == "withdrawn" ? "consent_was_withdrawn" : "consent_was_recorded");
        return consents_page(web, p, std::string(p.request.param("id")), flash, "", 200);
      }));

  router.add("POST", "/episodes/{id}/consents", page(web, [&web](Page& p) {
               std::string id(p.request.param("id"));
               auto input = consent_from_form(p, web.ctx.clock.now());
               auto r = input ? service::record_consent(web.ctx, p.caller, id, *input)
                              : Result<core::Consent>(input.error());
               if (r) return redirect("/episodes/" + id + "/consents?done=recorded");
               if (r.error().code != ErrorCode::invalid_input) return error_page(p, r.error());
               return consents_page(web, p, id, "", message_of(r.error(), p.lang), 400);
             }));

  router.add(
      "POST", "/episodes/{id}/consents/{consent_id}/withdraw", page(web, [&web](Page& p) {
        std::string id(p.request.param("id"));
        std::int64_t version = 0;
        try {
          version = std::stoll(p.field("version"));
        } catch (const std::exception&) {
          version = 0;  // refused below as stale
        }
        auto r = service::withdraw_consent(web.ctx, p.caller, id,
                                           std::string(p.request.param("consent_id")), version);
        if (r) return redirect("/episodes/" + id + "/consents?done=withdrawn");
        if (r.error().code != ErrorCode::conflict && r.error().code != ErrorCode::invalid_input)
          return error_page(p, r.error());
        return consents_page(web, p, id, "", message_of(r.error(), p.lang), 409);
      }));
}

}  // namespace samflyt::web
