#include "api/json_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace samflyt::api {
namespace {

TEST(JsonWriter, WritesNestedContainersWithCommasInTheRightPlaces) {
  JsonWriter w;
  w.begin_object()
      .field("a", 1)
      .field("b", "x")
      .key("c")
      .begin_array()
      .value(true)
      .null()
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .end_array()
      .field("d", std::vector<std::string>{"p", "q"})
      .key("e")
      .text_or_null("")
      .end_object();
  EXPECT_EQ(w.take(), R"({"a":1,"b":"x","c":[true,null,{},[]],"d":["p","q"],"e":null})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  JsonWriter w;
  w.value(std::string_view("\"\\\n\r\t\b\f\x01\x1f", 9));
  EXPECT_EQ(w.take(), R"("\"\\\n\r\t\b\f\u0001\u001f")");
}

TEST(JsonWriter, KeepsValidUtf8AndReplacesInvalidBytes) {
  JsonWriter ok;
  ok.value("Kragerø – «Hva er viktig for deg?» 😀");
  EXPECT_EQ(ok.take(), "\"Kragerø – «Hva er viktig for deg?» 😀\"");

  for (std::string bad : {std::string("\xff"), std::string("a\xc3"), std::string("\xc0\xaf"),
                          std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    JsonWriter w;
    w.value(bad);
    std::string out = w.take();
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;
    EXPECT_FALSE(nlohmann::json::parse(out, nullptr, false).is_discarded()) << out;
  }
}

// Any bytes at all give JSON that a strict parser reads; valid UTF-8
// reads back unchanged.
TEST(JsonWriter, RandomBytesAlwaysGiveParseableJson) {
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 40);
  for (int round = 0; round < 5000; ++round) {
    std::string s(static_cast<std::size_t>(length(rng)), '\0');
    for (auto& c : s) c = static_cast<char>(byte(rng));
    JsonWriter w;
    w.begin_array().value(s).end_array();
    std::string out = w.take();
    auto parsed = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << out;
    if (out.find("\xEF\xBF\xBD") == std::string::npos) {
      EXPECT_EQ(parsed[0].get<std::string>(), s);
    }
  }
}

}  // namespace
}  // namespace samflyt::api
