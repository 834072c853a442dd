#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "base/result.hpp"

using vipkit::Done;
using vipkit::Result;

namespace {

struct Failure {
  int code = 0;
  std::string message;
};

Result<int, Failure> halve(int n) {
  if (n % 2 != 0) return Failure{22, "odd: " + std::to_string(n)};
  return n / 2;
}

}  // namespace

TEST_CASE("result: a value, read through value(), * and ->", "[base][result]") {
  const auto r = halve(8);
  REQUIRE(r.ok());
  CHECK(static_cast<bool>(r));
  CHECK(r.value() == 4);
  CHECK(*r == 4);
  const Result<std::string, Failure> text = std::string("four");
  CHECK(text->size() == 4);
}

TEST_CASE("result: an error keeps its code and its text", "[base][result]") {
  const auto r = halve(7);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == 22);
  CHECK(r.error().message == "odd: 7");
}

TEST_CASE("result: a move-only value moves out", "[base][result]") {
  Result<std::unique_ptr<int>, Failure> r = std::make_unique<int>(5);
  const std::unique_ptr<int> taken = std::move(r).value();
  CHECK(*taken == 5);
}

TEST_CASE("result: Done, for what only succeeds or fails", "[base][result]") {
  const Result<Done, std::string> done = Done{};
  const Result<Done, std::string> failed = std::string("refused");
  CHECK(done.ok());
  CHECK(failed.error() == "refused");
}
