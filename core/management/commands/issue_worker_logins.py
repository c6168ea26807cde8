"""Issue workers' own logins: ``manage.py issue_worker_logins --community C01
--output logins.xlsx`` (or ``--all``); the one-time passwords go to the file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import exports
from core.logins import worker_logins_issue
from core.models import Worker


class Command(BaseCommand):
    help = "Create logins with one-time passwords for a community's workers or all."

    def add_arguments(self, parser):
        parser.add_argument("--community", help="community code")
        parser.add_argument("--all", action="store_true", help="the whole roster")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="also give workers who have a login a new one-time password",
        )
        parser.add_argument(
            "--output", required=True, help="xlsx file for the one-time passwords"
        )

    def handle(self, *args, **options):
        if bool(options["community"]) == bool(options["all"]):
            raise CommandError("请指定 --community 代码 或 --all（二选一）。")
        output = Path(options["output"])
        if output.exists():
            raise CommandError(f"{output} 已存在；一次性密码不会覆盖已有文件。")
        workers = Worker.objects.select_related("community").order_by(
            "community__code", "pk"
        )
        if options["community"]:
            workers = workers.filter(community__code=options["community"])
            if not workers.exists():
                raise CommandError(f"社区 {options['community']} 没有社区工作者。")
        if not options["reset"]:
            workers = workers.filter(user__isnull=True)
        issued = worker_logins_issue(
            actor=None, workers=workers, reset=options["reset"]
        )
        workbook = exports.workbook_from_rows(
            "一次性密码",
            ["社区", "姓名", "登录名", "一次性密码"],
            [
                [i.worker.community.name, i.worker.full_name, i.username, i.password]
                for i in issued
            ],
        )
        workbook.save(output)
        output.chmod(0o600)
        self.stdout.write(
            f"Issued {len(issued)} logins; one-time passwords in {output}."
        )
