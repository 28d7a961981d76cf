// SPDX-License-Identifier: MIT
#include <fuelmap/checkpoint.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/ledger.hpp>

#include "util/ed25519.hpp"
#include "util/json_document.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace fuelmap {

namespace {

constexpr std::string_view magic = "fuelmap ledger checkpoint v1";
constexpr std::string_view json_magic = "fuelmap-ledger-checkpoint-v1";

bool is_hex(std::string_view s, std::size_t n) {
    if (s.size() != n)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

// Checks the parts' forms; @p where names the place of a part in messages.
void check_parts(const LedgerCheckpoint& c, const std::string& file,
                 const std::function<Location(const std::string&)>& where) {
    if (c.entries < 0)
        throw InputError(where("entries"), "must be a count (0 or more)");
    if (!is_hex(c.head, 64))
        throw InputError(where("head"), "must be 64 lowercase hex digits");
    if (c.public_key.empty() != c.signature.empty())
        throw InputError({.file = file}, "a signed checkpoint needs both key and signature");
    if (!c.public_key.empty() && !is_hex(c.public_key, 64))
        throw InputError(where("key"), "must be 64 lowercase hex digits (an Ed25519 public key)");
    if (!c.signature.empty() && !is_hex(c.signature, 128))
        throw InputError(where("signature"), "must be 128 lowercase hex digits (an Ed25519 signature)");
}

LedgerCheckpoint parse_json(std::string_view text, const std::string& file) {
    const nlohmann::json doc = detail::parse_json_object(text, file, "checkpoint");
    auto where = [&](const std::string& key) { return Location{.file = file, .field = key}; };
    for (const auto& [key, value] : doc.items())
        if (key != "checkpoint" && key != "entries" && key != "head" && key != "key" && key != "signature")
            throw InputError(where(key), "unknown key in a checkpoint");
    auto str = [&](const char* key, bool required) -> std::string {
        if (!doc.contains(key)) {
            if (required)
                throw InputError(where(key), "missing");
            return {};
        }
        if (!doc[key].is_string())
            throw InputError(where(key), "must be a string");
        return doc[key].get<std::string>();
    };
    if (str("checkpoint", true) != json_magic)
        throw InputError(where("checkpoint"), "must be \"" + std::string(json_magic) + "\"");
    LedgerCheckpoint c;
    if (!doc.contains("entries") || !doc["entries"].is_number_integer())
        throw InputError(where("entries"), "must be an integer");
    c.entries = doc["entries"].get<std::int64_t>();
    c.head = str("head", true);
    c.public_key = str("key", false);
    c.signature = str("signature", false);
    check_parts(c, file, where);
    return c;
}

LedgerCheckpoint parse_text(std::string_view text, const std::string& file) {
    LedgerCheckpoint c;
    std::int64_t line_no = 0;
    bool has_entries = false, has_head = false;
    std::map<std::string, std::int64_t> line_of;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line_no == 1) {
            if (line != magic)
                throw InputError({.file = file, .line = 1},
                                 "not a ledger checkpoint (the first line must be '" + std::string(magic) +
                                     "')");
            continue;
        }
        if (line.empty())
            continue;
        const std::size_t sp = line.find(' ');
        const std::string key(line.substr(0, sp));
        const std::string value(sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1));
        if (line_of.count(key))
            throw InputError({.file = file, .line = line_no, .field = key}, "given twice");
        line_of[key] = line_no;
        const Location at{.file = file, .line = line_no, .field = key};
        if (key == "entries") {
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), c.entries);
            if (ec != std::errc() || p != value.data() + value.size())
                throw InputError(at, "'" + value + "' is not a count");
            has_entries = true;
        } else if (key == "head") {
            c.head = value;
            has_head = true;
        } else if (key == "key") {
            c.public_key = value;
        } else if (key == "signature") {
            c.signature = value;
        } else {
            throw InputError(at, "unknown line in a checkpoint");
        }
    }
    if (line_no == 0)
        throw InputError({.file = file}, "empty file: not a ledger checkpoint");
    if (!has_entries || !has_head)
        throw InputError({.file = file, .field = has_entries ? "head" : "entries"}, "missing");
    check_parts(c, file, [&](const std::string& key) {
        return Location{.file = file, .line = line_of.count(key) ? line_of[key] : -1, .field = key};
    });
    return c;
}

} // namespace

