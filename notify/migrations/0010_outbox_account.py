"""The account an outbox message goes out from (empty: the installation's own, as every
message before this migration), and whether it answers the resident's own message."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notify', '0009_staff_referral_templates'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='account',
            field=models.CharField(blank=True, max_length=254, verbose_name='dari akun'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='answers_inbound',
            field=models.BooleanField(default=False),
        ),
    ]
