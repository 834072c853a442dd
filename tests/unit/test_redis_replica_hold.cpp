#include <catch2/catch.hpp>

#include "redis/replica_hold.hpp"

using namespace vipkit::redis;

TEST_CASE("replica hold: masteruser when a password is set, masterauth otherwise", "[redis][hold]") {
  HoldConfig with_password{"", true, false};
  CHECK_FALSE(is_held(with_password));
  CHECK(hold_change(with_password) == ConfigChange{"masteruser", "vipkit-hold"});
  CHECK_FALSE(release_change(with_password));

  HoldConfig named_user{"repl", true, false};
  CHECK(hold_change(named_user) == ConfigChange{"masteruser", "vipkit-hold:repl"});

  HoldConfig no_auth{"", false, false};
  CHECK(hold_change(no_auth) == ConfigChange{"masterauth", "vipkit-hold"});
}

TEST_CASE("replica hold: the marker in Redis says how to undo it", "[redis][hold]") {
  HoldConfig held_default{"vipkit-hold", true, false};
  CHECK(is_held(held_default));
  CHECK_FALSE(hold_change(held_default));
  CHECK(release_change(held_default) == ConfigChange{"masteruser", ""});

  HoldConfig held_named{"vipkit-hold:repl", true, false};
  CHECK(is_held(held_named));
  CHECK(release_change(held_named) == ConfigChange{"masteruser", "repl"});

  HoldConfig held_no_auth{"", false, true};
  CHECK(is_held(held_no_auth));
  CHECK(release_change(held_no_auth) == ConfigChange{"masterauth", ""});

  // A user merely named like the marker's prefix is not ours.
  HoldConfig lookalike{"vipkit-holder", true, false};
  CHECK_FALSE(is_held(lookalike));
  CHECK_FALSE(release_change(lookalike));
}
