"""What the audit log shows people: each kind of record by name, and each stored value as text."""

from __future__ import annotations

import json
from dataclasses import dataclass

#: Each table an audit event may name, as people call one of its records.
ENTITY_LABELS = {
    "api_tokens": "API token",
    "audit_events": "Audit event",
    "email_preferences": "Email preference",
    "engagement_location_rules": "Engagement location rule",
    "engagement_problem_rules": "Engagement problem rule",
    "engagement_records": "Engagement record",
    "import_batches": "Import batch",
    "import_jobs": "Queued import",
    "import_rejects": "Rejected import row",
    "login_throttles": "Login throttle",
    "meeting_feedback": "Meeting feedback",
    "meeting_languages": "Meeting language",
    "meetings": "Meeting",
    "member_languages": "Member language",
    "members": "Member",
    "notifications": "Notification",
    "outbox_emails": "Outgoing email",
    "outreach_contact_members": "Member at an outreach contact",
    "outreach_contacts": "Outreach contact",
    "password_reset_tokens": "Password reset link",
    "plan_priorities": "Plan priority",
    "plan_problems": "Plan problem",
    "plan_response_assessments": "Response assessment",
    "plan_response_changes": "Response change",
    "plan_responses": "Planned response",
    "plan_update_feedback_sources": "Update feedback source",
    "plan_update_proposed_priorities": "Proposed priority",
    "plan_update_proposed_problems": "New problem in an update",
    "plan_update_sharing": "Update sharing",
    "plan_updates": "Semi-annual update",
    "plans": "Plan",
    "recovery_codes": "Two-factor recovery code",
    "reminders": "Reminder",
    "report_jobs": "Report request",
    "stakeholder_contacts": "Stakeholder contact",
    "stakeholders": "Stakeholder",
    "stations": "Station",
    "survey_answers": "Survey answer",
    "survey_question_options": "Survey question option",
    "survey_questions": "Survey question",
    "survey_responses": "Survey response",
    "surveys": "Survey",
    "system": "System",
    "training_column_mappings": "Training column mapping",
    "training_courses": "Training course",
    "training_records": "Training record",
    "users": "User",
    "volunteer_languages": "Volunteer language",
    "volunteers": "Volunteer",
}
MISSING = "—"


def entity_label(entity_type: str) -> str:
    """The kind of record an event names, as people say it (a table not listed, in words)."""
    return ENTITY_LABELS.get(entity_type) or entity_type.replace("_", " ").capitalize()


def shown_value(value: object) -> str:
    """A value stored in an event's before or after, as text: "—" for none, Yes/No, lists."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(shown_value(item) for item in value) or MISSING
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    """One field of an event: its value before and after, as shown, and whether it changed."""

    name: str
    before: str
    after: str
    changed: bool


def field_changes(before: dict | None, after: dict | None) -> list[FieldChange]:
    """Every field named in before or after, in name order, with what it held on each side."""
    before, after = before or {}, after or {}
    return [FieldChange(key, shown_value(before.get(key)), shown_value(after.get(key)),
                        before.get(key) != after.get(key))
            for key in sorted(set(before) | set(after))]
