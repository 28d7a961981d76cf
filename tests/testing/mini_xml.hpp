// SPDX-License-Identifier: MIT
/// @file mini_xml.hpp
/// @brief A tiny, strict XML reader for tests of generated SVG: checks well-formedness (one root,
/// matched tags, quoted attributes, known entities, no stray '<' or '&') and gives the elements
/// with their attributes and text. Not a general XML parser (no DTDs, CDATA or namespaces).
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::testing {

/// One element: name, attributes, direct text content (entities decoded), parent index.
struct XmlElement {
    std::string name;                        ///< tag name
    std::map<std::string, std::string> attr; ///< attributes (entities decoded)
    std::string text;                        ///< concatenated direct text
    int parent = -1;                         ///< index of the parent element, -1 for the root
    /// The attribute or "" when absent.
    [[nodiscard]] std::string get(const std::string& k) const {
        auto it = attr.find(k);
        return it == attr.end() ? std::string() : it->second;
    }
    /// True when the class attribute contains @p c as a word.
    [[nodiscard]] bool has_class(std::string_view c) const {
        const std::string cls = " " + get("class") + " ";
        return cls.find(" " + std::string(c) + " ") != std::string::npos;
    }
};

/// Parses @p doc; @throws std::runtime_error with the byte offset when it is not well-formed.
inline std::vector<XmlElement> parse_xml(std::string_view doc) {
    std::vector<XmlElement> out;
    std::vector<int> stack;
    std::size_t i = 0;
    bool root_seen = false;
    auto fail = [&](const std::string& why) {
        throw std::runtime_error("XML not well-formed at byte " + std::to_string(i) + ": " + why);
    };
    auto decode = [&](std::string_view s) {
        std::string r;
        for (std::size_t k = 0; k < s.size(); ++k) {
            if (s[k] == '<')
                fail("'<' in text or attribute");
            if (s[k] != '&') {
                r.push_back(s[k]);
                continue;
            }
            const std::size_t semi = s.find(';', k);
            if (semi == std::string_view::npos)
                fail("unterminated entity");
            const std::string_view e = s.substr(k + 1, semi - k - 1);
            if (e == "amp")
                r.push_back('&');
            else if (e == "lt")
                r.push_back('<');
            else if (e == "gt")
                r.push_back('>');
            else if (e == "quot")
                r.push_back('"');
            else if (e == "apos")
                r.push_back('\'');
            else
                fail("unknown entity &" + std::string(e) + ";");
            k = semi;
        }
        return r;
    };
    auto is_name = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_' || c == ':' || c == '.';
    };
    auto skip_ws = [&] {
        while (i < doc.size() && (doc[i] == ' ' || doc[i] == '\n' || doc[i] == '\t' || doc[i] == '\r'))
            ++i;
    };
    if (doc.starts_with("<?xml")) {
        i = doc.find("?>");
        if (i == std::string_view::npos)
            fail("unterminated declaration");
        i += 2;
    }
    while (i < doc.size()) {
        if (doc[i] != '<') {
            const std::size_t next = doc.find('<', i);
            const std::string_view t =
                doc.substr(i, next == std::string_view::npos ? doc.size() - i : next - i);
            if (stack.empty()) {
                if (t.find_first_not_of(" \n\t\r") != std::string_view::npos)
                    fail("text outside the root element");
            } else {
                out[static_cast<std::size_t>(stack.back())].text += decode(t);
            }
            i += t.size();
            continue;
        }
        if (doc.substr(i, 4) == "<!--") {
            const std::size_t end = doc.find("-->", i);
            if (end == std::string_view::npos)
                fail("unterminated comment");
            i = end + 3;
            continue;
        }
        if (doc.substr(i, 2) == "</") {
            i += 2;
            const std::size_t start = i;
            while (i < doc.size() && is_name(doc[i]))
                ++i;
            const std::string name(doc.substr(start, i - start));
            skip_ws();
            if (i >= doc.size() || doc[i] != '>')
                fail("bad end tag");
            ++i;
            if (stack.empty() || out[static_cast<std::size_t>(stack.back())].name != name)
                fail("end tag </" + name + "> does not match");
            stack.pop_back();
            continue;
        }
        ++i;
        XmlElement e;
        const std::size_t start = i;
        while (i < doc.size() && is_name(doc[i]))
            ++i;
        e.name = std::string(doc.substr(start, i - start));
        if (e.name.empty())
            fail("empty tag name");
        if (stack.empty() && root_seen)
            fail("second root element");
        root_seen = true;
        e.parent = stack.empty() ? -1 : stack.back();
        bool self_closing = false;
        for (;;) {
            skip_ws();
            if (i >= doc.size())
                fail("unterminated tag");
            if (doc[i] == '>') {
                ++i;
                break;
            }
            if (doc.substr(i, 2) == "/>") {
                i += 2;
                self_closing = true;
                break;
            }
            const std::size_t ns = i;
            while (i < doc.size() && is_name(doc[i]))
                ++i;
            const std::string key(doc.substr(ns, i - ns));
            if (key.empty() || i >= doc.size() || doc[i] != '=')
                fail("bad attribute in <" + e.name + ">");
            ++i;
            if (i >= doc.size() || (doc[i] != '"' && doc[i] != '\''))
                fail("unquoted attribute " + key);
            const char q = doc[i++];
            const std::size_t vend = doc.find(q, i);
            if (vend == std::string_view::npos)
                fail("unterminated attribute " + key);
            if (e.attr.count(key))
                fail("duplicate attribute " + key);
            e.attr[key] = decode(doc.substr(i, vend - i));
            i = vend + 1;
        }
        out.push_back(std::move(e));
        if (!self_closing)
            stack.push_back(static_cast<int>(out.size() - 1));
    }
    if (!stack.empty())
        fail("unclosed <" + out[static_cast<std::size_t>(stack.back())].name + ">");
    if (!root_seen)
        fail("no root element");
    return out;
}

} // namespace fuelmap::testing
