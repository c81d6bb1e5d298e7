from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "saqshy.duty"
    label = "duty"
    verbose_name = _("Duty, posts and patrols")

    def ready(self) -> None:
        # The plan run services queue runs; the task that computes them imports those
        # services, so it is handed down here instead of imported upwards (no cycle).
        from saqshy.duty.rosters import plans, tasks

        plans.register_runner(tasks.run_plan.enqueue)
