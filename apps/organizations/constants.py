from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminLevel(models.TextChoices):
    """行政区划层级: 市 → 县区 → 乡镇街道 → 村社区."""

    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")


# The level a unit's parent must have.
PARENT_LEVEL = {
    AdminLevel.CITY: None,
    AdminLevel.COUNTY: AdminLevel.CITY,
    AdminLevel.TOWNSHIP: AdminLevel.COUNTY,
    AdminLevel.VILLAGE: AdminLevel.TOWNSHIP,
}


class Role(models.TextChoices):
    """Staff roles. Each is a django.contrib.auth Group of this name; the department comes from the user."""

    CLERK = "clerk", _("Clerk")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    # 审核: the section head reviews a clerk's proposed decision before the department head approves it (issue 16).
    SECTION_HEAD = "section_head", _("Section head")
    # 综合窗口: staff of the government service centre who register any item's application for a walk-in person.
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    HONOR_REVIEWER = "honor_reviewer", _("Honor reviewer")
    ACCEPTANCE_OFFICER = "acceptance_officer", _("Acceptance officer")
    GRID_MEMBER = "grid_member", _("Grid member")
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handler")
    DISCLOSURE_OFFICER = "disclosure_officer", _("Disclosure officer")
    DISCLOSURE_REVIEWER = "disclosure_reviewer", _("Disclosure reviewer")
    # 村(居)务公开专员: a village or community committee's officer keeps its own 村(居)务公开 catalogue (五务) and submits
    # it to the township for review (本政办发〔2020〕28号).
    VILLAGE_OFFICER = "village_officer", _("Village affairs officer")
    CALENDAR_OPERATOR = "calendar_operator", _("Calendar operator")


# Model permissions each role's group carries. Object-level scoping (own department, own grid) is applied on top by
# selectors and django-guardian; services that are added later extend this table with their own models.
ROLE_PERMISSIONS = {
    Role.CLERK: ["applications.view_application", "applications.view_followupcheck", "licences.view_licence",
                 "licences.add_licence", "licences.view_licencekind", "credit.view_dishonestyrecord"],
    Role.DEPARTMENT_HEAD: ["accounts.view_user", "applications.view_application", "applications.view_rectification",
                           "licences.view_licence", "licences.add_licence", "licences.view_licencekind",
                           "applications.view_followupcheck", "credit.view_dishonestyrecord",
                           "applications.change_rectification", "information_requests.view_informationrequest",
                           "grid.view_gridcase", "grid.view_casecategory", "grid.view_routingrule"],
    Role.SECTION_HEAD: ["applications.view_application", "licences.view_licence", "licences.view_licencekind"],
    # 综合窗口: registers applications (the admin's "add" is the window intake) and reads those they registered.
    Role.WINDOW_CLERK: ["catalogue.view_serviceitem", "applications.view_application",
                        "applications.add_application"],
    Role.HONOR_REVIEWER: ["honors.view_honorcategory", "honors.view_departmentreview"],
    Role.ACCEPTANCE_OFFICER: ["honors.view_honorcategory", "honors.change_honorcategory", "honors.view_honorapplication", "honors.view_showcase",
                              "honors.view_showcaseversion", "honors.view_firstrecognition",
                              "honors.add_firstrecognition", "credit.view_dishonestyrecord"],
    Role.GRID_MEMBER: ["grid.view_grid", "grid.view_casecategory", "grid.view_gridcase", "grid.view_routingrule"],
    Role.DISPATCHER: ["grid.view_grid", "grid.view_gridmember", "grid.view_casecategory", "grid.view_gridcase",
                      "grid.view_routingrule", "grid.add_routingrule", "grid.change_routingrule"],
    # Handlers read the routing rules: the case page links the rule that sent a case to them.
    Role.HANDLER: ["grid.view_casecategory", "grid.view_gridcase", "grid.view_routingrule"],
    Role.DISCLOSURE_OFFICER: ["disclosure.view_domain", "disclosure.view_catalogue", "disclosure.add_catalogue",
                              "disclosure.view_entry", "disclosure.add_entry", "disclosure.change_entry",
                              "disclosure.view_catalogueversion", "information_requests.view_informationrequest",
                              "information_requests.view_appealfigures", "information_requests.add_appealfigures",
                              "information_requests.change_appealfigures"],
    Role.VILLAGE_OFFICER: ["disclosure.view_domain", "disclosure.view_catalogue", "disclosure.add_catalogue",
                           "disclosure.view_entry", "disclosure.add_entry", "disclosure.change_entry",
                           "disclosure.view_catalogueversion"],
    Role.DISCLOSURE_REVIEWER: ["disclosure.view_domain", "disclosure.view_catalogue", "disclosure.view_entry",
                               "disclosure.view_catalogueversion"],
    Role.CALENDAR_OPERATOR: [
        "workdays.view_calendaryear",
        "workdays.add_calendaryear",
        "workdays.change_calendaryear",
        "workdays.view_calendarday",
    ],
}
