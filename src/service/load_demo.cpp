// The demo health community. Everything here is invented: the hospital
// trust, its units, the people, the organisation numbers and HER-ids (with
// valid check digits) and the children, whose national ids are synthetic
// test numbers (month + 80), so they can never be a real person's.
// The 17 municipalities are Telemark's, by their real names.
#include <array>
#include <cctype>

#include "service/use_cases.hpp"

namespace samflyt::service {

namespace {

constexpr std::array<const char*, 17> kMunicipalities{
    "Bamble",        "Drangedal", "Fyresdal", "Hjartdal", "Kragerø",   "Kviteseid",
    "Midt-Telemark", "Nissedal",  "Nome",     "Notodden", "Porsgrunn", "Seljord",
    "Siljan",        "Skien",     "Tinn",     "Tokke",    "Vinje"};

// Organisation numbers with a valid check digit, counted up from a base in
// the 9xx range that Brønnøysund does not use for the demo's kind of body.
class OrgNumbers {
 public:
  std::string next() {
    while (true) {
      auto n = core::complete_org_number(std::to_string(next_++));
      if (n) return *n;
    }
  }

 private:
  long next_ = 99900100;
};

struct DemoChild {
  const char* name;
  const char* national_id_prefix;  // DDMMYYIII with month + 80 (synthetic)
  const char* municipality;
  int started_days_ago;
  int steps_done;  // how far along the pathway the child is
};

// Three children at different stages: one near discharge, one whose first
// planning meeting is overdue, one just started.
constexpr std::array<DemoChild, 3> kChildren{{
    {"Ida Fjellheim", "128816512", "Skien", 48, 14},
    {"Jonas Lauvstad", "038919541", "Porsgrunn", 20, 4},
    {"Sofie Brattvoll", "279122507", "Notodden", 2, 1},
}};

struct DemoStaff {
  const char* name;
  const char* org;  // "unit", "home-hospital", "assessment-team" or a municipality name
  const char* role;
};

constexpr std::array<DemoStaff, 24> kStaff{{
    {"Kari Sørbø", "unit", "sykepleier"},
    {"Henrik Aasland", "unit", "sykepleier"},
    {"Marte Kvisle", "unit", "lege"},
    {"Ole Tveitan", "unit", "lege"},
    {"Guro Nesheim", "unit", "fysioterapeut"},
    {"Vidar Strand", "unit", "leder"},
    {"Lise Bergsland", "home-hospital", "hjemmesykehus"},
    {"Trond Hegna", "home-hospital", "hjemmesykehus"},
    {"Anders Holtan", "Skien", "saksbehandler"},
    {"Ragnhild Tufte", "Skien", "barnekoordinator"},
    {"Eirik Moen", "Skien", "koordinator"},
    {"Ingrid Kaasa", "Skien", "helsesykepleier"},
    {"Bjørn Lunde", "Skien", "leder"},
    {"Silje Nyhus", "Porsgrunn", "saksbehandler"},
    {"Tone Heggland", "Porsgrunn", "barnekoordinator"},
    {"Knut Årdal", "Porsgrunn", "hjemmesykepleie"},
    {"Per Ekornrød", "Notodden", "saksbehandler"},
    {"Hanne Vråli", "Notodden", "barnekoordinator"},
    {"Åse Tinnholt", "Notodden", "fastlege"},
    {"Jorunn Lia", "Bamble", "saksbehandler"},
    {"Stian Gravdal", "Kragerø", "saksbehandler"},
    {"Mona Bakken", "assessment-team", "kartleggingsteam"},
    {"Leif Rønningen", "assessment-team", "kartleggingsteam"},
    {"Eva Skogli", "Skien", "hjemmesykepleie"},
}};

// "Kari Sørbø" -> "kari.sorbo@demo.invalid" (a domain that cannot exist).
std::string demo_email(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == ' ') {
      out += '.';
    } else if (c < 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else if (i + 1 < name.size()) {  // the Norwegian letters, two bytes in UTF-8
      std::string_view letter = name.substr(i, 2);
      out += letter == "ø" || letter == "Ø" ? "o" : letter == "æ" || letter == "Æ" ? "ae" : "a";
      ++i;
    }
  }
  return out + "@demo.invalid";
}

// The first valid number at or after a DDMMYYIII prefix (individual number
// counted up until both check digits exist).
std::string synthetic_id(const std::string& prefix) {
  for (int individual = std::stoi(prefix.substr(6));; ++individual) {
    auto full = core::complete_national_id(prefix.substr(0, 6) + std::to_string(individual));
    if (full) return *full;
  }
}

constexpr const char* kPathway = "sthf-child-one-to-one";

// "kari.sorbo@demo.invalid" -> "kari.sorbo"
std::string demo_username(const std::string& email) {
  return email.substr(0, email.find('@'));
}

}  // namespace

