// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <string>
#include <string_view>

namespace lm {

/// Appends JSON to a std::string, for the hot list reads that write straight from database rows
/// (UTF-8 in, UTF-8 out). Everything else uses QJsonObject. Keys are written as given (ASCII
/// literals); values are escaped. The caller keeps the nesting right.
class JsonWriter
{
public:
    explicit JsonWriter(std::string &out)
        : m_out(out)
    { }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    /// A member name; the value follows.
    void key(std::string_view name)
    {
        comma();
        m_out += '"';
        m_out += name;
        m_out += "\":";
        m_afterKey = true;
    }
    void string(std::string_view utf8);
    void number(qint64 value);
    void boolean(bool value) { value_(value ? "true" : "false"); }
    void null() { value_("null"); }
    /// Text that is JSON already (a stored JSON column).
    void raw(std::string_view json) { value_(json); }
    /// Milliseconds since the epoch as isoTimestamp() writes them: 2026-11-24T04:12:33.123Z.
    void isoTime(qint64 msSinceEpoch);

    /// `"key":"value"`, `"key":value` …
    void member(std::string_view name, std::string_view utf8)
    {
        key(name);
        string(utf8);
    }

private:
    void comma()
    {
        if (m_afterKey)
            return;
        if (m_needComma)
            m_out += ',';
    }
    void open(char c)
    {
        comma();
        m_out += c;
        m_afterKey = false;
        m_needComma = false;
    }
    void close(char c)
    {
        m_out += c;
        m_needComma = true;
        m_afterKey = false;
    }
    void value_(std::string_view text)
    {
        comma();
        m_out += text;
        m_needComma = true;
        m_afterKey = false;
    }

    std::string &m_out;
    bool m_needComma = false;
    bool m_afterKey = false;
};

} // namespace lm
