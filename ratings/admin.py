from django.contrib import admin

from core.admin_scope import ScopedAdminMixin, ScopedChoicesMixin
from core.late_changes import late_change_notify
from ratings import services
from ratings.facts import grade_pays_from, star_pays_from
from ratings.models import AnnualGrade, StarRating


@admin.register(AnnualGrade)
class AnnualGradeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    community_path = "worker__community"
    list_display = ("worker", "year", "grade", "entered_by", "updated_at")
    list_select_related = ("worker", "entered_by")
    list_filter = ("year", "grade")
    search_fields = ("worker__full_name", "worker__id_number")
    autocomplete_fields = ("worker",)
    readonly_fields = ("entered_by",)

    def save_model(self, request, obj, form, change):
        saved = services.annual_grade_record(
            actor=request.user,
            worker=obj.worker,
            year=obj.year,
            grade=obj.grade,
            note=obj.note,
        )
        obj.pk = saved.pk
        late_change_notify(
            request, worker_id=saved.worker_id, since=grade_pays_from(saved.year)
        )


@admin.register(StarRating)
class StarRatingAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ("__str__", "stars", "rated_on", "valid_until", "assessor")
    list_select_related = ("worker", "community")
    list_filter = ("stars",)
    search_fields = ("worker__full_name", "community__name")
    autocomplete_fields = ("worker", "community")
    readonly_fields = ("entered_by",)

    def get_queryset(self, request):
        from ratings.selectors import star_rating_list_visible_to

        return star_rating_list_visible_to(user=request.user)

    def save_model(self, request, obj, form, change):
        community_id = obj.worker.community_id if obj.worker_id else obj.community_id
        services.star_rating_check(actor=request.user, community_id=community_id)
        obj.entered_by = request.user
        obj.full_clean()
        obj.save()
        if obj.worker_id:
            late_change_notify(
                request, worker_id=obj.worker_id, since=star_pays_from(obj.rated_on)
            )
