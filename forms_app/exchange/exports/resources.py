"""The export plan as a django-import-export resource, generated from the form definition.

``resource_for(plan)`` returns a ``ModelResource`` whose fields are the
plan's columns, headed by their labels, each dehydrated by the column's own
converter. Its generic ``export()`` (a tablib ``Dataset``, one call per cell)
suits small sets and anything built on import-export. Large exports stream
the same columns through ``SubmissionResource.iter_rows()``, which builds a
whole row per record (see ``columns.make_row_builder``); a test holds the two
paths to the same cells.
"""

from import_export import fields, resources

from forms_app.applications.models import Submission, SubmissionStatus
from forms_app.builder.cells import local_datetime
from forms_app.exchange.exports.columns import FIXED_KEYS as FIXED
from forms_app.exchange.exports.columns import make_row_builder, row_source


class SubmissionResource(resources.ModelResource):
    """Base of the generated resources: fixed columns, then one field per answer column."""

    plan = None  # the ExportPlan the subclass was generated from

    class Meta:
        model = Submission
        fields = ()

    def get_queryset(self):
        """Return what ``export()`` reads when given no queryset: nothing, an export always names its set."""
        return Submission.objects.none()

    def dehydrate_status(self, submission):
        return str(SubmissionStatus(submission.status).label)

    def dehydrate_organisation(self, submission):
        return submission.organisation.name if submission.organisation_id else ""

    def dehydrate_credit_code(self, submission):
        return submission.organisation.credit_code if submission.organisation_id else ""

    def dehydrate_region(self, submission):
        return submission.region.name if submission.region_id else ""

    def dehydrate_submitted_at(self, submission):
        return local_datetime(submission.submitted_at)

    def iter_rows(self, queryset, chunk_size=2000):
        """Yield ``(cells, answers)`` for ``queryset``: the same cells as ``export()``, a row at a time."""
        build = make_row_builder(self.plan, dict(SubmissionStatus.choices))
        for record in row_source(queryset).iterator(chunk_size=chunk_size):
            yield build(record)


def answer_field(column):
    """Return the import-export field of one answer column, dehydrated by the column's converter."""
    convert = column.convert

    def dehydrate(submission):
        value = submission.answers.get(column.key, "")
        if value is None:
            value = ""
        return value if convert is None else convert(value)

    return fields.Field(column_name=column.header, dehydrate_method=dehydrate, readonly=True)


def resource_for(plan):
    """Return a ``SubmissionResource`` class for ``plan``: fixed fields, then one field per column."""
    labels = dict(zip(FIXED, plan.fixed, strict=True))
    declared = {name: fields.Field(attribute=name, column_name=labels[name], readonly=True) for name in FIXED}
    names = list(FIXED)
    for index, column in enumerate(plan.columns):
        name = f"answer_{index}"  # field keys can clash with the fixed names; labels can repeat
        declared[name] = answer_field(column)
        names.append(name)
    resource = resources.modelresource_factory(
        Submission,
        resource_class=SubmissionResource,
        meta_options={"fields": names, "export_order": names},
        custom_fields=declared,
    )
    resource.plan = plan
    return resource
