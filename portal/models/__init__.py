"""All models, imported here so that Alembic and the app see the whole schema."""

from .access import COUNTY_ROLES, Role
from .accompanied_meal import AccompaniedMeal, Opinion, ParentMeal
from .additive import Additive, AdditiveUse
from .audit import AuditChainHead, AuditEvent
from .cabinet import Cabinet, CabinetPurpose
from .cadence import Assignment, AssignmentState, AssignmentStatus, CadenceRule, Period
from .calendar import CalendarDay, DayKind, Term
from .canteen import SYMPTOMS, DisinfectionMethod, FoodSample, Meal, MenuDish, MorningCheck, TablewareDisinfection
from .certificate import Certificate, CertificateKind, CertificateStatus
from .checklist import ChecklistEntry, ChecklistTemplate, ChecklistVersion, VersionStatus
from .clean_plate import LeftoverWeighing
from .cold_chain import ColdUnit, ColdUnitKind, TemperatureReading
from .committee import ActivityKind, CommitteeActivity, CommitteeMember
from .complaint import Complaint
from .cooking import CoreTemperature
from .day_summary import DaySummary, RuleDaySummary, SummaryProgress
from .dormitory import DormBed, DormCheck, DormCoaching, DormRoom, DormStandardItem
from .drill import EmergencyDrill
from .evidence import EvidenceExport, ExportFormat, ExportStatus, InspectionEvidence
from .file import StoredFile
from .food_safety import DispatchMeeting, RiskReport
from .frozen import FrozenRecordError
from .hygiene import CanteenRoom, PreventionCheck, RoomDisinfection, RoomKind
from .incident import FoodIncident
from .ingredients import IngredientKind, IngredientRule
from .inspection import (
    Finding,
    Inspection,
    InspectionAmendment,
    InspectionItem,
    InspectionKind,
    InspectionPhoto,
    InspectionStatus,
    ItemResult,
    PhotoStage,
)
from .job import JobFailure, RoutineRun
from .ledger import LedgerAmendment, LedgerPart, LedgerRecord, LockedRecordError
from .notification import Notification, NotificationKind
from .nutrition import (
    ChangeKind,
    DailyReport,
    EnrolmentChange,
    Reconciliation,
    SpendingCategory,
    Student,
    SubsidyCharge,
    SubsidyRate,
)
from .pesticide import PesticideTest, ScreeningMethod
from .public_notice import PublicNotice
from .purchasing import Delivery, DeliveryItem, DeliveryResult, Supplier
from .rectification import RectificationTask, TaskStatus
from .reminder import GroupMessage, MessageStatus, Platform, Reminder, ReminderRule, ReminderSettings
from .rule import PostingLocation, Rule, RuleAcknowledgement, RuleCategory, RuleStatus, RuleVersion
from .school import School, SchoolSettings
from .school_class import SchoolClass
from .storeroom import StockBalance, StockBatch, StockDisposal, StockIssue, StockItem, Stocktake, StocktakeLine
from .supplier_review import SupplierEvaluation
from .survey import Audience, QuestionKind, Survey, SurveyAction, SurveyAnswer, SurveyQuestion, SurveyResponse
from .tenancy import CrossSchoolReference, SchoolOwned
from .throttle import PasswordFailure
from .training import AttendanceStatus, TrainingAttendance, TrainingKind, TrainingSession
from .user import User, UserRole

__all__ = [
    "DaySummary",
    "RuleDaySummary",
    "SummaryProgress",
    "Cabinet",
    "CabinetPurpose",
    "SupplierEvaluation",
    "Complaint",
    "EmergencyDrill",
    "FoodIncident",
    "Additive",
    "AdditiveUse",
    "ActivityKind",
    "CommitteeActivity",
    "CommitteeMember",
    "Audience",
    "QuestionKind",
    "Survey",
    "SurveyAction",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "LeftoverWeighing",
    "DormBed",
    "DormCheck",
    "DormCoaching",
    "DormRoom",
    "DormStandardItem",
    "ChangeKind",
    "DailyReport",
    "Reconciliation",
    "SpendingCategory",
    "SubsidyCharge",
    "SubsidyRate",
    "EnrolmentChange",
    "Student",
    "ColdUnit",
    "ColdUnitKind",
    "CoreTemperature",
    "StockBalance",
    "StockBatch",
    "StockDisposal",
    "StockIssue",
    "StockItem",
    "Stocktake",
    "StocktakeLine",
    "TemperatureReading",
    "AccompaniedMeal",
    "CanteenRoom",
    "Delivery",
    "DeliveryItem",
    "DeliveryResult",
    "DispatchMeeting",
    "IngredientKind",
    "IngredientRule",
    "LedgerAmendment",
    "LedgerPart",
    "LedgerRecord",
    "LockedRecordError",
    "Opinion",
    "ParentMeal",
    "PreventionCheck",
    "RiskReport",
    "RoomDisinfection",
    "RoomKind",
    "Supplier",
    "COUNTY_ROLES",
    "SYMPTOMS",
    "DisinfectionMethod",
    "FoodSample",
    "Meal",
    "MenuDish",
    "MorningCheck",
    "TablewareDisinfection",
    "Assignment",
    "AssignmentState",
    "AssignmentStatus",
    "CadenceRule",
    "CalendarDay",
    "ChecklistEntry",
    "ChecklistTemplate",
    "ChecklistVersion",
    "DayKind",
    "EvidenceExport",
    "ExportFormat",
    "ExportStatus",
    "InspectionEvidence",
    "FrozenRecordError",
    "InspectionAmendment",
    "InspectionPhoto",
    "Notification",
    "NotificationKind",
    "Period",
    "PhotoStage",
    "RectificationTask",
    "GroupMessage",
    "MessageStatus",
    "Platform",
    "Reminder",
    "ReminderRule",
    "ReminderSettings",
    "TaskStatus",
    "ScreeningMethod",
    "Term",
    "VersionStatus",
    "AttendanceStatus",
    "AuditChainHead",
    "AuditEvent",
    "Certificate",
    "CertificateKind",
    "CertificateStatus",
    "CrossSchoolReference",
    "Finding",
    "Inspection",
    "InspectionItem",
    "InspectionKind",
    "InspectionStatus",
    "ItemResult",
    "JobFailure",
    "RoutineRun",
    "PasswordFailure",
    "PesticideTest",
    "PublicNotice",
    "PostingLocation",
    "Role",
    "Rule",
    "RuleAcknowledgement",
    "RuleCategory",
    "RuleStatus",
    "RuleVersion",
    "School",
    "SchoolClass",
    "SchoolOwned",
    "SchoolSettings",
    "StoredFile",
    "TrainingAttendance",
    "TrainingKind",
    "TrainingSession",
    "User",
    "UserRole",
]
