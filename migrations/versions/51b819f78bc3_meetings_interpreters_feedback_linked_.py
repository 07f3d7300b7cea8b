"""meetings, interpreters, feedback; linked update sources and proposed priorities

Revision ID: 51b819f78bc3
Revises: 5b79ee54e99b
Create Date: 2026-11-22 19:33:05.363169

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '51b819f78bc3'
down_revision = '5b79ee54e99b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meetings',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_meetings_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_station_id'), ['station_id'], unique=False)

    op.create_table('meeting_feedback',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('tone', sa.String(length=12), nullable=False),
    sa.Column('promoted_to', sa.String(length=120), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_feedback_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_feedback'))
    )
    with op.batch_alter_table('meeting_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_feedback_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_languages',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('language_code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('interpreter_member_id', sa.Integer(), nullable=True),
    sa.Column('interpreter_name', sa.String(length=120), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interpreter_member_id'], ['members.id'], name=op.f('fk_meeting_languages_interpreter_member_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_languages_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_languages')),
    sa.UniqueConstraint('meeting_id', 'language_code', name=op.f('uq_meeting_languages_meeting_id'))
    )
    with op.batch_alter_table('meeting_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_languages_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('plan_update_proposed_priorities',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('source_reference', sa.JSON(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['plan_updates.id'], name=op.f('fk_plan_update_proposed_priorities_update_id_plan_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_update_proposed_priorities'))
    )
    with op.batch_alter_table('plan_update_proposed_priorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_update_proposed_priorities_update_id'), ['update_id'], unique=False)

    with op.batch_alter_table('plan_update_feedback_sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_plan_update_feedback_sources_survey_id_surveys'), 'surveys', ['survey_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_plan_update_feedback_sources_meeting_id_meetings'), 'meetings', ['meeting_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('plan_update_feedback_sources', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plan_update_feedback_sources_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_plan_update_feedback_sources_survey_id_surveys'), type_='foreignkey')
        batch_op.drop_column('meeting_id')
        batch_op.drop_column('survey_id')

    with op.batch_alter_table('plan_update_proposed_priorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_update_proposed_priorities_update_id'))

    op.drop_table('plan_update_proposed_priorities')
    with op.batch_alter_table('meeting_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_languages_meeting_id'))

    op.drop_table('meeting_languages')
    with op.batch_alter_table('meeting_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_feedback_meeting_id'))

    op.drop_table('meeting_feedback')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_station_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_held_on'))

    op.drop_table('meetings')
