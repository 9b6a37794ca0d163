// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/simulatorcontent.h"

#include "agents/simulatorwriter.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace lm::agents::sim {

namespace {

std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

// Words that say nothing about the business; kept out of the keywords.
const QSet<QString> &stopWords()
{
    static const QSet<QString> words = [] {
        const QString list = QStringLiteral(
            "about above after again against also among another because been before being below between "
            "both brief business campaign could does doing down during each every few from further goal "
            "goals have having here into just more most much must need needs only other ours over same "
            "should some such than that their theirs them then there these they this those through under "
            "until very want what when where which while whom with would your yours ours write writing "
            "draft post posts blog email newsletter audit report plan research copy backlink backlinks "
            "social please make sure include including tone voice month week year team company brand "
            "client customers customer content marketing wake reason activity task deliverable title "
            "like will them well help helps using used many much less more best good great based located "
            "focus keywords keyword audience location industry platform channel area city bookings booking "
            "enquiries leads sales visits traffic reassure increase improve grow");
        const QStringList parts = list.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        return QSet<QString>(parts.begin(), parts.end());
    }();
    return words;
}

struct KindNoun
{
    const char *noun;
    const char *audience;
};

// Business nouns looked for when the brief does not say "X is a …"; longest first.
const KindNoun kKinds[] = {
    {"dental clinic", "patients"},
    {"dental practice", "patients"},
    {"veterinary clinic", "pet owners"},
    {"physiotherapy clinic", "patients"},
    {"law firm", "clients"},
    {"estate agent", "buyers and sellers"},
    {"coffee shop", "customers"},
    {"bakery", "customers"},
    {"dentist", "patients"},
    {"clinic", "patients"},
    {"pharmacy", "patients"},
    {"restaurant", "guests"},
    {"cafe", "customers"},
    {"hotel", "guests"},
    {"salon", "clients"},
    {"spa", "guests"},
    {"gym", "members"},
    {"studio", "members"},
    {"nursery", "parents"},
    {"school", "parents"},
    {"agency", "clients"},
    {"accountants", "clients"},
    {"garage", "drivers"},
    {"plumber", "homeowners"},
    {"florist", "customers"},
    {"brewery", "customers"},
    {"boutique", "shoppers"},
    {"store", "shoppers"},
    {"shop", "customers"},
    {"practice", "clients"},
    {"firm", "clients"},
};

QString audienceFor(const QString &kind)
{
    const QString lower = kind.toLower();
    for (const KindNoun &k : kKinds) {
        if (lower.contains(QLatin1String(k.noun)))
            return QLatin1String(k.audience);
    }
    return QStringLiteral("customers");
}

QString cleanValue(QString value)
{
    value = value.trimmed();
    while (!value.isEmpty() && QStringLiteral(".,;:").contains(value.back()))
        value.chop(1);
    return value.trimmed();
}

// "family dental clinic in Leeds that …" → kind "family dental clinic", location "Leeds".
void splitKind(const QString &description, Topic &topic)
{
    static const QRegularExpression inPlace(QStringLiteral(
        "\\b(?:in|based in|located in|serving)\\s+((?:[A-Z][\\w'-]+)(?:\\s+[A-Z][\\w'-]+){0,2})"));
    static const QRegularExpression cut(
        QStringLiteral("\\s+(?:in|that|which|with|for|serving|who|based|located|since|and)\\s+|[,;(]"));
    const auto place = inPlace.match(description);
    if (place.hasMatch() && topic.location.isEmpty())
        topic.location = place.captured(1);
    QString kind = description;
    const auto c = cut.match(kind);
    if (c.hasMatch())
        kind.truncate(c.capturedStart());
    QStringList words = kind.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() > 5)
        words = words.mid(words.size() - 5);
    kind = cleanValue(words.join(QLatin1Char(' ')));
    if (!kind.isEmpty() && topic.kind.isEmpty())
        topic.kind = kind.toLower();
}

