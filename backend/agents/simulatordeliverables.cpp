// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's deliverables: one generator per activity type, each a Markdown document in the
// shape a reviewer expects (headings, tables, limits), filled from the brief's topic.
#include "agents/simulatorwriter.h"

#include <utility>

namespace lm::agents::sim {

namespace {

// Body sentences for prose deliverables; each about 12–20 words.
const QStringList &bodySentences()
{
    static const QStringList s = {
        QStringLiteral(
            "{Aud} often tell us that {kw} is the first thing they think about when choosing a {kind}."),
        QStringLiteral(
            "At {biz}, we have seen how a little planning around {kw} saves time and money later on."),
        QStringLiteral("The good news is that you do not need to be an expert to get {kw} right."),
        QStringLiteral("A clear routine makes {kw} easier to manage, even in the busiest weeks of the year."),
        QStringLiteral("Many {aud} {inloc} put off asking about {kw} until it suddenly becomes urgent."),
        QStringLiteral("Small, regular steps beat one big effort, and {kw} is no exception to that rule."),
        QStringLiteral("If you are unsure where to start, ask a {kind} you trust for a quick, honest check."),
        QStringLiteral("We recommend writing down your questions about {kw} before your next visit, so "
                       "nothing is forgotten."),
        QStringLiteral(
            "Prices vary, but being clear about what is included up front avoids unwelcome surprises."),
        QStringLiteral(
            "Reviews from other {aud} are a useful guide, but your own needs should always come first."),
        QStringLiteral(
            "The best results usually come from combining {kw} with a sensible approach to {kw2}."),
        QStringLiteral("Think of {kw} as an investment that pays back over months, not days or weeks."),
        QStringLiteral(
            "Our team at {biz} answers questions about {kw} every week, so no question is too basic."),
        QStringLiteral("Timing matters: the earlier you plan for {kw}, the more options you will have."),
        QStringLiteral("It helps to compare two or three options side by side before you make a decision."),
        QStringLiteral("Most problems with {kw} come from a handful of habits that are easy to avoid once "
                       "you know them."),
        QStringLiteral(
            "Local knowledge counts, and {aud} {inloc} have needs that national advice rarely covers."),
        QStringLiteral("A short conversation often clears up more than an hour of searching online."),
        QStringLiteral("Keep track of what works for you, so you can repeat it with confidence next time."),
        QStringLiteral("When in doubt, choose the option that is simple to keep up over the long term."),
        QStringLiteral(
            "{biz} keeps things straightforward: clear advice, fair prices and no pressure to commit."),
        QStringLiteral(
            "The details of {kw} can feel technical at first, but the principles behind it are simple."),
        QStringLiteral("Asking the right questions early leads to better decisions about {kw2} later."),
        QStringLiteral(
            "Seasonal changes can affect {kw}, so it is worth reviewing your plans every few months."),
        QStringLiteral(
            "What works for one person may not suit another, which is why a tailored plan matters."),
        QStringLiteral(
            "We see the same pattern again and again: people who plan ahead spend less and worry less."),
        QStringLiteral(
            "There is a lot of conflicting advice about {kw} online, and not all of it is reliable."),
        QStringLiteral(
            "A good {kind} will explain your options in plain language and let you decide in your own time."),
        QStringLiteral("If budget is a concern, ask about staged options that spread the cost sensibly."),
        QStringLiteral("Quality rarely comes from rushing, so give yourself enough time to get {kw} right."),
        QStringLiteral(
            "The right choice depends on your goals, your timeline and how much effort you want to put in."),
        QStringLiteral(
            "It is easy to overlook {kw2}, yet it often makes the biggest difference to the end result."),
        QStringLiteral(
            "We always suggest starting with the basics before moving on to anything more advanced."),
        QStringLiteral("{Aud} who stay in touch with us between visits tend to get the most out of {kw}."),
        QStringLiteral(
            "Clear information helps everyone, so we publish straightforward guides like this one."),
        QStringLiteral(
            "A little curiosity goes a long way: ask why a recommendation is made, not just what it is."),
        QStringLiteral(
            "Every {kind} works a little differently, so ask how {biz} would handle your situation."),
        QStringLiteral("Honest expectations matter more than promises, especially where {kw} is concerned."),
        QStringLiteral("A few minutes of preparation before an appointment makes the time far more useful."),
        QStringLiteral(
            "We would rather explain the options twice than have anyone feel rushed into a decision."),
        QStringLiteral(
            "Word of mouth still matters {inloc}, and most of our {aud} come to us through a friend."),
        QStringLiteral("Results build over time, so judge {kw} by the trend rather than by a single week."),
        QStringLiteral("If something feels unclear, that is a sign to ask, not a sign to give up."),
        QStringLiteral("Practical advice beats theory: start with what you can do this week."),
    };
    return s;
}

const QStringList &bulletItems()
{
    static const QStringList s = {
        QStringLiteral("Set one simple goal for {kw} and review it every month"),
        QStringLiteral("Ask {biz} about options that fit your budget"),
        QStringLiteral("Compare at least two approaches to {kw2} before deciding"),
        QStringLiteral("Read recent reviews from {aud} {inloc}"),
        QStringLiteral("Keep short notes on what you tried and what changed"),
        QStringLiteral("Book a short consultation before making big changes"),
        QStringLiteral("Avoid quick fixes that promise instant results"),
        QStringLiteral("Check exactly what is included in the price"),
        QStringLiteral("Plan around busy seasons to avoid waiting lists"),
        QStringLiteral("Send your questions to the team in advance"),
        QStringLiteral("Look for clear, written aftercare or follow-up advice"),
        QStringLiteral("Revisit your plan for {kw} after three months"),
    };
    return s;
}

const QStringList &headings()
{
    static const QStringList s = {
        QStringLiteral("Why {kw} matters"),
        QStringLiteral("What {aud} should know about {kw}"),
        QStringLiteral("How {biz} approaches {kw}"),
        QStringLiteral("Common mistakes with {kw}"),
        QStringLiteral("A simple checklist for {kw2}"),
        QStringLiteral("What to expect {inloc}"),
        QStringLiteral("Questions we hear most often"),
        QStringLiteral("Making {kw} part of your routine"),
        QStringLiteral("Getting value for money"),
    };
    return s;
}

QString heading(Writer &w, const QString &tpl)
{
    return QStringLiteral("## ") + titleCase(w.fill(tpl)) + QStringLiteral("\n\n");
}

QString platformLabel(const QString &platform)
{
    if (platform == u"linkedin")
        return QStringLiteral("LinkedIn");
    if (platform == u"tiktok")
        return QStringLiteral("TikTok");
    if (platform == u"twitter")
        return QStringLiteral("X (Twitter)");
    return capitalized(platform);
}

QStringList hashtags(Writer &w, int count)
{
    const Topic &t = w.topic();
    QStringList candidates;
    if (t.kind != u"business")
        candidates.append(hashtag(t.kind));
    if (!t.location.isEmpty())
        candidates.append(hashtag(t.location));
    for (const QString &k : t.keywords)
        candidates.append(hashtag(k));
    if (!t.business.isEmpty())
        candidates.append(hashtag(t.business));
    candidates.append(hashtag(QStringLiteral("small business")));
    candidates.append(hashtag(QStringLiteral("local ") + t.audience.section(QLatin1Char(' '), 0, 0)));
    candidates.removeDuplicates();
    return candidates.mid(0, count);
}

} // namespace

QString blogPost(Writer &w)
{
    Rng &rng = w.rng();
    QString text = QStringLiteral("# ") + titleCase(w.topic().subject) + QStringLiteral("\n\n");
    text += w.any({QStringLiteral(
                       "Choosing the right {kind} {inloc} is easier when you know what to look for. "
                       "In this guide, {biz} walks through {subject}, with practical tips you can use "
                       "straight away."),
                QStringLiteral(
                    "If you have ever wondered about {subject}, you are not alone. Here {biz} shares what "
                    "we have learned from years of helping {aud} {inloc}."),
                QStringLiteral(
                    "{Subject} is one of the topics {aud} ask us about most. This article sets out the "
                    "essentials in plain language, so you can make a confident decision.")})
        + QLatin1Char(' ') + w.paragraph(bodySentences(), 3) + QStringLiteral("\n\n");

    const int sections = rng.range(3, 5);
    const QStringList titles = w.fresh(headings(), sections);
    QStringList blocks;
    for (int i = 0; i < sections; ++i) {
        QString block = QStringLiteral("## ") + titleCase(titles.at(i)) + QStringLiteral("\n\n");
        block += w.paragraph(bodySentences(), rng.range(4, 5)) + QStringLiteral("\n\n");
        if (i % 2 == 0 || i == sections - 1)
            block += w.bullets(bulletItems(), rng.range(3, 5)) + QLatin1Char('\n');
        block += w.paragraph(bodySentences(), rng.range(3, 5)) + QStringLiteral("\n\n");
        blocks.append(block);
    }
    // Short drafts get another paragraph per section until they reach a proper article length.
    for (qsizetype i = 0; wordCount(text + blocks.join(QString())) < 680 && i < blocks.size(); ++i)
        blocks[i] += w.paragraph(bodySentences(), 4) + QStringLiteral("\n\n");
    text += blocks.join(QString());

    text += heading(w,
        rng.pick(QStringList {
            QStringLiteral("Conclusion"), QStringLiteral("The bottom line"), QStringLiteral("Wrapping up")}));
    text += w.any({QStringLiteral("{Subject} does not have to be complicated."),
                QStringLiteral("There is no single right answer, but there is always a sensible next step.")})
        + QLatin1Char(' ')
        + w.fill(QStringLiteral("With a little planning and the right partner, {aud} {inloc} can get great "
                                "results from {kw}."))
        + QLatin1Char(' ') + w.paragraph(bodySentences(), 1) + QStringLiteral("\n\n");
    text += w.any({QStringLiteral(
                       "**Ready to take the next step?** Contact {biz} today to book a visit or ask a "
                       "question about {kw}.\n"),
        QStringLiteral("**Have a question about {kw}?** Call {biz} or book online, and we will be happy to "
                       "help.\n"),
        QStringLiteral(
            "**Talk to {biz}.** Book a free, no-pressure chat about {kw} with our team {inloc}.\n")});
    return text;
}

QString socialPost(Writer &w)
{
    Rng &rng = w.rng();
    QString platform = w.topic().platform;
    if (platform.isEmpty() || platform == u"x")
        platform = platform == u"x" ? QStringLiteral("twitter")
                                    : rng.pick(QStringList {QStringLiteral("linkedin"),
                                        QStringLiteral("facebook"), QStringLiteral("instagram")});
    QString copy;
    int tags = 3;
    const QStringList hooks = {QStringLiteral("Did you know most {aud} wait too long to ask about {kw}?"),
        QStringLiteral("Quick tip from the {biz} team: {kw} is easier than you think."),
        QStringLiteral("New this month at {biz}: a simpler way to sort out {kw}."),
        QStringLiteral("Three things we wish every {aud} knew about {kw}.")};
    if (platform == u"twitter") {
        copy = w.any(hooks) + QLatin1Char(' ')
            + w.fill(QStringLiteral("Book a quick chat with {biz} {inloc}."));
        copy = fitTo(copy, 230);
        tags = 2;
    } else if (platform == u"linkedin") {
        copy = w.any(hooks) + QStringLiteral("\n\n") + w.paragraph(bodySentences(), 3)
            + QStringLiteral("\n\n")
            + w.fill(
                QStringLiteral("At {biz}, we help {aud} {inloc} with {kw} every day. What is your biggest "
                               "question about it? Tell us in the comments."));
        tags = rng.range(3, 5);
    } else if (platform == u"instagram" || platform == u"tiktok") {
        copy = w.any(hooks) + QStringLiteral("\n\n") + w.bullets(bulletItems(), 3)
            + w.fill(QStringLiteral(
                "\nSave this post and tag a friend who needs it. Link in bio to book with {biz}."));
        tags = rng.range(5, 7);
    } else {
        copy = w.any(hooks) + QStringLiteral("\n\n") + w.paragraph(bodySentences(), 2)
            + QStringLiteral("\n\n")
            + w.fill(
                QStringLiteral("Message {biz} or call us to book. What would you like to know about {kw}?"));
    }
    QString text = QStringLiteral("**Platform:** %1\n\n").arg(platformLabel(platform));
    text += copy + QStringLiteral("\n\n") + hashtags(w, tags).join(QLatin1Char(' ')) + QStringLiteral("\n\n");
    text += QStringLiteral("**Suggested visual:** ")
        + w.any({QStringLiteral("A bright photo of the {biz} team at work, natural light, no stock imagery."),
            QStringLiteral("A simple branded graphic with the three tips as short lines of text."),
            QStringLiteral("A short clip showing a typical visit to {biz}, with captions.")})
        + QLatin1Char('\n');
    return text;
}

QString gbpPost(Writer &w)
{
    Rng &rng = w.rng();
    const QString type
        = rng.pick(QStringList {QStringLiteral("Update"), QStringLiteral("Offer"), QStringLiteral("Event")});
    QString text = QStringLiteral("# Google Business Profile post\n\n**Post type:** %1\n\n").arg(type);
    text += QStringLiteral("**Headline:** ")
        + fitTo(w.any({QStringLiteral("{Kw} at {biz}"), QStringLiteral("New: {kw} appointments {inloc}"),
                    QStringLiteral("This month at {biz}")}),
            58)
        + QStringLiteral("\n\n");
    const QString body = w.any({QStringLiteral("{biz} is now taking bookings for {kw} {inloc}."),
                             QStringLiteral("Good news from {biz}: more appointments for {kw} this month."),
                             QStringLiteral("At {biz}, we have made {kw} simpler for {aud} {inloc}.")})
        + QLatin1Char(' ') + w.paragraph(bodySentences(), 2) + QLatin1Char(' ')
        + w.any({QStringLiteral("Book online or call us today."),
            QStringLiteral("Spaces are limited, so book early to secure your preferred time."),
            QStringLiteral("Drop in or call the team to find out more.")});
    text += fitTo(body, 1500) + QStringLiteral("\n\n");
    if (type == u"Offer")
        text += QStringLiteral("**Offer:** %1% off your first %2 booking, valid for 30 days\n\n")
                    .arg(rng.range(1, 3) * 5)
                    .arg(w.topic().keywords.first());
    text += QStringLiteral("**Button:** ")
        + rng.pick(
            QStringList {QStringLiteral("Book"), QStringLiteral("Call now"), QStringLiteral("Learn more")})
        + QLatin1Char('\n');
    return text;
}

QString adCopy(Writer &w)
{
    const QStringList headlineTemplates = {QStringLiteral("{biz}"), QStringLiteral("{Kind} in {loc}"),
        QStringLiteral("Book Your Visit Today"), QStringLiteral("Trusted Local {Kind}"),
        QStringLiteral("{Kw} Made Simple"), QStringLiteral("Expert {Kw}"),
        QStringLiteral("Friendly Local Team"), QStringLiteral("Honest Prices, No Surprises"),
        QStringLiteral("Free First Consultation"), QStringLiteral("Call {biz} Today"),
        QStringLiteral("Top-Rated {Kind}"), QStringLiteral("{Kw} Near You"),
        QStringLiteral("Open 6 Days a Week"), QStringLiteral("Get a Quote Today"),
        QStringLiteral("Book Online in 60s")};
    const QStringList descriptionTemplates
        = {QStringLiteral("{biz} helps {aud} {inloc} with {kw}. Book a visit online today."),
            QStringLiteral("Clear advice, fair prices and a friendly team. Ask us about {kw} today."),
            QStringLiteral("Trusted by {aud} {inloc}. Same-week appointments for {kw}. Book now."),
            QStringLiteral("No pressure, no jargon: just honest help with {kw}. Call {biz}."),
            QStringLiteral("Flexible times, easy online booking and expert help with {kw2}."),
            QStringLiteral("See why {aud} choose {biz}. Read our reviews and book your visit.")};
    QStringList headlines;
    for (const QString &h : w.fresh(headlineTemplates, int(headlineTemplates.size()))) {
        const QString fitted = fitTo(titleCase(h), 30);
        if (!fitted.isEmpty() && !headlines.contains(fitted))
            headlines.append(fitted);
    }
    headlines = headlines.mid(0, w.rng().range(8, 12));
    QStringList descriptions;
    for (const QString &d : w.fresh(descriptionTemplates, 4))
        descriptions.append(fitTo(d, 90));

    QString text = QStringLiteral("# Search ad copy: %1\n\n").arg(titleCase(w.topic().subject));
    text
        += w.fill(QStringLiteral("Responsive search ad for {biz}, aimed at {aud} searching for {kw} {inloc}. "
                                 "Pin headline 1 to position 1; let the rest rotate.\n\n"));
    QList<QStringList> rows;
    for (qsizetype i = 0; i < headlines.size(); ++i)
        rows.append({QString::number(i + 1), headlines.at(i), QString::number(headlines.at(i).size())});
    text += QStringLiteral("## Headlines (max 30 characters)\n\n")
        + table({QStringLiteral("#"), QStringLiteral("Headline"), QStringLiteral("Characters")}, rows)
        + QLatin1Char('\n');
    rows.clear();
    for (qsizetype i = 0; i < descriptions.size(); ++i)
        rows.append({QString::number(i + 1), descriptions.at(i), QString::number(descriptions.at(i).size())});
    text += QStringLiteral("## Descriptions (max 90 characters)\n\n")
        + table({QStringLiteral("#"), QStringLiteral("Description"), QStringLiteral("Characters")}, rows)
        + QLatin1Char('\n');
    text += QStringLiteral("## Notes\n\n")
        + w.bullets({QStringLiteral("Add negative keywords for jobs and training searches"),
                        QStringLiteral("Use location targeting around {loc} with a sensible radius"),
                        QStringLiteral("Send traffic to the {kw} landing page, not the home page"),
                        QStringLiteral("Test an offer-led headline against a trust-led one for two weeks")},
            3);
    return text;
}

QString emailNewsletter(Writer &w)
{
    Rng &rng = w.rng();
    QString text = QStringLiteral("**Subject line:** ")
        + fitTo(w.any({QStringLiteral("Your {kw} questions, answered"),
                    QStringLiteral("{Kw}: what's new at {biz} this month"),
                    QStringLiteral("3 simple tips for {kw}")}),
            60)
        + QStringLiteral("\n**Preheader:** ")
        + fitTo(w.any({QStringLiteral("Plain advice from the {biz} team, plus a little something for you."),
                    QStringLiteral("What {aud} {inloc} are asking us, and our answers.")}),
            100)
        + QStringLiteral("\n\n");
    text += QStringLiteral("# ") + titleCase(w.topic().subject) + QStringLiteral("\n\nHi there,\n\n");
    text += w.paragraph(bodySentences(), 3) + QStringLiteral("\n\n");
    const int sections = rng.range(2, 3);
    for (const QString &h : w.fresh(headings(), sections)) {
        text += QStringLiteral("## ") + titleCase(h) + QStringLiteral("\n\n");
        text += w.paragraph(bodySentences(), rng.range(2, 3)) + QStringLiteral("\n\n");
    }
    text += w.fill(QStringLiteral("**[Book your visit with {biz}](#book)**\n\n"));
    text += w.fill(QStringLiteral("Thanks for reading,  \nThe {biz} team\n\n"));
    text += QStringLiteral("_You are receiving this because you signed up for updates. "
                           "[Unsubscribe](#unsubscribe)._\n");
    return text;
}

QString backlinkPlan(Writer &w)
{
    Rng &rng = w.rng();
    const Topic &t = w.topic();
    auto slug = [](const QString &s) {
        QString out;
        for (const QChar c : s.toLower()) {
            if (c.isLetterOrNumber())
                out += c;
        }
        return out;
    };
    const QString place = slug(t.location.isEmpty() ? QStringLiteral("local") : t.location);
    const QList<QStringList> kinds = {{QStringLiteral("Local news"), QStringLiteral("news")},
        {QStringLiteral("Community guide"), QStringLiteral("guide")},
        {QStringLiteral("Industry blog"), QStringLiteral("insider")},
        {QStringLiteral("Business directory"), QStringLiteral("directory")},
        {QStringLiteral("Lifestyle magazine"), QStringLiteral("living")},
        {QStringLiteral("Podcast"), QStringLiteral("podcast")},
        {QStringLiteral("Supplier partner"), QStringLiteral("partners")}};
    const QStringList angles = {QStringLiteral("Expert quote on {kw}"),
        QStringLiteral("Guest article: {subject}"), QStringLiteral("Listing with link to the {kw} page"),
        QStringLiteral("Local success story about {biz}"), QStringLiteral("Seasonal tips for {aud}"),
        QStringLiteral("Interview with the {biz} team")};
    QList<QStringList> rows;
    const int count = rng.range(5, 7);
    for (int i = 0; i < count; ++i) {
        const QStringList &k = kinds.at(i % kinds.size());
        const QString domain = (i % 2 == 0 ? place : slug(t.keywords.at(i % t.keywords.size()))) + k.at(1)
            + QStringLiteral(".example");
        rows.append({domain, k.at(0), QString::number(rng.range(18, 64)), w.any(angles)});
    }
    QString text = QStringLiteral("# Backlink outreach plan: %1\n\n").arg(titleCase(t.subject));
    text += w.fill(
        QStringLiteral("Goal: earn links from sites {aud} {inloc} already read, pointing at {biz}'s "
                       "pages about {kw}.\n\n"));
    text += QStringLiteral("## Outreach targets\n\n")
        + table({QStringLiteral("Site"), QStringLiteral("Type"), QStringLiteral("Domain rating"),
                    QStringLiteral("Angle")},
            rows)
        + QLatin1Char('\n');
    text += QStringLiteral("## Pitch email\n\n**Subject:** ")
        + w.any({QStringLiteral("A story idea for your readers: {kw}"),
            QStringLiteral("Expert tips on {kw} for {aud} {inloc}")})
        + QStringLiteral("\n\nHi [First name],\n\n");
    text += w.fill(QStringLiteral("I'm writing from {biz}, a {kind} {inloc}. I enjoyed your recent piece and "
                                  "thought your readers might like a practical angle on {kw}.\n\n"));
    text += w.fill(QStringLiteral(
                "We could offer a short guest article or an expert quote, with no cost to you. "
                "A few ideas:\n\n"))
        + w.bullets(angles, 3) + QLatin1Char('\n');
    text += QStringLiteral("Would any of these work for you? Happy to fit your format and deadlines.\n\n");
    text += w.fill(QStringLiteral("Best regards,  \n[Your name]  \n{biz}\n\n"));
    text += QStringLiteral("## Follow-up\n\n")
        + w.bullets({QStringLiteral("Send one polite follow-up after 5 working days"),
                        QStringLiteral("Log replies and agreed links in the outreach sheet"),
                        QStringLiteral("Check each published link is followed and points at the right page"),
                        QStringLiteral("Thank every publisher and share the piece on {biz}'s channels")},
            3);
    return text;
}

QString websiteAudit(Writer &w)
{
    Rng &rng = w.rng();
    struct Finding
    {
        QString area;
        QString finding;
        QString severity;
    };
    const QList<Finding> bank = {
        {QStringLiteral("Performance"),
            QStringLiteral("Largest Contentful Paint is {s} s on mobile (target under 2.5 s)"),
            QStringLiteral("High")},
        {QStringLiteral("SEO"), QStringLiteral("{n} pages are missing meta descriptions"),
            QStringLiteral("Medium")},
        {QStringLiteral("SEO"), QStringLiteral("Title tags on {n} service pages do not mention {kw}"),
            QStringLiteral("Medium")},
        {QStringLiteral("Accessibility"), QStringLiteral("{n} images have no alt text"),
            QStringLiteral("Medium")},
        {QStringLiteral("Content"), QStringLiteral("No page targets \"{kw} {loc}\""), QStringLiteral("High")},
        {QStringLiteral("Technical"), QStringLiteral("{n} broken internal links"), QStringLiteral("High")},
        {QStringLiteral("Local SEO"),
            QStringLiteral("Address and phone differ between the footer and the Google Business Profile"),
            QStringLiteral("Medium")},
        {QStringLiteral("Mobile"), QStringLiteral("Tap targets on the booking form are too close together"),
            QStringLiteral("Low")},
        {QStringLiteral("Security"), QStringLiteral("Mixed-content warnings on {n} pages"),
            QStringLiteral("Medium")},
        {QStringLiteral("Conversion"),
            QStringLiteral("The main call to action sits below the fold on mobile"), QStringLiteral("High")},
        {QStringLiteral("Technical"), QStringLiteral("The XML sitemap lists {n} redirected URLs"),
            QStringLiteral("Low")},
        {QStringLiteral("Structured data"), QStringLiteral("No LocalBusiness schema on the contact page"),
            QStringLiteral("Low")},
        {QStringLiteral("Technical"), QStringLiteral("Checkout and booking pages are blocked in robots.txt"),
            QStringLiteral("Critical")},
    };
    QList<qsizetype> order;
    for (qsizetype i = 0; i < bank.size(); ++i)
        order.append(i);
    for (qsizetype i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[rng.range(0, int(i))]);
    const int count = rng.range(6, 9);
    QList<QStringList> rows;
    int high = 0;
    for (int i = 0; i < count; ++i) {
        const Finding &f = bank.at(order.at(i));
        if (f.severity == u"High" || f.severity == u"Critical")
            ++high;
        rows.append({QString::number(i + 1), f.area, w.fill(f.finding), f.severity});
    }
    QString text = w.fill(QStringLiteral("# Website audit: {biz}\n\n"));
    text += QStringLiteral(
        "**Overall score:** %1/100  \n**Pages crawled:** %2  \n**Issues found:** %3 (%4 high "
        "or critical)\n\n")
                .arg(rng.range(52, 84))
                .arg(rng.range(24, 180))
                .arg(count)
                .arg(high);
    text += QStringLiteral("## Summary\n\n")
        + w.fill(QStringLiteral(
            "The site works, but it is not yet pulling its weight for {kw}. Speed on mobile and "
            "a missing page for {kw} {inloc} cost {biz} visibility with {aud}; the fixes below "
            "are mostly quick.\n\n"));
    text += QStringLiteral("## Findings\n\n")
        + table({QStringLiteral("#"), QStringLiteral("Area"), QStringLiteral("Finding"),
                    QStringLiteral("Severity")},
            rows)
        + QLatin1Char('\n');
    text += QStringLiteral("## Recommendations\n\n");
    const QStringList recs
        = w.fresh({QStringLiteral("Compress hero images and lazy-load everything below the fold"),
                      QStringLiteral("Write a dedicated landing page for {kw} {inloc}"),
                      QStringLiteral("Add meta descriptions that mention {kw} and a clear benefit"),
                      QStringLiteral("Fix broken links and update the sitemap"),
                      QStringLiteral("Move the booking button into the first screen on mobile"),
                      QStringLiteral("Add LocalBusiness structured data with opening hours"),
                      QStringLiteral("Make the address and phone match the Google Business Profile")},
            rng.range(4, 6));
    for (qsizetype i = 0; i < recs.size(); ++i)
        text += QStringLiteral("%1. %2\n").arg(i + 1).arg(recs.at(i));
    text += QStringLiteral("\n## Next steps\n\n")
        + w.fill(QStringLiteral(
            "Fix the high-severity items first (about a day of work), then re-crawl in two weeks "
            "and compare scores.\n"));
    return text;
}

QString performanceReport(Writer &w)
{
    Rng &rng = w.rng();
    struct Kpi
    {
        QString name;
        qint64 current;
        qint64 previous;
        QString unit; // "", "%" (basis points), "$" (cents)
    };
    auto around = [&rng](qint64 base) { return base * rng.range(80, 125) / 100; };
    const qint64 sessions = rng.range(1200, 9000);
    const qint64 leads = rng.range(25, 180);
    const qint64 previousSessions = around(sessions);
    const qint64 previousLeads = around(leads);
    const QList<Kpi> kpis = {
        {QStringLiteral("Sessions"), sessions, previousSessions, QString()},
        {QStringLiteral("Organic clicks"), sessions * rng.range(35, 60) / 100,
            sessions * rng.range(35, 60) / 100, QString()},
        {QStringLiteral("Search impressions"), sessions * rng.range(9, 16), sessions * rng.range(9, 16),
            QString()},
        {QStringLiteral("Click-through rate"), rng.range(210, 640), rng.range(210, 640), QStringLiteral("%")},
        {QStringLiteral("Leads"), leads, previousLeads, QString()},
        {QStringLiteral("Conversion rate"), leads * 10000 / sessions,
            previousLeads * 10000 / previousSessions, QStringLiteral("%")},
        {QStringLiteral("Cost per lead"), rng.range(900, 6500), rng.range(900, 6500), QStringLiteral("$")},
    };
    auto format = [](qint64 v, const QString &unit) {
        if (unit == u"%")
            return QStringLiteral("%1.%2%").arg(v / 100).arg(v % 100, 2, 10, QLatin1Char('0'));
        if (unit == u"$")
            return QStringLiteral("$%1.%2").arg(grouped(v / 100)).arg(v % 100, 2, 10, QLatin1Char('0'));
        return grouped(v);
    };
    QList<QStringList> rows;
    for (const Kpi &k : kpis)
        rows.append({k.name, format(k.current, k.unit), format(k.previous, k.unit),
            percentChange(k.current, k.previous)});
    const Kpi &leadKpi = kpis.at(4);
    QString text = QStringLiteral("# Performance report: %1\n\n").arg(titleCase(w.topic().subject));
    text += QStringLiteral("**Period:** last 30 days compared with the previous 30 days\n\n");
    text += QStringLiteral("## Summary\n\n")
        + w.fill(QStringLiteral(
            "{biz} generated %1 leads this period (%2 on the previous period). Search "
            "visibility for {kw} moved the numbers most; paid and social traffic held steady.\n\n")
                     .arg(leadKpi.current)
                     .arg(percentChange(leadKpi.current, leadKpi.previous)));
    text += QStringLiteral("## KPIs\n\n")
        + table({QStringLiteral("Metric"), QStringLiteral("This period"), QStringLiteral("Previous period"),
                    QStringLiteral("Change")},
            rows)
        + QLatin1Char('\n');
    text += QStringLiteral("## Trends\n\n")
        + w.bullets({QStringLiteral("Searches for {kw} {inloc} rose through the month, peaking mid-week"),
                        QStringLiteral("Mobile now brings %1% of sessions").arg(rng.range(55, 78)),
                        QStringLiteral("The {kw} page converts best; the home page leaks visitors"),
                        QStringLiteral("Returning {aud} book faster than first-time visitors"),
                        QStringLiteral("Social posts about {kw2} drove the most profile visits")},
            rng.range(3, 4))
        + QLatin1Char('\n');
    text += QStringLiteral("## Next steps\n\n");
    const QStringList steps
        = w.fresh({QStringLiteral("Publish two more articles around {kw}"),
                      QStringLiteral("Test a shorter booking form on mobile"),
                      QStringLiteral("Shift 10% of ad budget to the best-converting campaign"),
                      QStringLiteral("Ask recent {aud} for reviews to lift local rankings"),
                      QStringLiteral("Refresh the landing page for {kw2}")},
            3);
    for (qsizetype i = 0; i < steps.size(); ++i)
        text += QStringLiteral("%1. %2\n").arg(i + 1).arg(steps.at(i));
    return text;
}

QString researchNotes(Writer &w)
{
    Rng &rng = w.rng();
    const Topic &t = w.topic();
    const QString loc = t.location.isEmpty() ? QStringLiteral("near me") : t.location.toLower();
    QList<QStringList> rows;
    const QStringList intents = {QStringLiteral("Local"), QStringLiteral("Commercial"),
        QStringLiteral("Informational"), QStringLiteral("Transactional")};
    QStringList phrases;
    for (const QString &k : t.keywords)
        phrases.append(k + QLatin1Char(' ') + loc);
    if (t.kind != u"business") {
        phrases.append(QStringLiteral("best ") + t.kind + QLatin1Char(' ') + loc);
        phrases.append(t.kind + QStringLiteral(" prices"));
    }
    phrases.append(QStringLiteral("how to choose a ") + t.kind);
    phrases.removeDuplicates();
    for (const QString &p : phrases.mid(0, 7))
        rows.append({p, grouped(qint64(rng.range(2, 60)) * 10 * rng.range(1, 9)),
            QString::number(rng.range(8, 62)), rng.pick(intents)});
    QString text = QStringLiteral("# Research notes: %1\n\n").arg(titleCase(t.subject));
    text += QStringLiteral("## Keyword opportunities\n\n")
        + table({QStringLiteral("Keyword"), QStringLiteral("Monthly searches"), QStringLiteral("Difficulty"),
                    QStringLiteral("Intent")},
            rows)
        + QLatin1Char('\n');
    text += QStringLiteral("## Competitor notes\n\n");
    const QStringList notes = {
        QStringLiteral("ranks in the top 3 for \"{kw} {loc}\" with a single long guide page"),
        QStringLiteral("has %1 Google reviews averaging 4.%2, far more than {biz}")
            .arg(rng.range(120, 480))
            .arg(rng.range(5, 9)),
        QStringLiteral("publishes weekly short posts but has thin service pages"),
        QStringLiteral("runs search ads on {kw} only on weekdays"),
        QStringLiteral("offers online booking in two clicks; {biz} needs five"),
    };
    const QStringList picked = w.fresh(notes, 3);
    for (qsizetype i = 0; i < picked.size(); ++i)
        text += QStringLiteral("- **Competitor %1** %2\n").arg(QChar(char16_t(u'A' + i))).arg(picked.at(i));
    text += QStringLiteral("\n## Content gaps\n\n")
        + w.bullets({QStringLiteral("No local page answers \"how much does {kw} cost {inloc}\""),
                        QStringLiteral("Nobody explains {kw2} in plain language"),
                        QStringLiteral("Few competitors show real {aud} stories"),
                        QStringLiteral("FAQ content is thin across the top results")},
            3)
        + QLatin1Char('\n');
    text += QStringLiteral("## Recommendation\n\n")
        + w.fill(QStringLiteral(
            "Lead with \"%1\": it has steady demand and beatable competition. Support it with a "
            "practical guide and a local landing page for {biz}.\n")
                     .arg(phrases.first()));
    return text;
}

QString workPlan(Writer &w)
{
    Rng &rng = w.rng();
    QString text = QStringLiteral("# Plan: %1\n\n").arg(titleCase(w.topic().subject));
    text += QStringLiteral("## Objectives\n\n");
    const QStringList goals
        = w.fresh({QStringLiteral("Grow leads from organic search by %1% in 90 days").arg(rng.range(15, 40)),
                      QStringLiteral("Rank on page one for {kw} {inloc}"),
                      QStringLiteral("Keep cost per lead under $%1").arg(rng.range(25, 60)),
                      QStringLiteral("Post on social channels three times a week"),
                      QStringLiteral("Collect %1 new reviews from {aud}").arg(rng.range(10, 30))},
            3);
    for (qsizetype i = 0; i < goals.size(); ++i)
        text += QStringLiteral("%1. %2\n").arg(i + 1).arg(goals.at(i));
    text += QStringLiteral("\n## Approach\n\n")
        + w.fill(
            QStringLiteral("Start with research on {kw}, then publish one strong article and a local landing "
                           "page for {biz}. Social and email reuse that material, and paid search covers the "
                           "gap while organic rankings build.\n\n"));
    const QList<QStringList> work = {{QStringLiteral("Keyword and competitor research"),
                                         QStringLiteral("seo_specialist"), QStringLiteral("—")},
        {QStringLiteral("Blog post: {subject}"), QStringLiteral("copywriter"), QStringLiteral("Website")},
        {QStringLiteral("Search ad copy for {kw}"), QStringLiteral("copywriter"),
            QStringLiteral("Google Ads")},
        {QStringLiteral("Social posts (3)"), QStringLiteral("social_media_manager"),
            QStringLiteral("Instagram, Facebook")},
        {QStringLiteral("Email newsletter"), QStringLiteral("copywriter"), QStringLiteral("Mailchimp")},
        {QStringLiteral("Google Business Profile post"), QStringLiteral("social_media_manager"),
            QStringLiteral("Google Business Profile")},
        {QStringLiteral("Performance report"), QStringLiteral("analyst"),
            QStringLiteral("Google Analytics")}};
    QList<QStringList> rows;
    const int count = rng.range(5, 7);
    for (int i = 0; i < count; ++i)
        rows.append(
            {QString::number(i / 2 + 1), w.fill(work.at(i).at(0)), work.at(i).at(1), work.at(i).at(2)});
    text += QStringLiteral("## Schedule\n\n")
        + table({QStringLiteral("Week"), QStringLiteral("Deliverable"), QStringLiteral("Owner"),
                    QStringLiteral("Channel")},
            rows)
        + QLatin1Char('\n');
    text += QStringLiteral("## Risks and dependencies\n\n")
        + w.bullets({QStringLiteral("Approvals that wait more than two days push the schedule back"),
                        QStringLiteral("The Google Ads account must be connected before week 2"),
                        QStringLiteral("Brand photos of {biz} are needed for social posts"),
                        QStringLiteral("Budget cap leaves little room for extra ad spend")},
            3)
        + QLatin1Char('\n');
    text += QStringLiteral("## Measures of success\n\n")
        + w.bullets(
            {QStringLiteral("Leads per week, by channel"), QStringLiteral("Rankings for {kw}"),
                QStringLiteral("Cost per lead against the cap"), QStringLiteral("Approval turnaround time")},
            3);
    return text;
}

QString genericDocument(Writer &w)
{
    QString text = QStringLiteral("# ") + titleCase(w.topic().subject) + QStringLiteral("\n\n");
    text += w.paragraph(bodySentences(), 4) + QStringLiteral("\n\n");
    text += heading(w, QStringLiteral("Key points")) + w.bullets(bulletItems(), 4) + QLatin1Char('\n');
    text += heading(w, QStringLiteral("Next steps")) + w.paragraph(bodySentences(), 3) + QLatin1Char('\n');
    return text;
}

} // namespace lm::agents::sim
