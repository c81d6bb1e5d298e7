from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls

# Who writes what: the region's coordinator opens, fills, edits and submits its report; the
# region's head approves, returns and publishes; the commission's secretary publishes. Each
# agency's own people write its narrative (their grant's agency), the coordinator any.
NARRATIVE = (("add", "reports.agencynarrative"), ("change", "reports.agencynarrative"))


class ReportsConfig(registry.SaqshyAppConfig):
    name = "saqshy.reports"
    label = "reports"
    verbose_name = _("Daily reports")
    declaration = AppDeclaration(
        pages=(PageUrls("reports/", "saqshy.reports.urls"),),
        api="saqshy.reports.api.urls",
        nav=(
            NavEntry(
                _("Daily reports"),
                "reports:list",
                85,
                ("reports",),
                view_model="reports.dailyreport",
            ),
        ),
        role_rules={
            "region-coordinator": (
                ("add", "reports.dailyreport"),
                ("change", "reports.dailyreport"),
                ("submit", "reports.dailyreport"),
                *NARRATIVE,
            ),
            "region-head": (
                ("approve", "reports.dailyreport"),
                ("publish", "reports.dailyreport"),
            ),
            "commission-secretary": (("publish", "reports.dailyreport"),),
            "duty-officer": NARRATIVE,
            "planner": NARRATIVE,
            "dispatcher": NARRATIVE,
            "inspector": NARRATIVE,
        },
        schema_enums={"ReportStatusEnum": "saqshy.reports.choices.REPORT_STATUSES"},
    )
