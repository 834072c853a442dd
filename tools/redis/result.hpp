#pragma once
// redis::Result<T>: a Redis operation's value, or an Error with its stable
// code and Redis's own text — the one Result (base/result.hpp) with the
// Redis error type.
#include "base/result.hpp"
#include "redis/error.hpp"

namespace vipkit::redis {

using vipkit::Done;

template <class T>
using Result = vipkit::Result<T, Error>;

using Status = Result<Done>;

}  // namespace vipkit::redis
