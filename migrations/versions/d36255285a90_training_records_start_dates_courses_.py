"""training records' start dates, courses told apart by code

Two courses may now share a title and provider when their codes differ; a downgrade refuses
while any do (merge or retitle them first).

Revision ID: d36255285a90
Revises: 69bebaf2b905
Create Date: 2026-12-04 03:35:22.292219

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd36255285a90'
down_revision = '69bebaf2b905'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_training_courses_title'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_training_courses_title'), ['title', 'provider', 'code'])

    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_column('started_on')

    with op.batch_alter_table('training_courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_training_courses_title'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_training_courses_title'), ['title', 'provider'])
