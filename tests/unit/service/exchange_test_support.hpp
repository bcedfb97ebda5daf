// One Samflyt instance for the message exchange tests: a database file
// and its audit log, a clock the test sets, the organisations of a
// hospital or a municipality with their HER-ids, a patient with one
// episode, and a nurse with a clinical role where the episode is run.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/episode.hpp"
#include "msg/codec.hpp"
#include "service/audit_writer.hpp"
#include "service/context.hpp"
#include "service/messages.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"

namespace samflyt::service::testing {

namespace fs = std::filesystem;

class TestClock final : public Clock {
 public:
  Instant now() override { return t; }
  Instant t{};
};

// Context needs Secrets; the message use cases never call them.
class UnusedSecrets final : public Secrets {
 public:
  std::string new_secret() override { throw std::logic_error("secrets are not used here"); }
  std::string digest(std::string_view) override {
    throw std::logic_error("secrets are not used here");
  }
  Result<std::string> hash_password(std::string_view) override {
    throw std::logic_error("secrets are not used here");
  }
  bool verify_password(const std::string&, std::string_view) override {
    throw std::logic_error("secrets are not used here");
  }
};

template <typename T>
T must(Result<T> r) {
  if (!r) throw std::runtime_error("unexpected error: " + r.error().message);
  return std::move(r).value();
}
inline void must(const Result<void>& r) {
  if (!r) throw std::runtime_error("unexpected error: " + r.error().message);
}

// A small pathway with the events messages record and a step that sends
// the varsel.
inline constexpr const char* kTinyPathway = R"(id: tiny
title: {nb: Lite forløp, en: Tiny pathway}
lanes:
  - {id: hospital, title: {nb: Sykehus, en: Hospital}}
  - {id: municipality, title: {nb: Kommune, en: Municipality}}
phases:
  - {id: plan, title: {nb: Planlegge, en: Plan}}
events:
  - {id: admitted, title: {nb: Innlagt, en: Admitted}}
  - {id: discharge_ready, title: {nb: Utskrivningsklar, en: Discharge-ready}}
  - {id: discharged, title: {nb: Utskrevet, en: Discharged}}
steps:
  - id: send-plo
    lane: hospital
    phase: plan
    kind: message
    message: admission_notice
    role: sykepleier
    title: {nb: Sende PLO, en: Send PLO}
  - id: receive-patient
    lane: municipality
    phase: plan
    kind: task
    role: saksbehandler
    title: {nb: Ta imot pasienten, en: Receive the patient}
    deadline: {days: 1, after: "event:discharge_ready"}
)";

// A synthetic test national id (month + 80), the one the msg fixtures use.
inline constexpr const char* kPatientNationalId = "01827512393";

enum class Side { hospital, municipality };

struct Site {
  // Opens (or re-opens) the instance whose database is `path`.
  Site(const fs::path& path, Side side_)
      : side(side_),
        db(path.string()),
        audit_db(store::audit_path_for(path.string()), 2, store::Schema::audit),
        audit(audit_db),
        ctx{db, clock, ids, templates, core::IdentityPolicy{true}, secrets, audit} {
    ctx.messaging.allow_test_identities = true;
    clock.t = *core::parse_instant("2026-03-27T09:00:00Z");
  }

  // The organisations (HER-ids only for our own, unless `both_her_ids`),
  // the patient, the template row, the episode and its tasks. Only once
  // per database.
  void seed(bool both_her_ids = false) {
    unit.id = ids.new_id();
    unit.name = "Medisinsk sengepost 3";
    unit.kind = core::OrgKind::hospital_unit;
    municipality.id = ids.new_id();
    municipality.name = "Fjellbygd kommune";
    municipality.kind = core::OrgKind::municipality;
    core::Organisation own_parent;
    own_parent.id = ids.new_id();
    if (side == Side::hospital) {
      unit.her_id = 8100042;
      own_parent.name = "Telemark Testsykehus HF";
      own_parent.kind = core::OrgKind::hospital_trust;
      own_parent.her_id = 8100001;
    } else {
      municipality.her_id = 8200001;
      own_parent.name = "Tildelingskontoret";
      own_parent.kind = core::OrgKind::municipal_service;
      own_parent.her_id = 8200017;
      own_parent.parent_id = municipality.id;
    }
    if (both_her_ids) {
      unit.her_id = 8100042;
      municipality.her_id = 8200001;
    }
    core::Patient p;
    p.id = ids.new_id();
    p.national_id = kPatientNationalId;
    p.name = "Testine Fjellstad";
    p.municipality_id = municipality.id;
    p.created_at = clock.t;
    patient_id = p.id;
    auto pathway = core::parse_pathway(kTinyPathway, "tiny.yaml");
    if (!pathway) throw std::runtime_error(pathway.error().message);
    core::Episode e;
    e.id = ids.new_id();
    e.patient_id = p.id;
    e.pathway_id = "tiny";
    e.pathway_version = pathway->version;
    e.hospital_unit_id = unit.id;
    e.municipality_id = municipality.id;
    e.started_at = e.created_at = e.updated_at = clock.t;
    episode_id = e.id;
    auto tx = must(db.begin(TxMode::write));
    must(tx->organisations().insert(unit));
    must(tx->organisations().insert(municipality));
    must(tx->organisations().insert(own_parent));
    must(tx->patients().insert(p));
    must(tx->templates().put_current(
        StoredTemplate{"tiny", pathway->version, kTinyPathway, "tiny.yaml", clock.t}));
    must(tx->episodes().insert(e));
    for (const auto& t : core::plan_tasks(*pathway, e, clock.t, [&] { return ids.new_id(); }))
      must(tx->tasks().insert(t));
    must(tx->commit());
  }

  // A nurse with a clinical role where this side runs the episode.
  Caller nurse() const {
    const auto& org = side == Side::hospital ? unit : municipality;
    return Caller{core::Principal{"nurse-" + org.id,
                                  "",
                                  "Sigrid Testpleier",
                                  core::AccountKind::staff,
                                  {core::RoleGrant{"sykepleier", org.id, {org.id}}}},
                  "test-request"};
  }

  StoredMessage stored(MessageDirection d, const std::string& msg_id) {
    auto tx = must(db.begin(TxMode::read));
    auto m = must(tx->messages().find(d, msg_id));
    if (!m) throw std::runtime_error("no stored message " + msg_id);
    return *m;
  }

  std::vector<StoredMessage> with_status(MessageDirection d, MessageStatus s) {
    auto tx = must(db.begin(TxMode::read));
    return must(tx->messages().with_status(d, s, 1000));
  }

  Side side;
  store::SqliteDatabase db;
  store::SqliteDatabase audit_db;
  AuditWriter audit;
  TestClock clock;
  store::RandomIds ids;
  TemplateCatalog templates;
  UnusedSecrets secrets;
  Context ctx;
  core::Organisation unit;
  core::Organisation municipality;
  std::string patient_id;
  std::string episode_id;
};

// A fresh temporary folder, removed by the destructor.
struct TempDir {
  TempDir() {
    path = fs::temp_directory_path() / ("samflyt-exchange-" + store::RandomIds().new_id());
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path path;
};

}  // namespace samflyt::service::testing
