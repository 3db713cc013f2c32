#!/usr/bin/env python3
"""Deliberately broken builds for the weak tests fixed in issue 17: each break below makes
the *old* form of a test still pass while the fixed one fails. Applies every break to a
copy of the tree (never the working files):
    python3 tests/mutation/weak_test_breaks.py TREE      # e.g. build-mutate/src
then build server_tests in that tree and run the tests named in EXPECT_FAILING; each must
fail. (scripts/mutate's next sync puts the original files back.)"""
import sys

BREAKS = [
    # audit_test OperatorVerifiesEveryChain set severity to the value it already had (and the
    # outcome too): with severity left out of the hash the old test still passed.
    ("server/audit/audit_log.cpp",
     "return json::array({firm_id, seq, created_at, category, action, severity, actor_type, actor_id,",
     "return json::array({firm_id, seq, created_at, category, action, actor_type, actor_id,"),
    # resources_test TokenMintingResponsesAreNeverStoredForReplay never checked its login.
    ("server/app/app.cpp",
     "    const bool mints_token = route.handler == api::login || route.handler == api::open_break_glass;\n",
     "    const bool mints_token = route.handler == api::login || route.handler == api::open_break_glass;\n"
     "    if (mints_token && ctx.req.header(\"idempotency-key\")) return api::not_found();\n"),
    # basics_test CallerRequestIdIsEchoedWhenSafe passed when the header was missing.
    ("server/app/app.cpp",
     "    api::add_header(response, \"X-Request-Id\", request_id);",
     "    if (!req.header(\"x-request-id\") || *req.header(\"x-request-id\") == request_id)\n"
     "        api::add_header(response, \"X-Request-Id\", request_id);"),
    # audit_test FailedAuditWriteRollsBackTheChange accepted any status >= 409, a 500 too.
    ("server/app/app.cpp",
     "response = api::error_response(409, \"CONFLICT\", \"That conflicts with an existing object.\");",
     "response = api::error_response(500, \"INTERNAL\", \"That conflicts with an existing object.\");"),
    # tenancy_test ListsOnlyShowOwnFirm and audit_test PaginationAndFilters looped over lists
    # that could be empty.
    ("server/api/break_glass.cpp",
     "\"SELECT id FROM break_glass_sessions WHERE firm_id = ? AND id > ? ORDER BY id LIMIT ?\"",
     "\"SELECT id FROM break_glass_sessions WHERE firm_id = ? AND id > ? AND 1 = 0 ORDER BY id LIMIT ?\""),
    ("server/api/audit.cpp",
     "    // since/until: Unix seconds, inclusive/exclusive.\n",
     "    if (ctx.req.query.count(\"category\")) sql += \" AND 1 = 0\";\n"
     "    // since/until: Unix seconds, inclusive/exclusive.\n"),
    # http_transport_test wrote an empty portal.wasm ("\0asm" stops at the NUL) and never
    # compared the body: a server that cut bodies at the first NUL passed.
    ("server/http/static_files.cpp",
     "    response.body = content.str();",
     "    response.body = content.str().c_str();"),
    # The break-glass expiry audit was unreachable: the token died with its session.
    ("server/auth/sessions.cpp",
     "    if (token_expired && s->str(\"kind\") != \"break_glass\") return out;",
     "    if (token_expired) return out;"),
]

EXPECT_FAILING = [
    "Audit.OperatorVerifiesEveryChain",
    "HashFields.EditingAnyHashedAuditColumnIsDetectedAtThatRow",
    "Resources.TokenMintingResponsesAreNeverStoredForReplay",
    "Basics.CallerRequestIdIsEchoedWhenSafe",
    "AuditAtomicity.FailedAuditWriteRollsBackTheChange",
    "Tenancy.ListsOnlyShowOwnFirm",
    "Audit.PaginationAndFilters",
    "StaticFiles.ServesIndexAndWasmWithTheirMimeTypes",
    "ExpiryBoundaries.TheTokensOwnRequestExpiresTheSessionAndAuditsIt",
]

if __name__ == "__main__":
    root = sys.argv[1]
    for path, old, new in BREAKS:
        p = f"{root}/{path}"
        s = open(p).read()
        assert s.count(old) == 1, (path, old)
        open(p, "w").write(s.replace(old, new))
    print(":".join(EXPECT_FAILING))
