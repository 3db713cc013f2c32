#pragma once
// The one error shape used everywhere: API bodies, portal messages, the core CLI.
// `code` is stable (clients switch on it); `field` is a JSON path into the input
// ("lines[2].quantity"), empty when the error is not about one field.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cp {

struct Error {
    std::string code;
    std::string field;
    std::string message;

    friend bool operator==(const Error&, const Error&) = default;
};

using Errors = std::vector<Error>;

// Expected failures travel as values; exceptions are reserved for bugs.
template <class T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
    Result(Error error) : state_(std::move(error)) {}    // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(state_); }
    T& value() & { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

}  // namespace cp
