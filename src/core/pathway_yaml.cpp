// Parsing and validation of pathway template text (see pathway.hpp for the
// format). Every error names the file, the line and the problem.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "core/pathway.hpp"
#include "core/roles.hpp"

namespace samflyt::core {
namespace {

// Thrown inside the parser only; turned into an Error at the boundary.
struct TemplateError {
  int line;
  std::string en;
  std::string nb;
};

int line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

[[noreturn]] void fail(const YAML::Node& n, std::string en, std::string nb) {
  throw TemplateError{line_of(n), std::move(en), std::move(nb)};
}

void require_map(const YAML::Node& n, std::string_view what) {
  if (!n.IsMap())
    fail(n, std::string(what) + " must be a mapping", std::string(what) + " må være en mapping");
}

// Refuses keys outside `allowed`, so that a misspelt key is not ignored,
// and a key given twice (YAML keeps both, and only the first would be read).
void check_keys(const YAML::Node& n, std::initializer_list<std::string_view> allowed,
                std::string_view where) {
  std::set<std::string> seen;
  for (const auto& kv : n) {
    auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      fail(kv.first, "unknown key '" + key + "' in " + std::string(where),
           "ukjent nøkkel '" + key + "' i " + std::string(where));
    if (!seen.insert(key).second)
      fail(kv.first, "key '" + key + "' given twice in " + std::string(where),
           "nøkkelen '" + key + "' står to ganger i " + std::string(where));
  }
}

const YAML::Node required(const YAML::Node& n, const char* key, std::string_view where) {
  YAML::Node v = n[key];
  if (!v)
    fail(n, std::string("missing '") + key + "' in " + std::string(where),
         std::string("mangler '") + key + "' i " + std::string(where));
  return v;
}

std::string scalar(const YAML::Node& n, std::string_view what) {
  if (!n.IsScalar() || n.as<std::string>().empty())
    fail(n, std::string(what) + " must be a non-empty text",
         std::string(what) + " må være en tekst som ikke er tom");
  return n.as<std::string>();
}

std::string identifier(const YAML::Node& n, std::string_view what) {
  std::string s = scalar(n, what);
  bool ok = std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  if (!ok)
    fail(n, std::string(what) + " '" + s + "' may only contain a-z, 0-9, '-' and '_'",
         std::string(what) + " '" + s + "' kan bare inneholde a-z, 0-9, '-' og '_'");
  return s;
}

Text text(const YAML::Node& n, std::string_view what) {
  if (!n.IsMap())
    fail(n, std::string(what) + " must have 'nb' and 'en' texts",
         std::string(what) + " må ha tekstene 'nb' og 'en'");
  check_keys(n, {"nb", "en"}, what);
  return Text{scalar(required(n, "nb", what), what), scalar(required(n, "en", what), what)};
}

std::vector<std::string> id_list(const YAML::Node& n, std::string_view what) {
  std::vector<std::string> out;
  if (!n) return out;
  if (!n.IsSequence())
    fail(n, std::string(what) + " must be a list", std::string(what) + " må være en liste");
  for (const auto& item : n) out.push_back(identifier(item, what));
  return out;
}

template <typename T, typename F>
std::vector<T> parse_list(const YAML::Node& n, std::string_view what, F parse_item) {
  std::vector<T> out;
  if (!n.IsSequence())
    fail(n, std::string(what) + " must be a list", std::string(what) + " må være en liste");
  std::set<std::string> seen;
  for (const auto& item : n) {
    require_map(item, what);
    T t = parse_item(item);
    if (!seen.insert(t.id).second)
      fail(item, "duplicate " + std::string(what) + " id '" + t.id + "'",
           "dobbel id '" + t.id + "' i " + std::string(what));
    out.push_back(std::move(t));
  }
  return out;
}

int parse_days(const YAML::Node& n) {
  std::string s = n.IsScalar() ? n.as<std::string>() : std::string();
  int v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || v < 0 || v > 365)
    fail(n, "deadline days must be a whole number from 0 to 365",
         "fristens dager må være et helt tall fra 0 til 365");
  return v;
}

DeadlineRule parse_deadline(const YAML::Node& n) {
  require_map(n, "deadline");
  check_keys(n, {"days", "unit", "after"}, "deadline");
  DeadlineRule rule;
  rule.days = parse_days(required(n, "days", "deadline"));
  if (n["unit"]) {
    std::string unit = scalar(n["unit"], "deadline unit");
    if (unit == "calendar_days")
      rule.unit = DayUnit::calendar_days;
    else if (unit == "working_days")
      rule.unit = DayUnit::working_days;
    else
      fail(n["unit"], "deadline unit must be calendar_days or working_days, not '" + unit + "'",
           "fristens enhet må være calendar_days eller working_days, ikke '" + unit + "'");
  }
  std::string after = scalar(required(n, "after", "deadline"), "deadline after");
  if (after == "start") {
    rule.anchor = DeadlineRule::Anchor::start;
  } else if (after.rfind("event:", 0) == 0 && after.size() > 6) {
    rule.anchor = DeadlineRule::Anchor::event;
    rule.anchor_id = after.substr(6);
  } else if (after.rfind("step:", 0) == 0 && after.size() > 5) {
    rule.anchor = DeadlineRule::Anchor::step;
    rule.anchor_id = after.substr(5);
  } else {
    fail(n["after"], "deadline 'after' must be start, event:<id> or step:<id>, not '" + after + "'",
         "fristens 'after' må være start, event:<id> eller step:<id>, ikke '" + after + "'");
  }
  return rule;
}

StepKind parse_kind(const YAML::Node& n) {
  std::string k = scalar(n, "kind");
  if (k == "task") return StepKind::task;
  if (k == "meeting") return StepKind::meeting;
  if (k == "message") return StepKind::message;
  if (k == "form") return StepKind::form;
  fail(n, "step kind must be task, meeting, message or form, not '" + k + "'",
       "stegtype må være task, meeting, message eller form, ikke '" + k + "'");
}

Checklist parse_checklist(const YAML::Node& n) {
  check_keys(n, {"id", "title", "items"}, "checklist");
  Checklist c;
  c.id = identifier(required(n, "id", "checklist"), "checklist id");
  c.title = text(required(n, "title", "checklist"), "checklist title");
  const YAML::Node items = required(n, "items", "checklist");
  if (!items.IsSequence() || items.size() == 0)
    fail(items, "checklist items must be a non-empty list",
         "sjekklistepunktene må være en liste som ikke er tom");
  for (const auto& item : items) c.items.push_back(text(item, "checklist item"));
  return c;
}

Step parse_step(const YAML::Node& n) {
  check_keys(n,
             {"id", "lane", "also_lanes", "phase", "kind", "message", "role", "title",
              "description", "depends_on", "deadline", "checklists"},
             "step");
  Step s;
  s.line = line_of(n);
  s.id = identifier(required(n, "id", "step"), "step id");
  s.lane = identifier(required(n, "lane", "step"), "lane");
  s.also_lanes = id_list(n["also_lanes"], "also_lanes");
  s.phase = identifier(required(n, "phase", "step"), "phase");
  s.kind = parse_kind(required(n, "kind", "step"));
  if (n["message"]) {
    std::string m = scalar(n["message"], "message");
    s.message = parse_message_kind(m);
    if (!s.message)
      fail(n["message"],
           "unknown message '" + m +
               "' (admission_notice, health_update, admitted, discharge_ready, "
               "discharge_ready_cancelled, discharged, discharge_report, reception_answer, dialog)",
           "ukjent melding '" + m + "'");
  }
  if ((s.kind == StepKind::message) != s.message.has_value())
    fail(n,
         s.message ? "only a step of kind message has 'message'"
                   : "a step of kind message must say which message it sends ('message')",
         s.message ? "bare et steg av typen message har 'message'"
                   : "et steg av typen message må si hvilken melding det sender ('message')");
  s.role = identifier(required(n, "role", "step"), "role");
  s.title = text(required(n, "title", "step"), "step title");
  if (n["description"]) s.description = text(n["description"], "step description");
  s.depends_on = id_list(n["depends_on"], "depends_on");
  if (n["deadline"]) s.deadline = parse_deadline(n["deadline"]);
  if (n["checklists"])
    s.checklists = parse_list<Checklist>(n["checklists"], "checklist", parse_checklist);
  return s;
}

// Cross-reference checks that need the whole template. `steps_node` gives
// the line of each step for messages.
void check_references(const PathwayTemplate& t, const YAML::Node& steps_node) {
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const Step& s = t.steps[i];
    const YAML::Node n = steps_node[i];
    auto bad = [&](const std::string& en, const std::string& nb) {
      fail(n, "step '" + s.id + "' " + en, "steg '" + s.id + "' " + nb);
    };
    if (!t.find_lane(s.lane))
      bad("has unknown lane '" + s.lane + "'", "har ukjent bane '" + s.lane + "'");
    for (std::size_t k = 0; k < s.also_lanes.size(); ++k)
      if (const auto& l = s.also_lanes[k];
          !t.find_lane(l) || l == s.lane ||
          std::find(s.also_lanes.begin(), s.also_lanes.begin() + k, l) != s.also_lanes.begin() + k)
        bad("has unknown or repeated also_lane '" + l + "'",
            "har ukjent eller gjentatt also_lane '" + l + "'");
    if (!t.find_phase(s.phase))
      bad("has unknown phase '" + s.phase + "'", "har ukjent fase '" + s.phase + "'");
    if (!find_role(s.role))
      bad("has unknown role '" + s.role + "'", "har ukjent rolle '" + s.role + "'");
    std::set<std::string> deps;
    for (const auto& d : s.depends_on) {
      if (!t.find_step(d))
        bad("depends on unknown step '" + d + "'", "avhenger av ukjent steg '" + d + "'");
      if (d == s.id) bad("depends on itself", "avhenger av seg selv");
      if (!deps.insert(d).second)
        bad("lists dependency '" + d + "' twice", "har avhengigheten '" + d + "' to ganger");
    }
    if (s.deadline) {
      const auto& r = *s.deadline;
      if (r.anchor == DeadlineRule::Anchor::event && !t.find_event(r.anchor_id))
        bad("has a deadline after unknown event '" + r.anchor_id + "'",
            "har frist etter ukjent hendelse '" + r.anchor_id + "'");
      if (r.anchor == DeadlineRule::Anchor::step && r.anchor_id == s.id)
        bad("has a deadline after itself", "har frist etter seg selv");
      if (r.anchor == DeadlineRule::Anchor::step && !t.find_step(r.anchor_id))
        bad("has a deadline after unknown step '" + r.anchor_id + "'",
            "har frist etter ukjent steg '" + r.anchor_id + "'");
    }
  }
}

