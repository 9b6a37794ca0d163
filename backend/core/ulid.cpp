// SPDX-License-Identifier: GPL-3.0-or-later
#include "ulid.h"

#include <array>
#include <mutex>
#include <sodium.h>

namespace lm::Ulid {

namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int decodeChar(QChar c)
{
    const char ch = char(c.toUpper().toLatin1());
    for (int i = 0; i < 32; ++i) {
        if (kAlphabet[i] == ch)
            return i;
    }
    return -1;
}

// Last time and randomness, so ids made in the same millisecond still sort in creation order.
std::mutex s_mutex;
qint64 s_lastMs = -1;
std::array<unsigned char, 10> s_lastRandom {};

QString encode(qint64 ms, const std::array<unsigned char, 10> &random)
{
    QString out(26, QChar('0'));
    quint64 t = quint64(ms);
    for (int i = 9; i >= 0; --i) {
        out[i] = QChar(kAlphabet[t & 31]);
        t >>= 5;
    }
    // 80 random bits → 16 characters, most significant first.
    int bitPos = 0;
    for (int i = 0; i < 16; ++i) {
        int value = 0;
        for (int b = 0; b < 5; ++b, ++bitPos) {
            const int byte = bitPos / 8;
            const int shift = 7 - (bitPos % 8);
            value = (value << 1) | ((random[byte] >> shift) & 1);
        }
        out[10 + i] = QChar(kAlphabet[value]);
    }
    return out;
}
} // namespace

QString generate(const QDateTime &time)
{
    const qint64 ms = time.toMSecsSinceEpoch();
    std::array<unsigned char, 10> random {};
    std::lock_guard lock(s_mutex);
    if (ms == s_lastMs) {
        random = s_lastRandom;
        for (int i = 9; i >= 0; --i) {
            if (++random[i] != 0)
                break;
        }
    } else {
        randombytes_buf(random.data(), random.size());
    }
    s_lastMs = ms;
    s_lastRandom = random;
    return encode(ms, random);
}

QString generate()
{
    return generate(QDateTime::currentDateTimeUtc());
}

bool isValid(QStringView text)
{
    if (text.size() != 26 || text[0] > QChar('7'))
        return false;
    for (QChar c : text) {
        if (decodeChar(c) < 0)
            return false;
    }
    return true;
}

qint64 timestampMs(QStringView text)
{
    if (!isValid(text))
        return -1;
    qint64 t = 0;
    for (int i = 0; i < 10; ++i)
        t = (t << 5) | decodeChar(text[i]);
    return t;
}

} // namespace lm::Ulid
