// Unit tests for core/access (who may read or change an episode) and
// core/consent (is this allowed now?).
#include "core/access.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/consent.hpp"

namespace samflyt::core {
namespace {

using namespace std::chrono_literals;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Instant at(std::string_view rfc3339) {
  auto t = parse_instant(rfc3339);
  if (!t) throw std::invalid_argument("bad instant in test: " + std::string(rfc3339));
  return *t;
}

const Instant kNow = at("2026-11-23T10:00:00Z");

// Organisations: trust > {children, adults}; Skien > home-nursing; Bamble.
RoleGrant grant(std::string role, std::string org) {
  std::vector<std::string> path{org};
  if (org == "children" || org == "adults") path.push_back("trust");
  if (org == "home-nursing") path.push_back("skien");
  return {std::move(role), std::move(org), std::move(path)};
}

Principal staff(std::string id, std::vector<RoleGrant> grants) {
  return {std::move(id), "", "Test Person", AccountKind::staff, std::move(grants)};
}

Principal family(std::string id) {
  return {std::move(id), "", "Forelder", AccountKind::family, {}};
}

EpisodeAccessFacts facts() {
  EpisodeAccessFacts f;
  f.episode_id = "ep1";
  f.patient_id = "p1";
  f.hospital_unit_id = "children";
  f.municipality_id = "skien";
  f.patient_birth_date = year{2019} / month{3} / day{15};  // 7 years old at kNow
  f.family = {{"mum", FamilyRelation::guardian}, {"child", FamilyRelation::self}};
  return f;
}

TEST(Access, RoleInTheResponsibleUnitGivesTheUnitBasis) {
  auto d = decide_episode_access(staff("u1", {grant("sykepleier", "children")}), facts(),
                                 Action::write, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.basis, Basis::hospital_unit);
  EXPECT_EQ(d.role, "sykepleier");
  EXPECT_EQ(d.organisation_id, "children");
}

TEST(Access, RoleBelowThePatientsMunicipalityGivesTheMunicipalityBasis) {
  auto d = decide_episode_access(staff("u1", {grant("hjemmesykepleie", "home-nursing")}), facts(),
                                 Action::read, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.basis, Basis::municipality);
  EXPECT_EQ(d.organisation_id, "home-nursing");
}

TEST(Access, OtherMunicipalityOtherUnitOrTheTrustAloneGiveNoBasis) {
  for (const auto& g :
       {grant("saksbehandler", "bamble"), grant("sykepleier", "adults"), grant("lege", "trust")}) {
    auto d = decide_episode_access(staff("u1", {g}), facts(), Action::read, kNow);
    EXPECT_FALSE(d.allowed) << g.organisation_id;
    ASSERT_TRUE(d.refusal);
    EXPECT_EQ(d.refusal->code, ErrorCode::forbidden);
    EXPECT_FALSE(d.refusal->message_nb.empty());
  }
}

TEST(Access, AdminAndLeaderRolesGiveNoBasisForPatientData) {
  for (const char* role : {"admin", "leder"}) {
    auto d =
        decide_episode_access(staff("u1", {grant(role, "children")}), facts(), Action::read, kNow);
    EXPECT_FALSE(d.allowed) << role;
  }
}

TEST(Access, CareTeamMembershipGivesABasisFromAnywhere) {
  auto f = facts();
  f.care_team_user_ids = {"gp"};
  auto d =
      decide_episode_access(staff("gp", {grant("fastlege", "bamble")}), f, Action::write, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.basis, Basis::care_team);
}

TEST(Access, SelfAuthorisationHoldsOnlyWhileInForce) {
  auto f = facts();
  f.self_authorisations = {
      {"s1", "u1", "ep1", "Akutt innleggelse", false, kNow - 1h, kNow + 1h, "", std::nullopt, {}}};
  auto who = staff("u1", {grant("lege", "adults")});
  auto d = decide_episode_access(who, f, Action::read, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.basis, Basis::self_authorisation);
  EXPECT_FALSE(d.emergency);
  EXPECT_FALSE(decide_episode_access(who, f, Action::read, kNow + 1h).allowed);  // expired
  EXPECT_FALSE(decide_episode_access(who, f, Action::read, kNow - 2h).allowed);  // not yet
  f.self_authorisations[0].episode_id = "other";
  EXPECT_FALSE(decide_episode_access(who, f, Action::read, kNow).allowed);
  f.self_authorisations[0].episode_id = "ep1";
  f.self_authorisations[0].user_id = "someone-else";
  EXPECT_FALSE(decide_episode_access(who, f, Action::read, kNow).allowed);
}

TEST(Access, ABlockOverridesEveryBasis) {
  auto f = facts();
  f.care_team_user_ids = {"u1"};
  f.blocks = {{"b1", "u1", "", "Nabo", kNow - 24h}};
  auto d =
      decide_episode_access(staff("u1", {grant("sykepleier", "children")}), f, Action::read, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.refusal->message.find("sperring"), std::string::npos);
  // A colleague is not covered by a block against one person.
  EXPECT_TRUE(
      decide_episode_access(staff("u2", {grant("sykepleier", "children")}), f, Action::read, kNow)
          .allowed);
}

TEST(Access, ABlockOnAnOrganisationCoversEveryoneBelowIt) {
  auto f = facts();
  f.blocks = {{"b1", "", "skien", "", kNow}};
  EXPECT_FALSE(decide_episode_access(staff("u1", {grant("hjemmesykepleie", "home-nursing")}), f,
                                     Action::read, kNow)
                   .allowed);
  EXPECT_TRUE(
      decide_episode_access(staff("u2", {grant("sykepleier", "children")}), f, Action::read, kNow)
          .allowed);
}

TEST(Access, OnlyAnEmergencySelfAuthorisationPassesABlockAndItIsFlagged) {
  auto f = facts();
  f.blocks = {{"b1", "u1", "", "", kNow}};
  f.self_authorisations = {
      {"s1", "u1", "ep1", "Vanlig", false, kNow - 1h, kNow + 1h, "", std::nullopt, {}}};
  auto who = staff("u1", {grant("lege", "children")});
  EXPECT_FALSE(decide_episode_access(who, f, Action::read, kNow).allowed);
  f.self_authorisations.push_back(
      {"s2", "u1", "ep1", "Livstruende", true, kNow - 1h, kNow + 1h, "", std::nullopt, {}});
  auto d = decide_episode_access(who, f, Action::read, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.emergency);
  EXPECT_EQ(d.basis, Basis::self_authorisation);
}

TEST(Access, GuardiansOfChildrenUnder12SeeTheFamilyView) {
  auto d = decide_episode_access(family("mum"), facts(), Action::read, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.basis, Basis::guardian);
  EXPECT_EQ(d.family_view, FamilyView::full);
  EXPECT_FALSE(decide_episode_access(family("mum"), facts(), Action::write, kNow).allowed);
}

TEST(Access, GuardianAccessIsRestrictedFrom12AndEndsAt16) {
  auto f = facts();
  f.patient_birth_date = year{2014} / month{11} / day{23};  // 12 today
  EXPECT_EQ(decide_episode_access(family("mum"), f, Action::read, kNow).family_view,
            FamilyView::restricted);
  f.patient_birth_date = year{2014} / month{11} / day{24};  // 12 tomorrow
  EXPECT_EQ(decide_episode_access(family("mum"), f, Action::read, kNow).family_view,
            FamilyView::full);
  f.patient_birth_date = year{2010} / month{11} / day{24};  // 16 tomorrow
  EXPECT_TRUE(decide_episode_access(family("mum"), f, Action::read, kNow).allowed);
  EXPECT_FALSE(decide_episode_access(family("child"), f, Action::read, kNow).allowed);
  f.patient_birth_date = year{2010} / month{11} / day{23};  // 16 today
  EXPECT_FALSE(decide_episode_access(family("mum"), f, Action::read, kNow).allowed);
  auto self = decide_episode_access(family("child"), f, Action::read, kNow);
  EXPECT_TRUE(self.allowed);
  EXPECT_EQ(self.basis, Basis::patient);
}

TEST(Access, FamilyOfAnotherPatientAndUnknownAgeAreRefused) {
  EXPECT_FALSE(decide_episode_access(family("stranger"), facts(), Action::read, kNow).allowed);
  auto f = facts();
  f.patient_birth_date.reset();
  EXPECT_FALSE(decide_episode_access(family("mum"), f, Action::read, kNow).allowed);
}

TEST(Access, SystemAccountsHaveNoPatientAccess) {
  Principal sys{"s", "", "Integrasjon", AccountKind::system, {grant("sykepleier", "children")}};
  EXPECT_FALSE(decide_episode_access(sys, facts(), Action::read, kNow).allowed);
}

TEST(Access, AgeCountsOsloCalendarDays) {
  Date birth = year{2010} / month{11} / day{23};
  EXPECT_EQ(age_on(birth, at("2026-11-22T22:59:59Z")), 15);  // 23:59 in Oslo
  EXPECT_EQ(age_on(birth, at("2026-11-22T23:00:00Z")), 16);  // midnight in Oslo
}

TEST(Access, RestrictedViewShowsFamilyTasksAndMeetingsWithoutNotes) {
  EXPECT_TRUE(family_sees_task(FamilyView::restricted, "family", StepKind::task));
  EXPECT_TRUE(family_sees_task(FamilyView::restricted, "hospital", StepKind::meeting));
  EXPECT_FALSE(family_sees_task(FamilyView::restricted, "hospital", StepKind::task));
  EXPECT_TRUE(family_sees_task(FamilyView::full, "hospital", StepKind::task));
  EXPECT_FALSE(family_sees_task(FamilyView::none, "family", StepKind::task));
  Task t;
  t.note = "Intern merknad";
  t.assignee_id = "staff1";
  auto seen = as_family_sees(t);
  EXPECT_TRUE(seen.note.empty());
  EXPECT_TRUE(seen.assignee_id.empty());
}

TEST(Access, BasisOrganisationsAreThePathsOfClinicalGrants) {
  auto who = staff("u1", {grant("sykepleier", "children"), grant("admin", "bamble")});
  auto orgs = basis_organisations(who);
  EXPECT_EQ(orgs, (std::vector<std::string>{"children", "trust"}));
}

Consent consent() {
  Consent c;
  c.id = "c1";
  c.episode_id = "ep1";
  c.given_by_name = "Mor";
  c.purpose = ConsentPurpose::send_documentation;
  c.targets = {"skien"};
  c.valid_from = kNow - 24h;
  return c;
}

TEST(Consent, AllowsItsPurposeAndTargetsWhileInForce) {
  std::vector<Consent> cs{consent()};
  EXPECT_EQ(consent_allowing(cs, ConsentPurpose::send_documentation, "skien", kNow), &cs[0]);
  EXPECT_FALSE(consent_allowing(cs, ConsentPurpose::send_documentation, "bamble", kNow));
  EXPECT_FALSE(consent_allowing(cs, ConsentPurpose::share_with_role, "skien", kNow));
  EXPECT_FALSE(consent_allowing(cs, ConsentPurpose::send_documentation, "skien", kNow - 48h));
  cs[0].valid_to = kNow;
  EXPECT_FALSE(consent_allowing(cs, ConsentPurpose::send_documentation, "skien", kNow));
  cs[0].valid_to.reset();
  cs[0].withdrawn_at = kNow - 1h;
  EXPECT_FALSE(consent_allowing(cs, ConsentPurpose::send_documentation, "skien", kNow));
  EXPECT_TRUE(consent_allowing(cs, ConsentPurpose::send_documentation, "skien", kNow - 2h));
}

TEST(Consent, ChecksNameTargetsRolesAndPeriod) {
  EXPECT_TRUE(check_consent(consent()));
  auto c = consent();
  c.given_by_name.clear();
  EXPECT_EQ(check_consent(c).error().field, "given_by_name");
  c = consent();
  c.targets.clear();
  EXPECT_EQ(check_consent(c).error().field, "targets");
  c = consent();
  c.purpose = ConsentPurpose::share_with_role;
  c.targets = {"trollmann"};
  EXPECT_EQ(check_consent(c).error().field, "targets");
  c.targets = {"fastlege"};
  EXPECT_TRUE(check_consent(c));
  c.valid_to = c.valid_from;
  EXPECT_EQ(check_consent(c).error().field, "valid_to");
}

}  // namespace
}  // namespace samflyt::core