// Depth-first search for a cycle of dependencies and deadline anchors (a
// deadline after a step that waits for this one could never be set);
// reports the cycle's path.
void check_acyclic(const PathwayTemplate& t, const YAML::Node& steps_node) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < t.steps.size(); ++i) index[t.steps[i].id] = i;
  enum Color { white, grey, black };
  std::vector<Color> color(t.steps.size(), white);
  std::vector<std::string> path;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    color[i] = grey;
    path.push_back(t.steps[i].id);
    std::vector<std::string> before = t.steps[i].depends_on;
    if (const auto& r = t.steps[i].deadline; r && r->anchor == DeadlineRule::Anchor::step)
      before.push_back(r->anchor_id);
    for (const auto& d : before) {
      std::size_t j = index.at(d);
      if (color[j] == grey) {
        std::string cycle;
        auto start = std::find(path.begin(), path.end(), d);
        for (auto it = start; it != path.end(); ++it) cycle += *it + " -> ";
        cycle += d;
        fail(steps_node[j], "dependency cycle (depends_on or deadline after): " + cycle,
             "avhengighetene går i ring (depends_on eller frist etter): " + cycle);
      }
      if (color[j] == white) visit(j);
    }
    path.pop_back();
    color[i] = black;
  };
  for (std::size_t i = 0; i < t.steps.size(); ++i)
    if (color[i] == white) visit(i);
}

