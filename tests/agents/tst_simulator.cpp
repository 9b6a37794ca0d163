// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/adapterregistry.h"
#include "agents/controlplanetools.h"
#include "agents/simulatoradapter.h"
#include "agents/simulatorcontent.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace lm;
using namespace lm::agents;

namespace {

struct ToolCall
{
    QString callId;
    QString name;
    QJsonObject input;
    bool operator==(const ToolCall &o) const = default;
};

/// Records everything a run reports; can ask for a stop after N deltas or refuse usage after N reports.
class RecordingSink final : public RunSink
{
public:
    void textDelta(const QString &delta) override { deltas.append(delta); }
    QJsonObject callTool(const QString &callId, const QString &name, const QJsonObject &input) override
    {
        calls.append({callId, name, input});
        return toolResult;
    }
    bool reportUsage(qint64 inputTokens, qint64 outputTokens) override
    {
        usage.append({inputTokens, outputTokens});
        return refuseUsageAfter < 0 || usage.size() <= refuseUsageAfter;
    }
    [[nodiscard]] bool stopRequested() const override
    {
        return stopAfterDeltas >= 0 && deltas.size() >= stopAfterDeltas;
    }

    QStringList deltas;
    QList<ToolCall> calls;
    QList<QPair<qint64, qint64>> usage;
    int stopAfterDeltas = -1;
    int refuseUsageAfter = -1;
    QJsonObject toolResult {{QStringLiteral("ok"), true}};
};

const QString kDentalBrief
    = QStringLiteral("Brief: Bright Smile Dental is a family dental clinic in Leeds. We want more bookings "
                     "for teeth whitening "
                     "and Invisalign, and to reassure nervous patients. Whitening offers run in spring.");
const QString kBakeryBrief
    = QStringLiteral("Campaign brief\nBusiness: Globex Bakery\nIndustry: artisan bakery\nLocation: Bristol\n"
                     "Keywords: sourdough, celebration cakes\nGoal: more pre-orders for weekend bakes.");

RunRequest makeRequest(const QString &type, const QJsonValue &seed = 7,
    const QString &force = QStringLiteral("none"), const QString &brief = kDentalBrief)
{
    RunRequest r;
    r.runId = QStringLiteral("01HRUN00000000000000000001");
    r.activityId = QStringLiteral("01HACT00000000000000000001");
    r.tenantId = QStringLiteral("01HTEN00000000000000000001");
    r.agentRole = QStringLiteral("copywriter");
    r.activityType = type;
    r.title = QStringLiteral("%1: Teeth whitening myths")
                  .arg(QString(type).replace(QLatin1Char('_'), QLatin1Char(' ')));
    r.messages = {{QStringLiteral("system"), QStringLiteral("You are the copywriter agent of Leadmetrics.")},
        {QStringLiteral("user"), brief}};
    r.config.type = QStringLiteral("simulator");
    r.config.maxOutputTokens = 0;
    r.config.extra = {{QStringLiteral("seed"), seed}, {QStringLiteral("tokensPerSecond"), 0},
        {QStringLiteral("forceAction"), force}};
    return r;
}

struct RunRecord
{
    Result<RunOutcome> result;
    RecordingSink sink;
};

std::unique_ptr<RunRecord> runOnce(const RunRequest &request, int stopAfter = -1, int refuseAfter = -1)
{
    auto rec = std::make_unique<RunRecord>(RunRecord {ApiError {}, {}});
    rec->sink.stopAfterDeltas = stopAfter;
    rec->sink.refuseUsageAfter = refuseAfter;
    SimulatorAdapter adapter;
    rec->result = adapter.run(request, rec->sink);
    return rec;
}

QStringList tableColumn(const QString &text, const QString &section, int column)
{
    const qsizetype at = text.indexOf(section);
    QStringList cells;
    if (at < 0)
        return cells;
    const QStringList lines = text.mid(at).split(QLatin1Char('\n'));
    bool inTable = false;
    for (const QString &line : lines.mid(1)) {
        if (line.startsWith(QLatin1String("## ")))
            break;
        if (!line.startsWith(QLatin1Char('|'))) {
            if (inTable)
                break;
            continue;
        }
        inTable = true;
        const QStringList parts = line.split(QLatin1Char('|'));
        if (parts.size() > column + 1 && !line.contains(QLatin1String("---")))
            cells.append(parts.at(column + 1).trimmed());
    }
    return cells.mid(1); // without the header row
}

} // namespace

