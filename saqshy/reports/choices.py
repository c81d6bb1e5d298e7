from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class ReportStatus(ChoiceSet):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    RETURNED = "returned"

    CHOICES = [
        (DRAFT, _("Draft"), "#bdbdbd"),
        (SUBMITTED, _("Submitted"), "#3182bd"),
        (APPROVED, _("Approved"), "#31a354"),
        (PUBLISHED, _("Published to the commission"), "#006d2c"),
        (RETURNED, _("Returned for correction"), "#de2d26"),
    ]

    # The services refuse anything else with 409. A returned report is corrected (refilled,
    # narratives edited) and submitted again; the head returns a submitted or approved report.
    TRANSITIONS = {
        "submit": ((DRAFT, RETURNED), SUBMITTED),
        "approve": ((SUBMITTED,), APPROVED),
        "return": ((SUBMITTED, APPROVED), RETURNED),
        "publish": ((APPROVED,), PUBLISHED),
    }

    # Reports the national summary may count: approved by the region's head.
    COUNTED = (APPROVED, PUBLISHED)
    # Reports whose figures may still be refilled from the records.
    FILLABLE = (DRAFT, RETURNED)


REPORT_STATUSES = ReportStatus.choices()
