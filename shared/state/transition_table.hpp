#pragma once
// The machinery shared by every state machine: a table of state names (indexed by the
// enum's value) and an explicit list of allowed edges. Anything not listed is rejected
// with INVALID_TRANSITION naming both states, so the rules are read in one place.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/core/error.hpp"

namespace cp::state {

template <class State>
struct TransitionTable {
    using Edge = std::pair<State, State>;
    std::string_view machine;       // "invoice", used in messages
    const std::string_view* names;  // indexed by the enum's value
    size_t num_names;
    const Edge* edges;
    size_t num_edges;

    std::string_view name(State s) const {
        const size_t i = static_cast<size_t>(s);
        return i < num_names ? names[i] : std::string_view("unknown");
    }

    std::optional<State> parse(std::string_view text) const {
        for (size_t i = 0; i < num_names; ++i) {
            if (names[i] == text) return static_cast<State>(i);
        }
        return std::nullopt;
    }

    bool allows(State from, State to) const {
        for (size_t e = 0; e < num_edges; ++e) {
            const auto& [a, b] = edges[e];
            if (a == from && b == to) return true;
        }
        return false;
    }

    std::vector<State> next(State from) const {
        std::vector<State> out;
        for (size_t e = 0; e < num_edges; ++e) {
            const auto& [a, b] = edges[e];
            if (a == from) out.push_back(b);
        }
        return out;
    }

    // Whether `to` lies ahead of `from`: reachable through one or more edges. Tables are
    // acyclic, so of two states at most one lies ahead of the other.
    bool reaches(State from, State to) const {
        std::vector<State> frontier = next(from), seen;
        while (!frontier.empty()) {
            State s = frontier.back();
            frontier.pop_back();
            if (s == to) return true;
            bool known = false;
            for (State k : seen) known = known || k == s;
            if (known) continue;
            seen.push_back(s);
            for (State n : next(s)) frontier.push_back(n);
        }
        return false;
    }

    Result<State> transition(State from, State to) const {
        if (allows(from, to)) return to;
        return Error{"INVALID_TRANSITION", "status",
                     std::string(machine) + " cannot go from '" + std::string(name(from)) + "' to '" +
                         std::string(name(to)) + "'"};
    }

    // For state names arriving as text (API bodies, webhooks): INVALID_ENUM on unknown names.
    Result<State> parse_or_error(std::string_view text, std::string field = "status") const {
        if (auto s = parse(text)) return *s;
        std::string list;
        for (size_t i = 0; i < num_names; ++i) {
            if (!list.empty()) list += ", ";
            list += names[i];
        }
        return Error{"INVALID_ENUM", std::move(field), "must be one of: " + list};
    }
};

}  // namespace cp::state
