// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/controlplanetools.h"

#include <QJsonArray>

#include <cmath>

namespace lm::agents::tools {

namespace {

QJsonObject stringProp(const QString &description, int minLength = 1, int maxLength = 0)
{
    QJsonObject p {{QStringLiteral("type"), QStringLiteral("string")},
        {QStringLiteral("description"), description}, {QStringLiteral("minLength"), minLength}};
    if (maxLength > 0)
        p.insert(QStringLiteral("maxLength"), maxLength);
    return p;
}

QJsonObject enumProp(const QString &description, const QStringList &values)
{
    return {{QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("description"), description},
        {QStringLiteral("enum"), QJsonArray::fromStringList(values)}};
}

QJsonObject objectSchema(const QJsonObject &properties, const QStringList &required)
{
    return {{QStringLiteral("type"), QStringLiteral("object")}, {QStringLiteral("properties"), properties},
        {QStringLiteral("required"), QJsonArray::fromStringList(required)},
        {QStringLiteral("additionalProperties"), false}};
}

QStringList activityTypes()
{
    return {QStringLiteral("research"), QStringLiteral("plan"), QStringLiteral("blog_post"),
        QStringLiteral("social_post"), QStringLiteral("gbp_post"), QStringLiteral("ad_copy"),
        QStringLiteral("email_newsletter"), QStringLiteral("backlink"), QStringLiteral("website_audit"),
        QStringLiteral("performance_report")};
}

QList<ToolSpec> buildTools()
{
    QList<ToolSpec> list;
    list.append({QString(CreateApproval),
        QStringLiteral("Ask a human to approve before going on: a draft for content_review, or a choice "
                       "between options for content_direction. The activity waits until it is resolved."),
        objectSchema(
            {{QStringLiteral("type"), enumProp(QStringLiteral("What is to be approved"), approvalTypes())},
                {QStringLiteral("riskLevel"),
                    enumProp(QStringLiteral("How much harm a wrong call would do"), riskLevels())},
                {QStringLiteral("title"),
                    stringProp(QStringLiteral("Short title for the approval queue"), 1, 200)},
                {QStringLiteral("description"),
                    stringProp(QStringLiteral("What the reviewer should check, and why"), 1, 4000)},
                {QStringLiteral("options"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("array")},
                        {QStringLiteral("description"), QStringLiteral("Choices the reviewer picks one of")},
                        {QStringLiteral("items"), stringProp(QStringLiteral("One option"), 1, 300)},
                        {QStringLiteral("minItems"), 2}, {QStringLiteral("maxItems"), 5}}},
                {QStringLiteral("expiresInHours"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("integer")},
                        {QStringLiteral("description"), QStringLiteral("Hours until the approval expires")},
                        {QStringLiteral("minimum"), 1}, {QStringLiteral("maximum"), 336}}}},
            {QStringLiteral("type"), QStringLiteral("riskLevel"), QStringLiteral("title"),
                QStringLiteral("description")})});
    list.append({QString(CreateSubtask),
        QStringLiteral("Delegate a piece of work to another agent. The activity waits until the subtask "
                       "completes, then runs again with its result."),
        objectSchema({{QStringLiteral("title"), stringProp(QStringLiteral("Title of the subtask"), 1, 200)},
                         {QStringLiteral("agentRole"), enumProp(QStringLiteral("Who does it"), agentRoles())},
                         {QStringLiteral("type"), enumProp(QStringLiteral("Kind of work"), activityTypes())},
                         {QStringLiteral("instructions"),
                             stringProp(QStringLiteral("What to do and what to hand back"), 1, 8000)}},
            {QStringLiteral("title"), QStringLiteral("agentRole"), QStringLiteral("type"),
                QStringLiteral("instructions")})});
    list.append(
        {QString(RequestReview), QStringLiteral("Ask a human to look at the work so far before finishing."),
            objectSchema({{QStringLiteral("note"), stringProp(QStringLiteral("What to look at"), 1, 4000)}},
                {QStringLiteral("note")})});
    list.append({QString(ReportBlocker),
        QStringLiteral("Stop because the work cannot go on without outside help (missing access, facts "
                       "or decisions)."),
        objectSchema({{QStringLiteral("reason"), stringProp(QStringLiteral("What is missing"), 1, 4000)}},
            {QStringLiteral("reason")})});
    list.append({QString(Reassign),
        QStringLiteral("Hand the activity to another agent role or to a human (give one of agentRole, "
                       "userId)."),
        objectSchema({{QStringLiteral("reason"), stringProp(QStringLiteral("Why"), 1, 4000)},
                         {QStringLiteral("agentRole"), enumProp(QStringLiteral("Agent role"), agentRoles())},
                         {QStringLiteral("userId"), stringProp(QStringLiteral("A human user id"), 1, 64)}},
            {QStringLiteral("reason")})});
    return list;
}

QString joinPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

