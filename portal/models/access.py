"""Who may do what: the roles, the permissions, and the one role -> permission table with the
checks that read it. Below the models' floor's users (User.can asks it) and above nothing:
portal/permissions.py declares and guards the endpoints with it."""

import enum

from flask_babel import lazy_gettext as _l

from .types import LabelledEnum


class Role(LabelledEnum):
    COUNTY_ADMIN = "county_admin"
    COUNTY_AUDITOR = "county_auditor"
    SCHOOL_ADMIN = "school_admin"
    PRINCIPAL = "principal"
    DIRECTOR = "director"
    STAFF = "staff"

    @classmethod
    def _labels(cls):
        return {
            cls.COUNTY_ADMIN: _l("County admin"),
            cls.COUNTY_AUDITOR: _l("County auditor"),
            cls.SCHOOL_ADMIN: _l("School admin"),
            cls.PRINCIPAL: _l("Principal"),
            cls.DIRECTOR: _l("General-affairs director"),
            cls.STAFF: _l("Staff"),
        }

    @property
    def is_county(self):
        return self in COUNTY_ROLES


COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_AUDITOR})


class Permission(enum.StrEnum):
    SCHOOL_MANAGE = "school.manage"
    SCHOOL_SETTINGS = "school.settings"
    USER_MANAGE = "user.manage"
    USER_READ = "user.read"
    RULE_READ = "rule.read"
    RULE_MANAGE = "rule.manage"
    RULE_ACKNOWLEDGE = "rule.acknowledge"
    TRAINING_READ = "training.read"
    TRAINING_MANAGE = "training.manage"
    CERTIFICATE_READ = "certificate.read"
    CERTIFICATE_MANAGE = "certificate.manage"
    INSPECTION_READ = "inspection.read"
    INSPECTION_MANAGE = "inspection.manage"
    INSPECTION_PERFORM = "inspection.perform"
    INSPECTION_SIGN_OFF = "inspection.sign_off"
    # The school calendar, cadence rules and excusing missed inspections.
    CALENDAR_MANAGE = "calendar.manage"
    CHECKLIST_MANAGE = "checklist.manage"
    # Period bundles, workbooks and frozen inspection PDFs.
    EVIDENCE_EXPORT = "evidence.export"
    EVIDENCE_VERIFY = "evidence.verify"
    AUDIT_READ = "audit.read"
    # Returning an inspection to its inspector; amending a signed one.
    INSPECTION_RETURN = "inspection.return"
    INSPECTION_AMEND = "inspection.amend"
    # Checking a rectification (verify or send back), and giving it more time.
    TASK_VERIFY = "task.verify"
    TASK_EXTEND = "task.extend"
    # The canteen's daily ledgers: reading them and the board, filling them in (the quick-entry
    # pages), and correcting them in the admin.
    LEDGER_READ = "ledger.read"
    LEDGER_RECORD = "ledger.record"
    LEDGER_MANAGE = "ledger.manage"
    # Eating with the students and recording it (陪餐): school leaders.
    MEAL_ACCOMPANY = "meal.accompany"
    # The weekly risk report (周排查): completed and signed by a food-safety manager.
    REPORT_SIGN = "report.sign"
    # The monthly dispatch meeting (月调度): recorded, and its minutes signed.
    MEETING_RECORD = "meeting.record"
    MEETING_SIGN = "meeting.sign"
    # A food-safety incident or suspected food poisoning (食品安全事故): reported with the offices
    # told, followed up, and signed by the principal.
    INCIDENT_REPORT = "incident.report"
    INCIDENT_SIGN = "incident.sign"
    # Complaints left through the canteen's code (校园食安码): read with the contact left, and
    # answered, by the school's office.
    COMPLAINT_ANSWER = "complaint.answer"
    # The month's stocktake (盘点): counted and signed by the keeper, then signed by the director.
    STOCKTAKE_SIGN = "stocktake.sign"
    # The nutrition plan's real-name roster: students' personal data is read by the school
    # admin, the principal and the county only; kept by the school admin; each enrolment
    # change checked by a second person.
    STUDENT_READ = "student.read"
    STUDENT_MANAGE = "student.manage"
    ENROLMENT_CHECK = "enrolment.check"
    # The month's subsidy reconciliation, signed by the principal.
    SUBSIDY_SIGN = "subsidy.sign"
    # Dormitory housekeeping: the daily check of each room (and coaching a room that scored
    # low); the rooms, the semester's beds and the scored standard.
    DORM_CHECK = "dormitory.check"
    # Reading the dormitories: the bed list (minors' names, classes, rooms and beds), the
    # checks, the daily notice and the ranking, and their exports. Not the kitchen's: a class
    # teacher sees their own class's notice on the home page.
    DORM_READ = "dormitory.read"
    # The daily notice (每日通报): of every class with dormitory.read, of their own classes for
    # class teachers.
    DORM_NOTICE = "dormitory.notice"
    # Surveys of students, teachers and parents: written, opened and closed, typed in from
    # paper, and the canteen's actions on their results.
    SURVEY_MANAGE = "survey.manage"
    # The parents' meal committee: its members (parents' names and telephones: read by the
    # school's office and the county only) and its activities.
    COMMITTEE_READ = "committee.read"
    COMMITTEE_MANAGE = "committee.manage"
    DORM_MANAGE = "dormitory.manage"
    # A school member's own rules to acknowledge, certificates and training.
    OWN_RECORDS = "own.read"


