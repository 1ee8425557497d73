"""One demo login per role (see org.choices.Role), all with the same password; the names are made up."""

from org.choices import Role

from .org import LINYI

PASSWORD = "minsheng2026"

# (username, first_name, role, (region code, unit short name) or None, is_superuser)
USERS = [
    ("admin", "系统管理员", "", None, True),
    ("minshengban", "王民生", Role.STAFF, (LINYI, "市民生办"), False),
    ("lingdao", "李领导", Role.LEADER, (LINYI, "市民生办"), False),
    ("shenji", "赵审计", Role.AUDITOR, (LINYI, "市民生办"), False),
    ("tianbao", "孙填报", Role.FILER, (LINYI, "市人社局"), False),
    ("lanshan", "周兰山", Role.STAFF, ("371302", "兰山区民生办"), False),
]
