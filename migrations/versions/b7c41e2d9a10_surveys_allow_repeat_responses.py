"""surveys: whether one device may answer a survey more than once (kiosks at meetings)

Existing surveys take one response per device, like new ones.

The column is added and dropped in place (ALTER TABLE), never by rebuilding the table: on
SQLite a rebuild drops `surveys`, and with foreign keys on that deletes every question and
response through their ON DELETE CASCADE.

Revision ID: b7c41e2d9a10
Revises: 3361baf7becd
Create Date: 2026-12-04 18:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7c41e2d9a10'
down_revision = '3361baf7becd'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('surveys', sa.Column('allow_repeat_responses', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade():
    op.drop_column('surveys', 'allow_repeat_responses')