std::string LedgerCheckpoint::signed_text() const {
    return std::string(magic) + "\nentries " + std::to_string(entries) + "\nhead " + head + "\n";
}

std::string LedgerCheckpoint::to_text() const {
    std::string out = signed_text();
    if (!signature.empty())
        out += "key " + public_key + "\nsignature " + signature + "\n";
    return out;
}

std::string LedgerCheckpoint::to_json() const {
    nlohmann::ordered_json j;
    j["checkpoint"] = json_magic;
    j["entries"] = entries;
    j["head"] = head;
    if (!signature.empty()) {
        j["key"] = public_key;
        j["signature"] = signature;
    }
    return j.dump(2) + "\n";
}

bool LedgerCheckpoint::signature_valid() const {
    return !signature.empty() && detail::ed25519_verify(public_key, signed_text(), signature);
}

LedgerCheckpoint current_checkpoint(const std::filesystem::path& registry) {
    const LedgerCheck check = verify_ledger(registry);
    if (!check.ok())
        throw InputError({.file = registry.string()},
                         "no checkpoint of a ledger that does not verify: " + check.first_problem());
    return {.entries = check.entries, .head = check.head, .public_key = {}, .signature = {}};
}

LedgerCheckpoint parse_checkpoint(std::string_view text, const std::string& file) {
    std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '{')
        return parse_json(text, file);
    return parse_text(text, file);
}

LedgerCheckpoint read_checkpoint(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InputError({.file = path.string()}, "not a regular file: cannot read the checkpoint");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError({.file = path.string()}, "cannot read the checkpoint");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_checkpoint(text.str(), path.string());
}

namespace {

// Why a ledger whose entries have @p hashes (in order) does not extend @p checkpoint.
std::optional<std::string> problem_of(const std::vector<std::string>& hashes,
                                      const LedgerCheckpoint& checkpoint) {
    const auto present = static_cast<std::int64_t>(hashes.size());
    if (checkpoint.entries > present)
        return "the checkpoint records " + std::to_string(checkpoint.entries) +
               " entries but the ledger has " + std::to_string(present) + ": it was truncated";
    const std::string now = checkpoint.entries == 0
                                ? std::string(64, '0')
                                : hashes[static_cast<std::size_t>(checkpoint.entries - 1)];
    if (now != checkpoint.head)
        return "entry " + std::to_string(checkpoint.entries) + " has hash " + now +
               " now but the checkpoint records " + checkpoint.head +
               ": the history up to the checkpoint was rewritten";
    return std::nullopt;
}

} // namespace

std::optional<std::string> checkpoint_problem(const std::filesystem::path& registry,
                                              const LedgerCheckpoint& checkpoint) {
    std::vector<std::string> hashes;
    for (LedgerEntry& e : read_ledger(registry))
        hashes.push_back(std::move(e.hash));
    return problem_of(hashes, checkpoint);
}

std::optional<std::string> checkpoint_problem(const LedgerCheck& ledger, const LedgerCheckpoint& checkpoint) {
    return problem_of(ledger.hashes, checkpoint);
}

void sign_checkpoint(LedgerCheckpoint& checkpoint, const std::filesystem::path& private_key_pem) {
    checkpoint.signature = detail::ed25519_sign(private_key_pem, checkpoint.signed_text());
    checkpoint.public_key = detail::ed25519_public_hex(private_key_pem);
}

std::string office_public_key(const std::filesystem::path& pem) {
    return detail::ed25519_public_hex(pem);
}

std::string generate_office_key(const std::filesystem::path& private_key_pem,
                                const std::filesystem::path& public_key_pem) {
    return detail::ed25519_generate(private_key_pem, public_key_pem);
}

} // namespace fuelmap