Lane parse_lane(const YAML::Node& n) {
  check_keys(n, {"id", "title"}, "lane");
  return Lane{identifier(required(n, "id", "lane"), "lane id"),
              text(required(n, "title", "lane"), "lane title")};
}
Phase parse_phase(const YAML::Node& n) {
  check_keys(n, {"id", "title"}, "phase");
  return Phase{identifier(required(n, "id", "phase"), "phase id"),
               text(required(n, "title", "phase"), "phase title")};
}
EventDef parse_event(const YAML::Node& n) {
  check_keys(n, {"id", "title"}, "event");
  return EventDef{identifier(required(n, "id", "event"), "event id"),
                  text(required(n, "title", "event"), "event title")};
}

PathwayTemplate parse_root(const YAML::Node& root) {
  require_map(root, "the template");
  check_keys(root, {"id", "title", "description", "source", "lanes", "phases", "events", "steps"},
             "the template");
  PathwayTemplate t;
  t.id = identifier(required(root, "id", "the template"), "template id");
  t.title = text(required(root, "title", "the template"), "template title");
  if (root["description"]) t.description = text(root["description"], "template description");
  if (root["source"]) t.source = scalar(root["source"], "source");
  const YAML::Node lanes = required(root, "lanes", "the template");
  const YAML::Node phases = required(root, "phases", "the template");
  const YAML::Node steps = required(root, "steps", "the template");
  t.lanes = parse_list<Lane>(lanes, "lane", parse_lane);
  t.phases = parse_list<Phase>(phases, "phase", parse_phase);
  if (root["events"]) t.events = parse_list<EventDef>(root["events"], "event", parse_event);
  t.steps = parse_list<Step>(steps, "step", parse_step);
  for (const auto& [node, empty, what] :
       {std::tuple{lanes, t.lanes.empty(), "lane"}, std::tuple{phases, t.phases.empty(), "phase"},
        std::tuple{steps, t.steps.empty(), "step"}})
    if (empty)
      fail(node, std::string("a template needs at least one ") + what,
           std::string("en mal trenger minst én ") + (std::string(what) == "lane"    ? "bane"
                                                      : std::string(what) == "phase" ? "fase"
                                                                                     : "steg"));
  check_references(t, steps);
  check_acyclic(t, steps);
  return t;
}

}  // namespace

Result<PathwayTemplate> parse_pathway(std::string_view source, std::string_view file_name) {
  auto located = [&](int line, const std::string& msg) {
    return std::string(file_name) + ":" + std::to_string(line) + ": " + msg;
  };
  try {
    auto documents = YAML::LoadAll(std::string(source));
    if (documents.size() > 1)
      throw TemplateError{line_of(documents[1]), "a template file holds one YAML document",
                          "en malfil har ett YAML-dokument"};
    PathwayTemplate t = parse_root(documents.empty() ? YAML::Node() : documents[0]);
    t.version = content_version(source);
    return t;
  } catch (const TemplateError& e) {
    return make_error(ErrorCode::invalid_input, located(e.line, e.en), located(e.line, e.nb));
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    return make_error(ErrorCode::invalid_input, located(line, "YAML syntax error: " + e.msg),
                      located(line, "feil i YAML-syntaksen: " + e.msg));
  }
}

}  // namespace samflyt::core