P = Permission

READ_EVERYTHING = frozenset(
    {
        P.USER_READ,
        P.RULE_READ,
        P.TRAINING_READ,
        P.CERTIFICATE_READ,
        P.INSPECTION_READ,
        P.AUDIT_READ,
        P.EVIDENCE_VERIFY,
        P.LEDGER_READ,
        P.STUDENT_READ,
        P.COMMITTEE_READ,
        P.DORM_READ,
        P.DORM_NOTICE,
    }
)

ROLE_PERMISSIONS = {
    Role.COUNTY_ADMIN: READ_EVERYTHING | {P.SCHOOL_MANAGE, P.USER_MANAGE},
    Role.COUNTY_AUDITOR: READ_EVERYTHING | {P.EVIDENCE_EXPORT},
    Role.SCHOOL_ADMIN: READ_EVERYTHING
    | {
        P.SCHOOL_SETTINGS,
        P.USER_MANAGE,
        P.RULE_MANAGE,
        P.TRAINING_MANAGE,
        P.CERTIFICATE_MANAGE,
        P.CALENDAR_MANAGE,
        P.CHECKLIST_MANAGE,
        P.EVIDENCE_EXPORT,
        P.OWN_RECORDS,
        P.LEDGER_RECORD,
        P.LEDGER_MANAGE,
        P.MEETING_RECORD,
        P.STUDENT_MANAGE,
        P.ENROLMENT_CHECK,
        P.DORM_MANAGE,
        P.SURVEY_MANAGE,
        P.COMMITTEE_MANAGE,
        P.INCIDENT_REPORT,
        P.COMPLAINT_ANSWER,
    },
    Role.PRINCIPAL: READ_EVERYTHING
    | {
        P.INSPECTION_PERFORM,
        P.INSPECTION_SIGN_OFF,
        P.INSPECTION_RETURN,
        P.INSPECTION_AMEND,
        P.TASK_VERIFY,
        P.TASK_EXTEND,
        P.EVIDENCE_EXPORT,
        P.OWN_RECORDS,
        P.LEDGER_RECORD,
        P.MEAL_ACCOMPANY,
        P.MEETING_RECORD,
        P.MEETING_SIGN,
        P.ENROLMENT_CHECK,
        P.SUBSIDY_SIGN,
        P.INCIDENT_REPORT,
        P.INCIDENT_SIGN,
        P.COMPLAINT_ANSWER,
    },
    Role.DIRECTOR: {
        P.RULE_READ,
        P.TRAINING_READ,
        P.TRAINING_MANAGE,
        P.CERTIFICATE_READ,
        P.INSPECTION_READ,
        P.INSPECTION_MANAGE,
        P.INSPECTION_PERFORM,
        P.TASK_VERIFY,
        P.TASK_EXTEND,
        P.USER_READ,
        P.OWN_RECORDS,
        P.LEDGER_READ,
        P.LEDGER_RECORD,
        P.LEDGER_MANAGE,
        P.MEETING_RECORD,
        P.STOCKTAKE_SIGN,
        P.DORM_READ,
        P.DORM_NOTICE,
        P.DORM_CHECK,
        P.DORM_MANAGE,
        P.SURVEY_MANAGE,
        P.COMMITTEE_READ,
        P.COMMITTEE_MANAGE,
        P.INCIDENT_REPORT,
        P.COMPLAINT_ANSWER,
    },
    Role.STAFF: {P.RULE_ACKNOWLEDGE, P.OWN_RECORDS, P.LEDGER_READ, P.LEDGER_RECORD},
}

