#pragma once
// Boost 1.74's Asio uses std::exchange without including <utility> under C++20.
#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