QString subjectFrom(const QString &title)
{
    static const QRegularExpression prefix(
        QStringLiteral("^\\s*([^:—–]{0,60}?)\\s*(?::|—|–|\\s-\\s)\\s*(.+)$"));
    static const QRegularExpression typeWords(
        QStringLiteral(
            "\\b(post|blog|article|email|newsletter|ad|ads|copy|audit|report|research|plan|backlink|outreach|"
            "write|writing|draft|gbp|social|linkedin|instagram|facebook|tiktok|twitter)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = prefix.match(title);
    if (m.hasMatch() && typeWords.match(m.captured(1)).hasMatch())
        return cleanValue(m.captured(2));
    return cleanValue(title);
}

QStringList frequentWords(const QString &text, const QString &excluded)
{
    static const QRegularExpression word(QStringLiteral("[A-Za-z][A-Za-z'-]{3,}"));
    QSet<QString> nameWords;
    for (const QString &w : excluded.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts))
        nameWords.insert(w);
    QHash<QString, int> count;
    QHash<QString, int> first;
    QHash<QString, int> pairs;
    QHash<QString, QString> surface;
    int index = 0;
    qsizetype lastEnd = -1;
    QString previous;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        const QString w = m.captured().toLower();
        ++index;
        // A capital in mid-sentence marks a name ("Invisalign"): keep it as written.
        qsizetype before = m.capturedStart() - 1;
        while (before >= 0 && text.at(before) == u' ')
            --before;
        if (m.captured().at(0).isUpper() && before >= 0
            && !QStringLiteral(".!?:\n-*#").contains(text.at(before)))
            surface.insert(w, m.captured());
        const bool adjacent = lastEnd >= 0 && m.capturedStart() == lastEnd + 1 && text.at(lastEnd) == u' ';
        lastEnd = m.capturedEnd();
        if (stopWords().contains(w) || nameWords.contains(w) || w.endsWith(QLatin1String("'s"))) {
            previous.clear();
            continue;
        }
        if (adjacent && !previous.isEmpty()) {
            const QString pair = previous + QLatin1Char(' ') + w;
            pairs[pair] += 1;
            if (!first.contains(pair))
                first.insert(pair, index - 1);
        }
        previous = w;
        count[w] += 1;
        if (!first.contains(w))
            first.insert(w, index);
    }
    // A phrase said twice ("teeth whitening") says more than its words alone.
    for (auto it = pairs.begin(); it != pairs.end(); ++it) {
        if (it.value() < 2)
            continue;
        count.insert(it.key(), it.value() + 1);
        for (const QString &part : it.key().split(QLatin1Char(' ')))
            count.remove(part);
    }
    QStringList words = count.keys();
    std::sort(words.begin(), words.end(), [&](const QString &a, const QString &b) {
        if (count.value(a) != count.value(b))
            return count.value(a) > count.value(b);
        return first.value(a) < first.value(b);
    });
    // Words said more than once are the topic; single mentions only fill up a short list.
    QStringList keywords;
    for (const QString &w : words) {
        if (count.value(w) >= 2 ? keywords.size() < 4 : keywords.size() < 2)
            keywords.append(surface.value(w, w));
    }
    return keywords;
}

} // namespace

Rng::Rng(std::uint64_t seed)
{
    std::uint64_t state = seed;
    for (std::uint64_t &s : m_s)
        s = splitmix64(state);
}

