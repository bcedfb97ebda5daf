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

constexpr int kLaneHeader = 118;  // width of the lane-title column
constexpr int kColumn = 152;      // width of a phase column
constexpr int kBoxWidth = 140;
constexpr int kBoxHeight = 64;  // two lines of title and one of state
constexpr int kRowGap = 10;
constexpr int kPhaseHeader = 50;        // two lines of phase title
constexpr std::size_t kLineChars = 17;  // characters of a title line in a box

struct Box {
  int x = 0, y = 0;
};

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// Breaks a title into at most two lines of about `width` characters at
// word boundaries; what does not fit ends the second line with "…".
std::vector<std::string> two_lines(const std::string& s, std::size_t width) {
  std::vector<std::string> lines(1);
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    std::string word = s.substr(start, end - start);
    // A word longer than a line is broken with a hyphen (at a character
    // boundary) and the rest taken as the next word.
    if (utf8_length(word) > width && lines.back().empty()) {
      std::size_t cut = 0, chars = 0;
      while (cut < word.size() && chars < width - 1) {
        ++cut;
        while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) ++cut;
        ++chars;
      }
      if (lines.size() == 2) {
        lines.back() = word.substr(0, cut) + "…";
        return lines;
      }
      lines.back() = word.substr(0, cut) + "-";
      lines.emplace_back();
      start += cut;
      continue;
    }
    std::string& line = lines.back();
    if (!line.empty() && utf8_length(line) + 1 + utf8_length(word) > width) {
      if (lines.size() == 2) {
        line += "…";
        return lines;
      }
      lines.emplace_back();
    }
    std::string& current = lines.back();
    current += (current.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return lines;
}

// Shortens a text to fit a line, at a word boundary (UTF-8 safe).
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
  // Phase headers and lane bands, their titles on up to two lines.
  auto title_lines = [&o](int x, const std::string& title, std::size_t chars) {
    auto lines = two_lines(title, chars);
    for (std::size_t n = 0; n < lines.size(); ++n)
      o << "<tspan x=\"" << x << "\" dy=\"" << (n == 0 ? 0 : 16) << "\">"
        << html_escape(shorten(lines[n], chars + 1)) << "</tspan>";
  };
  for (std::size_t i = 0; i < tpl.phases.size(); ++i) {
    int x = kLaneHeader + static_cast<int>(i) * kColumn;
    o << "<g class=\"phase\"><rect x=\"" << x << "\" y=\"0\" width=\"" << kColumn << "\" height=\""
      << height << "\" class=\"phase-col" << (i % 2 ? " odd" : "") << "\"/>"
      << "<text y=\"20\" text-anchor=\"middle\" class=\"phase-title\">";
    title_lines(x + kColumn / 2, en ? tpl.phases[i].title.en : tpl.phases[i].title.nb, 20);
    o << "</text></g>";
  }
  for (const auto* l : lanes) {
    int ly = lane_y[l->id];
    int lh = lane_rows[l->id] * (kBoxHeight + kRowGap) + kRowGap;
    o << "<g class=\"lane\"><rect x=\"0\" y=\"" << ly << "\" width=\"" << width - 2
      << "\" height=\"" << lh << "\" class=\"lane-band\"/><text y=\"" << ly + 24
      << "\" class=\"lane-title\">";
    title_lines(10, en ? l->title.en : l->title.nb, 13);
    o << "</text></g>";
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
      << "<text x=\"" << b.x + 9 << "\" y=\"" << b.y + 18 << "\" class=\"step-title\">";
    auto lines = two_lines(title, kLineChars);
    for (std::size_t n = 0; n < lines.size(); ++n)
      o << "<tspan x=\"" << b.x + 9 << "\" dy=\"" << (n == 0 ? 0 : 15) << "\">"
        << html_escape(shorten(lines[n], kLineChars)) << "</tspan>";
    o << "</text>"
      << "<text x=\"" << b.x + 9 << "\" y=\"" << b.y + 54 << "\" class=\"step-state\">"
      << html_escape(label) << (due.empty() ? "" : " · " + html_escape(format_day(t.due_at)))
      << "</text></a>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace samflyt::web
