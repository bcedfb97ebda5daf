// Starting a pathway for a new or an existing patient, with the national
// id checked as it is typed (htmx) and again on the server when sent.
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

struct Form {
  std::string national_id, name, pathway_id, hospital_unit_id, municipality_id;
  std::string error, nid_error;
};

http::Response form_page(Web& web, Page& p, const Form& f, int status) {
  auto orgs = organisations_by_id(web.ctx);
  Data d;
  d.set("national_id", f.national_id);
  d.set("name", f.name);
  set_opt(d, "error", f.error);
  set_opt(d, "nid_error", f.nid_error);
  d.set("units", organisation_options(orgs, core::OrgKind::hospital_unit, f.hospital_unit_id));
  d.set("municipalities",
        organisation_options(orgs, core::OrgKind::municipality, f.municipality_id));
  Data pathways{Data::type::list};
  if (auto list = service::list_pathways(web.ctx))
    for (const auto& t : *list) {
      Data pd;
      pd.set("id", t->id);
      pd.set("title", p.lang == "en" ? t->title.en : t->title.nb);
      pd.set("selected", t->id == f.pathway_id);
      pathways.push_back(pd);
    }
  d.set("pathways", pathways);
  return render_page(p, "new_episode", p.t("new_episode_title"), d, status);
}

}  // namespace

void add_new_episode_routes(http::Router& router, Web& web) {
  router.add("GET", "/episodes/new", page(web, [&web](Page& p) {
               if (auto r = service::require_clinical_role(p.caller); !r)
                 return error_page(p, r.error());
               return form_page(web, p, Form{}, 200);
             }));

  // The htmx check as the number is typed: the check digits, and whether
  // the patient is known, which service::find_patient tells (audited) only
  // to those with a basis for the patient.
  router.add("GET", "/patients/check-national-id", page(web, [&web](Page& p) {
               auto it = p.request.query.find("national_id");
               std::string nid = it == p.request.query.end() ? "" : it->second;
               Data d;
               if (nid.empty()) {
                 d.set("ok", false);
               } else if (auto pid = service::check_national_id(web.ctx, nid); !pid) {
                 d.set("ok", false);
                 set_opt(d, "message", message_of(pid.error(), p.lang));
               } else {
                 d.set("ok", true);
                 auto found = service::find_patient(web.ctx, p.caller, nid);
                 set_opt(d, "message",
                         p.t(found && *found ? "national_id_known" : "national_id_ok"));
               }
               http::Response r;
               r.body = render_template("nid_status", d);
               r.header("Content-Type", "text/html; charset=utf-8");
               return r;
             }));

  router.add("POST", "/episodes", page(web, [&web](Page& p) {
               auto& ctx = web.ctx;
               Form f{p.field("national_id"),
                      p.field("name"),
                      p.field("pathway_id"),
                      p.field("hospital_unit_id"),
                      p.field("municipality_id"),
                      "",
                      ""};
               if (auto r = service::require_clinical_role(p.caller); !r)
                 return error_page(p, r.error());
               if (auto pid = service::check_national_id(ctx, f.national_id); !pid) {
                 f.nid_error = message_of(pid.error(), p.lang);
                 f.error = f.nid_error;
                 return form_page(web, p, f, 400);
               }
               if (f.hospital_unit_id.empty()) {
                 f.error = p.t("choose_unit");
                 return form_page(web, p, f, 400);
               }
               if (f.municipality_id.empty()) {
                 f.error = p.t("choose_municipality");
                 return form_page(web, p, f, 400);
               }
               // Registers the child first when not a patient here yet; known or
               // not, the answer is whether this user may start the pathway.
               auto started = service::start_episode_for_person(
                   ctx, p.caller, {f.national_id, f.name, f.municipality_id, std::nullopt},
                   {"", f.pathway_id, f.hospital_unit_id, f.municipality_id, std::nullopt});
               if (!started) {
                 if (started.error().code != ErrorCode::invalid_input &&
                     started.error().code != ErrorCode::conflict)
                   return error_page(p, started.error());
                 f.error = message_of(started.error(), p.lang);
                 return form_page(web, p, f,
                                  started.error().code == ErrorCode::conflict ? 409 : 400);
               }
               return redirect("/episodes/" + started->episode.id);
             }));
}

}  // namespace samflyt::web
