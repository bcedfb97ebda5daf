// The care team (behandlingsteam, ansvarsgruppe) of an episode: members
// by role and organisation with contact details; add and remove.
#include "core/roles.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

http::Response care_team_page(Web& web, Page& p, const std::string& id, const std::string& flash,
                              const std::string& error, int status) {
  auto& ctx = web.ctx;
  auto view = service::get_episode(ctx, p.caller, id);
  if (!view) return error_page(p, view.error());
  auto members = service::list_care_team(ctx, p.caller, id);
  if (!members) return error_page(p, members.error());
  auto orgs = organisations_by_id(ctx);
  Data d = episode_subpage_data(web, p, *view, flash, error);
  bool can_edit = staff_may_edit(p, *view);
  Data list{Data::type::list};
  for (const auto& m : *members) {
    Data md;
    md.set("id", m.id);
    md.set("name", m.name);
    set_opt(md, "role", role_name(p.lang, m.role));
    auto o = orgs.find(m.organisation_id);
    md.set("organisation", o == orgs.end() ? "" : o->second.name);
    set_opt(md, "phone", m.phone);
    set_opt(md, "email", m.email);
    list.push_back(md);
  }
  d.set("members", list);
  d.set("has_members", !members->empty());
  Data roles{Data::type::list};
  for (const auto& r : core::kRoles) {
    if (r.id == "admin" || r.id == "leder" || r.id == "pasient" ||
        r.id == core::kMessageExchangeRole)
      continue;
    Data rd;
    rd.set("id", std::string(r.id));
    rd.set("name", std::string(p.lang == "en" ? r.en : r.nb));
    roles.push_back(rd);
  }
  d.set("roles", roles);
  Data olist{Data::type::list};
  for (const auto& [oid, o] : orgs) {
    Data od;
    od.set("id", oid);
    od.set("name", o.name);
    olist.push_back(od);
  }
  d.set("organisations", olist);
  Data accounts{Data::type::list};
  if (can_edit)
    if (auto staff = service::list_staff_accounts(ctx, p.caller))
      for (const auto& a : *staff) {
        Data ad;
        ad.set("user_id", a.user_id);
        auto o = orgs.find(a.organisation_id);
        ad.set("label", a.name + " – " + role_name(p.lang, a.role) +
                            (o == orgs.end() ? std::string() : ", " + o->second.name));
        accounts.push_back(ad);
      }
  d.set("accounts", accounts);
  return render_page(p, "care_team", p.t("care_team"), d, status);
}

}  // namespace

void add_care_team_routes(http::Router& router, Web& web) {
  router.add("GET", "/episodes/{id}/care-team", page(web, [&web](Page& p) {
               std::string flash;
               auto it = p.request.query.find("done");
               if (it != p.request.query.end())
                 flash = p.t(it->second == "removed" ? "member_removed" : "member_added");
               return care_team_page(web, p, std::string(p.request.param("id")), flash, "", 200);
             }));

  router.add(
      "POST", "/episodes/{id}/care-team", page(web, [&web](Page& p) {
        std::string id(p.request.param("id"));
        service::NewCareTeamMember m;
        m.user_id = p.field("user_id");
        m.name = p.field("name");
        m.role = p.field("role");
        m.organisation_id = p.field("organisation_id");
        // A member with an account is, unless told otherwise, in the
        // organisation of their staff record.
        if (!m.user_id.empty() && m.organisation_id.empty())
          if (auto staff = service::list_staff_accounts(web.ctx, p.caller))
            for (const auto& a : *staff)
              if (a.user_id == m.user_id) m.organisation_id = a.organisation_id;
        m.phone = p.field("phone");
        m.email = p.field("email");
        auto r = service::add_care_team_member(web.ctx, p.caller, id, m);
        if (r) return redirect("/episodes/" + id + "/care-team?done=added");
        if (r.error().code != ErrorCode::invalid_input && r.error().code != ErrorCode::conflict)
          return error_page(p, r.error());
        return care_team_page(web, p, id, "", message_of(r.error(), p.lang), 400);
      }));

  router.add("POST", "/episodes/{id}/care-team/{member_id}/remove", page(web, [&web](Page& p) {
               std::string id(p.request.param("id"));
               auto r = service::remove_care_team_member(web.ctx, p.caller, id,
                                                         std::string(p.request.param("member_id")));
               if (!r) return error_page(p, r.error());
               return redirect("/episodes/" + id + "/care-team?done=removed");
             }));
}

}  // namespace samflyt::web
