"""The group "Programledning": the city director and others who may change everything.

Membership is data an admin changes in the admin; the group carries the permission
"malomraden.redigera_allt" that malomraden/roles.py checks.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; make ours exist now.
    app_config = apps.get_app_config("malomraden")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Programledning")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="malomraden", codename="redigera_allt")
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Programledning").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("malomraden", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
