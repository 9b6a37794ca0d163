// SPDX-License-Identifier: GPL-3.0-or-later
#include "errormessages.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace lm::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lm::client::ErrorMessages", text);
}

QString issueText(const QString &issue)
{
    if (issue == QLatin1String("required"))
        return tr("is required");
    if (issue == QLatin1String("too_long"))
        return tr("is too long");
    if (issue == QLatin1String("too_many"))
        return tr("has too many entries");
    if (issue == QLatin1String("out_of_range"))
        return tr("is out of range");
    if (issue == QLatin1String("unknown_option"))
        return tr("is not one of this approval's options");
    if (issue == QLatin1String("malformed_json"))
        return tr("could not be read (malformed JSON)");
    if (issue == QLatin1String("invalid_date"))
        return tr("is not a valid date");
    return tr("is not valid");
}

} // namespace

QString fieldLabel(const QString &field)
{
    if (field == QLatin1String("note"))
        return tr("Note");
    if (field == QLatin1String("selectedOption") || field == QLatin1String("optionId"))
        return tr("Option");
    if (field == QLatin1String("resolution"))
        return tr("Decision");
    if (field == QLatin1String("email"))
        return tr("E-mail");
    if (field == QLatin1String("password"))
        return tr("Password");
    if (field == QLatin1String("code"))
        return tr("Code");
    if (field == QLatin1String("ids"))
        return tr("Selection");
    return field;
}

QString unreachableMessage(const QString &baseUrl)
{
    return tr(
        "Cannot reach the server at %1. Check the connection; decisions you take meanwhile are kept and "
        "sent when it is back.")
        .arg(baseUrl);
}

QString errorMessageFor(Subject subject, int status, const QJsonObject &envelope, int retryAfter)
{
    const QJsonObject error = envelope.value(QLatin1String("error")).toObject();
    const QString code = error.value(QLatin1String("code")).toString();
    const QJsonArray details = error.value(QLatin1String("details")).toArray();
    const QString requestId = error.value(QLatin1String("requestId")).toString();

    if (code == QLatin1String("VALIDATION_ERROR") || status == 400) {
        if (!details.isEmpty()) {
            const QJsonObject d = details.first().toObject();
            return tr("%1 %2.").arg(fieldLabel(d.value(QLatin1String("field")).toString()),
                issueText(d.value(QLatin1String("issue")).toString()));
        }
        return tr("The request was not accepted: %1").arg(error.value(QLatin1String("message")).toString());
    }
    if (status == 401) {
        if (subject == Subject::Login)
            return tr("The e-mail, password or code is not correct.");
        return tr("Your session has ended. Please sign in again.");
    }
    if (status == 403)
        return tr("Your account is not allowed to do this.");
    if (status == 404) {
        if (subject == Subject::Approval || subject == Subject::Decision)
            return tr("This approval no longer exists, or you can no longer see it.");
        if (subject == Subject::Activity)
            return tr("This activity no longer exists, or you can no longer see it.");
        return tr("Not found.");
    }
    if (status == 409) {
        if (subject == Subject::Approval || subject == Subject::Decision)
            return tr("This approval was already resolved by someone else.");
        if (subject == Subject::Activity)
            return tr("The activity cannot do that in its current state.");
        return tr("This was changed meanwhile; reload and try again.");
    }
    if (status == 413)
        return tr("What you sent is too large.");
    if (status == 422) {
        if (!details.isEmpty()) {
            const QJsonObject d = details.first().toObject();
            const QString field = d.value(QLatin1String("field")).toString();
            if (field == QLatin1String("selectedOption"))
                return tr("Choose one of the options before approving.");
            return tr("%1 %2.").arg(fieldLabel(field), issueText(d.value(QLatin1String("issue")).toString()));
        }
        return tr("The server cannot do this: %1").arg(error.value(QLatin1String("message")).toString());
    }
    if (status == 429) {
        if (retryAfter > 0)
            return QCoreApplication::translate("lm::client::ErrorMessages",
                "Too many attempts. Try again in %n second(s).", nullptr, retryAfter);
        return tr("Too many attempts. Try again in a moment.");
    }
    if (status == 503)
        return tr("The server is not available right now. Try again in a moment.");
    if (status >= 500)
        return tr("The server had a problem (request %1). Try again later.").arg(requestId);
    return tr("Unexpected answer from the server (HTTP %1).").arg(status);
}

} // namespace lm::client
