"""training courses, records and remembered column mappings

Revision ID: 735cbd747183
Revises: 8a6cf8e192d1
Create Date: 2026-11-22 19:55:40.999046

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '735cbd747183'
down_revision = '8a6cf8e192d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_courses',
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('provider', sa.String(length=120), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.Double(), nullable=True),
    sa.Column('counts_toward_requirement', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_courses')),
    sa.UniqueConstraint('title', 'provider', name=op.f('uq_training_courses_title'))
    )
    with op.batch_alter_table('training_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_courses_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_courses_title'), ['title'], unique=False)

    op.create_table('training_column_mappings',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('default_course_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['default_course_id'], ['training_courses.id'], name=op.f('fk_training_column_mappings_default_course_id_training_courses'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_column_mappings')),
    sa.UniqueConstraint('name', name=op.f('uq_training_column_mappings_name'))
    )
    op.create_table('training_records',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('hours_credited', sa.Double(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('external_id', sa.String(length=80), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_records_course_id_training_courses')),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batches.id'], name=op.f('fk_training_records_import_batch_id_import_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_training_records_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_records')),
    sa.UniqueConstraint('member_id', 'course_id', 'completed_on', name=op.f('uq_training_records_member_id'))
    )
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.create_index('ix_training_records_completed_member', ['completed_on', 'member_id', 'course_id', 'hours_credited'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_records_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_records_external_id'), ['external_id'], unique=False)



def downgrade():
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_records_external_id'))
        batch_op.drop_index(batch_op.f('ix_training_records_course_id'))
        batch_op.drop_index('ix_training_records_completed_member')

    op.drop_table('training_records')
    op.drop_table('training_column_mappings')
    with op.batch_alter_table('training_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_courses_title'))
        batch_op.drop_index(batch_op.f('ix_training_courses_code'))

    op.drop_table('training_courses')