bool matchesType(const QString &type, const QJsonValue &value)
{
    if (type == u"object")
        return value.isObject();
    if (type == u"array")
        return value.isArray();
    if (type == u"string")
        return value.isString();
    if (type == u"boolean")
        return value.isBool();
    if (type == u"number")
        return value.isDouble();
    if (type == u"integer")
        return value.isDouble() && std::trunc(value.toDouble()) == value.toDouble();
    return true; // unknown type keywords are not ours to enforce
}

ApiError fieldError(const QString &path, const QString &issue)
{
    return ApiError::validation(path.isEmpty() ? QStringLiteral("input") : path, issue);
}

Result<void> validateAt(const QJsonObject &schema, const QJsonValue &value, const QString &path)
{
    const QString type = schema.value(QLatin1String("type")).toString();
    if (!type.isEmpty() && !matchesType(type, value))
        return fieldError(path, QStringLiteral("must be %1").arg(type));

    const QJsonArray allowed = schema.value(QLatin1String("enum")).toArray();
    if (!allowed.isEmpty() && !allowed.contains(value))
        return fieldError(path, QStringLiteral("not one of the allowed values"));

    if (value.isString()) {
        const qsizetype len = value.toString().size();
        if (schema.contains(QLatin1String("minLength"))
            && len < schema.value(QLatin1String("minLength")).toInt())
            return fieldError(path, QStringLiteral("too short"));
        if (schema.contains(QLatin1String("maxLength"))
            && len > schema.value(QLatin1String("maxLength")).toInt())
            return fieldError(path, QStringLiteral("too long"));
    }
    if (value.isDouble()) {
        const double n = value.toDouble();
        if (schema.contains(QLatin1String("minimum"))
            && n < schema.value(QLatin1String("minimum")).toDouble())
            return fieldError(path, QStringLiteral("below minimum"));
        if (schema.contains(QLatin1String("maximum"))
            && n > schema.value(QLatin1String("maximum")).toDouble())
            return fieldError(path, QStringLiteral("above maximum"));
    }
    if (value.isArray()) {
        const QJsonArray items = value.toArray();
        if (schema.contains(QLatin1String("minItems"))
            && items.size() < schema.value(QLatin1String("minItems")).toInt())
            return fieldError(path, QStringLiteral("too few items"));
        if (schema.contains(QLatin1String("maxItems"))
            && items.size() > schema.value(QLatin1String("maxItems")).toInt())
            return fieldError(path, QStringLiteral("too many items"));
        const QJsonObject itemSchema = schema.value(QLatin1String("items")).toObject();
        for (qsizetype i = 0; i < items.size(); ++i) {
            auto r = validateAt(itemSchema, items.at(i), QStringLiteral("%1[%2]").arg(path).arg(i));
            if (!r)
                return r;
        }
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
        for (const QJsonValue &name : schema.value(QLatin1String("required")).toArray()) {
            if (!object.contains(name.toString()))
                return fieldError(joinPath(path, name.toString()), QStringLiteral("required"));
        }
        const bool closed = schema.value(QLatin1String("additionalProperties")) == QJsonValue(false);
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!properties.contains(it.key())) {
                if (closed)
                    return fieldError(joinPath(path, it.key()), QStringLiteral("unknown"));
                continue;
            }
            auto r = validateAt(properties.value(it.key()).toObject(), it.value(), joinPath(path, it.key()));
            if (!r)
                return r;
        }
    }
    return {};
}

} // namespace

QStringList approvalTypes()
{
    return {QStringLiteral("content_review"), QStringLiteral("content_direction"),
        QStringLiteral("brand_direction"), QStringLiteral("strategy_change"),
        QStringLiteral("budget_authorization"), QStringLiteral("channel_action")};
}

QStringList riskLevels()
{
    return {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high")};
}

QStringList agentRoles()
{
    return {QStringLiteral("activity_planner"), QStringLiteral("strategist"), QStringLiteral("copywriter"),
        QStringLiteral("seo_specialist"), QStringLiteral("social_media_manager"), QStringLiteral("designer"),
        QStringLiteral("analyst")};
}

QList<ToolSpec> controlPlaneTools()
{
    // Built once; the schemas are immutable after that, so sharing across threads is fine.
    static const QList<ToolSpec> tools = buildTools();
    return tools;
}

ToolSpec controlPlaneTool(const QString &name)
{
    for (const ToolSpec &tool : controlPlaneTools()) {
        if (tool.name == name)
            return tool;
    }
    return {};
}

bool isControlPlaneTool(const QString &name)
{
    return !controlPlaneTool(name).name.isEmpty();
}

Result<void> validateAgainstSchema(const QJsonObject &schema, const QJsonValue &value)
{
    return validateAt(schema, value, QString());
}

Result<void> validateToolInput(const QString &name, const QJsonObject &input)
{
    const ToolSpec tool = controlPlaneTool(name);
    if (tool.name.isEmpty())
        return ApiError::notFound(QStringLiteral("unknown control-plane tool"));
    return validateAgainstSchema(tool.inputSchema, input);
}

} // namespace lm::agents::tools