# Designations: flags on a user that bring a permission without a role.
DESIGNATION_PERMISSIONS = {
    "food_safety_manager": frozenset({P.REPORT_SIGN}),
    "school_leader": frozenset({P.MEAL_ACCOMPANY}),
    "dormitory_manager": frozenset({P.DORM_READ, P.DORM_NOTICE, P.DORM_CHECK}),
}
# A class teacher (a user named on an active class) reads the daily notice of their classes.
CLASS_TEACHER_PERMISSIONS = frozenset({P.DORM_NOTICE})

# Roles each managing role may grant or take away, and whose holders' passwords it may
# reset. Segregation of duties: the roles that sign (principal), inspect and manage
# (director) and the school admin role itself come from the county; a school admin
# manages staff only.
GRANTABLE_ROLES = {
    Role.COUNTY_ADMIN: frozenset(Role),
    Role.SCHOOL_ADMIN: frozenset({Role.STAFF}),
}
# Designations that bring a signing power are granted like the roles that sign.
GRANTABLE_DESIGNATIONS = {
    Role.COUNTY_ADMIN: frozenset(DESIGNATION_PERMISSIONS),
    Role.SCHOOL_ADMIN: frozenset({"school_leader", "dormitory_manager"}),
}


def permissions_of(user):
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    granted = set()
    for role in user.roles:
        granted |= ROLE_PERMISSIONS[role]
    for designation, permissions in DESIGNATION_PERMISSIONS.items():
        if getattr(user, designation, False):
            granted |= permissions
    if getattr(user, "teaches_a_class", False):
        granted |= CLASS_TEACHER_PERMISSIONS
    return frozenset(granted)


def roles_with(permission):
    """The roles that hold ``permission``, for queries over many users."""
    return frozenset(role for role, granted in ROLE_PERMISSIONS.items() if Permission(permission) in granted)


def has_permission(user, permission):
    return Permission(permission) in permissions_of(user)


def grantable_roles(user):
    roles = set()
    for role in user.roles:
        roles |= GRANTABLE_ROLES.get(role, frozenset())
    return frozenset(roles)


def grantable_designations(user):
    designations = set()
    for role in user.roles:
        designations |= GRANTABLE_DESIGNATIONS.get(role, frozenset())
    return frozenset(designations)


def may_manage(actor, user):
    """Whether ``actor`` may change ``user`` at all (name, password, active, roles): never
    themselves through the admin, and only people whose every role they may grant."""
    if actor is None:
        return True  # the command line, run by the server's administrator
    return actor.id != user.id and user.roles <= grantable_roles(actor)


def reads_all_schools(user):
    """County users read across schools; everyone else sees their own school only."""
    return user.is_authenticated and user.school_id is None and bool(user.roles)
