// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/simulatorwriter.h"

#include <algorithm>

namespace lm::agents::sim {

Writer::Writer(const Topic &topic, Rng &rng)
    : m_topic(topic)
    , m_rng(rng)
{ }

QString Writer::keyword()
{
    // Avoid the same keyword twice in a row when there is a choice.
    // The lower of two draws: the most telling keyword comes up most often.
    const int last = int(m_topic.keywords.size()) - 1;
    QString k = m_topic.keywords.at(std::min(m_rng.range(0, last), m_rng.range(0, last)));
    if (k == m_lastKeyword && last > 0)
        k = m_topic.keywords.at(std::min(m_rng.range(0, last), m_rng.range(0, last)));
    m_lastKeyword = k;
    return k;
}

QString Writer::fill(const QString &tpl)
{
    QString out;
    out.reserve(tpl.size() + 64);
    qsizetype i = 0;
    while (i < tpl.size()) {
        const qsizetype open = tpl.indexOf(QLatin1Char('{'), i);
        const qsizetype close = open < 0 ? -1 : tpl.indexOf(QLatin1Char('}'), open);
        if (open < 0 || close < 0) {
            out += QStringView(tpl).mid(i);
            break;
        }
        out += QStringView(tpl).mid(i, open - i);
        const QString key = tpl.mid(open + 1, close - open - 1);
        const QString &loc = m_topic.location;
        if (key == u"biz")
            out += m_topic.name();
        else if (key == u"kind")
            out += m_topic.kind;
        else if (key == u"Kind")
            out += titleCase(m_topic.kind);
        else if (key == u"loc")
            out += loc.isEmpty() ? QStringLiteral("your area") : loc;
        else if (key == u"inloc")
            out += loc.isEmpty() ? QStringLiteral("locally") : QStringLiteral("in ") + loc;
        else if (key == u"aud")
            out += m_topic.audience;
        else if (key == u"Aud")
            out += capitalized(m_topic.audience);
        else if (key == u"kw")
            out += keyword();
        else if (key == u"Kw")
            out += titleCase(keyword());
        else if (key == u"kw2")
            out += m_topic.keywords.size() > 1 ? m_topic.keywords.at(1) : m_topic.kind;
        else if (key == u"subject")
            out += m_topic.subject.toLower();
        else if (key == u"Subject")
            out += titleCase(m_topic.subject);
        else if (key == u"n")
            out += QString::number(m_rng.range(3, 24));
        else if (key == u"s")
            out += QStringLiteral("%1.%2").arg(m_rng.range(2, 6)).arg(m_rng.range(0, 9));
        else
            out += QStringView(tpl).mid(open, close - open + 1);
        i = close + 1;
    }
    return capitalized(out);
}

QString Writer::any(const QStringList &templates)
{
    return fill(m_rng.pick(templates));
}

QStringList Writer::fresh(const QStringList &templates, int count)
{
    QList<qsizetype> unused;
    QList<qsizetype> used;
    for (qsizetype i = 0; i < templates.size(); ++i)
        (m_used.contains(templates.at(i)) ? used : unused).append(i);
    // Fisher–Yates with our PRNG, so the order is the same everywhere.
    auto shuffle = [this](QList<qsizetype> &list) {
        for (qsizetype i = list.size() - 1; i > 0; --i)
            std::swap(list[i], list[m_rng.range(0, int(i))]);
    };
    shuffle(unused);
    shuffle(used);
    const QList<qsizetype> order = unused + used;
    QStringList out;
    for (qsizetype i = 0; i < order.size() && out.size() < count; ++i) {
        const QString &tpl = templates.at(order.at(i));
        m_used.insert(tpl);
        out.append(fill(tpl));
    }
    return out;
}

QString Writer::paragraph(const QStringList &templates, int count)
{
    return fresh(templates, count).join(QLatin1Char(' '));
}

QString Writer::bullets(const QStringList &templates, int count)
{
    QString out;
    for (const QString &item : fresh(templates, count))
        out += QStringLiteral("- ") + item + QLatin1Char('\n');
    return out;
}

QString titleCase(const QString &text)
{
    static const QStringList small = {QStringLiteral("a"), QStringLiteral("an"), QStringLiteral("and"),
        QStringLiteral("for"), QStringLiteral("in"), QStringLiteral("of"), QStringLiteral("on"),
        QStringLiteral("or"), QStringLiteral("the"), QStringLiteral("to"), QStringLiteral("with"),
        QStringLiteral("at"), QStringLiteral("by")};
    QStringList words = text.split(QLatin1Char(' '));
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (i > 0 && small.contains(words.at(i)))
            continue;
        words[i] = capitalized(words.at(i));
    }
    return words.join(QLatin1Char(' '));
}

QString capitalized(const QString &text)
{
    if (text.isEmpty() || !text.at(0).isLower())
        return text;
    return text.at(0).toUpper() + text.mid(1);
}

QString hashtag(const QString &words)
{
    QString tag = QStringLiteral("#");
    for (const QString &w : words.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        QString clean;
        for (const QChar c : w) {
            if (c.isLetterOrNumber())
                clean += c;
        }
        tag += capitalized(clean);
    }
    return tag;
}

QString fitTo(const QString &text, int limit)
{
    if (text.size() <= limit)
        return text;
    QString cut = text.left(limit);
    const qsizetype space = cut.lastIndexOf(QLatin1Char(' '));
    if (space > 0)
        cut.truncate(space);
    while (!cut.isEmpty() && QStringLiteral(",;:-–—").contains(cut.back()))
        cut.chop(1);
    return cut.trimmed();
}

QString grouped(qint64 value)
{
    const bool negative = value < 0;
    QString digits = QString::number(negative ? -value : value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return negative ? QLatin1Char('-') + digits : digits;
}

QString percentChange(qint64 current, qint64 previous)
{
    if (previous == 0)
        return QStringLiteral("n/a");
    // Integer per-mille arithmetic: no floating-point formatting differences between machines.
    const qint64 perMille = (current - previous) * 1000 / previous;
    const qint64 magnitude = perMille < 0 ? -perMille : perMille;
    return QStringLiteral("%1%2.%3%")
        .arg(perMille < 0 ? QStringLiteral("-") : QStringLiteral("+"))
        .arg(magnitude / 10)
        .arg(magnitude % 10);
}

QString table(const QStringList &header, const QList<QStringList> &rows)
{
    QString out = QStringLiteral("| ") + header.join(QStringLiteral(" | ")) + QStringLiteral(" |\n|");
    for (qsizetype i = 0; i < header.size(); ++i)
        out += QStringLiteral("---|");
    out += QLatin1Char('\n');
    for (const QStringList &row : rows)
        out += QStringLiteral("| ") + row.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    return out;
}

} // namespace lm::agents::sim