Result<bool> load_demo(Context& ctx) {
  Instant now = ctx.clock.now();
  // One hash for every demo account: they share the demo password.
  SAMFLYT_TRY(std::string password_hash, ctx.secrets.hash_password(kDemoPassword));
  auto add_user = [&](Transaction& tx, std::string username, std::string name,
                      core::AccountKind kind, std::string staff_id,
                      std::string hpr_number = "") -> Result<std::string> {
    User u;
    u.id = ctx.ids.new_id();
    u.username = std::move(username);
    u.display_name = std::move(name);
    u.kind = kind;
    u.staff_id = std::move(staff_id);
    u.hpr_number = std::move(hpr_number);
    u.password_hash = password_hash;
    u.created_at = now;
    SAMFLYT_CHECK(tx.accounts().insert(u));
    return u.id;
  };
  return in_transaction(ctx.db, TxMode::write, [&](Transaction& tx) -> Result<bool> {
    SAMFLYT_TRY(auto existing, tx.organisations().list());
    if (!existing.empty()) return false;
    SAMFLYT_TRY(TemplatePtr pathway, ctx.templates.current(tx, kPathway));

    OrgNumbers org_numbers;
    std::int64_t her = 8'100'100;
    auto add_org = [&](std::string name, core::OrgKind kind,
                       std::string parent) -> Result<std::string> {
      core::Organisation o{ctx.ids.new_id(),   std::move(name), kind,
                           org_numbers.next(), her++,           std::move(parent)};
      SAMFLYT_CHECK(tx.organisations().insert(o));
      return o.id;
    };

    SAMFLYT_TRY(std::string trust,
                add_org("Sykehuset Grenland HF (demo)", core::OrgKind::hospital_trust, ""));
    SAMFLYT_TRY(std::string unit, add_org("Barne- og ungdomsklinikken, barneavdelingen",
                                          core::OrgKind::hospital_unit, trust));
    SAMFLYT_TRY(std::string home_hospital,
                add_org("Hjemmesykehus for barn og unge", core::OrgKind::hospital_unit, trust));
    std::map<std::string, std::string> municipality;
    for (const char* name : kMunicipalities) {
      SAMFLYT_TRY(municipality[name],
                  add_org(std::string(name) + " kommune", core::OrgKind::municipality, ""));
    }
    for (const char* name : {"Skien", "Porsgrunn", "Notodden"}) {
      SAMFLYT_CHECK(add_org(std::string(name) + " kommune, tildelingskontoret",
                            core::OrgKind::municipal_service, municipality[name]));
      SAMFLYT_CHECK(add_org(std::string(name) + " kommune, hjemmesykepleien",
                            core::OrgKind::municipal_service, municipality[name]));
    }
    SAMFLYT_TRY(std::string assessment_team,
                add_org("Interkommunalt kartleggingsteam Grenland",
                        core::OrgKind::intermunicipal_team, municipality["Skien"]));

    int phone = 35'00'00'00;
    int hpr = 9'900'100;  // invented HPR numbers: health personnel sign the messages they send
    std::map<std::string, std::string> staff_by_role;  // "<org id>/<role>" -> first staff id
    for (const auto& s : kStaff) {
      std::string where = s.org;
      std::string org = where == "unit"              ? unit
                        : where == "home-hospital"   ? home_hospital
                        : where == "assessment-team" ? assessment_team
                                                     : municipality[where];
      core::Staff st{ctx.ids.new_id(),       s.name, org, s.role, demo_email(s.name),
                     std::to_string(phone++)};
      SAMFLYT_CHECK(tx.staff().insert(st));
      staff_by_role.emplace(org + "/" + s.role, st.id);
      // Every demo person can log in, with their role in their organisation.
      SAMFLYT_TRY(auto user_id,
                  add_user(tx, demo_username(st.email), st.name, core::AccountKind::staff, st.id,
                           core::is_clinical_role(st.role) ? std::to_string(hpr++) : ""));
      SAMFLYT_CHECK(tx.accounts().grant(user_id, st.role, org, now));
    }
    SAMFLYT_TRY(auto admin_id,
                add_user(tx, "admin", "Demo-administrator", core::AccountKind::staff, ""));
    SAMFLYT_CHECK(tx.accounts().grant(admin_id, "admin", trust, now));

    for (const auto& c : kChildren) {
      SAMFLYT_TRY(core::PersonId pid,
                  core::parse_national_id(synthetic_id(c.national_id_prefix), {true}));
      core::Patient p{ctx.ids.new_id(), pid.digits, c.name, municipality[c.municipality],
                      pid.birth_date,   1,          now};
      SAMFLYT_CHECK(tx.patients().insert(p));
      // A guardian of each child: "forelder.ida" for Ida.
      std::string first_name(c.name, std::string_view(c.name).find(' '));
      std::string lower;
      for (char ch : first_name)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      SAMFLYT_TRY(auto parent_id, add_user(tx, "forelder." + lower, "Forelder til " + first_name,
                                           core::AccountKind::family, ""));
      SAMFLYT_CHECK(tx.accounts().link_family(p.id, parent_id, core::FamilyRelation::guardian));

      core::Episode e;
      e.id = ctx.ids.new_id();
      e.patient_id = p.id;
      e.pathway_id = pathway->id;
      e.pathway_version = pathway->version;
      e.hospital_unit_id = unit;
      e.municipality_id = p.municipality_id;
      e.started_at = now - std::chrono::days(c.started_days_ago);
      e.created_at = e.started_at;
      e.updated_at = now;
      auto tasks = core::plan_tasks(*pathway, e, e.started_at, [&] { return ctx.ids.new_id(); });
      // Complete the first ready steps in template order, a day apart.
      Instant when = e.started_at;
      for (int done = 0; done < c.steps_done;) {
        bool progressed = false;
        for (std::size_t i = 0; i < tasks.size() && done < c.steps_done; ++i) {
          if (core::is_finished(tasks[i].state) || !tasks[i].ready) continue;
          when = std::min(now, when + std::chrono::hours(20));
          SAMFLYT_CHECK(core::change_task(*pathway, e, tasks, i,
                                          core::TaskChange::to(core::TaskState::done), when));
          ++done;
          progressed = true;
        }
        if (!progressed) break;
      }
      // Ready tasks are assigned to someone with the step's role, where the
      // owning organisation has one.
      for (auto& t : tasks) {
        const core::Step* step = pathway->find_step(t.step_id);
        auto who = staff_by_role.find(t.organisation_id + "/" + (step ? step->role : ""));
        if (t.ready && !core::is_finished(t.state) && who != staff_by_role.end())
          t.assignee_id = who->second;
      }
      e.status = core::status_for(tasks);
      SAMFLYT_CHECK(tx.episodes().insert(e));
      for (const auto& t : tasks) SAMFLYT_CHECK(tx.tasks().insert(t));
      // Where the consent step is done, the guardian consented to sending
      // documentation to the child's municipality.
      for (const auto& t : tasks)
        if (t.step_id == "obtain-consent" && t.state == core::TaskState::done) {
          core::Consent consent;
          consent.id = ctx.ids.new_id();
          consent.episode_id = e.id;
          consent.given_by = core::ConsentGiver::guardian;
          consent.given_by_name = "Forelder til " + first_name;
          consent.purpose = core::ConsentPurpose::send_documentation;
          consent.targets = {e.municipality_id};
          consent.valid_from = consent.recorded_at = t.finished_at.value_or(e.started_at);
          consent.recorded_by = admin_id;
          SAMFLYT_CHECK(tx.access().insert_consent(consent));
        }
    }
    return true;
  });
}

}  // namespace samflyt::service
