// The swimlane chart, laid out on a fixed grid so that it is the same for
// everyone and needs no script: a header column of lane titles, one
// column per phase, and in each lane as many rows as its fullest phase
// has steps. Steps keep their template order inside a cell. Arrows are
// drawn first (under the boxes) from the right edge of a dependency to the
// left edge of the step that waits for it; within one column they go from
// the bottom of the one to the top of the other.
#include <algorithm>
#include <map>
#include <sstream>

#include "web/internal.hpp"

namespace samflyt::web {

namespace {

constexpr int kLaneHeader = 150;  // width of the lane-title column
constexpr int kColumn = 180;      // width of a phase column
constexpr int kBoxWidth = 160;
constexpr int kBoxHeight = 56;
constexpr int kRowGap = 12;
constexpr int kPhaseHeader = 44;

struct Box {
  int x = 0, y = 0;
};

// Shortens a title to fit a box line, at a word boundary (UTF-8 safe).
std::string shorten(const std::string& s, std::size_t max_chars) {
  std::size_t chars = 0, i = 0, last_space = std::string::npos;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (chars == max_chars) {
      std::size_t cut = last_space != std::string::npos && last_space > i / 2 ? last_space : i;
      return s.substr(0, cut) + "…";
    }
    if (s[i] == ' ') last_space = i;
    i += len;
    ++chars;
  }
  return s;
}

}  // namespace

std::string display_state(const core::Task& t, core::Instant now) {
  switch (t.state) {
    case core::TaskState::done:
      return "done";
    case core::TaskState::not_applicable:
      return "not_applicable";
    default:
      break;
  }
  if (core::is_overdue(t, now)) return "overdue";
  if (t.state == core::TaskState::in_progress) return "in_progress";
  return t.ready ? "ready" : "blocked";
}

