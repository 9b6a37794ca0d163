// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/simulatoradapter.h"

#include "agents/controlplanetools.h"
#include "agents/simulatorchat.h"
#include "agents/simulatorcontent.h"
#include "agents/simulatorwriter.h"
#include "core/logging.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <chrono>
#include <thread>

namespace lm::agents {

using sim::Rng;
using sim::Topic;
using sim::Writer;

namespace {

// Usage goes to the budget every this many pieces, so a cost cap bites mid-stream.
constexpr int kUsageEvery = 16;
// Sleeps in slices no longer than this, so a stop request is seen quickly even at slow rates.
constexpr auto kMaxSleepSlice = std::chrono::milliseconds(50);

double rateFrom(const QJsonObject &extra, const char *key, double fallback)
{
    const QJsonValue v = extra.value(QLatin1String(key));
    if (!v.isDouble())
        return fallback;
    return std::clamp(v.toDouble(), 0.0, 1.0);
}

qint64 tokensFor(qsizetype chars)
{
    return (qint64(chars) + 3) / 4;
}

QString typeLabel(const QString &activityType)
{
    if (activityType == u"gbp_post")
        return QStringLiteral("Google Business Profile post");
    if (activityType == u"backlink")
        return QStringLiteral("backlink outreach plan");
    if (activityType == u"research")
        return QStringLiteral("research notes");
    return QString(activityType).replace(QLatin1Char('_'), QLatin1Char(' '));
}

bool toolOffered(const RunRequest &request, QLatin1String name)
{
    // No tool list means the caller did not restrict the agent: every control-plane tool is there.
    if (request.tools.isEmpty())
        return true;
    return std::any_of(
        request.tools.begin(), request.tools.end(), [name](const ToolSpec &t) { return t.name == name; });
}

QLatin1String toolFor(SimulatorAdapter::Action action)
{
    switch (action) {
    case SimulatorAdapter::Action::Approval:
        return tools::CreateApproval;
    case SimulatorAdapter::Action::Subtask:
        return tools::CreateSubtask;
    case SimulatorAdapter::Action::Blocker:
        return tools::ReportBlocker;
    case SimulatorAdapter::Action::Review:
        return tools::RequestReview;
    case SimulatorAdapter::Action::None:
    case SimulatorAdapter::Action::Failure:
        break;
    }
    return QLatin1String();
}

// Deliverables a person signs off before publishing carry more risk than internal work.
QString riskFor(const QString &activityType, Rng &dice)
{
    static const QStringList levels = tools::riskLevels();
    int level = 0;
    if (activityType == u"ad_copy" || activityType == u"email_newsletter" || activityType == u"social_post"
        || activityType == u"gbp_post")
        level = 1;
    if (dice.chance(0.2))
        ++level;
    return levels.at(std::min(level, 2));
}

// Everything a run does, worked out before the first token goes out.
struct Script
{
    SimulatorAdapter::Action action = SimulatorAdapter::Action::None;
    QString text;
    QString toolName;
    QJsonObject toolInput;
};

Script buildScript(const RunRequest &request, SimulatorAdapter::Action action, Rng &content, Rng &dice)
{
    const Topic topic = sim::extractTopic(request.title, request.messages);
    const QString label = typeLabel(request.activityType);
    Writer w(topic, content);
    Script s;
    s.action = action;
    s.toolName = toolFor(action);
    if (request.activityType == u"chat") // an assistant chat answers and takes no action
        return {SimulatorAdapter::Action::None, sim::chatReply(request.messages, content), {}, {}};

    switch (action) {
    case SimulatorAdapter::Action::Subtask: {
        const bool seo = dice.chance(0.6);
        s.text
            = w.fill(QStringLiteral("## Research first\n\nBefore I write the %1 for {biz}, I need %2. I have "
                                    "asked the %3 to look into it and will pick this up when the research is "
                                    "in.\n")
                         .arg(label,
                             seo ? QStringLiteral("keyword data for {kw} {inloc}")
                                 : QStringLiteral("a view of what competing {kind}s {inloc} publish"),
                             seo ? QStringLiteral("SEO specialist") : QStringLiteral("analyst")))
            + QStringLiteral("\nWhat I will do with it:\n\n")
            + w.bullets({QStringLiteral("Pick the main phrase for the headline and the first paragraph"),
                            QStringLiteral("Answer the questions {aud} ask most about {kw}"),
                            QStringLiteral("Cover the gaps competitors leave open"),
                            QStringLiteral("Match the tone to what ranks {inloc} today"),
                            QStringLiteral("Link to the {biz} page that converts best")},
                2);
        s.toolInput = {{QStringLiteral("title"),
                           sim::fitTo(seo ? QStringLiteral("Keyword research: ") + topic.subject
                                          : w.fill(QStringLiteral("Competitor analysis: {kind} {inloc}")),
                               200)},
            {QStringLiteral("agentRole"), seo ? QStringLiteral("seo_specialist") : QStringLiteral("analyst")},
            {QStringLiteral("type"), QStringLiteral("research")},
            {QStringLiteral("instructions"),
                seo ? w.fill(
                    QStringLiteral("Find 5–10 keywords around {kw} for {biz} ({kind} {inloc}). For each "
                                   "give monthly searches, difficulty and intent, and name the pages "
                                   "that rank today. Hand back a table and a one-paragraph pick."))
                    : w.fill(QStringLiteral(
                        "Review three competing {kind}s {inloc}: what they publish about {kw}, "
                        "how often, their reviews and their offers. Hand back short notes and "
                        "the gaps {biz} can fill."))}};
        break;
    }
    case SimulatorAdapter::Action::Blocker: {
        const QString reason = w.any(
            {QStringLiteral(
                 "The brief does not say which services {biz} wants to promote this month; please add "
                 "the priority services and any current offer."),
                QStringLiteral(
                    "No brand voice guide or approved claims list is attached, and the %1 would make "
                    "claims about {kw}; please attach them.")
                    .arg(label),
                QStringLiteral("The channel this %1 is for is not connected (or its access expired); please "
                               "reconnect it under Channels.")
                    .arg(label)});
        s.text = w.fill(QStringLiteral(
                     "I started on the %1 for {biz} but cannot finish it yet.\n\n**Blocked:** ")
                            .arg(label))
            + reason + QLatin1Char('\n');
        s.toolInput = {{QStringLiteral("reason"), reason}};
        break;
    }
    case SimulatorAdapter::Action::Approval: {
        static const QStringList directional = {QStringLiteral("blog_post"), QStringLiteral("social_post"),
            QStringLiteral("email_newsletter"), QStringLiteral("gbp_post"), QStringLiteral("ad_copy")};
        const QString risk = riskFor(request.activityType, dice);
        const int hours = risk == u"high" ? 24 : (risk == u"medium" ? 48 : 72);
        if (directional.contains(request.activityType) && dice.chance(0.25)) {
            const QStringList options = sim::directionOptions(topic, content);
            s.text = sim::generateDirectionProposal(request.activityType, topic, options, content);
            s.toolInput = {{QStringLiteral("type"), QStringLiteral("content_direction")},
                {QStringLiteral("riskLevel"), risk},
                {QStringLiteral("title"),
                    sim::fitTo(QStringLiteral("Content direction: ") + sim::titleCase(topic.subject), 200)},
                {QStringLiteral("description"),
                    w.fill(QStringLiteral("Pick the angle for the %1 for {biz}; the draft follows the chosen "
                                          "option.")
                               .arg(label))},
                {QStringLiteral("options"), QJsonArray::fromStringList(options)},
                {QStringLiteral("expiresInHours"), hours}};
        } else {
            s.text = sim::generateContent(request.activityType, topic, content);
            s.toolInput = {{QStringLiteral("type"), QStringLiteral("content_review")},
                {QStringLiteral("riskLevel"), risk},
                {QStringLiteral("title"),
                    sim::fitTo(
                        sim::capitalized(label) + QStringLiteral(" review: ") + sim::titleCase(topic.subject),
                        200)},
                {QStringLiteral("description"),
                    w.fill(
                        QStringLiteral("Draft %1 for {biz} (%2 words). Please check the claims about {kw}, "
                                       "the tone for {aud} and the call to action.")
                            .arg(label)
                            .arg(sim::wordCount(s.text)))},
                {QStringLiteral("expiresInHours"), hours}};
        }
        break;
    }
    case SimulatorAdapter::Action::Review:
        s.text = sim::generateContent(request.activityType, topic, content);
        s.toolInput = {{QStringLiteral("note"),
            w.any({QStringLiteral(
                       "The draft is ready. Please check the claims about {kw} before I finalise it."),
                QStringLiteral(
                    "Could someone confirm the offer and prices in this draft are current for {biz}?"),
                QStringLiteral(
                    "I chose a practical tone for {aud}; please confirm it fits the brand before I "
                    "finish.")})}};
        break;
    case SimulatorAdapter::Action::Failure:
        s.text = sim::generateContent(request.activityType, topic, content);
        break;
    case SimulatorAdapter::Action::None:
        s.text = sim::generateContent(request.activityType, topic, content);
        break;
    }
    return s;
}

} // namespace

SimulatorAdapter::Settings SimulatorAdapter::Settings::fromExtra(const QJsonObject &extra)
{
    Settings s;
    const QJsonValue seed = extra.value(QLatin1String("seed"));
    if (seed.isDouble())
        s.seed = QString::number(seed.toInteger());
    else if (seed.isString())
        s.seed = seed.toString();
    const QJsonValue rate = extra.value(QLatin1String("tokensPerSecond"));
    if (rate.isDouble() && rate.toDouble() >= 0)
        s.tokensPerSecond = rate.toDouble();
    s.approvalRate = rateFrom(extra, "approvalRate", s.approvalRate);
    s.subtaskRate = rateFrom(extra, "subtaskRate", s.subtaskRate);
    s.blockerRate = rateFrom(extra, "blockerRate", s.blockerRate);
    s.failureRate = rateFrom(extra, "failureRate", s.failureRate);
    s.reviewRate = rateFrom(extra, "reviewRate", s.reviewRate);
    s.forceAction = extra.value(QLatin1String("forceAction")).toString().toLower();
    return s;
}

std::uint64_t SimulatorAdapter::runSeed(const RunRequest &request)
{
    const Settings s = Settings::fromExtra(request.config.extra);
    const QString key = s.seed + QChar(0x1f) + request.activityId + QChar(0x1f) + request.runId;
    return sim::hash64(key.toUtf8());
}

QString SimulatorAdapter::wakeReason(const QList<ChatMessage> &messages)
{
    static const QLatin1String prefix("Wake reason:");
    for (const ChatMessage &m : messages) {
        if (m.role != u"user")
            continue;
        const QString content = m.content.trimmed();
        if (!content.startsWith(prefix, Qt::CaseInsensitive))
            continue;
        const QString rest = content.mid(prefix.size()).trimmed();
        return rest.section(QRegularExpression(QStringLiteral("\\s")), 0, 0).toLower();
    }
    return {};
}

QString SimulatorAdapter::actionName(Action action)
{
    switch (action) {
    case Action::Approval:
        return QStringLiteral("approval");
    case Action::Subtask:
        return QStringLiteral("subtask");
    case Action::Blocker:
        return QStringLiteral("blocker");
    case Action::Review:
        return QStringLiteral("review");
    case Action::Failure:
        return QStringLiteral("failure");
    case Action::None:
        break;
    }
    return QStringLiteral("none");
}

SimulatorAdapter::Action SimulatorAdapter::plannedAction(const RunRequest &request)
{
    const Settings s = Settings::fromExtra(request.config.extra);
    // The dice have their own stream, so changing a rate never changes the text of a run.
    Rng dice(runSeed(request) ^ 0xD1CE5EEDULL);
    const double roll = dice.unit();

    // A run woken because its gate was passed must not open the gate again: it finishes the work.
    const QString wake = wakeReason(request.messages);
    const bool gatePassed = wake == u"review_approved" || wake == u"subtask_completed";

    Action action = Action::None;
    if (request.activityType == u"chat")
        return action;
    if (!s.forceAction.isEmpty()) {
        for (Action a : {Action::None, Action::Approval, Action::Subtask, Action::Blocker, Action::Review,
                 Action::Failure}) {
            if (actionName(a) == s.forceAction)
                action = a;
        }
        if (gatePassed && action != Action::Failure)
            action = Action::None;
    } else if (!gatePassed) {
        double edge = 0;
        const QList<QPair<Action, double>> bands = {{Action::Failure, s.failureRate},
            {Action::Blocker, s.blockerRate}, {Action::Subtask, s.subtaskRate},
            {Action::Review, s.reviewRate}, {Action::Approval, s.approvalRate}};
        for (const auto &[a, rate] : bands) {
            edge += rate;
            if (roll < edge) {
                action = a;
                break;
            }
        }
        // Research does not ask for more research.
        if (action == Action::Subtask && request.activityType == u"research")
            action = Action::None;
    }
    const QLatin1String tool = toolFor(action);
    if (tool.size() > 0 && !toolOffered(request, tool))
        action = Action::None;
    return action;
}

Result<RunOutcome> SimulatorAdapter::run(const RunRequest &request, RunSink &sink)
{
    const Settings settings = Settings::fromExtra(request.config.extra);
    const std::uint64_t seed = runSeed(request);
    const Action action = plannedAction(request);
    Rng content(seed);
    Rng dice(seed ^ 0xA11CE5EEDULL);
    const Script script = buildScript(request, action, content, dice);
    qCDebug(lmAgents) << "simulator run" << request.runId << request.activityType << "action"
                      << actionName(action);

    qsizetype inputChars = 0;
    for (const ChatMessage &m : request.messages)
        inputChars += m.content.size();
    const qint64 inputTokens = tokensFor(inputChars);

    QStringList pieces = sim::splitIntoTokens(script.text);
    QString finishReason = action == Action::None || action == Action::Failure ? QStringLiteral("stop")
                                                                               : QStringLiteral("tool_use");
    if (request.config.maxOutputTokens > 0 && pieces.size() > request.config.maxOutputTokens) {
        pieces = pieces.mid(0, request.config.maxOutputTokens);
        finishReason = QStringLiteral("length");
    }
    const qsizetype failAt
        = action == Action::Failure ? std::max<qsizetype>(1, pieces.size() * dice.range(20, 60) / 100) : -1;

    RunOutcome outcome;
    auto stopped = [&outcome](const QString &why) {
        outcome.end = RunOutcome::End::Stopped;
        outcome.finishReason = why;
        return Result<RunOutcome>(outcome);
    };

    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        if (settings.tokensPerSecond > 0) {
            const auto due = start
                + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(double(i) / settings.tokensPerSecond));
            while (Clock::now() < due) {
                if (sink.stopRequested())
                    return stopped(QStringLiteral("stop_requested"));
                std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), kMaxSleepSlice));
            }
        }
        if (sink.stopRequested())
            return stopped(QStringLiteral("stop_requested"));
        if (i == failAt) {
            if (!sink.reportUsage(inputTokens, outcome.outputTokens))
                return stopped(QStringLiteral("budget"));
            qCInfo(lmAgents) << "simulator run" << request.runId << "simulated provider failure";
            return ApiError {ErrorCode::Unavailable, QStringLiteral("simulated provider failure"), {}};
        }
        sink.textDelta(pieces.at(i));
        outcome.text += pieces.at(i);
        outcome.inputTokens = inputTokens;
        outcome.outputTokens = tokensFor(outcome.text.size());
        if ((i + 1) % kUsageEvery == 0 && !sink.reportUsage(inputTokens, outcome.outputTokens))
            return stopped(QStringLiteral("budget"));
    }
    outcome.inputTokens = inputTokens;
    outcome.outputTokens = tokensFor(outcome.text.size());
    if (action == Action::Failure) // an empty or very short text still fails
        return ApiError {ErrorCode::Unavailable, QStringLiteral("simulated provider failure"), {}};
    if (!sink.reportUsage(inputTokens, outcome.outputTokens))
        return stopped(QStringLiteral("budget"));

    if (!script.toolName.isEmpty() && finishReason != u"length") {
        if (sink.stopRequested())
            return stopped(QStringLiteral("stop_requested"));
        const QString callId
            = QStringLiteral("sim_%1").arg(dice.next() & 0xFFFFFFFFFFFFULL, 12, 16, QLatin1Char('0'));
        const QJsonObject result = sink.callTool(callId, script.toolName, script.toolInput);
        if (result.contains(QLatin1String("error"))) {
            // The gate did not open (e.g. the run ended meanwhile); the work itself is done.
            qCInfo(lmAgents) << "simulator run" << request.runId << script.toolName << "refused";
            finishReason = QStringLiteral("stop");
        }
    }
    outcome.end = RunOutcome::End::Completed;
    outcome.finishReason = finishReason;
    return outcome;
}

QList<HealthCheck> SimulatorAdapter::health(const AdapterConfig &config)
{
    const Settings s = Settings::fromExtra(config.extra);
    return {{QStringLiteral("offline_simulator"), true,
        QStringLiteral("offline and deterministic (seed %1, %2 tokens/s)")
            .arg(s.seed)
            .arg(s.tokensPerSecond)}};
}

} // namespace lm::agents
