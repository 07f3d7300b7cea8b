"""imports: training start dates, courses told apart by code, queued imports

Two courses may now share a title and provider when their codes differ; a downgrade refuses
while any do (merge or retitle them first).

Revision ID: 3361baf7becd
Revises: 875db8b54fa6
Create Date: 2026-12-04 03:48:54.724642

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3361baf7becd'
down_revision = '875db8b54fa6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('column_mapping', sa.JSON(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_import_jobs_batch_id_import_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_import_jobs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_status'), ['status'], unique=False)

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

    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_requested_by_id'))

    op.drop_table('import_jobs')