std::string swimlane_svg(const service::EpisodeView& v, core::Instant now, std::string_view lang) {
  const auto& tpl = *v.pathway;
  bool en = lang == "en";
  std::map<std::string, const core::Task*> task_of_step;
  for (const auto& t : v.tasks) task_of_step[t.step_id] = &t;

  // Steps per (lane, phase) cell, in template order; only steps with a
  // task in this view.
  std::map<std::pair<std::string, std::string>, std::vector<const core::Step*>> cells;
  for (const auto& s : tpl.steps)
    if (task_of_step.count(s.id)) cells[{s.lane, s.phase}].push_back(&s);

  std::vector<const core::Lane*> lanes;
  std::map<std::string, int> lane_rows, lane_y;
  for (const auto& l : tpl.lanes) {
    int rows = 0;
    for (const auto& p : tpl.phases) {
      auto it = cells.find({l.id, p.id});
      if (it != cells.end()) rows = std::max(rows, static_cast<int>(it->second.size()));
    }
    if (rows == 0) continue;
    lanes.push_back(&l);
    lane_rows[l.id] = rows;
  }
  int y = kPhaseHeader;
  for (const auto* l : lanes) {
    lane_y[l->id] = y;
    y += lane_rows[l->id] * (kBoxHeight + kRowGap) + kRowGap;
  }
  int height = y + 2;
  int width = kLaneHeader + static_cast<int>(tpl.phases.size()) * kColumn + 2;

  std::map<std::string, int> phase_index;
  for (std::size_t i = 0; i < tpl.phases.size(); ++i)
    phase_index[tpl.phases[i].id] = static_cast<int>(i);
  std::map<std::string, Box> boxes;
  for (const auto& [cell, steps] : cells) {
    if (!lane_y.count(cell.first)) continue;
    for (std::size_t r = 0; r < steps.size(); ++r) {
      Box b;
      b.x = kLaneHeader + phase_index[cell.second] * kColumn + (kColumn - kBoxWidth) / 2;
      b.y = lane_y[cell.first] + kRowGap + static_cast<int>(r) * (kBoxHeight + kRowGap);
      boxes[steps[r]->id] = b;
    }
  }

  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swimlanes\" width=\"" << width
    << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height
    << "\" role=\"group\" aria-labelledby=\"chart-title chart-desc\">";
  o << "<title id=\"chart-title\">" << html_escape(en ? tpl.title.en : tpl.title.nb) << "</title>";
  o << "<desc id=\"chart-desc\">" << html_escape(text(lang, "chart_desc")) << "</desc>";
  o << "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
       "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" "
       "fill=\"#6b7785\"/></marker></defs>";
  // Phase headers and lane bands.
  for (std::size_t i = 0; i < tpl.phases.size(); ++i) {
    int x = kLaneHeader + static_cast<int>(i) * kColumn;
    o << "<g class=\"phase\"><rect x=\"" << x << "\" y=\"0\" width=\"" << kColumn << "\" height=\""
      << height << "\" class=\"phase-col" << (i % 2 ? " odd" : "") << "\"/>"
      << "<text x=\"" << x + kColumn / 2
      << "\" y=\"26\" text-anchor=\"middle\" class=\"phase-title\">"
      << html_escape(shorten(en ? tpl.phases[i].title.en : tpl.phases[i].title.nb, 24))
      << "</text></g>";
  }
  for (const auto* l : lanes) {
    int ly = lane_y[l->id];
    int lh = lane_rows[l->id] * (kBoxHeight + kRowGap) + kRowGap;
    o << "<g class=\"lane\"><rect x=\"0\" y=\"" << ly << "\" width=\"" << width - 2
      << "\" height=\"" << lh << "\" class=\"lane-band\"/><text x=\"14\" y=\"" << ly + 24
      << "\" class=\"lane-title\">" << html_escape(shorten(en ? l->title.en : l->title.nb, 20))
      << "</text></g>";
  }
  // Dependency arrows.
  o << "<g class=\"arrows\" aria-hidden=\"true\">";
  for (const auto& s : tpl.steps) {
    auto to = boxes.find(s.id);
    if (to == boxes.end()) continue;
    for (const auto& dep : s.depends_on) {
      auto from = boxes.find(dep);
      if (from == boxes.end()) continue;
      const Box& a = from->second;
      const Box& b = to->second;
      if (a.x == b.x) {
        int x = a.x + kBoxWidth / 2;
        int y1 = a.y < b.y ? a.y + kBoxHeight : a.y;
        int y2 = a.y < b.y ? b.y : b.y + kBoxHeight;
        o << "<path d=\"M" << x << " " << y1 << "L" << x << " " << y2 << "\"/>";
      } else {
        int x1 = a.x + kBoxWidth, y1 = a.y + kBoxHeight / 2;
        int x2 = b.x, y2 = b.y + kBoxHeight / 2;
        if (x2 < x1) std::swap(x1, x2), std::swap(y1, y2);
        int mid = (x1 + x2) / 2;
        o << "<path d=\"M" << x1 << " " << y1 << "C" << mid << " " << y1 << " " << mid << " " << y2
          << " " << x2 << " " << y2 << "\"/>";
      }
    }
  }
  o << "</g>";
  // The boxes: a link each, with the state in words as well as colour.
  for (const auto& s : tpl.steps) {
    auto it = boxes.find(s.id);
    if (it == boxes.end()) continue;
    const core::Task& t = *task_of_step[s.id];
    std::string state = display_state(t, now);
    std::string title = en ? s.title.en : s.title.nb;
    std::string label = state_name(lang, state);
    std::string due = t.due_at ? text(lang, "due") + " " + format_day(t.due_at) : "";
    const Box& b = it->second;
    std::string full = title + " – " + label + (due.empty() ? "" : ", " + due);
    o << "<a href=\"#task-" << t.id << "\" class=\"step " << state << "\" data-step=\"" << s.id
      << "\"><title>" << html_escape(full) << "</title>"
      << "<rect x=\"" << b.x << "\" y=\"" << b.y << "\" width=\"" << kBoxWidth << "\" height=\""
      << kBoxHeight << "\" rx=\"8\"/>"
      << "<text x=\"" << b.x + 10 << "\" y=\"" << b.y + 21 << "\" class=\"step-title\">"
      << html_escape(shorten(title, 22)) << "</text>"
      << "<text x=\"" << b.x + 10 << "\" y=\"" << b.y + 42 << "\" class=\"step-state\">"
      << html_escape(label) << (due.empty() ? "" : " · " + html_escape(format_day(t.due_at)))
      << "</text></a>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace samflyt::web
