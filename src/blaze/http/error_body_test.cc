#include "blaze/http/error_body.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace blaze::http {
namespace {

TEST(ErrorBody, IsShortJsonWithErrorAndStatus) {
  EXPECT_EQ(JsonErrorBody(413, "request body too large"),
            R"({"error":"request body too large","status":413})");
}

TEST(ErrorBody, EscapesTheMessage) {
  auto parsed = nlohmann::json::parse(JsonErrorBody(400, "a \"quoted\"\nline"));
  EXPECT_EQ(parsed["error"], "a \"quoted\"\nline");
  EXPECT_EQ(parsed["status"], 400);
}

TEST(ErrorBody, SurvivesInvalidUtf8) {
  auto parsed = nlohmann::json::parse(JsonErrorBody(404, "host \xff\xfe"));
  EXPECT_EQ(parsed["status"], 404);
}

TEST(ErrorResponse, CarriesJsonContentType) {
  HttpResponse r = ErrorResponse(431, "request header too large");
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.body.buffered(), R"({"error":"request header too large","status":431})");
}

TEST(ErrorResponse, MapsABlazeErrorThroughTheCodeTable) {
  HttpResponse r = ErrorResponse(NotFound("no such database"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.buffered(), R"({"error":"no such database","status":404})");
}

TEST(UnknownHostResponse, Is404NamingTheHost) {
  HttpResponse r = UnknownHostResponse("nope.localhost:8787");
  EXPECT_EQ(r.status, 404);
  auto parsed = nlohmann::json::parse(r.body.buffered());
  EXPECT_EQ(parsed["status"], 404);
  EXPECT_NE(parsed["error"].get<std::string>().find("nope.localhost:8787"), std::string::npos);
}

}  // namespace
}  // namespace blaze::http
