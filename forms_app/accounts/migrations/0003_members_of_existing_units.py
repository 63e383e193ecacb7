"""Accounts made before units had members: each is an approved member, the earliest one its administrator.

Until then, registering with a credit code joined its unit outright, so every profile acted for its
unit already; keeping them approved changes nothing for them. The unit's earliest account (by the date
it joined, then by id) becomes its administrator, so each unit has someone to decide later requests.
"""

from django.db import migrations

BATCH = 500  # ids per UPDATE, within every database's limit on query parameters


def members_of_existing_units(apps, schema_editor):
    """Approve every profile; make the earliest account of each unit without one its administrator."""
    Profile = apps.get_model("shenbao_accounts", "ApplicantProfile")
    Profile.objects.exclude(status="approved").update(status="approved")
    administered = set(
        Profile.objects.filter(is_administrator=True).values_list("organisation_id", flat=True)
    )
    chosen = []
    earliest_first = Profile.objects.order_by("user__date_joined", "user_id").values_list(
        "pk", "organisation_id"
    )
    for pk, organisation_id in earliest_first.iterator():
        if organisation_id not in administered:
            administered.add(organisation_id)
            chosen.append(pk)
    for start in range(0, len(chosen), BATCH):
        Profile.objects.filter(pk__in=chosen[start : start + BATCH]).update(is_administrator=True)


class Migration(migrations.Migration):
    dependencies = [("shenbao_accounts", "0002_membership")]

    operations = [migrations.RunPython(members_of_existing_units, migrations.RunPython.noop)]
