// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"
#include "core/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1String>
#include <QList>
#include <QString>
#include <QStringList>

// The control-plane actions an agent may take during a run. Built-in adapters offer them to the
// model as tools with these names and input schemas; external runtimes call the same actions on
// POST /agent/v1/runs/:runId/actions/<name with '-' for '_'>. One definition serves both paths.
//
// Input shapes (JSON Schema in controlPlaneTools()):
//   create_approval  {type, riskLevel: low|medium|high, title, description, options?: string[2..5],
//                     expiresInHours?: 1..336}
//   create_subtask   {title, agentRole, type, instructions}
//   request_review   {note}
//   report_blocker   {reason}
//   reassign         {reason, agentRole? | userId?}
namespace lm::agents::tools {

/// Opens an approval gate; the activity waits in awaiting_approval until a human resolves it.
inline constexpr QLatin1String CreateApproval {"create_approval"};
/// Delegates work to another agent; the activity waits in awaiting_subtask until it completes.
inline constexpr QLatin1String CreateSubtask {"create_subtask"};
/// Asks a human to look at the work mid-task; the activity waits in awaiting_review.
inline constexpr QLatin1String RequestReview {"request_review"};
/// Signals the activity cannot go on without outside help; the activity becomes blocked.
inline constexpr QLatin1String ReportBlocker {"report_blocker"};
/// Hands the activity to another agent role or a human.
inline constexpr QLatin1String Reassign {"reassign"};

/// Approval types of the Dashboard API (GET /approvals filter.type).
[[nodiscard]] QStringList approvalTypes();
/// Risk levels of an approval.
[[nodiscard]] QStringList riskLevels();
/// Agent roles a subtask or reassignment may name.
[[nodiscard]] QStringList agentRoles();

/// The five control-plane tools with their descriptions and input schemas, in a stable order.
[[nodiscard]] QList<ToolSpec> controlPlaneTools();
/// The spec of one control-plane tool; a spec with an empty name when unknown.
[[nodiscard]] ToolSpec controlPlaneTool(const QString &name);
/// True for the names of controlPlaneTools().
[[nodiscard]] bool isControlPlaneTool(const QString &name);

/// Checks a value against the JSON Schema subset the tool schemas use (type, properties, required,
/// additionalProperties:false, enum, minLength/maxLength, minimum/maximum, items, minItems/maxItems).
/// A VALIDATION_ERROR names the first failing field as a JSON path (e.g. "options[1]").
Result<void> validateAgainstSchema(const QJsonObject &schema, const QJsonValue &value);
/// validateAgainstSchema() with the schema of the named control-plane tool; NOT_FOUND for others.
Result<void> validateToolInput(const QString &name, const QJsonObject &input);

} // namespace lm::agents::tools