class TestSimulator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void determinism_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("force");
        QTest::newRow("determinism-blog-01") << "blog_post"
                                             << "none";
        QTest::newRow("determinism-approval-02") << "ad_copy"
                                                 << "approval";
        QTest::newRow("determinism-subtask-03") << "email_newsletter"
                                                << "subtask";
        QTest::newRow("determinism-dice-04") << "social_post"
                                             << "";
        QTest::newRow("determinism-report-05") << "performance_report"
                                               << "review";
    }
    void determinism()
    {
        QFETCH(QString, type);
        QFETCH(QString, force);
        const RunRequest request = makeRequest(type, 42, force);
        const auto a = runOnce(request);
        const auto b = runOnce(request);
        QVERIFY(a->result.ok());
        QVERIFY(b->result.ok());
        QCOMPARE(a->result->text, b->result->text);
        QCOMPARE(a->sink.deltas, b->sink.deltas);
        QVERIFY(a->sink.calls == b->sink.calls);
        QCOMPARE(a->sink.usage, b->sink.usage);
        QCOMPARE(a->result->inputTokens, b->result->inputTokens);
        QCOMPARE(a->result->outputTokens, b->result->outputTokens);
        QCOMPARE(a->result->finishReason, b->result->finishReason);

        // Another seed, or another run of the same activity, writes something else.
        const auto c = runOnce(makeRequest(type, 43, force));
        QVERIFY(c->result.ok());
        QVERIFY(c->result->text != a->result->text);
        RunRequest retry = request;
        retry.runId = QStringLiteral("01HRUN00000000000000000002");
        const auto d = runOnce(retry);
        QVERIFY(d->result.ok());
        QVERIFY(d->result->text != a->result->text);
    }

    void seedAsString()
    {
        const auto a = runOnce(makeRequest(QStringLiteral("blog_post"), QStringLiteral("demo")));
        const auto b = runOnce(makeRequest(QStringLiteral("blog_post"), QStringLiteral("demo")));
        QCOMPARE(a->result->text, b->result->text);
        QCOMPARE(SimulatorAdapter::runSeed(makeRequest(QStringLiteral("blog_post"), QStringLiteral("demo"))),
            SimulatorAdapter::runSeed(makeRequest(QStringLiteral("ad_copy"), QStringLiteral("demo"))));
    }

    void prngIsFixed()
    {
        // xoshiro256** seeded by splitmix64(0): pinned so a library change can never move demo data.
        sim::Rng rng(0);
        const std::uint64_t first = rng.next();
        sim::Rng again(0);
        QCOMPARE(again.next(), first);
        QCOMPARE(sim::hash64("a"), Q_UINT64_C(0xAF63DC4C8601EC8C));
        for (int i = 0; i < 1000; ++i) {
            const int v = rng.range(3, 5);
            QVERIFY(v >= 3 && v <= 5);
            const double u = rng.unit();
            QVERIFY(u >= 0 && u < 1);
        }
    }

    void deliverableStructure_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("brief");
        QTest::addColumn<QString>("business");
        QTest::addColumn<QStringList>("patterns");
        QTest::newRow("structure-blog-01")
            << "blog_post" << kDentalBrief << "Bright Smile Dental"
            << QStringList {"^# .+", "^## .+", "^- .+", "\\*\\*.+\\?\\*\\*|\\*\\*Talk to"};
        QTest::newRow("structure-social-02")
            << "social_post" << kBakeryBrief << "Globex Bakery"
            << QStringList {"\\*\\*Platform:\\*\\* \\w+", "(^|\\s)#[A-Z]\\w+"};
        QTest::newRow("structure-gbp-03") << "gbp_post" << kDentalBrief << "Bright Smile Dental"
                                          << QStringList {"\\*\\*Post type:\\*\\*", "\\*\\*Headline:\\*\\*",
                                                 "\\*\\*Button:\\*\\* (Book|Call now|Learn more)"};
        QTest::newRow("structure-ad-04")
            << "ad_copy" << kBakeryBrief << "Globex Bakery"
            << QStringList {"^## Headlines", "^\\| # \\| Headline", "^## Descriptions", "^\\|---\\|"};
        QTest::newRow("structure-email-05") << "email_newsletter" << kDentalBrief << "Bright Smile Dental"
                                            << QStringList {"^\\*\\*Subject line:\\*\\* .+",
                                                   "^\\*\\*Preheader:\\*\\* .+", "^## .+", "Unsubscribe"};
        QTest::newRow("structure-backlink-06")
            << "backlink" << kBakeryBrief << "Globex Bakery"
            << QStringList {"^## Outreach targets", "^\\| Site \\|", "\\.example \\|", "^## Pitch email",
                   "\\*\\*Subject:\\*\\*"};
        QTest::newRow("structure-audit-07")
            << "website_audit" << kDentalBrief << "Bright Smile Dental"
            << QStringList {"^## Findings", "\\| Severity \\|", "\\| (Critical|High|Medium|Low) \\|",
                   "^## Recommendations", "^1\\. "};
        QTest::newRow("structure-report-08")
            << "performance_report" << kBakeryBrief << "Globex Bakery"
            << QStringList {"^## KPIs", "^\\| Sessions \\| [\\d,]+ \\| [\\d,]+ \\|", "[+-]\\d+\\.\\d%",
                   "^## Trends", "^## Next steps"};
        QTest::newRow("structure-research-09")
            << "research" << kDentalBrief << "Bright Smile Dental"
            << QStringList {"^## Keyword opportunities", "\\| Monthly searches \\|", "^## Competitor notes"};
        QTest::newRow("structure-plan-10")
            << "plan" << kBakeryBrief << "Globex Bakery"
            << QStringList {"^## Objectives", "^## Schedule", "\\| Owner \\|", "copywriter"};
    }
    void deliverableStructure()
    {
        QFETCH(QString, type);
        QFETCH(QString, brief);
        QFETCH(QString, business);
        QFETCH(QStringList, patterns);
        for (int seed = 1; seed <= 12; ++seed) {
            const auto rec = runOnce(makeRequest(type, seed, QStringLiteral("none"), brief));
            QVERIFY(rec->result.ok());
            const QString text = rec->result->text;
            QCOMPARE(rec->result->format, QStringLiteral("markdown"));
            QVERIFY2(text.contains(business), qPrintable(text));
            for (const QString &p : patterns) {
                const QRegularExpression re(p, QRegularExpression::MultilineOption);
                QVERIFY2(re.match(text).hasMatch(), qPrintable(p + QStringLiteral("\n---\n") + text));
            }
            if (type == u"blog_post") {
                const int words = sim::wordCount(text);
                QVERIFY2(words >= 600 && words <= 1200, qPrintable(QString::number(words)));
                const int h2 = int(text.count(
                    QRegularExpression(QStringLiteral("^## "), QRegularExpression::MultilineOption)));
                QVERIFY2(h2 >= 4 && h2 <= 6, qPrintable(QString::number(h2))); // 3–5 sections + conclusion
                QVERIFY(!text.contains(QLatin1Char('{'))); // every placeholder filled
            }
            if (type == u"ad_copy") {
                const QStringList headlines = tableColumn(text, QStringLiteral("## Headlines"), 1);
                QVERIFY(headlines.size() >= 8);
                for (const QString &h : headlines)
                    QVERIFY2(h.size() <= 30, qPrintable(h));
                const QStringList descriptions = tableColumn(text, QStringLiteral("## Descriptions"), 1);
                QVERIFY(descriptions.size() >= 3);
                for (const QString &d : descriptions)
                    QVERIFY2(d.size() <= 90, qPrintable(d));
            }
            if (type == u"social_post" && text.contains(QLatin1String("X (Twitter)")))
                QVERIFY(text.section(QStringLiteral("\n\n"), 1, 1).size() <= 280);
            if (type == u"performance_report")
                QVERIFY(tableColumn(text, QStringLiteral("## KPIs"), 0).size() >= 5);
        }
    }

    void topicFromBrief_data()
    {
        QTest::addColumn<QString>("brief");
        QTest::addColumn<QString>("business");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("location");
        QTest::newRow("topic-isa-01") << kDentalBrief << "Bright Smile Dental"
                                      << "family dental clinic"
                                      << "Leeds";
        QTest::newRow("topic-labels-02") << kBakeryBrief << "Globex Bakery"
                                         << "artisan bakery"
                                         << "Bristol";
        QTest::newRow("topic-noun-03")
            << QStringLiteral("Promote our cafe's new brunch menu, based in York.") << ""
            << "cafe"
            << "York";
        QTest::newRow("topic-nothing-04") << QStringLiteral("write something good") << ""
                                          << "business"
                                          << "";
    }
    void topicFromBrief()
    {
        QFETCH(QString, brief);
        QFETCH(QString, business);
        QFETCH(QString, kind);
        QFETCH(QString, location);
        const sim::Topic t = sim::extractTopic(QStringLiteral("Blog post: Spring news"),
            {{QStringLiteral("system"), QStringLiteral("You are a Copywriter Agent is a role")},
                {QStringLiteral("user"), brief}});
        QCOMPARE(t.business, business);
        QCOMPARE(t.kind, kind);
        QCOMPARE(t.location, location);
        QCOMPARE(t.subject, QStringLiteral("Spring news"));
        QVERIFY(!t.keywords.isEmpty());
        QVERIFY(!t.audience.isEmpty());
    }

    void streamingConcatenatesToText()
    {
        const auto rec = runOnce(makeRequest(QStringLiteral("blog_post")));
        QVERIFY(rec->result.ok());
        QCOMPARE(rec->result->end, RunOutcome::End::Completed);
        QVERIFY2(rec->sink.deltas.size() > 300, qPrintable(QString::number(rec->sink.deltas.size())));
        QCOMPARE(rec->sink.deltas.join(QString()), rec->result->text);
        for (const QString &d : rec->sink.deltas)
            QVERIFY(!d.isEmpty() && d.trimmed().size() <= 6);
        // Usage is cumulative, reported along the way and at the end, ≈ characters / 4.
        QVERIFY(rec->sink.usage.size() > 5);
        for (qsizetype i = 1; i < rec->sink.usage.size(); ++i)
            QVERIFY(rec->sink.usage.at(i).second >= rec->sink.usage.at(i - 1).second);
        QCOMPARE(rec->sink.usage.last().second, rec->result->outputTokens);
        QCOMPARE(rec->result->outputTokens, (rec->result->text.size() + 3) / 4);
        const RunRequest r = makeRequest(QStringLiteral("blog_post"));
        QCOMPARE(rec->result->inputTokens,
            (r.messages.at(0).content.size() + r.messages.at(1).content.size() + 3) / 4);
        QCOMPARE(rec->result->finishReason, QStringLiteral("stop"));
    }

    void pacingHonoured()
    {
        RunRequest r = makeRequest(QStringLiteral("blog_post"));
        r.config.maxOutputTokens = 100;
        r.config.extra.insert(QStringLiteral("tokensPerSecond"), 200);
        QElapsedTimer timer;
        timer.start();
        const auto rec = runOnce(r);
        const qint64 elapsed = timer.elapsed();
        QVERIFY(rec->result.ok());
        QCOMPARE(rec->sink.deltas.size(), 100);
        QCOMPARE(rec->result->finishReason, QStringLiteral("length"));
        QVERIFY2(elapsed >= 400, qPrintable(QString::number(elapsed)));
    }

    void stopRequestedMidRun()
    {
        RunRequest r = makeRequest(QStringLiteral("blog_post"), 7, QStringLiteral("approval"));
        const auto rec = runOnce(r, 50);
        QVERIFY(rec->result.ok());
        QCOMPARE(rec->result->end, RunOutcome::End::Stopped);
        QCOMPARE(rec->sink.deltas.size(), 50);
        QCOMPARE(rec->result->text, rec->sink.deltas.join(QString()));
        QVERIFY(rec->sink.calls.isEmpty()); // a stopped run opens no gate

        // Also while waiting between paced tokens.
        r.config.extra.insert(QStringLiteral("tokensPerSecond"), 2);
        QElapsedTimer timer;
        timer.start();
        const auto slow = runOnce(r, 1);
        QCOMPARE(slow->result->end, RunOutcome::End::Stopped);
        QVERIFY(timer.elapsed() < 2000);
    }

    void usageRefusedStops()
    {
        const auto rec
            = runOnce(makeRequest(QStringLiteral("blog_post"), 7, QStringLiteral("approval")), -1, 2);
        QVERIFY(rec->result.ok());
        QCOMPARE(rec->result->end, RunOutcome::End::Stopped);
        QCOMPARE(rec->sink.usage.size(), 3);
        QVERIFY(rec->sink.deltas.size() < 100);
        QVERIFY(rec->sink.calls.isEmpty());
    }

    void forcedActions_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("force");
        QTest::addColumn<QString>("tool");
        QTest::newRow("action-approval-01") << "blog_post"
                                            << "approval"
                                            << "create_approval";
        QTest::newRow("action-subtask-02") << "blog_post"
                                           << "subtask"
                                           << "create_subtask";
        QTest::newRow("action-blocker-03") << "ad_copy"
                                           << "blocker"
                                           << "report_blocker";
        QTest::newRow("action-review-04") << "email_newsletter"
                                          << "review"
                                          << "request_review";
        QTest::newRow("action-none-05") << "social_post"
                                        << "none"
                                        << "";
        QTest::newRow("action-approval-report-06") << "performance_report"
                                                   << "approval"
                                                   << "create_approval";
        QTest::newRow("action-subtask-plan-07") << "plan"
                                                << "subtask"
                                                << "create_subtask";
    }
    void forcedActions()
    {
        QFETCH(QString, type);
        QFETCH(QString, force);
        QFETCH(QString, tool);
        for (int seed = 1; seed <= 8; ++seed) {
            RunRequest r = makeRequest(type, seed, force);
            // Dice that would say otherwise do not matter.
            r.config.extra.insert(QStringLiteral("approvalRate"), 0);
            r.config.extra.insert(QStringLiteral("failureRate"), 1);
            const auto rec = runOnce(r);
            QVERIFY(rec->result.ok());
            QCOMPARE(rec->result->end, RunOutcome::End::Completed);
            QCOMPARE(rec->sink.deltas.join(QString()), rec->result->text);
            if (tool.isEmpty()) {
                QVERIFY(rec->sink.calls.isEmpty());
                QCOMPARE(rec->result->finishReason, QStringLiteral("stop"));
                continue;
            }
            QCOMPARE(rec->sink.calls.size(), 1);
            const ToolCall &call = rec->sink.calls.first();
            QCOMPARE(call.name, tool);
            QVERIFY(call.callId.startsWith(QLatin1String("sim_")));
            const auto valid = tools::validateToolInput(call.name, call.input);
            QVERIFY2(valid.ok(), qPrintable(valid.error().details.value(0).field));
            QCOMPARE(rec->result->finishReason, QStringLiteral("tool_use"));
            if (tool == u"create_subtask") {
                QCOMPARE(call.input.value(QLatin1String("type")).toString(), QStringLiteral("research"));
                QVERIFY(QStringList({QStringLiteral("seo_specialist"), QStringLiteral("analyst")})
                            .contains(call.input.value(QLatin1String("agentRole")).toString()));
            }
            if (tool == u"create_approval") {
                const QString approvalType = call.input.value(QLatin1String("type")).toString();
                QVERIFY(approvalType == u"content_review" || approvalType == u"content_direction");
                QVERIFY(call.input.value(QLatin1String("expiresInHours")).toInt() > 0);
            }
        }
    }

    void approvalSometimesOffersOptions()
    {
        int withOptions = 0;
        int reviews = 0;
        for (int seed = 1; seed <= 60; ++seed) {
            const auto rec
                = runOnce(makeRequest(QStringLiteral("blog_post"), seed, QStringLiteral("approval")));
            QCOMPARE(rec->sink.calls.size(), 1);
            const QJsonObject input = rec->sink.calls.first().input;
            QVERIFY(tools::validateToolInput(QStringLiteral("create_approval"), input).ok());
            if (input.contains(QLatin1String("options"))) {
                ++withOptions;
                QCOMPARE(input.value(QLatin1String("type")).toString(), QStringLiteral("content_direction"));
                const qsizetype n = input.value(QLatin1String("options")).toArray().size();
                QVERIFY(n >= 2 && n <= 3);
                QVERIFY(rec->result->text.contains(QLatin1String("# Content direction")));
            } else {
                ++reviews;
                QCOMPARE(input.value(QLatin1String("type")).toString(), QStringLiteral("content_review"));
            }
        }
        QVERIFY(withOptions > 0);
        QVERIFY(reviews > withOptions);
    }

    void failureIsRetriable()
    {
        const auto rec = runOnce(makeRequest(QStringLiteral("blog_post"), 3, QStringLiteral("failure")));
        QVERIFY(!rec->result.ok());
        QCOMPARE(rec->result.error().code, ErrorCode::Unavailable);
        QCOMPARE(rec->result.error().message, QStringLiteral("simulated provider failure"));
        QVERIFY(isRetriable(rec->result.error()));
        QVERIFY(!rec->sink.deltas.isEmpty()); // it broke part-way, as a provider stream does
        QVERIFY(rec->sink.calls.isEmpty());
        QVERIFY(!rec->sink.usage.isEmpty());
    }

    void wakeContextOpensNoGate_data()
    {
        QTest::addColumn<QString>("wake");
        QTest::addColumn<QString>("force");
        QTest::newRow("wake-approved-forced-01") << "Wake reason: review_approved\nThe reviewer approved."
                                                 << "approval";
        QTest::newRow("wake-subtask-forced-02") << "Wake reason: subtask_completed\nResult: keywords…"
                                                << "subtask";
        QTest::newRow("wake-approved-dice-03") << "Wake reason: review_approved"
                                               << "";
        QTest::newRow("wake-subtask-review-04") << "  Wake reason: subtask_completed"
                                                << "review";
    }
    void wakeContextOpensNoGate()
    {
        QFETCH(QString, wake);
        QFETCH(QString, force);
        for (int seed = 1; seed <= 10; ++seed) {
            RunRequest r = makeRequest(QStringLiteral("blog_post"), seed, force);
            r.config.extra.insert(QStringLiteral("approvalRate"), 1.0); // the dice would always gate
            r.messages.append({QStringLiteral("user"), wake});
            QCOMPARE(SimulatorAdapter::plannedAction(r), SimulatorAdapter::Action::None);
            const auto rec = runOnce(r);
            QVERIFY(rec->result.ok());
            QCOMPARE(rec->result->end, RunOutcome::End::Completed);
            QVERIFY(rec->sink.calls.isEmpty());
            QVERIFY(rec->result->text.contains(QLatin1String("Bright Smile Dental")));
            QVERIFY(!rec->result->text.contains(QLatin1String("Wake reason")));
        }
        // Feedback is not a passed gate: the revised draft may go for review again.
        RunRequest feedback = makeRequest(QStringLiteral("blog_post"), 1, QStringLiteral("approval"));
        feedback.messages.append(
            {QStringLiteral("user"), QStringLiteral("Wake reason: review_feedback\nShorter.")});
        QCOMPARE(SimulatorAdapter::wakeReason(feedback.messages), QStringLiteral("review_feedback"));
        QCOMPARE(SimulatorAdapter::plannedAction(feedback), SimulatorAdapter::Action::Approval);
    }

    void ratesDriveTheDice()
    {
        int counts[6] = {};
        for (int seed = 0; seed < 400; ++seed) {
            RunRequest r = makeRequest(QStringLiteral("blog_post"), seed, QString());
            ++counts[int(SimulatorAdapter::plannedAction(r))];
        }
        // Defaults: approval 0.35, subtask 0.15, review 0.05, blocker 0.03, failure 0.03.
        const int approvals = counts[int(SimulatorAdapter::Action::Approval)];
        const int subtasks = counts[int(SimulatorAdapter::Action::Subtask)];
        QVERIFY2(approvals > 100 && approvals < 180, qPrintable(QString::number(approvals)));
        QVERIFY2(subtasks > 30 && subtasks < 95, qPrintable(QString::number(subtasks)));
        QVERIFY(counts[int(SimulatorAdapter::Action::None)] > 100);

        for (int seed = 0; seed < 50; ++seed) {
            RunRequest r = makeRequest(QStringLiteral("blog_post"), seed, QString());
            for (const char *k : {"approvalRate", "subtaskRate", "blockerRate", "failureRate", "reviewRate"})
                r.config.extra.insert(QLatin1String(k), 0);
            QCOMPARE(SimulatorAdapter::plannedAction(r), SimulatorAdapter::Action::None);
            r.config.extra.insert(QStringLiteral("blockerRate"), 1);
            QCOMPARE(SimulatorAdapter::plannedAction(r), SimulatorAdapter::Action::Blocker);
        }
    }

    void onlyOfferedToolsAreCalled()
    {
        RunRequest r = makeRequest(QStringLiteral("blog_post"), 5, QStringLiteral("subtask"));
        r.tools = {tools::controlPlaneTool(QStringLiteral("create_approval"))};
        const auto rec = runOnce(r);
        QVERIFY(rec->result.ok());
        QVERIFY(rec->sink.calls.isEmpty());
        r.tools = tools::controlPlaneTools();
        QCOMPARE(runOnce(r)->sink.calls.size(), 1);
    }

    void refusedToolStillCompletes()
    {
        RunRequest r = makeRequest(QStringLiteral("blog_post"), 5, QStringLiteral("approval"));
        auto rec = std::make_unique<RunRecord>(RunRecord {ApiError {}, {}});
        rec->sink.toolResult
            = {{QStringLiteral("error"), QJsonObject {{QStringLiteral("code"), QStringLiteral("CONFLICT")}}}};
        SimulatorAdapter adapter;
        rec->result = adapter.run(r, rec->sink);
        QVERIFY(rec->result.ok());
        QCOMPARE(rec->result->end, RunOutcome::End::Completed);
        QCOMPARE(rec->result->finishReason, QStringLiteral("stop"));
    }

    void toolSchemas_data()
    {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QJsonObject>("input");
        QTest::addColumn<QString>("field"); // empty: valid
        const QJsonObject approval {
            {"type", "content_review"}, {"riskLevel", "low"}, {"title", "T"}, {"description", "D"}};
        QTest::newRow("schema-approval-ok-01") << "create_approval" << approval << "";
        QJsonObject bad = approval;
        bad.insert("riskLevel", "extreme");
        QTest::newRow("schema-approval-enum-02") << "create_approval" << bad << "riskLevel";
        bad = approval;
        bad.remove("title");
        QTest::newRow("schema-approval-required-03") << "create_approval" << bad << "title";
        bad = approval;
        bad.insert("options", QJsonArray {"only one"});
        QTest::newRow("schema-approval-options-04") << "create_approval" << bad << "options";
        bad = approval;
        bad.insert("options", QJsonArray {"a", 3});
        QTest::newRow("schema-approval-option-type-05") << "create_approval" << bad << "options[1]";
        bad = approval;
        bad.insert("expiresInHours", 1.5);
        QTest::newRow("schema-approval-integer-06") << "create_approval" << bad << "expiresInHours";
        bad = approval;
        bad.insert("colour", "red");
        QTest::newRow("schema-approval-unknown-07") << "create_approval" << bad << "colour";
        QTest::newRow("schema-subtask-ok-08") << "create_subtask"
                                              << QJsonObject {{"title", "K"}, {"agentRole", "analyst"},
                                                     {"type", "research"}, {"instructions", "Do it"}}
                                              << "";
        QTest::newRow("schema-subtask-role-09") << "create_subtask"
                                                << QJsonObject {{"title", "K"}, {"agentRole", "wizard"},
                                                       {"type", "research"}, {"instructions", "Do it"}}
                                                << "agentRole";
        QTest::newRow("schema-review-empty-10") << "request_review" << QJsonObject {{"note", ""}} << "note";
        QTest::newRow("schema-blocker-ok-11")
            << "report_blocker" << QJsonObject {{"reason", "No access"}} << "";
        QTest::newRow("schema-reassign-ok-12")
            << "reassign" << QJsonObject {{"reason", "Needs SEO"}, {"agentRole", "seo_specialist"}} << "";
    }
    void toolSchemas()
    {
        QFETCH(QString, tool);
        QFETCH(QJsonObject, input);
        QFETCH(QString, field);
        const auto r = tools::validateToolInput(tool, input);
        if (field.isEmpty()) {
            QVERIFY(r.ok());
            return;
        }
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::ValidationError);
        QCOMPARE(r.error().details.value(0).field, field);
    }

    void toolList()
    {
        const QList<ToolSpec> list = tools::controlPlaneTools();
        QStringList names;
        for (const ToolSpec &t : list) {
            names.append(t.name);
            QVERIFY(!t.description.isEmpty());
            QCOMPARE(t.inputSchema.value(QLatin1String("type")).toString(), QStringLiteral("object"));
        }
        QCOMPARE(names,
            QStringList(
                {"create_approval", "create_subtask", "request_review", "report_blocker", "reassign"}));
        QVERIFY(tools::isControlPlaneTool(QStringLiteral("reassign")));
        QVERIFY(!tools::isControlPlaneTool(QStringLiteral("semrush_keyword_research")));
        QCOMPARE(tools::validateToolInput(QStringLiteral("nope"), {}).error().code, ErrorCode::NotFound);
    }

    void healthAlwaysOk()
    {
        SimulatorAdapter adapter;
        QCOMPARE(adapter.type(), QStringLiteral("simulator"));
        const QList<HealthCheck> checks = adapter.health(AdapterConfig {});
        QCOMPARE(checks.size(), 1);
        QCOMPARE(checks.first().name, QStringLiteral("offline_simulator"));
        QVERIFY(checks.first().ok);
    }

    void registry_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("known");
        QTest::newRow("registry-simulator-01") << "simulator" << true;
        QTest::newRow("registry-webhook-02") << "webhook" << true;
        QTest::newRow("registry-unknown-03") << "gpt-9000" << false;
        QTest::newRow("registry-empty-04") << "" << false;
        QTest::newRow("registry-case-05") << "Simulator" << false;
    }
    void registry()
    {
        QFETCH(QString, type);
        QFETCH(bool, known);
        const auto adapter = makeAdapter(type);
        QCOMPARE(adapter != nullptr, known);
        QCOMPARE(knownAdapterTypes().contains(type), known);
        if (adapter)
            QCOMPARE(adapter->type(), type);
    }

    void tokensSplitAndJoin()
    {
        const QString text = QStringLiteral("Hello wonderful world 😀😀😀😀 |---|\n\n- done");
        const QStringList pieces = sim::splitIntoTokens(text);
        QCOMPARE(pieces.join(QString()), text);
        QVERIFY(pieces.size() >= 8);
        for (const QString &p : pieces)
            QVERIFY(!p.back().isHighSurrogate());
    }
};

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