std::uint64_t Rng::next()
{
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

int Rng::range(int lo, int hi)
{
    if (hi <= lo)
        return lo;
    const std::uint64_t span = std::uint64_t(hi - lo) + 1;
    return lo + int(next() % span); // the modulo bias is far below anything a test could see
}

double Rng::unit()
{
    return double(next() >> 11) * 0x1.0p-53;
}

std::uint64_t hash64(QByteArrayView bytes)
{
    std::uint64_t h = 0xCBF29CE484222325ULL;
    for (const char c : bytes) {
        h ^= std::uint8_t(c);
        h *= 0x100000001B3ULL;
    }
    return h;
}

QString Topic::name() const
{
    if (!business.isEmpty())
        return business;
    return kind == u"business" ? QStringLiteral("our team") : QStringLiteral("our ") + kind;
}

Topic extractTopic(const QString &title, const QList<ChatMessage> &messages)
{
    Topic topic;
    // The brief is what the users wrote; the system prompt describes the agent, not the business.
    QStringList lines;
    for (const ChatMessage &m : messages) {
        if (m.role == u"system")
            continue;
        for (const QString &line : m.content.split(QLatin1Char('\n'))) {
            if (!line.trimmed().startsWith(QLatin1String("Wake reason:"), Qt::CaseInsensitive))
                lines.append(line);
        }
    }
    const QString brief = lines.join(QLatin1Char('\n'));

    static const QRegularExpression label(
        QStringLiteral(
            "^\\s*[-*]?\\s*(business name|business|company|brand|client|industry|business type|location|city|"
            "area|target audience|audience|keywords|focus keywords|keyword|platform|channel)\\s*:\\s*(.+)$"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::MultilineOption);
    for (auto it = label.globalMatch(brief); it.hasNext();) {
        const auto m = it.next();
        const QString key = m.captured(1).toLower();
        const QString value = cleanValue(m.captured(2));
        if (value.isEmpty())
            continue;
        if (key == u"business name" || key == u"business" || key == u"company" || key == u"brand"
            || key == u"client")
            topic.business = value;
        else if (key == u"industry" || key == u"business type")
            splitKind(value, topic);
        else if (key == u"location" || key == u"city" || key == u"area")
            topic.location = value;
        else if (key.endsWith(QLatin1String("audience")))
            topic.audience = value;
        else if (key.startsWith(QLatin1String("keyword")) || key == u"focus keywords") {
            for (const QString &k : value.split(QRegularExpression(QStringLiteral("[,;]"))))
                if (!cleanValue(k).isEmpty())
                    topic.keywords.append(cleanValue(k).toLower());
        } else
            topic.platform = value.toLower();
    }

    // "Bright Smile Dental is a family dental clinic in Leeds …"
    static const QRegularExpression isA(QStringLiteral(
        "\\b([A-Z][\\w'&.-]*(?:\\s+(?:[A-Z][\\w'&.-]*|&|of|the)){0,4})\\s+(?:is|are)\\s+(?:an?|the)\\s+"
        "([^.;\\n]{3,100})"));
    const auto m = isA.match(brief);
    if (m.hasMatch()) {
        if (topic.business.isEmpty())
            topic.business = cleanValue(m.captured(1));
        splitKind(m.captured(2), topic);
    }
    const QString lowerAll = (title + QLatin1Char('\n') + brief).toLower();
    if (topic.kind.isEmpty()) {
        for (const KindNoun &k : kKinds) {
            if (lowerAll.contains(QLatin1String(k.noun))) {
                topic.kind = QLatin1String(k.noun);
                break;
            }
        }
    }
    if (topic.location.isEmpty()) {
        static const QRegularExpression basedIn(
            QStringLiteral("\\b(?:based in|located in)\\s+([A-Z][\\w'-]+(?:\\s+[A-Z][\\w'-]+)?)"));
        const auto b = basedIn.match(brief);
        if (b.hasMatch())
            topic.location = b.captured(1);
    }
    if (topic.kind.isEmpty())
        topic.kind = QStringLiteral("business");
    if (topic.audience.isEmpty())
        topic.audience = audienceFor(topic.kind);

    topic.subject = subjectFrom(title);
    if (topic.keywords.isEmpty())
        topic.keywords = frequentWords(brief + QLatin1Char('\n') + title,
            QStringList {topic.business, topic.location, topic.kind, topic.audience}.join(QLatin1Char(' ')));
    if (topic.keywords.isEmpty())
        topic.keywords = {topic.kind == u"business" ? QStringLiteral("marketing") : topic.kind};
    if (topic.subject.isEmpty())
        topic.subject = topic.keywords.first() + QStringLiteral(" tips");

    if (topic.platform.isEmpty()) {
        for (const char *p : {"linkedin", "instagram", "facebook", "tiktok", "twitter"}) {
            if (lowerAll.contains(QLatin1String(p))) {
                topic.platform = QLatin1String(p);
                break;
            }
        }
    }
    return topic;
}

QStringList contentTypes()
{
    return {QStringLiteral("blog_post"), QStringLiteral("social_post"), QStringLiteral("gbp_post"),
        QStringLiteral("ad_copy"), QStringLiteral("email_newsletter"), QStringLiteral("backlink"),
        QStringLiteral("website_audit"), QStringLiteral("performance_report"), QStringLiteral("research"),
        QStringLiteral("plan")};
}

QString generateContent(const QString &activityType, const Topic &topic, Rng &rng)
{
    Writer w(topic, rng);
    if (activityType == u"blog_post")
        return blogPost(w);
    if (activityType == u"social_post")
        return socialPost(w);
    if (activityType == u"gbp_post")
        return gbpPost(w);
    if (activityType == u"ad_copy")
        return adCopy(w);
    if (activityType == u"email_newsletter")
        return emailNewsletter(w);
    if (activityType == u"backlink")
        return backlinkPlan(w);
    if (activityType == u"website_audit")
        return websiteAudit(w);
    if (activityType == u"performance_report")
        return performanceReport(w);
    if (activityType == u"research")
        return researchNotes(w);
    if (activityType == u"plan")
        return workPlan(w);
    return genericDocument(w);
}

QStringList directionOptions(const Topic &topic, Rng &rng)
{
    Writer w(topic, rng);
    return w.fresh({QStringLiteral("A practical how-to guide on {kw} for {aud}"),
                       QStringLiteral("A story-led piece featuring the {biz} team and a real {aud} question"),
                       QStringLiteral("A myth-busting Q&A about {kw}"),
                       QStringLiteral("A local angle: {kw} {inloc}, with seasonal tips"),
                       QStringLiteral("A short checklist {aud} can save and share")},
        rng.range(2, 3));
}

QString generateDirectionProposal(
    const QString &activityType, const Topic &topic, const QStringList &options, Rng &rng)
{
    Writer w(topic, rng);
    QString text = QStringLiteral("# Content direction: %1\n\n").arg(titleCase(topic.subject));
    text += w.fill(QStringLiteral("Before I draft the %1 for {biz}, I would like a decision on the angle. "
                                  "Each option suits {aud} {inloc}; they differ in tone and length.\n\n")
                       .arg(QString(activityType).replace(QLatin1Char('_'), QLatin1Char(' '))));
    for (qsizetype i = 0; i < options.size(); ++i)
        text += QStringLiteral("%1. **%2**\n").arg(i + 1).arg(options.at(i));
    text += QStringLiteral("\nMy recommendation is option %1. ").arg(rng.range(1, int(options.size())));
    text += w.any({QStringLiteral("It answers the questions {aud} ask most about {kw}.\n"),
        QStringLiteral("It gives {biz} the clearest path to a booking.\n"),
        QStringLiteral("It is the easiest to reuse across channels.\n")});
    return text;
}

QStringList splitIntoTokens(const QString &text)
{
    QStringList tokens;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const qsizetype start = i;
        while (i < n && text.at(i).isSpace())
            ++i;
        const qsizetype wordStart = i;
        while (i < n && !text.at(i).isSpace())
            ++i;
        qsizetype end = i;
        // Long words go out in 4-character pieces, as a tokenizer would; never split a surrogate pair.
        if (end - wordStart > 6) {
            end = wordStart + 4;
            if (text.at(end - 1).isHighSurrogate())
                ++end;
            i = end;
        }
        tokens.append(text.mid(start, end - start));
    }
    return tokens;
}

int wordCount(const QString &text)
{
    static const QRegularExpression word(QStringLiteral("[\\w'-]+"));
    int count = 0;
    for (auto it = word.globalMatch(text); it.hasNext(); it.next())
        ++count;
    return count;
}

} // namespace lm::agents::sim
