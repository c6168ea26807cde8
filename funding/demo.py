"""Demo data of the fund for ``manage.py seed_demo``: every community gets a
fund year; the demo secretary's community gets projects in each state."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.money import decimal_of
from funding import services
from funding.models import (
    Category,
    CouncilMeeting,
    ExpenseClass,
    Project,
    ProjectEvent,
    ProjectState,
)
from funding.reference import reference_data_ensure_current

PROJECTS = [
    (
        "party",
        "红色物业党员先锋岗",
        "组织党员志愿者开展楼道清理和邻里帮扶",
        "小区居民",
        800,
        "18000",
    ),
    (
        "public",
        "老旧小区楼道照明更新",
        "更换8个单元的楼道感应灯，改善夜间出行",
        "老旧小区居民",
        600,
        "42000",
    ),
    (
        "public",
        "重阳节敬老文艺汇演",
        "邀请辖区老年文艺队演出并慰问高龄老人",
        "60岁以上老人",
        300,
        "12000",
    ),
    (
        "autonomy",
        "居民议事厅协商活动",
        "围绕停车难开展四次居民协商，形成公约",
        "全体居民",
        1500,
        "8000",
    ),
    (
        "urgent",
        "加装电梯前期评估",
        "为三个单元加装电梯开展可行性和结构评估",
        "高层住户",
        120,
        "65000",
    ),
]


def receipt_pdf(
    *, number: str, payee: str, amount: Decimal, day: date, item: str
) -> bytes:
    """A small, valid one-page invoice PDF drawn by WeasyPrint (each one
    differs, so the duplicate-receipt check sees distinct files)."""
    from weasyprint import HTML  # heavy import, only when the demo runs

    html = f"""<html><head><meta charset="utf-8"><style>
    @page {{ size: A6 landscape; margin: 8mm; }}
    body {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; }}
    h1 {{ font-size: 12pt; text-align: center; color: #8b1a1a; }}
    td {{ padding: 1mm 2mm; }}</style></head><body>
    <h1>增值税普通发票（演示）</h1>
    <table><tr><td>发票号码</td><td>{number}</td></tr>
    <tr><td>开票日期</td><td>{day.isoformat()}</td></tr>
    <tr><td>销售方</td><td>{payee}</td></tr>
    <tr><td>项目</td><td>{item}</td></tr>
    <tr><td>价税合计</td><td>¥{amount:,.2f}</td></tr></table>
    <p>演示数据，非真实票据。</p></body></html>"""
    return HTML(string=html).write_pdf()


def receipt_png(*, number: str, amount: Decimal, day: date) -> bytes:
    """A small, valid PNG photo of a receipt drawn by Pillow."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, 353, 193), outline="#8b1a1a", width=3)
    draw.text((20, 20), "RECEIPT (demo)", fill="#8b1a1a")
    draw.text((20, 60), f"No. {number}", fill="black")
    draw.text((20, 90), f"Date {day.isoformat()}", fill="black")
    draw.text((20, 120), f"Amount CNY {amount:,.2f}", fill="black")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_demo(*, demo: Any, seed: int, today: date) -> None:
    reference_data_ensure_current()
    rng = random.Random(seed + 5)
    city = demo.users["city"]
    for community in demo.communities:
        allocation = Decimal(rng.choice(["200000", "220000", "250000"]))
        city_share = allocation / 2
        street_share = Decimal("40000")
        services.fund_year_set(
            actor=city,
            community=community,
            year=today.year,
            allocation=allocation,
            city_share=city_share,
            district_share=allocation - city_share - street_share,
            street_share=street_share,
        )
    _seed_projects(demo=demo, today=today)


def _backdate(project: Project, day: date) -> None:
    """Date the project's latest step on the simulated day, so the desks show
    a believable "waiting since" (services stamp the real clock)."""
    at = timezone.make_aware(datetime.combine(day, time(10, 0)))
    event = project.events.latest("id")
    ProjectEvent.objects.filter(pk=event.pk).update(at=at)
    Project.objects.filter(pk=project.pk).update(state_changed_at=at)


def _seed_projects(*, demo: Any, today: date) -> None:
    secretary = demo.users["secretary"]
    street = demo.users["street"]
    district = demo.users["district"]
    fund_year = secretary.community.fund_years.get(year=today.year)
    start = max(date(today.year, 1, 2), today - timedelta(days=60))
    # How far each demo project goes along its life.
    targets = [
        ProjectState.PUBLISHED,
        ProjectState.IN_PROGRESS,
        ProjectState.ON_NOTICE,
        ProjectState.DISCUSSED,
        ProjectState.STREET_APPROVED,  # above the threshold: waits for the district
    ]
    for (code, title, purpose, who, people, cost), target in zip(
        PROJECTS, targets, strict=True
    ):
        project = services.project_propose(
            actor=secretary,
            fund_year=fund_year,
            category=Category.objects.get(code=code),
            title=title,
            purpose=purpose,
            beneficiaries=who,
            expected_beneficiaries=people,
            estimated_cost=Decimal(cost),
            today=start,
        )
        _backdate(project, start)
        services.council_meeting_record(
            actor=secretary,
            project=project,
            held_on=start,
            attendance=23,
            minutes="与会代表一致同意实施该项目。",
            result=CouncilMeeting.Result.PASSED,
            today=start,
        )
        steps = [
            (secretary, ProjectState.DISCUSSED, start),
            (street, ProjectState.STREET_REVIEWED, start + timedelta(days=3)),
            (secretary, ProjectState.ON_NOTICE, start + timedelta(days=5)),
            (street, ProjectState.APPROVED, start + timedelta(days=14)),
            (secretary, ProjectState.IN_PROGRESS, start + timedelta(days=15)),
        ]
        if project.needs_district:
            # Above the threshold the street agrees, then the district approves.
            steps[3:4] = [
                (street, ProjectState.STREET_APPROVED, start + timedelta(days=13)),
                (district, ProjectState.APPROVED, start + timedelta(days=14)),
            ]
        if target == ProjectState.ON_NOTICE:
            steps[2] = (secretary, ProjectState.ON_NOTICE, today - timedelta(days=2))
        order = [s for _actor, s, _day in steps]
        wanted = min(
            len(order), order.index(target) + 1 if target in order else len(order)
        )
        for actor, state, day in steps[:wanted]:
            project = services.project_transition(
                actor=actor, project=project, to_state=state, today=min(day, today)
            )
            _backdate(project, min(day, today))
        if target in (ProjectState.IN_PROGRESS, ProjectState.PUBLISHED):
            paid_on = min(start + timedelta(days=20), today)
            amount = (decimal_of(project.estimated_cost) * Decimal("0.8")).quantize(
                Decimal("0.01")
            )
            number = f"3202{project.pk:04d}{paid_on:%m%d}"
            payee = "无锡市惠民服务有限公司"
            services.expense_record(
                actor=secretary,
                project=project,
                payee=payee,
                paid_on=paid_on,
                amount=amount,
                description="项目实施费用",
                classification=ExpenseClass.objects.get(code="services_bought"),
                files=[
                    SimpleUploadedFile(
                        "发票.pdf",
                        receipt_pdf(
                            number=number,
                            payee=payee,
                            amount=amount,
                            day=paid_on,
                            item=project.title,
                        ),
                        content_type="application/pdf",
                    ),
                    SimpleUploadedFile(
                        "收据照片.png",
                        receipt_png(number=number, amount=amount, day=paid_on),
                        content_type="image/png",
                    ),
                ],
                today=today,
            )
        if target == ProjectState.PUBLISHED:
            project = services.project_transition(
                actor=secretary,
                project=project,
                to_state=ProjectState.REPORTED,
                today=today,
            )
            project = services.project_transition(
                actor=street,
                project=project,
                to_state=ProjectState.ACCEPTED,
                today=today,
            )
            services.project_transition(
                actor=secretary,
                project=project,
                to_state=ProjectState.PUBLISHED,
                today=today,
            )
