// SPDX-License-Identifier: GPL-3.0-or-later
#include "leadimport.h"

#include "core/logging.h"
#include "core/ulid.h"

#include <QRegularExpression>
#include <QSet>

namespace lm::services {

namespace LeadRules {
const QStringList &statuses()
{
    static const QStringList s {QStringLiteral("new"), QStringLiteral("contacted"),
        QStringLiteral("qualified"), QStringLiteral("unqualified"), QStringLiteral("converted")};
    return s;
}
const QStringList &sources()
{
    static const QStringList s {QStringLiteral("form"), QStringLiteral("google_ads"),
        QStringLiteral("meta_ads"), QStringLiteral("manual"), QStringLiteral("import")};
    return s;
}
bool validEmail(const QString &email)
{
    static const QRegularExpression form(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    return form.match(email).hasMatch();
}
} // namespace LeadRules

QList<CsvRecord> parseCsv(QByteArrayView content)
{
    if (content.startsWith("\xEF\xBB\xBF"))
        content = content.sliced(3);
    QList<CsvRecord> records;
    CsvRecord current;
    QByteArray field;
    bool inQuotes = false;
    bool fieldQuoted = false;
    bool recordHasData = false;
    int row = 1;
    int recordStart = 1;
    const auto endField = [&] {
        current.fields.append(QString::fromUtf8(field));
        field.clear();
        fieldQuoted = false;
    };
    const auto endRecord = [&] {
        endField();
        // A blank line is one empty unquoted field: skipped, but it keeps its row number.
        if (recordHasData) {
            current.row = recordStart;
            records.append(current);
        }
        current = CsvRecord();
        recordHasData = false;
    };
    const qsizetype n = content.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = content[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < n && content[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.isEmpty() && !fieldQuoted) {
            inQuotes = true;
            fieldQuoted = true;
            recordHasData = true;
        } else if (c == ',') {
            endField();
            recordHasData = true;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && content[i + 1] == '\n')
                ++i;
            endRecord();
            ++row;
            recordStart = row;
        } else {
            field += c;
            recordHasData = true;
        }
    }
    if (inQuotes) {
        current.unterminated = true;
        recordHasData = true;
    }
    if (recordHasData || !field.isEmpty())
        endRecord();
    return records;
}

CsvColumns CsvColumns::fromHeader(const QStringList &header)
{
    CsvColumns c;
    for (int i = 0; i < header.size(); ++i) {
        QString key = header[i].trimmed().toLower();
        key.remove(QLatin1Char(' ')).remove(QLatin1Char('_')).remove(QLatin1Char('-'));
        const auto take = [&](int &slot, std::initializer_list<const char *> names) {
            for (const char *name : names) {
                if (slot < 0 && key == QLatin1String(name)) {
                    slot = i;
                    return;
                }
            }
        };
        take(c.firstName, {"firstname", "givenname", "first"});
        take(c.lastName, {"lastname", "surname", "familyname", "last"});
        take(c.name, {"name", "fullname"});
        take(c.email, {"email", "emailaddress", "mail"});
        take(c.phone, {"phone", "phonenumber", "telephone", "mobile", "tel"});
        take(c.company, {"company", "organization", "organisation", "companyname"});
        take(c.status, {"status"});
        take(c.score, {"score"});
        take(c.tags, {"tags", "tag"});
        take(c.sourceRef, {"sourceref", "campaign", "reference"});
        take(c.notes, {"notes", "note", "comments"});
    }
    return c;
}

Result<int> LeadImporter::countRows(QByteArrayView content)
{
    const QList<CsvRecord> records = parseCsv(content);
    if (records.isEmpty())
        return ApiError {ErrorCode::ValidationError, QStringLiteral("The file has no header row"),
            {{QStringLiteral("file"), QStringLiteral("empty")}}};
    if (!CsvColumns::fromHeader(records.first().fields).usable())
        return ApiError {ErrorCode::ValidationError,
            QStringLiteral("The header row names no name columns (firstName and lastName, or name)"),
            {{QStringLiteral("file"), QStringLiteral("missing_columns")}}};
    if (records.size() < 2)
        return ApiError {ErrorCode::ValidationError, QStringLiteral("The file has no data rows"),
            {{QStringLiteral("file"), QStringLiteral("empty")}}};
    return int(records.size() - 1);
}

namespace {

QString cell(const CsvRecord &r, int column)
{
    return column >= 0 && column < r.fields.size() ? r.fields[column].trimmed() : QString();
}

} // namespace

std::optional<QString> leadFromRow(
    const CsvRecord &r, const CsvColumns &cols, int columnCount, store::Lead &lead)
{
    using namespace LeadRules;
    if (r.unterminated)
        return QStringLiteral("unterminated quoted field");
    if (r.fields.size() != columnCount)
        return QStringLiteral("expected %1 fields, found %2").arg(columnCount).arg(r.fields.size());
    lead.firstName = cell(r, cols.firstName);
    lead.lastName = cell(r, cols.lastName);
    if (cols.name >= 0 && lead.firstName.isEmpty() && lead.lastName.isEmpty()) {
        const QString full = cell(r, cols.name).simplified();
        const qsizetype space = full.indexOf(QLatin1Char(' '));
        lead.firstName = space < 0 ? full : full.left(space);
        lead.lastName = space < 0 ? QString() : full.mid(space + 1);
    }
    if (lead.firstName.isEmpty())
        return QStringLiteral("firstName is required");
    if (lead.lastName.isEmpty())
        return QStringLiteral("lastName is required");
    if (lead.firstName.size() > kMaxName)
        return QStringLiteral("firstName is too long");
    if (lead.lastName.size() > kMaxName)
        return QStringLiteral("lastName is too long");
    lead.email = cell(r, cols.email);
    if (lead.email.size() > kMaxEmail || (!lead.email.isEmpty() && !validEmail(lead.email)))
        return QStringLiteral("invalid email");
    lead.phone = cell(r, cols.phone);
    if (lead.phone.size() > kMaxPhone)
        return QStringLiteral("phone is too long");
    lead.company = cell(r, cols.company);
    if (lead.company.size() > kMaxCompany)
        return QStringLiteral("company is too long");
    const QString status = cell(r, cols.status).toLower();
    if (!status.isEmpty() && !statuses().contains(status))
        return QStringLiteral("invalid status '%1'").arg(status.left(40));
    if (!status.isEmpty())
        lead.status = status;
    const QString score = cell(r, cols.score);
    if (!score.isEmpty()) {
        bool ok = false;
        const int value = score.toInt(&ok);
        if (!ok || value < 0 || value > 100)
            return QStringLiteral("score must be an integer 0-100");
        lead.score = value;
    }
    const QString tags = cell(r, cols.tags);
    if (!tags.isEmpty()) {
        for (const QString &tag :
            tags.split(QRegularExpression(QStringLiteral("[;|]")), Qt::SkipEmptyParts)) {
            const QString t = tag.trimmed();
            if (t.isEmpty() || lead.tags.contains(t))
                continue;
            if (t.size() > kMaxTag)
                return QStringLiteral("tag '%1…' is too long").arg(t.left(20));
            lead.tags.append(t);
        }
        if (lead.tags.size() > kMaxTags)
            return QStringLiteral("too many tags");
    }
    const QString ref = cell(r, cols.sourceRef);
    if (ref.size() > kMaxSourceRef)
        return QStringLiteral("sourceRef is too long");
    if (!ref.isEmpty())
        lead.sourceRef = ref;
    return std::nullopt;
}

namespace {

Result<void> importOnce(EngineContext &engine, const jobs::Job &job)
{
    const QString importId = job.payload.value(QLatin1String("importId")).toString();
    const auto scope = store::TenantScope::tenant(job.tenantId);
    UnitOfWork work(engine);
    if (!work.isActive())
        return work.error();
    auto found = work.store().leads.findImport(scope, importId, true);
    if (!found.ok())
        return found.error();
    if (!found->has_value() || (*found)->status != QLatin1String("processing"))
        return {}; // gone, or done by an earlier attempt
    store::LeadImport import = **found;

    const QList<CsvRecord> records = parseCsv(import.content);
    const CsvColumns cols = records.isEmpty() ? CsvColumns() : CsvColumns::fromHeader(records.first().fields);
    const int columnCount = records.isEmpty() ? 0 : int(records.first().fields.size());
    auto existing = work.store().leads.emailKeys(scope);
    if (!existing.ok())
        return existing.error();
    QSet<QString> seen = *existing;
    // A label from the lead source enum is the leads' source; any other label is their sourceRef.
    const bool enumSource = LeadRules::sources().contains(import.source);
    const qint64 now = work.nowMs();
    import.total = int(std::max<qsizetype>(0, records.size() - 1));
    import.imported = 0;
    import.skipped = 0;
    import.errors = {};
    int errorCount = 0;
    for (qsizetype i = 1; i < records.size(); ++i) {
        const CsvRecord &r = records[i];
        store::Lead lead;
        if (const auto reason = leadFromRow(r, cols, columnCount, lead)) {
            ++errorCount;
            if (import.errors.size() < LeadImporter::kMaxErrors)
                import.errors.append(QJsonObject {{QStringLiteral("row"), r.row},
                    { QStringLiteral("reason"),
                        *reason }});
            continue;
        }
        const QString key = store::Lead::emailKey(lead.email);
        if (!key.isEmpty() && seen.contains(key)) {
            ++import.skipped;
            continue;
        }
        if (!key.isEmpty())
            seen.insert(key);
        lead.id = Ulid::generate();
        lead.tenantId = job.tenantId;
        lead.source = enumSource ? import.source : QStringLiteral("import");
        if (!enumSource && lead.sourceRef.isEmpty())
            lead.sourceRef = import.source;
        lead.importId = import.id;
        lead.createdBy = import.createdBy;
        lead.createdAtMs = now;
        lead.updatedAtMs = now;
        if (auto res = work.store().leads.insert(lead); !res.ok())
            return res.error();
        store::LeadEvent created;
        created.id = Ulid::generate();
        created.tenantId = job.tenantId;
        created.leadId = lead.id;
        created.type = QStringLiteral("created");
        created.actorType = QStringLiteral("system");
        created.data = {{QStringLiteral("via"), QStringLiteral("import")},
            {QStringLiteral("importId"), import.id}, {QStringLiteral("row"), r.row}};
        const QString notes = cell(r, cols.notes);
        created.createdAtMs = now;
        if (auto res = work.store().leads.addEvent(created); !res.ok())
            return res.error();
        if (!notes.isEmpty()) {
            store::LeadEvent note = created;
            note.id = Ulid::generate();
            note.type = QStringLiteral("note");
            note.data = {{QStringLiteral("text"), notes.left(LeadRules::kMaxNotes)}};
            if (auto res = work.store().leads.addEvent(note); !res.ok())
                return res.error();
        }
        ++import.imported;
    }
    import.status = QStringLiteral("completed");
    import.completedAtMs = now;
    if (auto r = work.store().leads.finishImport(scope, import); !r.ok())
        return r.error();
    if (auto r = work.tenantEvent(job.tenantId, QStringLiteral("lead_import_completed"),
            {{QStringLiteral("importId"), import.id}, {QStringLiteral("imported"), import.imported},
                {QStringLiteral("skipped"), import.skipped}, {QStringLiteral("errors"), errorCount}});
        !r.ok())
        return r.error();
    if (auto r = work.commit(); !r.ok())
        return r.error();
    qCInfo(lmEngine) << "lead import" << import.id << "imported" << import.imported << "skipped"
                     << import.skipped << "rejected" << errorCount;
    return {};
}

} // namespace

Result<void> LeadImporter::run(EngineContext &engine, const jobs::Job &job)
{
    auto done = importOnce(engine, job);
    if (done.ok() || job.attempts < job.maxAttempts)
        return done;
    // The last attempt failed (its transaction is rolled back): the poll must not say processing forever.
    store::LeadImport failed;
    failed.id = job.payload.value(QLatin1String("importId")).toString();
    failed.status = QStringLiteral("failed");
    failed.completedAtMs = engine.clock.nowMs();
    failed.errors = QJsonArray {QJsonObject {{QStringLiteral("row"), 0},
        {QStringLiteral("reason"), QStringLiteral("the import could not be completed")}}};
    if (auto r = engine.store.leads.finishImport(store::TenantScope::tenant(job.tenantId), failed); !r.ok())
        qCWarning(lmEngine) << "cannot mark import" << failed.id << "failed:" << r.error().message;
    return done;
}

} // namespace lm::services
