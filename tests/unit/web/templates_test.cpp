// The web layer's own pieces: every template parses, every UI string a
// template names exists in both languages, static files get versioned
// URLs, and the swimlane chart shows each task with its state in words.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "web/embedded.hpp"
#include "web/internal.hpp"

namespace samflyt::web {
namespace {

TEST(Templates, EveryTemplateParses) {
  for (const auto& f : embedded_templates()) {
    kainjow::mustache::mustache m{std::string(f.text)};
    EXPECT_TRUE(m.is_valid()) << f.name << ": " << m.error_message();
  }
}

TEST(Templates, EveryStringATemplateNamesExistsInBothLanguages) {
  std::regex key(R"(\{\{[#^/]?t\.([a-z0-9_]+)\}\})");
  std::set<std::string> keys;
  for (const auto& f : embedded_templates()) {
    std::string text(f.text);
    for (std::sregex_iterator it(text.begin(), text.end(), key), end; it != end; ++it)
      keys.insert((*it)[1]);
  }
  EXPECT_GT(keys.size(), 50u);
  for (const auto& k : keys) {
    EXPECT_TRUE(has_text(k)) << k;
    EXPECT_NE(text("nb", k), text("en", k) + "x") << k;
    EXPECT_FALSE(text("en", k).empty()) << k;
  }
  EXPECT_EQ(text("nb", "my_tasks"), "Mine oppgaver");
  EXPECT_EQ(text("en", "my_tasks"), "My tasks");
}

TEST(Static, UrlsCarryTheContentHash) {
  std::regex versioned(R"(/static/app\.[0-9a-f]{12}\.css)");
  EXPECT_TRUE(std::regex_match(static_url("app.css"), versioned)) << static_url("app.css");
  EXPECT_NE(static_url("htmx.min.js").find("htmx."), std::string::npos);
}

TEST(Chart, EachTaskIsALinkedBoxWithItsStateInWords) {
  auto tpl = core::parse_pathway(R"(id: t
title: {nb: "Mal", en: "Template"}
lanes:
  - id: family
    title: {nb: "Familien", en: "The family"}
  - id: hospital
    title: {nb: "Sykehuset", en: "The hospital"}
phases:
  - id: one
    title: {nb: "En", en: "One"}
  - id: two
    title: {nb: "To", en: "Two"}
steps:
  - id: a
    lane: hospital
    phase: one
    kind: task
    role: sykepleier
    title: {nb: "Første <steg>", en: "First step"}
  - id: b
    lane: family
    phase: two
    kind: task
    role: sykepleier
    depends_on: [a]
    title: {nb: "Andre steg", en: "Second step"}
)",
                                 "t.yaml");
  ASSERT_TRUE(tpl.ok()) << tpl.error().message;
  service::EpisodeView v;
  v.pathway = std::make_shared<core::PathwayTemplate>(*tpl);
  v.episode.id = "e1";
  core::Task a;
  a.id = "ta";
  a.step_id = "a";
  a.lane = "hospital";
  a.phase = "one";
  a.state = core::TaskState::done;
  a.ready = true;
  core::Task b;
  b.id = "tb";
  b.step_id = "b";
  b.lane = "family";
  b.phase = "two";
  b.ready = false;
  v.tasks = {a, b};
  std::string svg = swimlane_svg(v, core::Instant{}, "nb");
  EXPECT_NE(svg.find("href=\"#task-ta\""), std::string::npos);
  EXPECT_NE(svg.find("href=\"#task-tb\""), std::string::npos);
  EXPECT_NE(svg.find("Første &lt;steg&gt; – Utført"), std::string::npos) << svg;
  EXPECT_NE(svg.find("Andre steg – Venter"), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"chart-title\">Mal</title>"), std::string::npos);
  EXPECT_NE(svg.find("<path d=\"M"), std::string::npos) << "the dependency arrow";
  std::string en = swimlane_svg(v, core::Instant{}, "en");
  EXPECT_NE(en.find("Second step – Waiting"), std::string::npos);
}

}  // namespace
}  // namespace samflyt::web
