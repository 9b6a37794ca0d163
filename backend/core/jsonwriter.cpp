// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonwriter.h"

#include <array>
#include <charconv>

namespace lm {

void JsonWriter::string(std::string_view utf8)
{
    comma();
    m_out += '"';
    // Copy runs of plain bytes at once; escape quotes, backslashes and control characters.
    std::size_t run = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        m_out.append(utf8.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            m_out += "\\\"";
            break;
        case '\\':
            m_out += "\\\\";
            break;
        case '\n':
            m_out += "\\n";
            break;
        case '\r':
            m_out += "\\r";
            break;
        case '\t':
            m_out += "\\t";
            break;
        case '\b':
            m_out += "\\b";
            break;
        case '\f':
            m_out += "\\f";
            break;
        default: {
            static constexpr char kHex[] = "0123456789abcdef";
            const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
            m_out.append(escaped, sizeof escaped);
        }
        }
    }
    m_out.append(utf8.data() + run, utf8.size() - run);
    m_out += '"';
    m_needComma = true;
    m_afterKey = false;
}

void JsonWriter::number(qint64 value)
{
    std::array<char, 24> buffer {};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    value_(std::string_view(buffer.data(), std::size_t(end - buffer.data())));
}

void JsonWriter::isoTime(qint64 ms)
{
    // Civil date from days since the epoch (H. Hinnant's algorithm): no time zone database, no
    // QDateTime, a few integer operations.
    qint64 days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
    qint64 inDay = ms - days * 86'400'000;
    days += 719'468;
    const qint64 era = (days >= 0 ? days : days - 146'096) / 146'097;
    const qint64 doe = days - era * 146'097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const int millis = int(inDay % 1000);
    inDay /= 1000;
    const int second = int(inDay % 60);
    const int minute = int(inDay / 60 % 60);
    const int hour = int(inDay / 3600);

    char text[32];
    char *p = text;
    const auto digits = [&p](qint64 value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            p[i] = char('0' + value % 10);
            value /= 10;
        }
        p += width;
    };
    *p++ = '"';
    digits(year, 4);
    *p++ = '-';
    digits(month, 2);
    *p++ = '-';
    digits(day, 2);
    *p++ = 'T';
    digits(hour, 2);
    *p++ = ':';
    digits(minute, 2);
    *p++ = ':';
    digits(second, 2);
    *p++ = '.';
    digits(millis, 3);
    *p++ = 'Z';
    *p++ = '"';
    value_(std::string_view(text, std::size_t(p - text)));
}

} // namespace lm
