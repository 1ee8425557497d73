"""Choices for plans, projects, targets, milestones and progress reports."""

from django.db import models


class ProjectLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县区级"


class ChangeType(models.TextChoices):
    NEW = "new", "新增"
    RAISED = "raised", "提标扩面"
    MERGED = "merged", "整合归并"
    CONTINUED = "continued", "继续实施"
    EXITED = "exited", "退出"


class Category(models.TextChoices):
    """The twelve scope categories of livelihood projects."""

    POVERTY = "poverty", "脱贫攻坚"
    EMPLOYMENT = "employment", "就业创业"
    INCOME = "income", "增加收入"
    EDUCATION = "education", "改善教育"
    HEALTH = "health", "医疗卫生"
    HOUSING = "housing", "城乡住房"
    SOCIAL_SECURITY = "social_security", "社会保障"
    CULTURE = "culture", "文化惠民"
    ECOLOGY = "ecology", "生态环保"
    SERVICES = "services", "便民服务"
    SAFETY = "safety", "安全稳定"
    SPECIAL_GROUPS = "special_groups", "关注特殊群体"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "已立项"
    IN_PROGRESS = "in_progress", "实施中"
    COMPLETED = "completed", "已完成"
    SUSPENDED = "suspended", "暂停"
    WITHDRAWN = "withdrawn", "已调整退出"


# Projects that are not being carried out get no light.
INACTIVE_STATUSES = (ProjectStatus.SUSPENDED, ProjectStatus.WITHDRAWN)


class ScheduleBasis(models.TextChoices):
    LINEAR = "linear", "按月均衡（m/12）"
    MILESTONES = "milestones", "按节点计划"


class AdjustmentKind(models.TextChoices):
    TARGET = "target", "调整目标任务"
    DEADLINE = "deadline", "调整完成时限"
    UNITS = "units", "调整责任单位"
    CONTENT = "content", "调整建设内容"
    WITHDRAW = "withdraw", "调整退出"
    OTHER = "other", "其他"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已审核"


# Reports whose figures count towards progress: a draft or a returned report is not yet a figure of record.
COUNTED_REPORT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    NONE = "none", "未评价"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "照片"
    DOCUMENT = "document", "文档"
